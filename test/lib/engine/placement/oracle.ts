/**
 * An independent, naive model of placement used to check the placer: it reads only the PlacementCandidate objects
 * and ranks with plain loops (no indexes, no caches).
 */
import type {PlacementConstraint, PlacementStrategy} from '@aws-sdk/client-ecs'
import {compileQuery} from '../../../../src/lib/engine/query/index.js'
import type {PlacementCandidate, TaskDemand} from '../../../../src/lib/engine/placement/types.js'

const ORDER = [
  'AGENT',
  'ATTRIBUTE',
  'RESOURCE:CPU',
  'RESOURCE:MEMORY',
  'RESOURCE:PORTS',
  'RESOURCE:GPU',
  'RESOURCE:ENI',
]

function firstFailure(c: PlacementCandidate, d: TaskDemand): string | undefined {
  if (!c.agentConnected) return 'AGENT'
  for (const a of d.requiresAttributes)
    if (!c.attributes.has(a.name) || (a.value !== undefined && c.attributes.get(a.name) !== a.value)) return 'ATTRIBUTE'
  if (
    d.allowedAvailabilityZones &&
    !d.allowedAvailabilityZones.includes(c.attributes.get('ecs.availability-zone') ?? '\u0000')
  )
    return 'ATTRIBUTE'
  if (c.remainingCpu < d.cpu) return 'RESOURCE:CPU'
  if (c.remainingMemory < d.memory) return 'RESOURCE:MEMORY'
  for (const p of d.staticPorts)
    if ((p.protocol === 'udp' ? c.udpPortsInUse : c.tcpPortsInUse).has(p.port)) return 'RESOURCE:PORTS'
  for (const protocol of ['tcp', 'udp'] as const) {
    const wanted = d.dynamicPorts.filter((p) => p.protocol === protocol).length
    if (wanted === 0) continue
    const used = [...(protocol === 'udp' ? c.udpPortsInUse : c.tcpPortsInUse)].filter(
      (p) => p >= 32768 && p <= 61000,
    ).length
    const staticInRange = d.staticPorts.filter(
      (p) => p.protocol === protocol && p.port >= 32768 && p.port <= 61000,
    ).length
    if (used + staticInRange + wanted > 61000 - 32768 + 1) return 'RESOURCE:PORTS'
  }
  if (c.remainingGpu < d.gpu) return 'RESOURCE:GPU'
  if (d.needsEni && c.freeEniSlots < 1) return 'RESOURCE:ENI'
  return undefined
}

function satisfies(c: PlacementCandidate, constraints: PlacementConstraint[], group: string): boolean {
  return constraints.every((k) =>
    k.type === 'distinctInstance' ? (c.taskGroups.get(group) ?? 0) === 0 : compileQuery(k.expression as string).test(c),
  )
}

function eligible(
  candidates: PlacementCandidate[],
  d: TaskDemand,
  constraints: PlacementConstraint[],
  group: string,
): PlacementCandidate[] {
  return candidates.filter(
    (c) => c.status === 'ACTIVE' && firstFailure(c, d) === undefined && satisfies(c, constraints, group),
  )
}

const valueOf = (c: PlacementCandidate, attribute: string) =>
  c.attributes.has(attribute) ? (c.attributes.get(attribute) ?? '') : '\u0000missing'

function score(all: PlacementCandidate[], c: PlacementCandidate, s: PlacementStrategy, group: string): number {
  if (s.type === 'binpack') return s.field === 'cpu' ? c.remainingCpu : c.remainingMemory
  if (s.field === 'instanceId' || s.field === 'host') return c.taskGroups.get(group) ?? 0
  const attribute = (s.field as string).slice('attribute:'.length)
  const value = valueOf(c, attribute)
  return all.filter((o) => valueOf(o, attribute) === value).reduce((sum, o) => sum + (o.taskGroups.get(group) ?? 0), 0)
}

/** The candidates a correct placer may choose: eligible and lexicographically best on every strategy. */
export function optimal(
  all: PlacementCandidate[],
  d: TaskDemand,
  strategies: PlacementStrategy[],
  constraints: PlacementConstraint[],
  group: string,
): PlacementCandidate[] {
  let set = eligible(all, d, constraints, group)
  for (const s of strategies) {
    if (s.type === 'random') break
    const scores = set.map((c) => score(all, c, s, group))
    const min = Math.min(...scores)
    set = set.filter((_, i) => scores[i] === min)
  }
  return set
}

/** The failure reason expected when nothing is eligible. */
export function expectedFailure(
  all: PlacementCandidate[],
  d: TaskDemand,
  constraints: PlacementConstraint[],
  group: string,
  clusterArn: string,
): {arn: string; reason: string} {
  const active = all.filter((c) => c.status === 'ACTIVE')
  if (active.length === 0) return {arn: clusterArn, reason: 'No Container Instances were found in your cluster.'}
  const feasible = active.filter((c) => firstFailure(c, d) === undefined)
  if (feasible.length === 0) {
    let best = active[0]
    for (const c of active)
      if (ORDER.indexOf(firstFailure(c, d) as string) > ORDER.indexOf(firstFailure(best, d) as string)) best = c
    return {arn: best.containerInstanceArn, reason: firstFailure(best, d) as string}
  }
  let remaining = feasible
  for (const k of constraints) {
    const next = remaining.filter((c) => satisfies(c, [k], group))
    if (next.length === 0)
      return {
        arn: remaining[0].containerInstanceArn,
        reason:
          k.type === 'distinctInstance'
            ? 'DistinctInstance placement constraint unsatisfied.'
            : 'MemberOf placement constraint unsatisfied.',
      }
    remaining = next
  }
  throw new Error('oracle: something was eligible')
}
