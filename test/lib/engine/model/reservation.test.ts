// Spec §10 item 10 / guide p. 345: cluster reservation = Σ reserved by tasks / Σ registered, from what the engine
// reports in DescribeContainerInstances (registered − remaining), over ACTIVE and DRAINING instances.
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'
import type {ContainerInstance} from '@aws-sdk/client-ecs'

import {identity, openTestEngine, type TestEngine} from '../engine-helpers.js'

let t: TestEngine
beforeEach(() => {
  t = openTestEngine()
})
afterEach(() => t.cleanup())

const value = (ci: ContainerInstance, which: 'registeredResources' | 'remainingResources', name: string): number =>
  ci[which]?.find((r) => r.name === name)?.integerValue ?? Number.NaN

describe('cluster reservation (guide p. 345 worked example)', () => {
  it('ten 1024-CPU / 2048-MiB tasks on a c4.4xlarge + c4.large reserve 55 % of CPU and 60 % of memory', async () => {
    const e = t.engine
    await e.call('createCluster', {clusterName: 'metrics'})
    for (const [type, az] of [
      ['c4.4xlarge', 'us-east-1a'],
      ['c4.large', 'us-east-1b'],
    ] as const) {
      await e.call('registerContainerInstance', {cluster: 'metrics', instanceIdentityDocument: identity(type, az)})
    }
    await e.call('registerTaskDefinition', {
      family: 'reserve',
      containerDefinitions: [{name: 'app', image: 'busybox', cpu: 1024, memory: 2048, essential: true}],
    })
    const run = await e.call('runTask', {
      cluster: 'metrics',
      taskDefinition: 'reserve',
      count: 10,
      placementStrategy: [{type: 'binpack', field: 'memory'}],
    })
    expect(run.failures).toEqual([])
    expect(run.tasks).toHaveLength(10)

    const arns = (await e.call('listContainerInstances', {cluster: 'metrics'})).containerInstanceArns ?? []
    const instances =
      (await e.call('describeContainerInstances', {cluster: 'metrics', containerInstances: arns})).containerInstances ??
      []
    const sum = (f: (ci: ContainerInstance) => number) => instances.reduce((acc, ci) => acc + f(ci), 0)
    const registeredCpu = sum((ci) => value(ci, 'registeredResources', 'CPU'))
    const registeredMemory = sum((ci) => value(ci, 'registeredResources', 'MEMORY'))
    const reservedCpu = registeredCpu - sum((ci) => value(ci, 'remainingResources', 'CPU'))
    const reservedMemory = registeredMemory - sum((ci) => value(ci, 'remainingResources', 'MEMORY'))

    expect([registeredCpu, registeredMemory]).toEqual([18432, 33926])
    expect([reservedCpu, reservedMemory]).toEqual([10240, 20480])
    expect(Math.floor((100 * reservedCpu) / registeredCpu)).toBe(55)
    expect(Math.floor((100 * reservedMemory) / registeredMemory)).toBe(60)

    // stopping the tasks gives every unit back
    for (const task of run.tasks ?? []) await e.call('stopTask', {cluster: 'metrics', task: task.taskArn!})
    await e.advance(60_000)
    const after =
      (await e.call('describeContainerInstances', {cluster: 'metrics', containerInstances: arns})).containerInstances ??
      []
    expect(after.map((ci) => value(ci, 'remainingResources', 'CPU')).sort()).toEqual(
      after.map((ci) => value(ci, 'registeredResources', 'CPU')).sort(),
    )
    expect(after.map((ci) => value(ci, 'remainingResources', 'MEMORY')).sort()).toEqual(
      after.map((ci) => value(ci, 'registeredResources', 'MEMORY')).sort(),
    )
  })
})
