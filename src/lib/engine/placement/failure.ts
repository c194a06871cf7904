/**
 * Why a task could not be placed (spec §5.8), and how a service event says it (spec §6.9).
 *
 * - No ACTIVE instance in the cluster: the cluster ARN with `No Container Instances were found in your cluster.`
 * - Some instance passes every check but the constraints eliminate all of them: the first such instance and the
 *   first constraint (in request order) that leaves no instance: `MemberOf placement constraint unsatisfied.` or
 *   `DistinctInstance placement constraint unsatisfied.` (the wording ECS uses in RunTask failures).
 * - Otherwise the **closest matching** instance — the one that gets furthest through AGENT → ATTRIBUTE → CPU →
 *   MEMORY → PORTS → GPU → ENI (first in cluster order among equals) — and its first failing check.
 */
import {CHECK_REASON, DISTINCT_INSTANCE_UNSATISFIED, MEMBER_OF_UNSATISFIED, NO_INSTANCES_REASON, OK} from './checks.js'
import type {CheckCode} from './checks.js'
import type {Selection} from './select.js'

export interface PlacementFailure {
  arn: string
  reason: string
}

export function explainFailure(selection: Selection, clusterArn: string): PlacementFailure {
  const {state, constraints, prepared} = selection
  if (state.activeCount === 0) return {arn: clusterArn, reason: NO_INSTANCES_REASON}
  let closest = -1
  let closestCode: CheckCode = OK
  const feasible: number[] = []
  for (let i = 0; i < state.size; i++) {
    if (state.active[i] === 0) continue
    const code = state.check(i, prepared)
    if (code === OK) {
      feasible.push(i)
      continue
    }
    if (closest < 0 || code > closestCode) {
      closest = i
      closestCode = code
    }
  }
  if (feasible.length === 0)
    return {
      arn: state.candidates[closest].containerInstanceArn,
      reason: CHECK_REASON[closestCode as Exclude<CheckCode, typeof OK>],
    }
  let remaining = feasible
  for (const constraint of constraints) {
    const next = remaining.filter((i) =>
      constraint.kind === 'distinctInstance'
        ? state.groupCount(i, selection.group) === 0
        : constraint.query.test(i, state.candidates[i], state.version[i]),
    )
    if (next.length === 0) {
      return {
        arn: state.candidates[remaining[0]].containerInstanceArn,
        reason: constraint.kind === 'distinctInstance' ? DISTINCT_INSTANCE_UNSATISFIED : MEMBER_OF_UNSATISFIED,
      }
    }
    remaining = next
  }
  // Unreachable when the selector is correct: an eligible instance existed.
  throw new Error('placement failed although an eligible instance exists')
}

const RESOURCE_WORDING: Record<string, string> = {
  'RESOURCE:CPU': 'has insufficient CPU units available',
  'RESOURCE:MEMORY': 'has insufficient memory available',
  'RESOURCE:PORTS': 'is already using a port required by your task',
  'RESOURCE:GPU': 'has insufficient GPU available',
  'RESOURCE:ENI': 'has insufficient free network interface attachments available',
  ATTRIBUTE: 'is missing an attribute required by your task',
}

const HEAD = (serviceName: string) =>
  `(service ${serviceName}) was unable to place a task because no container instance met all of its requirements.`

/** Last segment of an ARN (`…:container-instance/cluster/ID` → ID). */
const arnId = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1)

/**
 * The service event ECS writes for an unplaceable task, e.g.
 * `(service web) was unable to place a task because no container instance met all of its requirements. The closest
 * matching (container-instance 5e8c…) has insufficient CPU units available. For more information, see the
 * Troubleshooting section.` (memory, ports, GPU, ENI, attribute analogues; the trailing pointer is what ECS appends).
 * AGENT failures read `… The closest matching (container-instance ID) encountered error "AGENT".`; constraint failures
 * append `Reason: <reason>`. A cluster without instances reads `(service NAME) was unable to place a task. Reason: No
 * Container Instances were found in your cluster. For more information, see the Troubleshooting section.`
 */
export function unplaceableEventMessage(serviceName: string, failure: PlacementFailure): string {
  if (failure.reason === NO_INSTANCES_REASON)
    return (
      `(service ${serviceName}) was unable to place a task. Reason: ${NO_INSTANCES_REASON} ` +
      'For more information, see the Troubleshooting section.'
    )
  const instance = `(container-instance ${arnId(failure.arn)})`
  const wording = RESOURCE_WORDING[failure.reason]
  if (wording)
    return `${HEAD(serviceName)} The closest matching ${instance} ${wording}. For more information, see the Troubleshooting section.`
  if (failure.reason === MEMBER_OF_UNSATISFIED || failure.reason === DISTINCT_INSTANCE_UNSATISFIED)
    return `${HEAD(serviceName)} Reason: ${failure.reason}`
  return `${HEAD(serviceName)} The closest matching ${instance} encountered error "${failure.reason}".`
}
