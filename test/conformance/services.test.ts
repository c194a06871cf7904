import type {Service, Task} from '@aws-sdk/client-ecs'
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {
  ARN_PREFIX,
  allTasks,
  byInstance,
  describeService,
  expectEcsError,
  liveTasks,
  register,
  registerInstance,
  sleepDef,
  stepUntil,
} from './fixtures.js'
import {type BackendUnderTest, openBackendUnderTest, VARIANTS} from './harness.js'

const isRunning = (task: Task) => task.lastStatus === 'RUNNING' && task.desiredStatus === 'RUNNING'
const isLive = (task: Task) => task.desiredStatus === 'RUNNING'

describe.each(VARIANTS)('services (%s)', (variant) => {
  let t: BackendUnderTest
  beforeEach(async () => {
    t = await openBackendUnderTest(variant)
    await t.backend.createCluster({clusterName: 'web'})
  })
  afterEach(async () => {
    await t?.close()
  })

  /** Advance until the service reports desired = running with a single deployment (or give up after `maxMs`). */
  async function settle(name: string, maxMs = 10 * 60_000): Promise<Service> {
    let s = await describeService(t.backend, 'web', name)
    for (let waited = 0; waited < maxMs; waited += 5_000) {
      if (s.deployments?.length === 1 && s.runningCount === s.desiredCount && s.pendingCount === 0) return s
      await t.advance(5_000)
      s = await describeService(t.backend, 'web', name)
    }
    return s
  }

  it('creates a service with one PRIMARY deployment and reaches desiredCount', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 2000})
    const tdArn = await register(t.backend, sleepDef())
    const {service} = await t.backend.createService({
      cluster: 'web',
      serviceName: 'api',
      taskDefinition: 'sleep360',
      desiredCount: 2,
    })
    expect(service).toMatchObject({
      serviceName: 'api',
      status: 'ACTIVE',
      desiredCount: 2,
      taskDefinition: tdArn,
      launchType: 'EC2',
      schedulingStrategy: 'REPLICA',
    })
    expect(service!.serviceArn).toMatch(ARN_PREFIX)
    expect(service!.serviceArn).toMatch(/:service\/web\/api$/)
    expect(service!.deploymentConfiguration).toMatchObject({maximumPercent: 200, minimumHealthyPercent: 100})
    expect(service!.deployments).toHaveLength(1)
    const deployment = service!.deployments![0]
    expect(deployment.status).toBe('PRIMARY')
    expect(deployment.id).toMatch(/^ecs-svc\/\d{19}$/)
    expect(service!.createdAt).toBeInstanceOf(Date)

    const steady = await settle('api')
    expect(steady).toMatchObject({runningCount: 2, pendingCount: 0})
    const tasks = await liveTasks(t.backend, 'web', {serviceName: 'api'})
    expect(tasks).toHaveLength(2)
    for (const task of tasks)
      expect(task).toMatchObject({group: 'service:api', startedBy: deployment.id, lastStatus: 'RUNNING'})
    const messages = steady.events!.map((e) => e.message)
    expect(
      messages.some((m) =>
        /^\(service api\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m ?? ''),
      ),
    ).toBe(true)
    expect((await t.backend.listServices({cluster: 'web'})).serviceArns).toEqual([service!.serviceArn])
  })

  it('rejects a duplicate service name and a deregistered task definition (spec §10.21)', async () => {
    await register(t.backend, sleepDef())
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 0})
    await expectEcsError(
      t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360:1', desiredCount: 1}),
      'InvalidParameterException',
    )
    await register(t.backend, sleepDef('gone'))
    await t.backend.deregisterTaskDefinition({taskDefinition: 'gone:1'})
    await expect(
      t.backend.createService({cluster: 'web', serviceName: 'other', taskDefinition: 'gone:1', desiredCount: 1}),
    ).rejects.toMatchObject({
      name: expect.stringMatching(/^(ClientException|InvalidParameterException)$/),
    })
  })

  it('scales out and in with UpdateService, and replaces a stopped task', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 2000})
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000002', memory: 2000})
    await register(t.backend, sleepDef())
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 1})
    await settle('api')
    const scaled = await t.backend.updateService({cluster: 'web', service: 'api', desiredCount: 4})
    expect(scaled.service!.desiredCount).toBe(4)
    expect(scaled.service!.deployments).toHaveLength(1)
    expect((await settle('api')).runningCount).toBe(4)
    expect([...byInstance(await liveTasks(t.backend, 'web', {serviceName: 'api'})).values()].sort()).toEqual([2, 2])

    const [victim] = await liveTasks(t.backend, 'web', {serviceName: 'api'})
    await t.backend.stopTask({cluster: 'web', task: victim.taskArn!})
    const healed = await settle('api')
    expect(healed.runningCount).toBe(4)
    const live = await liveTasks(t.backend, 'web', {serviceName: 'api'})
    expect(live.map((x) => x.taskArn)).not.toContain(victim.taskArn)

    await t.backend.updateService({cluster: 'web', service: 'api', desiredCount: 1})
    expect((await settle('api')).runningCount).toBe(1)
    expect(await liveTasks(t.backend, 'web', {serviceName: 'api'})).toHaveLength(1)
  })

  it('replaces a task whose essential container exits', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 2000})
    await register(t.backend, sleepDef())
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 1})
    await settle('api')
    const [first] = await liveTasks(t.backend, 'web', {serviceName: 'api'})
    await t.controls.failTask('web', first.taskArn!, 1)
    const s = await settle('api')
    expect(s.runningCount).toBe(1)
    const [second] = await liveTasks(t.backend, 'web', {serviceName: 'api'})
    expect(second.taskArn).not.toBe(first.taskArn)
  })

  it('rolls out a new revision within maximumPercent/minimumHealthyPercent (min 50, max 100: stop first; spec §10.12)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 4000})
    const v1 = await register(t.backend, sleepDef())
    const v2 = await register(t.backend, sleepDef('sleep360', {memory: 20}))
    await t.backend.createService({
      cluster: 'web',
      serviceName: 'api',
      taskDefinition: v1,
      desiredCount: 4,
      deploymentConfiguration: {minimumHealthyPercent: 50, maximumPercent: 100},
    })
    await settle('api')
    const updated = await t.backend.updateService({cluster: 'web', service: 'api', taskDefinition: v2})
    expect(updated.service!.deployments!.map((d) => d.status).sort()).toEqual(['ACTIVE', 'PRIMARY'])
    expect(updated.service!.deployments!.find((d) => d.status === 'PRIMARY')!.taskDefinition).toBe(v2)

    let sawStopFirst = false
    const finished = await stepUntil(t.advance, 5 * 60_000, 500, async () => {
      const tasks = await allTasks(t.backend, 'web', {serviceName: 'api'})
      const live = tasks.filter(isLive)
      expect(live.length).toBeLessThanOrEqual(4) // floor(4 × 100%)
      expect(tasks.filter(isRunning).length).toBeGreaterThanOrEqual(2) // ceil(4 × 50%)
      // "stop first": half the old tasks are already told to stop while no new task is RUNNING yet
      const oldLive = live.filter((x) => x.taskDefinitionArn === v1).length
      if (oldLive === 2 && !live.some((x) => x.taskDefinitionArn === v2 && x.lastStatus === 'RUNNING'))
        sawStopFirst = true
      return live.length === 4 && live.every((x) => x.taskDefinitionArn === v2 && x.lastStatus === 'RUNNING')
    })
    expect(finished).toBe(true)
    expect(sawStopFirst).toBe(true)
    const done = await settle('api')
    expect(done.deployments).toHaveLength(1)
    expect(done.taskDefinition).toBe(v2)
    const live = await liveTasks(t.backend, 'web', {serviceName: 'api'})
    expect(live.map((x) => x.taskDefinitionArn)).toEqual([v2, v2, v2, v2])
  })

  it('starts all replacements first with max 200 / min 100 when capacity allows (spec §10.12)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 4000})
    const v1 = await register(t.backend, sleepDef())
    const v2 = await register(t.backend, sleepDef('sleep360', {memory: 20}))
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: v1, desiredCount: 4})
    await settle('api')
    await t.backend.updateService({cluster: 'web', service: 'api', taskDefinition: v2})
    let maxLive = 0
    const finished = await stepUntil(t.advance, 5 * 60_000, 500, async () => {
      const tasks = await allTasks(t.backend, 'web', {serviceName: 'api'})
      const live = tasks.filter(isLive)
      maxLive = Math.max(maxLive, live.length)
      expect(live.length).toBeLessThanOrEqual(8)
      expect(tasks.filter(isRunning).length).toBeGreaterThanOrEqual(4)
      return live.length === 4 && live.every((x) => x.taskDefinitionArn === v2 && x.lastStatus === 'RUNNING')
    })
    expect(finished).toBe(true)
    expect(maxLive).toBe(8)
    const done = await settle('api')
    expect(done.taskDefinition).toBe(v2)
    expect(done.deployments).toHaveLength(1)
  })

  it('drains an instance: replacements start elsewhere before the old tasks stop; standalone tasks stay (spec §10.13)', async () => {
    const a = await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000001',
      az: 'us-east-1a',
      memory: 4000,
    })
    await register(t.backend, sleepDef())
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 4})
    await settle('api')
    const standalone = (await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})).tasks![0]
    const b = await registerInstance(t.backend, 'web', {
      instanceId: 'i-0000000000000002',
      az: 'us-east-1b',
      memory: 4000,
    })
    await t.backend.updateContainerInstancesState({
      cluster: 'web',
      containerInstances: [a.containerInstanceArn!],
      status: 'DRAINING',
    })

    const finished = await stepUntil(t.advance, 3 * 60_000, 500, async () => {
      const tasks = await allTasks(t.backend, 'web', {serviceName: 'api'})
      expect(tasks.filter(isRunning).length).toBeGreaterThanOrEqual(4) // minimumHealthyPercent 100
      const live = tasks.filter(isLive)
      expect(live.length).toBeLessThanOrEqual(8)
      return (
        live.length === 4 &&
        live.every((x) => x.containerInstanceArn === b.containerInstanceArn && x.lastStatus === 'RUNNING')
      )
    })
    expect(finished).toBe(true)
    await settle('api')
    const live = await liveTasks(t.backend, 'web', {serviceName: 'api'})
    expect(live).toHaveLength(4)
    for (const task of live) expect(task.containerInstanceArn).toBe(b.containerInstanceArn)
    const stillThere = (await t.backend.describeTasks({cluster: 'web', tasks: [standalone.taskArn!]})).tasks![0]
    expect(stillThere).toMatchObject({lastStatus: 'RUNNING', containerInstanceArn: a.containerInstanceArn})
  })

  it('runs a DAEMON service: one task per ACTIVE instance, follows new and draining instances (spec §10.14)', async () => {
    const a = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000002'})
    await register(t.backend, sleepDef())
    await t.backend.createService({
      cluster: 'web',
      serviceName: 'agent',
      taskDefinition: 'sleep360',
      schedulingStrategy: 'DAEMON',
    })
    await t.advance(60_000)
    let live = await liveTasks(t.backend, 'web', {serviceName: 'agent'})
    expect(live).toHaveLength(2)
    expect(new Set(live.map((x) => x.containerInstanceArn)).size).toBe(2)

    const c = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000003'})
    await t.advance(60_000)
    live = await liveTasks(t.backend, 'web', {serviceName: 'agent'})
    expect(live).toHaveLength(3)
    expect(live.some((x) => x.containerInstanceArn === c.containerInstanceArn)).toBe(true)

    await t.backend.updateContainerInstancesState({
      cluster: 'web',
      containerInstances: [a.containerInstanceArn!],
      status: 'DRAINING',
    })
    await t.advance(120_000)
    live = await liveTasks(t.backend, 'web', {serviceName: 'agent'})
    expect(live).toHaveLength(2)
    expect(live.some((x) => x.containerInstanceArn === a.containerInstanceArn)).toBe(false)
  })

  it('balances a REPLICA service over availability zones by default, and scales in from the fullest zone (spec §10.11)', async () => {
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
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 3})
    await settle('api')
    let counts = byInstance(await liveTasks(t.backend, 'web', {serviceName: 'api'}))
    expect([a, b, c].map((x) => counts.get(x.containerInstanceArn!) ?? 0)).toEqual([1, 1, 1])

    await t.backend.updateService({cluster: 'web', service: 'api', desiredCount: 5})
    await settle('api')
    counts = byInstance(await liveTasks(t.backend, 'web', {serviceName: 'api'}))
    expect([a, b, c].map((x) => counts.get(x.containerInstanceArn!) ?? 0).sort()).toEqual([1, 2, 2])

    await t.backend.updateService({cluster: 'web', service: 'api', desiredCount: 3})
    await settle('api')
    counts = byInstance(await liveTasks(t.backend, 'web', {serviceName: 'api'}))
    expect([a, b, c].map((x) => counts.get(x.containerInstanceArn!) ?? 0)).toEqual([1, 1, 1])
  })

  it('emits the "unable to place" event when tasks cannot be placed (spec §10.8)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await register(t.backend, sleepDef('static', {port: {containerPort: 80, hostPort: 80, protocol: 'tcp'}}))
    await t.backend.createService({cluster: 'web', serviceName: 'web80', taskDefinition: 'static', desiredCount: 2})
    await t.advance(60_000)
    const s = await describeService(t.backend, 'web', 'web80')
    expect(s.runningCount).toBe(1)
    expect(
      s.events!.some((e) =>
        e.message?.startsWith(
          '(service web80) was unable to place a task because no container instance met all of its requirements.',
        ),
      ),
    ).toBe(true)
  })

  it('deletes: refused while desiredCount > 0 unless forced; DRAINING then INACTIVE, unlisted but describable (spec §10.22)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 2000})
    await register(t.backend, sleepDef())
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 2})
    await settle('api')
    await expect(t.backend.deleteService({cluster: 'web', service: 'api'})).rejects.toMatchObject({
      name: expect.stringMatching(/Exception$/),
    })
    const deleted = await t.backend.deleteService({cluster: 'web', service: 'api', force: true})
    expect(deleted.service!.status).toBe('DRAINING')
    expect((await t.backend.listServices({cluster: 'web'})).serviceArns).toEqual([])
    expect((await describeService(t.backend, 'web', 'api')).status).toBe('DRAINING')
    await expectEcsError(
      t.backend.updateService({cluster: 'web', service: 'api', desiredCount: 1}),
      'ServiceNotActiveException',
      'Service was not ACTIVE.',
    )
    await t.advance(120_000)
    expect((await describeService(t.backend, 'web', 'api')).status).toBe('INACTIVE')
    expect(await liveTasks(t.backend, 'web', {serviceName: 'api'})).toEqual([])
    // A name whose service is INACTIVE can be used again.
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 0})
  })

  it('keeps running and can scale when its task definition is deregistered (spec §10.21)', async () => {
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001', memory: 2000})
    const arn = await register(t.backend, sleepDef())
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: arn, desiredCount: 1})
    await settle('api')
    await t.backend.deregisterTaskDefinition({taskDefinition: arn})
    await t.backend.updateService({cluster: 'web', service: 'api', desiredCount: 3})
    const s = await settle('api')
    expect(s.runningCount).toBe(3)
    expect(s.taskDefinition).toBe(arn)
  })

  it('answers ServiceNotFoundException and MISSING failures for unknown services', async () => {
    await expectEcsError(
      t.backend.updateService({cluster: 'web', service: 'ghost', desiredCount: 1}),
      'ServiceNotFoundException',
    )
    await expectEcsError(t.backend.deleteService({cluster: 'web', service: 'ghost'}), 'ServiceNotFoundException')
    const out = await t.backend.describeServices({cluster: 'web', services: ['ghost']})
    expect(out.services).toEqual([])
    expect(out.failures![0].reason).toBe('MISSING')
    expect(out.failures![0].arn).toMatch(/:service\/web\/ghost$/)
  })
})
