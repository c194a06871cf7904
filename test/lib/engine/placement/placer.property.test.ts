import {describe, expect, it} from '@jest/globals'
import type {PlacementConstraint, PlacementStrategy} from '@aws-sdk/client-ecs'
import fc from 'fast-check'
import {createPlacerWith} from '../../../../src/lib/engine/placement/index.js'
import type {PlacementCandidate, TaskDemand} from '../../../../src/lib/engine/placement/types.js'
import {CLUSTER_ARN, candidate, demand, seededRandom} from './fixtures.js'
import {expectedFailure, optimal} from './oracle.js'

const instanceArb = fc.record({
  cpu: fc.constantFrom(256, 512, 1024, 2048),
  memory: fc.constantFrom(256, 512, 1024, 2048),
  gpu: fc.constantFrom(0, 0, 1, 2),
  eni: fc.constantFrom(0, 1, 2, 3),
  az: fc.constantFrom('us-east-1a', 'us-east-1b', 'us-east-1c'),
  noAz: fc.integer({min: 0, max: 4}).map((n) => n === 0),
  status: fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'DRAINING'),
  agentConnected: fc.constantFrom(true, true, true, true, false),
  stack: fc.constantFrom('prod', 'dev', undefined),
  port80: fc.boolean(),
  g1: fc.constantFrom(0, 0, 1, 2),
})

type InstanceSpec = typeof instanceArb extends fc.Arbitrary<infer T> ? T : never

const toCandidates = (specs: InstanceSpec[]): PlacementCandidate[] =>
  specs.map((s) => {
    const c = candidate({
      cpu: s.cpu,
      memory: s.memory,
      gpu: s.gpu,
      eni: s.eni,
      az: s.az,
      status: s.status,
      agentConnected: s.agentConnected,
      attributes: s.stack === undefined ? {} : {stack: s.stack},
      tcpPorts: s.port80 ? [22, 80] : [22],
      groups: s.g1 > 0 ? {g1: s.g1} : {},
    })
    if (s.noAz) c.attributes.delete('ecs.availability-zone')
    return c
  })

const demandArb: fc.Arbitrary<TaskDemand> = fc
  .record({
    cpu: fc.constantFrom(0, 128, 256, 512, 1000),
    memory: fc.constantFrom(64, 128, 256, 1000),
    gpu: fc.constantFrom(0, 0, 0, 1),
    staticPorts: fc.constantFrom<TaskDemand['staticPorts']>(
      [],
      [],
      [{port: 80, protocol: 'tcp'}],
      [{port: 53, protocol: 'udp'}],
    ),
    dynamicPorts: fc.constantFrom<TaskDemand['dynamicPorts']>(
      [],
      [{protocol: 'tcp'}],
      [{protocol: 'tcp'}, {protocol: 'udp'}],
    ),
    needsEni: fc.boolean(),
    requiresAttributes: fc.constantFrom<TaskDemand['requiresAttributes']>(
      [],
      [],
      [{name: 'stack', value: 'prod'}],
      [{name: 'ecs.capability.task-eni'}],
    ),
    allowedAvailabilityZones: fc.constantFrom<string[] | undefined>(undefined, undefined, ['us-east-1a', 'us-east-1b']),
  })
  .map((d) => {
    const out: TaskDemand = {...d}
    if (d.allowedAvailabilityZones === undefined) delete out.allowedAvailabilityZones
    return out
  })

const strategiesArb: fc.Arbitrary<PlacementStrategy[]> = fc.constantFrom<PlacementStrategy[]>(
  [],
  [{type: 'random'}],
  [{type: 'binpack', field: 'memory'}],
  [{type: 'binpack', field: 'cpu'}],
  [{type: 'spread', field: 'instanceId'}],
  [
    {type: 'spread', field: 'host'},
    {type: 'binpack', field: 'memory'},
  ],
  [{type: 'spread', field: 'attribute:ecs.availability-zone'}],
  [
    {type: 'spread', field: 'attribute:ecs.availability-zone'},
    {type: 'spread', field: 'instanceId'},
  ],
  [
    {type: 'spread', field: 'attribute:ecs.availability-zone'},
    {type: 'binpack', field: 'memory'},
  ],
  [
    {type: 'spread', field: 'attribute:stack'},
    {type: 'spread', field: 'instanceId'},
    {type: 'binpack', field: 'cpu'},
  ],
  [
    {type: 'binpack', field: 'memory'},
    {type: 'spread', field: 'attribute:ecs.availability-zone'},
  ],
  [{type: 'binpack', field: 'cpu'}, {type: 'random'}, {type: 'spread', field: 'instanceId'}],
)

