import {afterEach, describe, expect, it} from '@jest/globals'

import type {Backend} from '../../../src/lib/ecs/backend.js'
import {DESCRIBE_TASKS_CHUNK, findTasks} from '../../../src/lib/ecs/lookups.js'
import {localClusterUp} from '../../../src/lib/infra/local/capacity.js'
import {availabilityZones} from '../../../src/lib/infra/local/zones.js'
import {cleanupTempDirs} from '../../helpers/cli.js'
import {fakeUi} from '../../helpers/fake-terminal.js'
import {openTestBackend} from '../../helpers/local-backend.js'

const backends: Backend[] = []
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close()
  cleanupTempDirs()
})

async function clusterWithInstances(): Promise<Backend> {
  const b = await openTestBackend()
  backends.push(b)
  const {ui} = await fakeUi()
  await localClusterUp(
    b,
    {
      cluster: 'c',
      region: 'us-east-1',
      size: 6,
      instanceType: 'c5.4xlarge',
      launchType: 'EC2',
      empty: false,
      zones: availabilityZones('us-east-1'),
      force: false,
    },
    ui,
  )
  return b
}

describe('findTasks against the local engine', () => {
  it('filters by group (or the legacy startedBy) and desired status, oldest first', async () => {
    const b = await clusterWithInstances()
    await b.registerTaskDefinition({family: 'shop', containerDefinitions: [{name: 'web', image: 'nginx', memory: 32}]})
    const mine = await b.runTask({cluster: 'c', taskDefinition: 'shop', group: 'task:shop', count: 2})
    const legacy = await b.runTask({cluster: 'c', taskDefinition: 'shop', startedBy: 'shop'})
    await b.runTask({cluster: 'c', taskDefinition: 'shop', group: 'task:other'})
    const found = await findTasks(b, 'c', {group: 'task:shop', startedBy: 'shop'})
    expect(found.map((t) => t.taskArn).sort()).toEqual([...mine.tasks!, ...legacy.tasks!].map((t) => t.taskArn).sort())
    expect((await findTasks(b, 'c', {family: 'shop'})).length).toBe(4)
    await b.stopTask({cluster: 'c', task: mine.tasks![0].taskArn!})
    await b.engine!.advance(60_000)
    expect((await findTasks(b, 'c', {group: 'task:shop', desiredStatus: 'STOPPED'})).map((t) => t.taskArn)).toEqual([
      mine.tasks![0].taskArn,
    ])
    expect((await findTasks(b, 'c', {group: 'task:shop', desiredStatus: 'ALL'})).length).toBe(2)
  })

  it(`describes more than ${DESCRIBE_TASKS_CHUNK} tasks in chunks`, async () => {
    const b = await clusterWithInstances()
    await b.registerTaskDefinition({
      family: 'tiny',
      containerDefinitions: [{name: 't', image: 'busybox', memory: 4, cpu: 1}],
    })
    for (let i = 0; i < 11; i++) await b.runTask({cluster: 'c', taskDefinition: 'tiny', count: 10})
    const tasks = await findTasks(b, 'c', {})
    expect(tasks).toHaveLength(110)
    expect(new Set(tasks.map((t) => t.taskArn)).size).toBe(110)
  })
})
