/**
 * Feasibility checks in the order failures are reported (spec §5.8): AGENT → ATTRIBUTE → CPU → MEMORY → PORTS →
 * GPU → ENI. `OK` means the instance can take the task (constraints are checked separately).
 */
export const OK = 0
export const AGENT = 1
export const ATTRIBUTE = 2
export const CPU = 3
export const MEMORY = 4
export const PORTS = 5
export const GPU = 6
export const ENI = 7

export type CheckCode =
  typeof OK | typeof AGENT | typeof ATTRIBUTE | typeof CPU | typeof MEMORY | typeof PORTS | typeof GPU | typeof ENI

/** The failure `reason` ECS reports for a failed check. */
export const CHECK_REASON: Record<Exclude<CheckCode, typeof OK>, string> = {
  [AGENT]: 'AGENT',
  [ATTRIBUTE]: 'ATTRIBUTE',
  [CPU]: 'RESOURCE:CPU',
  [MEMORY]: 'RESOURCE:MEMORY',
  [PORTS]: 'RESOURCE:PORTS',
  [GPU]: 'RESOURCE:GPU',
  [ENI]: 'RESOURCE:ENI',
}

export const NO_INSTANCES_REASON = 'No Container Instances were found in your cluster.'
export const MEMBER_OF_UNSATISFIED = 'MemberOf placement constraint unsatisfied.'
export const DISTINCT_INSTANCE_UNSATISFIED = 'DistinctInstance placement constraint unsatisfied.'
