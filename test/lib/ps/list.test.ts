import {afterEach, describe, expect, it} from '@jest/globals'

import type {Backend} from '../../../src/lib/ecs/backend.js'
import {localClusterUp} from '../../../src/lib/cluster/local.js'
import {availabilityZones} from '../../../src/lib/cluster/zones.js'
import {DESCRIBE_CHUNK, listProjectTasks, renderTaskTable, taskDefinitionsForPorts} from '../../../src/lib/ps.js'
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

describe('listProjectTasks against the local engine', () => {
  it('filters by group (or the legacy startedBy) and desired status, oldest first', async () => {
    const b = await clusterWithInstances()
    await b.registerTaskDefinition({family: 'shop', containerDefinitions: [{name: 'web', image: 'nginx', memory: 32}]})
    const mine = await b.runTask({cluster: 'c', taskDefinition: 'shop', group: 'task:shop', count: 2})
    const legacy = await b.runTask({cluster: 'c', taskDefinition: 'shop', startedBy: 'shop'})
    await b.runTask({cluster: 'c', taskDefinition: 'shop', group: 'task:other'})
    const found = await listProjectTasks(b, 'c', {group: 'task:shop', startedBy: 'shop'})
    expect(found.map((t) => t.taskArn).sort()).toEqual([...mine.tasks!, ...legacy.tasks!].map((t) => t.taskArn).sort())
    expect((await listProjectTasks(b, 'c', {family: 'shop'})).length).toBe(4)
    await b.stopTask({cluster: 'c', task: mine.tasks![0].taskArn!})
    await b.engine!.advance(60_000)
    expect(
      (await listProjectTasks(b, 'c', {group: 'task:shop', desiredStatus: 'STOPPED'})).map((t) => t.taskArn),
    ).toEqual([mine.tasks![0].taskArn])
    expect((await listProjectTasks(b, 'c', {group: 'task:shop', desiredStatus: 'ALL'})).length).toBe(2)
  })

  it(`describes more than ${DESCRIBE_CHUNK} tasks in chunks`, async () => {
    const b = await clusterWithInstances()
    await b.registerTaskDefinition({
      family: 'tiny',
      containerDefinitions: [{name: 't', image: 'busybox', memory: 4, cpu: 1}],
    })
    for (let i = 0; i < 11; i++) await b.runTask({cluster: 'c', taskDefinition: 'tiny', count: 10})
    const tasks = await listProjectTasks(b, 'c', {})
    expect(tasks).toHaveLength(110)
    expect(new Set(tasks.map((t) => t.taskArn)).size).toBe(110)
  })

  it("renders awsvpc tasks with the ENI address and the task definition's ports", async () => {
    const b = await clusterWithInstances()
    await b.registerTaskDefinition({
      family: 'api',
      networkMode: 'awsvpc',
      containerDefinitions: [{name: 'api', image: 'api', memory: 64, portMappings: [{containerPort: 3000}]}],
    })
    const run = await b.runTask({
      cluster: 'c',
      taskDefinition: 'api',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-1']}},
    })
    expect(run.failures).toEqual([])
    await b.engine!.advance(30_000)
    const tasks = await listProjectTasks(b, 'c', {family: 'api'})
    const ip = tasks[0].containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    const {ui, stdout} = await fakeUi()
    renderTaskTable(ui, tasks, {taskDefinitions: await taskDefinitionsForPorts(b, tasks)})
    expect(stdout.text.split('\n')[1]).toMatch(
      new RegExp(`/api {2}RUNNING {2}${ip!.replaceAll('.', '\\.')}:3000->3000/tcp {2}api:1`),
    )
  })
})