const constraintsArb: fc.Arbitrary<PlacementConstraint[]> = fc.constantFrom<PlacementConstraint[]>(
  [],
  [],
  [{type: 'distinctInstance'}],
  [{type: 'memberOf', expression: 'attribute:stack == prod'}],
  [{type: 'memberOf', expression: 'not(task:group == g1)'}],
  [{type: 'memberOf', expression: 'runningTasksCount < 2'}],
  [{type: 'memberOf', expression: 'task:group == g2 or runningTasksCount > 1'}],
  [
    {type: 'memberOf', expression: 'attribute:ecs.availability-zone in [us-east-1a, us-east-1c]'},
    {type: 'distinctInstance'},
  ],
)

const stepArb = fc.record({
  demand: demandArb,
  strategies: strategiesArb,
  constraints: constraintsArb,
  group: fc.constantFrom('g1', 'g2'),
})

/**
 * Steps drawn from a small pool, so the same demand / strategies / constraints objects come back within one batch
 * (what the engine does) and the placer's per-signature caches are exercised across placements.
 */
const stepsArb = fc
  .tuple(fc.array(stepArb, {minLength: 1, maxLength: 3}), fc.array(fc.nat(2), {minLength: 1, maxLength: 30}))
  .map(([pool, picks]) => picks.map((p) => pool[p % pool.length]))

const snapshot = (c: PlacementCandidate) => ({
  cpu: c.remainingCpu,
  memory: c.remainingMemory,
  gpu: c.remainingGpu,
  eni: c.freeEniSlots,
  running: c.runningTasksCount,
  tcp: [...c.tcpPortsInUse].sort(),
  udp: [...c.udpPortsInUse].sort(),
  groups: [...c.taskGroups].sort(),
})

