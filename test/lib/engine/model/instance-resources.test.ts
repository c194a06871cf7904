// Instance resource bookkeeping (model/instance-resources.ts) and instance resolution (model/instances.ts), called
// inside engine transactions on instances registered through the API.
import type {ContainerInstance} from '@aws-sdk/client-ecs'
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {
  loadCandidates,
  releaseFromInstance,
  reserveOnInstance,
  type Reservation,
} from '../../../../src/lib/engine/model/instance-resources.js'
import {getInstance} from '../../../../src/lib/engine/model/instances.js'
import type {TaskDemand} from '../../../../src/lib/engine/placement/types.js'
import {identity, openTestEngine, type TestEngine} from '../engine-helpers.js'

const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:000000000000:cluster/dev'
const DEFAULT_PORTS = ['22', '2375', '2376', '51678', '51679', '51680']

const demand = (extra: Partial<TaskDemand> = {}): TaskDemand => ({
  cpu: 0,
  memory: 0,
  gpu: 0,
  staticPorts: [],
  dynamicPorts: [],
  needsEni: false,
  requiresAttributes: [],
  ...extra,
})

describe('instance resources and lookups', () => {
  let t: TestEngine
  const register = (instanceType = 't2.micro', az = 'us-east-1a'): ContainerInstance =>
    t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity(instanceType, az),
    }).containerInstance!
  const describeOne = (ref: string) =>
    t.engine.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [ref]}).containerInstances![0]

  beforeEach(() => {
    t = openTestEngine()
    t.engine.callSync('createCluster', {clusterName: 'dev'})
  })
  afterEach(() => t.cleanup())

  it('reserveOnInstance / releaseFromInstance keep the books exactly (property)', () => {
    const arn = register('c5.large').containerInstanceArn!
    const registered = describeOne(arn)
    const reservationArb = fc.record({
      cpu: fc.integer({min: 0, max: 64}),
      memory: fc.integer({min: 0, max: 64}),
      staticTcp: fc.option(fc.integer({min: 1000, max: 1100}), {nil: undefined}),
      staticUdp: fc.option(fc.integer({min: 1000, max: 1100}), {nil: undefined}),
      dynamic: fc.integer({min: 0, max: 2}),
      eni: fc.boolean(),
      group: fc.constantFrom('family:a', 'service:b'),
    })
    fc.assert(
      fc.property(fc.array(reservationArb, {minLength: 1, maxLength: 8}), (specs) => {
        const reservations: Reservation[] = specs.map((s, i) => {
          const staticPorts = [
            ...(s.staticTcp ? [{port: s.staticTcp, protocol: 'tcp' as const}] : []),
            ...(s.staticUdp ? [{port: s.staticUdp, protocol: 'udp' as const}] : []),
          ]
          const dynamicPorts = Array.from({length: s.dynamic}, () => ({protocol: 'tcp' as const}))
          return {
            demand: demand({cpu: s.cpu, memory: s.memory, staticPorts, dynamicPorts, needsEni: s.eni}),
            hostPorts: [
              ...staticPorts.map((p) => ({hostPort: p.port, protocol: p.protocol})),
              ...dynamicPorts.map((_, j) => ({hostPort: 40000 + i * 10 + j, protocol: 'tcp' as const})),
            ],
            group: s.group,
          }
        })
        const before = t.engine.transaction((_ops, ctx) => loadCandidates(ctx, CLUSTER_ARN))[0]
        t.engine.transaction((_ops, ctx) => reservations.forEach((r) => reserveOnInstance(ctx, arn, r)))
        try {
          const candidate = t.engine.transaction((_ops, ctx) => loadCandidates(ctx, CLUSTER_ARN))[0]
          expect(candidate.remainingCpu).toBe(before.remainingCpu - specs.reduce((s, r) => s + r.cpu, 0))
          expect(candidate.remainingMemory).toBe(before.remainingMemory - specs.reduce((s, r) => s + r.memory, 0))
          expect(candidate.runningTasksCount).toBe(specs.length)
          expect(candidate.freeEniSlots).toBe(before.freeEniSlots - specs.filter((s) => s.eni).length)
          for (const r of reservations)
            for (const p of r.hostPorts)
              expect((p.protocol === 'udp' ? candidate.udpPortsInUse : candidate.tcpPortsInUse).has(p.hostPort)).toBe(
                true,
              )
          expect([...candidate.taskGroups.values()].reduce((a, b) => a + b, 0)).toBe(specs.length)
        } finally {
          t.engine.transaction((_ops, ctx) =>
            [...reservations].reverse().forEach((r) => releaseFromInstance(ctx, arn, r)),
          )
        }
        const after = describeOne(arn)
        expect(after.remainingResources).toEqual(registered.remainingResources)
        const back = t.engine.transaction((_ops, ctx) => loadCandidates(ctx, CLUSTER_ARN))[0]
        expect(back.remainingCpu).toBe(2048)
        expect(back.freeEniSlots).toBe(2)
        expect(back.runningTasksCount).toBe(0)
        expect(back.taskGroups.size).toBe(0)
        expect(back.tcpPortsInUse).toEqual(new Set(DEFAULT_PORTS.map(Number)))
      }),
      {numRuns: 40},
    )
  })

  it('loadCandidates exposes attributes, status and agent state; getInstance resolves every reference form', () => {
    const a = register('t2.micro', 'us-east-1a')
    const b = register('t2.micro', 'us-east-1b')
    t.engine.callSync('updateContainerInstancesState', {
      cluster: 'dev',
      containerInstances: [b.containerInstanceArn!],
      status: 'DRAINING',
    })
    const candidates = t.engine.transaction((_ops, ctx) => loadCandidates(ctx, CLUSTER_ARN))
    expect(candidates.map((c) => [c.containerInstanceArn, c.status, c.agentConnected])).toEqual([
      [a.containerInstanceArn, 'ACTIVE', true],
      [b.containerInstanceArn, 'DRAINING', true],
    ])
    expect(candidates[0].attributes.get('ecs.availability-zone')).toBe('us-east-1a')
    expect(candidates[0].containerInstanceId).toBe(a.containerInstanceArn!.split('/').pop())
    t.engine.transaction((_ops, ctx) => {
      expect(getInstance(ctx, CLUSTER_ARN, a.ec2InstanceId!)?.containerInstanceArn).toBe(a.containerInstanceArn)
      expect(getInstance(ctx, CLUSTER_ARN, a.containerInstanceArn!.split('/').pop()!)?.containerInstanceArn).toBe(
        a.containerInstanceArn,
      )
      expect(getInstance(ctx, CLUSTER_ARN, a.containerInstanceArn!)?.containerInstanceArn).toBe(a.containerInstanceArn)
      expect(
        getInstance(ctx, 'arn:aws:ecs:us-east-1:000000000000:cluster/other', a.containerInstanceArn!),
      ).toBeUndefined()
    })
  })
})
