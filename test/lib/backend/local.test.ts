import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it, jest} from '@jest/globals'

import {createLocalBackend} from '../../../src/lib/backend/local.js'
import type {Backend, EcsOperationName} from '../../../src/lib/ecs/backend.js'
import {operationNames} from '../../../src/lib/engine/api/index.js'

const ALL_OPERATIONS: EcsOperationName[] = [
  'createCluster',
  'deleteCluster',
  'describeClusters',
  'listClusters',
  'registerContainerInstance',
  'deregisterContainerInstance',
  'describeContainerInstances',
  'listContainerInstances',
  'updateContainerInstancesState',
  'putAttributes',
  'deleteAttributes',
  'listAttributes',
  'registerTaskDefinition',
  'deregisterTaskDefinition',
  'describeTaskDefinition',
  'listTaskDefinitions',
  'listTaskDefinitionFamilies',
  'runTask',
  'startTask',
  'stopTask',
  'describeTasks',
  'listTasks',
  'createService',
  'updateService',
  'deleteService',
  'describeServices',
  'listServices',
  'tagResource',
  'untagResource',
  'listTagsForResource',
]

describe('local backend', () => {
  let home: string
  let backend: Backend
  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'ecsx-local-'))
    backend = await createLocalBackend({home, region: 'us-east-1', clock: 'manual', env: {}})
  })
  afterEach(async () => {
    await backend.close()
    rmSync(home, {recursive: true, force: true})
  })

  it('implements every ECS operation of the Backend contract', () => {
    expect(backend.kind).toBe('local')
    expect(backend.region).toBe('us-east-1')
    expect([...operationNames].sort()).toEqual([...ALL_OPERATIONS].sort())
    for (const op of ALL_OPERATIONS) expect(typeof backend[op]).toBe('function')
  })

  it('runs a task end to end; sleep advances the manual clock so the task reaches RUNNING', async () => {
    await backend.createCluster({clusterName: 'dev'})
    const instance = (
      await backend.registerContainerInstance({
        cluster: 'dev',
        instanceIdentityDocument: JSON.stringify({instanceType: 't2.micro', availabilityZone: 'us-east-1a'}),
      })
    ).containerInstance!
    await backend.registerTaskDefinition({
      family: 'sleep360',
      containerDefinitions: [{name: 'sleep', image: 'busybox', cpu: 10, memory: 10, command: ['sleep', '360']}],
    })
    const run = await backend.runTask({cluster: 'dev', taskDefinition: 'sleep360:1'})
    expect(run.failures).toEqual([])
    const task = run.tasks![0]
    expect(task).toMatchObject({
      lastStatus: 'PENDING',
      desiredStatus: 'RUNNING',
      containerInstanceArn: instance.containerInstanceArn,
    })
    expect(task.containers![0].lastStatus).toBe('PENDING')
    const before = await backend.engine!.now()
    await backend.sleep(5_000)
    expect(await backend.engine!.now()).toBe(before + 5_000)
    const described = (await backend.describeTasks({cluster: 'dev', tasks: [task.taskArn!]})).tasks![0]
    expect(described.lastStatus).toBe('RUNNING')
    expect(JSON.stringify(described)).not.toMatch(/"_/)
    expect('$metadata' in described).toBe(false)
  })

  it('rejects with ECS error names and messages', async () => {
    await expect(backend.deleteCluster({cluster: 'nope'})).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    })
    await expect(backend.describeTaskDefinition({taskDefinition: 'nope'})).rejects.toMatchObject({
      name: 'ClientException',
    })
  })

  it('engine controls: advance, killInstance and failTask', async () => {
    await backend.createCluster({clusterName: 'dev'})
    const instance = (
      await backend.registerContainerInstance({
        cluster: 'dev',
        instanceIdentityDocument: JSON.stringify({
          instanceType: 't2.micro',
          availabilityZone: 'us-east-1a',
          instanceId: 'i-0000000000000abcd',
        }),
      })
    ).containerInstance!
    await backend.registerTaskDefinition({
      family: 'web',
      containerDefinitions: [{name: 'web', image: 'nginx', memory: 64}],
    })
    const [first, second] = (await backend.runTask({cluster: 'dev', taskDefinition: 'web', count: 2})).tasks!
    expect(await backend.engine!.advance(2_000)).toBe(Date.UTC(2026, 0, 1, 0, 0, 2))
    const failed = await backend.engine!.failTask('dev', first.taskArn!, 3)
    expect(failed.taskArn).toBe(first.taskArn)
    await backend.sleep(10_000)
    const stopped = (await backend.describeTasks({cluster: 'dev', tasks: [first.taskArn!]})).tasks![0]
    expect(stopped.lastStatus).toBe('STOPPED')
    expect(stopped.containers![0].exitCode).toBe(3)
    const killed = await backend.engine!.killInstance('dev', 'i-0000000000000abcd')
    expect(killed.containerInstanceArn).toBe(instance.containerInstanceArn)
    expect(killed.status).toBe('INACTIVE')
    expect(JSON.stringify(killed)).not.toMatch(/"_/)
    await backend.sleep(10_000)
    const other = (await backend.describeTasks({cluster: 'dev', tasks: [second.taskArn!]})).tasks![0]
    expect(other.lastStatus).toBe('STOPPED')
    expect(other.stoppedReason).toBe('Host EC2 (instance i-0000000000000abcd) stopped/terminated')
  })

  it('state persists across backends on the same ECSX_HOME', async () => {
    await backend.createCluster({clusterName: 'kept'})
    await backend.close()
    backend = await createLocalBackend({home, region: 'us-east-1', env: {}})
    expect((await backend.listClusters({})).clusterArns).toEqual(['arn:aws:ecs:us-east-1:000000000000:cluster/kept'])
  })

  it('close is idempotent and later calls fail', async () => {
    await backend.close()
    await backend.close()
    await expect(backend.listClusters({})).rejects.toThrow(/closed/)
    await expect(backend.sleep(1)).rejects.toThrow(/closed/)
  })

  it('with the wall clock, sleep really waits (timers faked here)', async () => {
    await backend.close()
    backend = await createLocalBackend({home, region: 'us-east-1', clock: 'wall', env: {}})
    jest.useFakeTimers({doNotFake: ['performance', 'hrtime', 'Date']})
    try {
      let done = false
      const sleeping = backend.sleep(30_000).then(() => (done = true))
      await Promise.resolve()
      expect(done).toBe(false)
      jest.advanceTimersByTime(30_000)
      await sleeping
      expect(done).toBe(true)
    } finally {
      jest.useRealTimers()
    }
  })
})