describe.each([true, false])('placer properties (indexes %s) against a naive oracle', (useIndexes) => {
  it('chooses an optimal eligible instance, never over-commits, and fails only when nothing is eligible', () => {
    fc.assert(
      fc.property(
        fc.array(instanceArb, {minLength: 0, maxLength: 10}),
        fc.oneof(fc.array(stepArb, {minLength: 1, maxLength: 25}), stepsArb),
        fc.integer(),
        (specs, steps, seed) => {
          const candidates = toCandidates(specs)
          const placer = createPlacerWith(candidates, {random: seededRandom(seed), clusterArn: CLUSTER_ARN, useIndexes})
          for (const step of steps) {
            const allowed = optimal(candidates, step.demand, step.strategies, step.constraints, step.group)
            const expected =
              allowed.length === 0
                ? expectedFailure(candidates, step.demand, step.constraints, step.group, CLUSTER_ARN)
                : undefined
            const before = new Map(candidates.map((c) => [c, snapshot(c)]))
            const result = placer.place({
              demand: step.demand,
              strategies: step.strategies,
              constraints: step.constraints,
              group: step.group,
            })
            if (!result.ok) {
              expect(allowed).toEqual([])
              expect({arn: result.arn, reason: result.reason}).toEqual(expected)
              for (const c of candidates) expect(snapshot(c)).toEqual(before.get(c))
              continue
            }
            expect(allowed).toContain(result.candidate)
            const c = result.candidate
            const was = before.get(c)!
            expect(c.remainingCpu).toBe(was.cpu - step.demand.cpu)
            expect(c.remainingMemory).toBe(was.memory - step.demand.memory)
            expect(c.remainingCpu).toBeGreaterThanOrEqual(0)
            expect(c.remainingMemory).toBeGreaterThanOrEqual(0)
            expect(c.remainingGpu).toBeGreaterThanOrEqual(0)
            expect(c.freeEniSlots).toBeGreaterThanOrEqual(0)
            expect(c.runningTasksCount).toBe(was.running + 1)
            // ports: static as asked, dynamic in the ephemeral range, none previously in use, none twice
            expect(result.hostPorts.length).toBe(step.demand.staticPorts.length + step.demand.dynamicPorts.length)
            step.demand.staticPorts.forEach((p, i) =>
              expect(result.hostPorts[i]).toEqual({hostPort: p.port, protocol: p.protocol}),
            )
            for (const [i, port] of result.hostPorts.entries()) {
              const previously = port.protocol === 'udp' ? was.udp : was.tcp
              expect(previously).not.toContain(port.hostPort)
              expect((port.protocol === 'udp' ? c.udpPortsInUse : c.tcpPortsInUse).has(port.hostPort)).toBe(true)
              if (i >= step.demand.staticPorts.length) {
                expect(port.hostPort).toBeGreaterThanOrEqual(32768)
                expect(port.hostPort).toBeLessThanOrEqual(61000)
              }
            }
            expect(new Set(result.hostPorts.map((p) => `${p.protocol}/${p.hostPort}`)).size).toBe(
              result.hostPorts.length,
            )
            if (step.constraints.some((k) => k.type === 'distinctInstance'))
              expect(was.groups.find(([g]) => g === step.group)).toBeUndefined()
            for (const other of candidates) if (other !== c) expect(snapshot(other)).toEqual(before.get(other))
          }
        },
      ),
      {numRuns: 600},
    )
  })

  it('release gives back exactly what place took', () => {
    fc.assert(
      fc.property(
        fc.array(instanceArb, {minLength: 1, maxLength: 6}),
        fc.oneof(fc.array(stepArb, {minLength: 1, maxLength: 10}), stepsArb),
        fc.integer(),
        (specs, steps, seed) => {
          const candidates = toCandidates(specs)
          const initial = candidates.map(snapshot)
          const placer = createPlacerWith(candidates, {random: seededRandom(seed), clusterArn: CLUSTER_ARN, useIndexes})
          const placed: Array<() => void> = []
          for (const step of steps) {
            const result = placer.place({
              demand: step.demand,
              strategies: step.strategies,
              constraints: step.constraints,
              group: step.group,
            })
            if (result.ok)
              placed.push(() =>
                placer.release(result.candidate.containerInstanceArn, step.demand, result.hostPorts, step.group),
              )
          }
          for (const undo of placed.reverse()) undo()
          expect(candidates.map(snapshot)).toEqual(initial)
        },
      ),
      {numRuns: 150},
    )
  })

  it('spread keeps per-value counts within 1 when every instance can take every task', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({min: 1, max: 60}),
        fc.integer(),
        (zones, tasks, seed) => {
          const candidates = zones.map((az) => candidate({az, cpu: 1_000_000, memory: 1_000_000}))
          const placer = createPlacerWith(candidates, {random: seededRandom(seed), clusterArn: CLUSTER_ARN, useIndexes})
          const perZone = new Map<string, number>([...new Set(zones)].map((z) => [z, 0]))
          const perInstance = new Map(candidates.map((c) => [c, 0]))
          for (let t = 0; t < tasks; t++) {
            const result = placer.place({
              demand: demand({cpu: 10, memory: 10}),
              strategies: [
                {type: 'spread', field: 'attribute:ecs.availability-zone'},
                {type: 'spread', field: 'instanceId'},
              ],
              constraints: [],
              group: 'service:web',
            })
            expect(result.ok).toBe(true)
            if (!result.ok) return
            const zone = result.candidate.attributes.get('ecs.availability-zone') as string
            perZone.set(zone, perZone.get(zone)! + 1)
            perInstance.set(result.candidate, perInstance.get(result.candidate)! + 1)
            expect(Math.max(...perZone.values()) - Math.min(...perZone.values())).toBeLessThanOrEqual(1)
            // within each zone, instances stay within 1 of each other too
            for (const z of perZone.keys()) {
              const counts = candidates
                .filter((c) => c.attributes.get('ecs.availability-zone') === z)
                .map((c) => perInstance.get(c)!)
              expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
            }
          }
        },
      ),
      {numRuns: 200},
    )
  })
})
