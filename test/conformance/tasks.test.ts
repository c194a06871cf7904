import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {
  ARN_PREFIX,
  byInstance,
  container,
  describeTask,
  expectEcsError,
  liveTasks,
  register,
  registerInstance,
  sleepDef,
} from './fixtures.js'
import {type BackendUnderTest, openBackendUnderTest, VARIANTS} from './harness.js'

describe.each(VARIANTS)('tasks: RunTask, StartTask, StopTask and placement (%s)', (variant) => {
  let t: BackendUnderTest
  beforeEach(async () => {
    t = await openBackendUnderTest(variant)
    await t.backend.createCluster({clusterName: 'web'})
  })
  afterEach(async () => {
    await t?.close()
  })

  it('runs a task PENDING, then RUNNING after the start delay (spec §10.7)', async () => {
    const ci = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    const tdArn = await register(t.backend, sleepDef())
    const {tasks, failures} = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'sleep360:1',
      startedBy: 'conformance',
    })
    expect(failures).toEqual([])
    expect(tasks).toHaveLength(1)
    const task = tasks![0]
    expect(task.taskArn).toMatch(ARN_PREFIX)
    expect(task.taskArn).toMatch(/:task\/web\/[0-9a-f]{32}$/)
    expect(task).toMatchObject({
      lastStatus: 'PENDING',
      desiredStatus: 'RUNNING',
      taskDefinitionArn: tdArn,
      containerInstanceArn: ci.containerInstanceArn,
      group: 'family:sleep360',
      startedBy: 'conformance',
      launchType: 'EC2',
    })
    expect(task.createdAt).toBeInstanceOf(Date)
    expect(task.containers).toHaveLength(1)
    expect(task.containers![0]).toMatchObject({name: 'sleep', lastStatus: 'PENDING'})

    await t.advance(30_000)
    const running = await describeTask(t.backend, 'web', task.taskArn!)
    expect(running.lastStatus).toBe('RUNNING')
    expect(running.containers![0].lastStatus).toBe('RUNNING')
    expect(running.startedAt).toBeInstanceOf(Date)
    expect(running.startedAt!.getTime()).toBeGreaterThanOrEqual(task.createdAt!.getTime())
  })

  it('accepts count 1–10 and rejects 11 (spec §10.20)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', cpu: 4096, memory: 8000})
    await register(t.backend, sleepDef())
    await expectEcsError(
      t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360', count: 11}),
      'InvalidParameterException',
    )
    await expectEcsError(
      t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360', count: 0}),
      'InvalidParameterException',
    )
    const ten = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360', count: 10})
    expect(ten.tasks).toHaveLength(10)
  })

  it('places one static-port task per instance and reports the rest as RESOURCE:PORTS (spec §10.8)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await register(t.backend, sleepDef('static', {port: {containerPort: 80, hostPort: 80, protocol: 'tcp'}}))
    const out = await t.backend.runTask({cluster: 'web', taskDefinition: 'static', count: 2})
    expect(out.tasks).toHaveLength(1)
    expect(out.failures).toHaveLength(1)
    expect(out.failures![0].reason).toBe('RESOURCE:PORTS')

    await register(t.backend, sleepDef('dynamic', {port: {containerPort: 80, hostPort: 0, protocol: 'tcp'}}))
    const dyn = await t.backend.runTask({cluster: 'web', taskDefinition: 'dynamic', count: 2})
    expect(dyn.tasks).toHaveLength(2)
    expect(dyn.failures).toEqual([])
    await t.advance(30_000)
    const ports = (await liveTasks(t.backend, 'web')).flatMap((task) =>
      task.containers!.flatMap((c) => c.networkBindings ?? []).map((nb) => nb.hostPort),
    )
    expect(new Set(ports).size).toBe(3)
    expect(ports).toContain(80)
  })

  it('fits one 1000 MiB task per 1024 MiB instance; the third is RESOURCE:MEMORY (spec §10.9)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 1024})
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000002', memory: 1024})
    await register(t.backend, sleepDef('big', {memory: 1000}))
    const out = await t.backend.runTask({cluster: 'web', taskDefinition: 'big', count: 3})
    expect(out.tasks).toHaveLength(2)
    expect(new Set(out.tasks!.map((x) => x.containerInstanceArn)).size).toBe(2)
    expect(out.failures).toHaveLength(1)
    expect(out.failures![0].reason).toBe('RESOURCE:MEMORY')

    await register(t.backend, sleepDef('cpu-heavy', {cpu: 1000, memory: 10}))
    const cpu = await t.backend.runTask({cluster: 'web', taskDefinition: 'cpu-heavy', count: 3})
    expect(cpu.tasks).toHaveLength(2)
    expect(cpu.failures![0].reason).toBe('RESOURCE:CPU')
  })

  it('reports a failure when the cluster has no instances', async () => {
    await register(t.backend, sleepDef())
    const out = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    expect(out.tasks).toEqual([])
    expect(out.failures).toHaveLength(1)
    expect(out.failures![0].reason).toEqual(expect.any(String))
  })

  it('binpacks on memory: fills the instance with the least remaining memory first', async () => {
    const roomy = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 4000})
    const tight = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000002', memory: 1000})
    await register(t.backend, sleepDef('mem300', {memory: 300}))
    const out = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'mem300',
      count: 4,
      placementStrategy: [{type: 'binpack', field: 'memory'}],
    })
    const counts = byInstance(out.tasks!)
    expect(counts.get(tight.containerInstanceArn!)).toBe(3)
    expect(counts.get(roomy.containerInstanceArn!)).toBe(1)
  })

  it('spreads over instances and over availability zones', async () => {
    const a = await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000001',
      az: 'us-east-1a',
      memory: 4000,
    })
    const b = await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000002',
      az: 'us-east-1b',
      memory: 4000,
    })
    const c = await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000003',
      az: 'us-east-1c',
      memory: 4000,
    })
    await register(t.backend, sleepDef())
    const byHost = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'sleep360',
      count: 6,
      group: 'spread-host',
      placementStrategy: [{type: 'spread', field: 'instanceId'}],
    })
    expect([...byInstance(byHost.tasks!).values()]).toEqual([2, 2, 2])

    const byAz = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'sleep360',
      count: 3,
      group: 'spread-az',
      placementStrategy: [{type: 'spread', field: 'attribute:ecs.availability-zone'}],
    })
    expect(new Set(byAz.tasks!.map((x) => x.containerInstanceArn))).toEqual(
      new Set([a, b, c].map((x) => x.containerInstanceArn)),
    )
  })

  it('honours memberOf and distinctInstance constraints', async () => {
    const t2 = await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000001',
      instanceType: 't2.small',
      memory: 1995,
    })
    await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000002',
      instanceType: 'm5.large',
      cpu: 2048,
      memory: 7800,
    })
    await register(t.backend, sleepDef())
    const member = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'sleep360',
      count: 3,
      placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*'}],
    })
    expect(member.tasks!.map((x) => x.containerInstanceArn)).toEqual([
      t2.containerInstanceArn,
      t2.containerInstanceArn,
      t2.containerInstanceArn,
    ])

    const none = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'sleep360',
      placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type == p2.xlarge'}],
    })
    expect(none.tasks).toEqual([])
    expect(none.failures).toHaveLength(1)

    const distinct = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'sleep360',
      count: 3,
      group: 'one-per-host',
      placementConstraints: [{type: 'distinctInstance'}],
    })
    expect(distinct.tasks).toHaveLength(2)
    expect(new Set(distinct.tasks!.map((x) => x.containerInstanceArn)).size).toBe(2)
    expect(distinct.failures).toHaveLength(1)
  })

  it("limits awsvpc tasks by the instance's ENIs: c5.large runs two, the third is RESOURCE:ENI (spec §10.25)", async () => {
    await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000001',
      instanceType: 'c5.large',
      cpu: 2048,
      memory: 3800,
    })
    await register(t.backend, {
      family: 'vpc',
      networkMode: 'awsvpc',
      containerDefinitions: [container('app', {portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}]})],
    })
    const out = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'vpc',
      count: 3,
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-0123456789abcdef0']}},
    })
    expect(out.tasks).toHaveLength(2)
    expect(out.failures).toHaveLength(1)
    expect(out.failures![0].reason).toBe('RESOURCE:ENI')
  })

  it('StartTask places on the named instance; unknown instances are MISSING failures', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    const b = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000002'})
    await register(t.backend, sleepDef())
    const out = await t.backend.startTask({
      cluster: 'web',
      taskDefinition: 'sleep360',
      containerInstances: [b.containerInstanceArn!],
      startedBy: 'me',
    })
    expect(out.tasks).toHaveLength(1)
    expect(out.tasks![0]).toMatchObject({
      containerInstanceArn: b.containerInstanceArn,
      startedBy: 'me',
      lastStatus: 'PENDING',
    })
    const missing = await t.backend.startTask({
      cluster: 'web',
      taskDefinition: 'sleep360',
      containerInstances: ['0123456789abcdef0123456789abcdef'],
    })
    expect(missing.tasks).toEqual([])
    expect(missing.failures![0].reason).toBe('MISSING')
  })

  it('StopTask sets desiredStatus STOPPED at once; the task stops with the given reason and lists as STOPPED', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await register(t.backend, sleepDef())
    const {tasks} = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    await t.advance(30_000)
    const stopped = await t.backend.stopTask({cluster: 'web', task: tasks![0].taskArn!, reason: 'done with it'})
    expect(stopped.task!.desiredStatus).toBe('STOPPED')
    await t.advance(60_000)
    const task = await describeTask(t.backend, 'web', tasks![0].taskArn!)
    expect(task).toMatchObject({lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedReason: 'done with it'})
    expect(task.stoppedAt).toBeInstanceOf(Date)
    expect((await t.backend.listTasks({cluster: 'web'})).taskArns).toEqual([])
    expect((await t.backend.listTasks({cluster: 'web', desiredStatus: 'STOPPED'})).taskArns).toEqual([
      tasks![0].taskArn,
    ])
    // stopping by bare id works too and is idempotent
    await t.backend.stopTask({cluster: 'web', task: tasks![0].taskArn!.split('/').at(-1)!})
  })

  it('stops the task when its essential container exits (spec §10.16)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await register(t.backend, sleepDef())
    const {tasks} = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    await t.advance(30_000)
    await t.controls.failTask('web', tasks![0].taskArn!, 3)
    await t.advance(60_000)
    const task = await describeTask(t.backend, 'web', tasks![0].taskArn!)
    expect(task.lastStatus).toBe('STOPPED')
    expect(task.stoppedReason).toBe('Essential container in task exited')
    expect(task.containers![0]).toMatchObject({lastStatus: 'STOPPED', exitCode: 3})
  })

  it('filters ListTasks by family, startedBy, container instance and group', async () => {
    const a = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 4000})
    const b = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000002', memory: 4000})
    await register(t.backend, sleepDef('one'))
    await register(t.backend, sleepDef('two'))
    const one = await t.backend.startTask({
      cluster: 'web',
      taskDefinition: 'one',
      containerInstances: [a.containerInstanceArn!],
      startedBy: 'alice',
    })
    const two = await t.backend.startTask({
      cluster: 'web',
      taskDefinition: 'two',
      containerInstances: [b.containerInstanceArn!],
      startedBy: 'bob',
      group: 'task:demo',
    })
    const arn1 = one.tasks![0].taskArn
    const arn2 = two.tasks![0].taskArn
    expect((await t.backend.listTasks({cluster: 'web', family: 'one'})).taskArns).toEqual([arn1])
    expect((await t.backend.listTasks({cluster: 'web', startedBy: 'bob'})).taskArns).toEqual([arn2])
    expect((await t.backend.listTasks({cluster: 'web', containerInstance: a.containerInstanceArn})).taskArns).toEqual([
      arn1,
    ])
    expect(two.tasks![0].group).toBe('task:demo')
    expect([...(await t.backend.listTasks({cluster: 'web'})).taskArns!].sort()).toEqual([arn1, arn2].sort())
  })

  it('propagates task definition tags to tasks on request; explicit tags win (spec §1.5)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await register(t.backend, {
      ...sleepDef('tagged'),
      tags: [
        {key: 'team', value: 'blue'},
        {key: 'tier', value: 'back'},
      ],
    })
    const out = await t.backend.runTask({
      cluster: 'web',
      taskDefinition: 'tagged',
      propagateTags: 'TASK_DEFINITION',
      tags: [{key: 'tier', value: 'front'}],
    })
    const described = await t.backend.describeTasks({
      cluster: 'web',
      tasks: [out.tasks![0].taskArn!],
      include: ['TAGS'],
    })
    const tags = Object.fromEntries((described.tasks![0].tags ?? []).map((x) => [x.key, x.value]))
    expect(tags).toMatchObject({team: 'blue', tier: 'front'})
    const listed = await t.backend.listTagsForResource({resourceArn: out.tasks![0].taskArn!})
    expect(Object.fromEntries(listed.tags!.map((x) => [x.key, x.value]))).toMatchObject({team: 'blue', tier: 'front'})

    const plain = await t.backend.runTask({cluster: 'web', taskDefinition: 'tagged'})
    const plainTags = (await t.backend.listTagsForResource({resourceArn: plain.tasks![0].taskArn!})).tags ?? []
    expect(plainTags.filter((x) => !x.key!.startsWith('aws:'))).toEqual([])
  })

  it('reports unknown tasks as MISSING failures and rejects StopTask of an unknown task', async () => {
    const out = await t.backend.describeTasks({cluster: 'web', tasks: ['0123456789abcdef0123456789abcdef']})
    expect(out.tasks).toEqual([])
    expect(out.failures![0].reason).toBe('MISSING')
    await expect(t.backend.stopTask({cluster: 'web', task: '0123456789abcdef0123456789abcdef'})).rejects.toMatchObject({
      name: expect.stringMatching(/^(InvalidParameterException|ClientException)$/),
    })
  })
})
