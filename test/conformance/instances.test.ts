import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {
  ARN_PREFIX,
  describeInstance,
  describeTask,
  liveTasks,
  register,
  registerInstance,
  resource,
  sleepDef,
} from './fixtures.js'
import {type BackendUnderTest, openBackendUnderTest, VARIANTS} from './harness.js'

describe.each(VARIANTS)('container instances and attributes (%s)', (variant) => {
  let t: BackendUnderTest
  beforeEach(async () => {
    t = await openBackendUnderTest(variant)
    await t.backend.createCluster({clusterName: 'web'})
  })
  afterEach(async () => {
    await t?.close()
  })

  it('registers ACTIVE and connected, with the reported resources and built-in attributes (spec §10.7)', async () => {
    const ci = await registerInstance(t.backend, 'web', {
      instanceId: 'i-0123456789abcdef0',
      instanceType: 't2.micro',
      az: 'us-east-1b',
    })
    expect(ci.containerInstanceArn).toMatch(ARN_PREFIX)
    expect(ci.containerInstanceArn).toMatch(/:container-instance\/web\/[0-9a-f]{32}$/)
    expect(ci).toMatchObject({
      ec2InstanceId: 'i-0123456789abcdef0',
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
    })
    expect(resource(ci.registeredResources, 'CPU')?.integerValue).toBe(1024)
    expect(resource(ci.registeredResources, 'MEMORY')?.integerValue).toBe(995)
    expect(resource(ci.registeredResources, 'PORTS')?.stringSetValue).toEqual(
      expect.arrayContaining(['22', '2375', '2376', '51678']),
    )
    expect(resource(ci.remainingResources, 'CPU')?.integerValue).toBe(1024)
    expect(resource(ci.remainingResources, 'MEMORY')?.integerValue).toBe(995)
    const attrs = new Map((ci.attributes ?? []).map((a) => [a.name, a.value]))
    expect(attrs.get('ecs.instance-type')).toBe('t2.micro')
    expect(attrs.get('ecs.availability-zone')).toBe('us-east-1b')
    expect(ci.registeredAt).toBeInstanceOf(Date)

    const listed = await t.backend.listContainerInstances({cluster: 'web'})
    expect(listed.containerInstanceArns).toEqual([ci.containerInstanceArn])
    const described = await describeInstance(t.backend, 'web', ci.containerInstanceArn!.split('/').at(-1)!)
    expect(described.containerInstanceArn).toBe(ci.containerInstanceArn)
  })

  it('filters instances with the cluster query language', async () => {
    const small = await registerInstance(t.backend, 'web', {
      instanceId: 'i-00000000000000a1',
      instanceType: 't2.small',
      az: 'us-east-1a',
      memory: 1995,
    })
    const medium = await registerInstance(t.backend, 'web', {
      instanceId: 'i-00000000000000a2',
      instanceType: 't2.medium',
      az: 'us-east-1b',
      cpu: 2048,
      memory: 3955,
    })
    const gpu = await registerInstance(t.backend, 'web', {
      instanceId: 'i-00000000000000a3',
      instanceType: 'g2.2xlarge',
      az: 'us-east-1d',
      cpu: 8192,
      memory: 15000,
    })
    const list = async (filter: string) =>
      [...((await t.backend.listContainerInstances({cluster: 'web', filter})).containerInstanceArns ?? [])].sort()
    const sorted = (...xs: Array<{containerInstanceArn?: string}>) => xs.map((x) => x.containerInstanceArn!).sort()
    expect(await list('attribute:ecs.instance-type == t2.small')).toEqual(sorted(small))
    expect(await list('attribute:ecs.availability-zone in [us-east-1a, us-east-1b]')).toEqual(sorted(small, medium))
    expect(await list('attribute:ecs.instance-type =~ t2.*')).toEqual(sorted(small, medium))
    expect(await list('attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d')).toEqual(
      [],
    )
    expect(await list("ec2InstanceId in ['i-00000000000000a1', 'i-00000000000000a3']")).toEqual(sorted(small, gpu))
    expect(await list('runningTasksCount == 0')).toEqual(sorted(small, medium, gpu))
  })

  it('puts, lists, filters by and deletes custom attributes', async () => {
    const a = await registerInstance(t.backend, 'web', {instanceId: 'i-00000000000000b1'})
    const b = await registerInstance(t.backend, 'web', {instanceId: 'i-00000000000000b2'})
    await t.backend.putAttributes({
      cluster: 'web',
      attributes: [{name: 'stack', value: 'prod', targetId: a.containerInstanceArn}],
    })
    await t.backend.putAttributes({
      cluster: 'web',
      attributes: [{name: 'stack', value: 'test', targetId: b.containerInstanceArn}],
    })
    const listed = await t.backend.listAttributes({
      cluster: 'web',
      targetType: 'container-instance',
      attributeName: 'stack',
    })
    expect(listed.attributes!.map((x) => [x.targetId, x.value]).sort()).toEqual(
      [
        [a.containerInstanceArn, 'prod'],
        [b.containerInstanceArn, 'test'],
      ].sort(),
    )
    const prod = await t.backend.listAttributes({
      cluster: 'web',
      targetType: 'container-instance',
      attributeName: 'stack',
      attributeValue: 'prod',
    })
    expect(prod.attributes!.map((x) => x.targetId)).toEqual([a.containerInstanceArn])
    const filtered = await t.backend.listContainerInstances({cluster: 'web', filter: 'attribute:stack == prod'})
    expect(filtered.containerInstanceArns).toEqual([a.containerInstanceArn])

    await t.backend.deleteAttributes({cluster: 'web', attributes: [{name: 'stack', targetId: a.containerInstanceArn}]})
    const after = await describeInstance(t.backend, 'web', a.containerInstanceArn!)
    expect(after.attributes!.some((x) => x.name === 'stack')).toBe(false)
    const left = await t.backend.listAttributes({
      cluster: 'web',
      targetType: 'container-instance',
      attributeName: 'stack',
    })
    expect(left.attributes!.map((x) => x.targetId)).toEqual([b.containerInstanceArn])
  })

  it('takes resources when a task is placed (even PENDING) and gives them back when it stops', async () => {
    const ci = await registerInstance(t.backend, 'web', {instanceId: 'i-00000000000000c1'})
    await register(
      t.backend,
      sleepDef('web-app', {cpu: 256, memory: 300, port: {containerPort: 80, hostPort: 8080, protocol: 'tcp'}}),
    )
    const {tasks} = await t.backend.runTask({cluster: 'web', taskDefinition: 'web-app'})
    expect(tasks![0].lastStatus).toBe('PENDING')
    let now = await describeInstance(t.backend, 'web', ci.containerInstanceArn!)
    expect(resource(now.remainingResources, 'CPU')?.integerValue).toBe(1024 - 256)
    expect(resource(now.remainingResources, 'MEMORY')?.integerValue).toBe(995 - 300)
    expect(resource(now.remainingResources, 'PORTS')?.stringSetValue).toContain('8080')
    expect(now.pendingTasksCount).toBe(1)

    await t.advance(30_000)
    now = await describeInstance(t.backend, 'web', ci.containerInstanceArn!)
    expect(now.runningTasksCount).toBe(1)
    expect(now.pendingTasksCount).toBe(0)

    await t.backend.stopTask({cluster: 'web', task: tasks![0].taskArn!})
    await t.advance(60_000)
    now = await describeInstance(t.backend, 'web', ci.containerInstanceArn!)
    expect(resource(now.remainingResources, 'CPU')?.integerValue).toBe(1024)
    expect(resource(now.remainingResources, 'MEMORY')?.integerValue).toBe(995)
    expect(resource(now.remainingResources, 'PORTS')?.stringSetValue).not.toContain('8080')
    expect(now.runningTasksCount).toBe(0)
  })

  it('refuses to deregister an instance with tasks unless forced; forcing stops them (spec §10.15)', async () => {
    const ci = await registerInstance(t.backend, 'web', {instanceId: 'i-00000000000000d1'})
    await register(t.backend, sleepDef())
    const {tasks} = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    await t.advance(30_000)
    await expect(
      t.backend.deregisterContainerInstance({cluster: 'web', containerInstance: ci.containerInstanceArn!}),
    ).rejects.toMatchObject({
      name: expect.stringMatching(/Exception$/),
    })
    expect((await describeInstance(t.backend, 'web', ci.containerInstanceArn!)).status).toBe('ACTIVE')

    const out = await t.backend.deregisterContainerInstance({
      cluster: 'web',
      containerInstance: ci.containerInstanceArn!,
      force: true,
    })
    expect(out.containerInstance!.status).toBe('INACTIVE')
    await t.advance(60_000)
    const task = await describeTask(t.backend, 'web', tasks![0].taskArn!)
    expect(task.lastStatus).toBe('STOPPED')
    expect(task.stoppedReason).toBe('Container instance deregistration forced by user')
    expect((await t.backend.listContainerInstances({cluster: 'web'})).containerInstanceArns).toEqual([])
    expect((await describeInstance(t.backend, 'web', ci.containerInstanceArn!)).status).toBe('INACTIVE')
  })

  it('drains: no new placements, and a standalone task keeps running (spec §3.5)', async () => {
    const a = await registerInstance(t.backend, 'web', {instanceId: 'i-00000000000000e1'})
    await register(t.backend, sleepDef())
    const {tasks} = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    await t.advance(30_000)
    const drained = await t.backend.updateContainerInstancesState({
      cluster: 'web',
      containerInstances: [a.containerInstanceArn!],
      status: 'DRAINING',
    })
    expect(drained.containerInstances![0].status).toBe('DRAINING')
    await t.advance(60_000)
    expect((await describeTask(t.backend, 'web', tasks![0].taskArn!)).lastStatus).toBe('RUNNING')

    const blocked = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    expect(blocked.tasks).toEqual([])
    expect(blocked.failures).toHaveLength(1)

    await t.backend.updateContainerInstancesState({
      cluster: 'web',
      containerInstances: [a.containerInstanceArn!],
      status: 'ACTIVE',
    })
    const placed = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    expect(placed.tasks).toHaveLength(1)
  })

  it('a terminated host stops its tasks with the EC2 reason', async () => {
    const ci = await registerInstance(t.backend, 'web', {instanceId: 'i-00000000000000f1'})
    await register(t.backend, sleepDef())
    const {tasks} = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    await t.advance(30_000)
    await t.controls.killInstance('web', 'i-00000000000000f1')
    await t.advance(60_000)
    const task = await describeTask(t.backend, 'web', tasks![0].taskArn!)
    expect(task.lastStatus).toBe('STOPPED')
    expect(task.stoppedReason).toBe('Host EC2 (instance i-00000000000000f1) stopped/terminated')
    expect((await describeInstance(t.backend, 'web', ci.containerInstanceArn!)).status).toBe('INACTIVE')
    expect(await liveTasks(t.backend, 'web')).toEqual([])
  })

  it('reports unknown instances as MISSING failures', async () => {
    const out = await t.backend.describeContainerInstances({
      cluster: 'web',
      containerInstances: ['0123456789abcdef0123456789abcdef'],
    })
    expect(out.containerInstances).toEqual([])
    expect(out.failures).toHaveLength(1)
    expect(out.failures![0].reason).toBe('MISSING')
  })
})
