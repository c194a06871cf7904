import {afterEach, describe, expect, it} from '@jest/globals'

import {caught, container, openRig, type Rig} from '../runtime-helpers.js'

let rig: Rig
afterEach(() => rig?.cleanup())

describe('RunTask', () => {
  it('runs a task PENDING → RUNNING after the start delay (spec §10.7)', () => {
    rig = openRig()
    rig.addInstance('t2.micro')
    rig.register('sleep360', [container('sleep', {cpu: 10, memory: 10, command: ['sleep', '360']})])
    const out = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'sleep360:1'})
    expect(out.failures).toEqual([])
    expect(out.tasks).toHaveLength(1)
    const task = out.tasks![0]
    expect(task.lastStatus).toBe('PENDING')
    expect(task.desiredStatus).toBe('RUNNING')
    expect(task.containers![0].lastStatus).toBe('PENDING')
    expect(task.group).toBe('family:sleep360')
    rig.advance(999)
    expect(rig.tasks()[0].lastStatus).toBe('PENDING')
    rig.advance(1)
    const running = rig.tasks()[0]
    expect(running.lastStatus).toBe('RUNNING')
    expect(running.containers![0].lastStatus).toBe('RUNNING')
    expect(running.startedAt).toBeInstanceOf(Date)
  })

  it('rejects count 11 and accepts 10 (spec §10.20)', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    rig.register('tiny', [container('c', {memory: 10})])
    const error = caught(() => rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'tiny', count: 11}))
    expect(error.name).toBe('InvalidParameterException')
    const ok = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'tiny', count: 10})
    expect(ok.tasks).toHaveLength(10)
  })
})

describe('RunTask placement, networking and overrides', () => {
  it('returns placed tasks and one failure per unplaced task (partial success)', () => {
    rig = openRig()
    const instance = rig.addInstance('t2.micro')
    rig.register('big', [container('app', {memory: 400})])
    const out = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'big', count: 3})
    expect(out.tasks).toHaveLength(2)
    expect(out.failures).toEqual([{arn: instance, reason: 'RESOURCE:MEMORY'}])
  })

  it('an empty cluster fails every task naming the cluster', () => {
    rig = openRig()
    rig.register('app', [container('app')])
    const out = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'app', count: 2})
    expect(out.tasks).toEqual([])
    expect(out.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/dev',
        reason: 'No Container Instances were found in your cluster.',
      },
      {
        arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/dev',
        reason: 'No Container Instances were found in your cluster.',
      },
    ])
  })

  it('awsvpc on EC2: PROVISIONING → PENDING → RUNNING with an ENI attachment and no host bindings', () => {
    rig = openRig()
    rig.addInstance('c5.large', 'us-east-1a')
    rig.register('vpc', [container('app', {portMappings: [{containerPort: 80}]})], {networkMode: 'awsvpc'})
    const subnets = Array.from({length: 12}, (_, i) => `subnet-${i}`)
    const out = rig.e().callSync('runTask', {
      cluster: 'dev',
      taskDefinition: 'vpc',
      networkConfiguration: {awsvpcConfiguration: {subnets}},
    })
    expect(out.failures).toEqual([])
    const [task] = out.tasks!
    expect(task.lastStatus).toBe('PROVISIONING')
    const eni = task.attachments![0]
    expect(eni.type).toBe('ElasticNetworkInterface')
    const ip = eni.details!.find((d) => d.name === 'privateIPv4Address')!.value!
    expect(ip).toMatch(/^10\.0\.\d+\.\d+$/)
    expect(task.containers![0].networkInterfaces).toEqual([{attachmentId: eni.id, privateIpv4Address: ip}])
    rig.advance(500)
    expect(rig.tasks()[0].lastStatus).toBe('PENDING')
    rig.advance(1_000)
    const running = rig.tasks()[0]
    expect(running.lastStatus).toBe('RUNNING')
    expect(running.attachments![0].status).toBe('ATTACHED')
    expect(running.containers![0].networkBindings).toEqual([])
    rig.e().callSync('stopTask', {cluster: 'dev', task: running.taskArn!})
    rig.advance(1_000)
    expect(rig.tasks('STOPPED')[0].lastStatus).toBe('DEPROVISIONING')
    rig.advance(500)
    expect(rig.tasks('STOPPED')[0].lastStatus).toBe('STOPPED')
  })

  it('Fargate: needs a FARGATE-compatible definition and subnets; spreads over the subnets’ AZs', () => {
    rig = openRig()
    rig.register('ec2only', [container('app')])
    rig.register('fg', [{name: 'app', image: 'nginx', portMappings: [{containerPort: 80}]}], {
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
    })
    const net = {
      awsvpcConfiguration: {
        subnets: ['subnet-a1', 'subnet-b2', 'subnet-c3', 'subnet-d4', 'subnet-e5', 'subnet-f6'],
        assignPublicIp: 'ENABLED' as const,
      },
    }
    expect(
      caught(() => rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'ec2only', launchType: 'FARGATE'})),
    ).toEqual({
      name: 'ClientException',
      message: 'Task definition does not support launch_type FARGATE.',
    })
    expect(
      caught(() => rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'fg', launchType: 'FARGATE'})).name,
    ).toBe('InvalidParameterException')
    const out = rig.e().callSync('runTask', {
      cluster: 'dev',
      taskDefinition: 'fg',
      launchType: 'FARGATE',
      count: 6,
      networkConfiguration: net,
    })
    expect(out.tasks).toHaveLength(6)
    const zones = new Set(out.tasks!.map((t) => t.availabilityZone))
    expect(zones.size).toBeGreaterThan(1)
    for (const task of out.tasks!) {
      expect(task.containerInstanceArn).toBeUndefined()
      expect(task.launchType).toBe('FARGATE')
      expect(task.platformVersion).toBe('1.3.0')
    }
    rig.advance(2_000)
    expect(rig.tasks().every((t) => t.lastStatus === 'RUNNING')).toBe(true)
    // assignPublicIp is Fargate-only.
    rig.addInstance('c5.large')
    rig.register('vpc', [container('app')], {networkMode: 'awsvpc'})
    expect(
      caught(() => rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'vpc', networkConfiguration: net}))
        .message,
    ).toBe('Assign public IP is not supported for this launch type.')
  })

  it('container overrides change the reservation and are echoed; unknown containers are rejected', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    rig.register('app', [container('app', {memory: 128})])
    const out = rig.e().callSync('runTask', {
      cluster: 'dev',
      taskDefinition: 'app',
      overrides: {
        containerOverrides: [
          {name: 'app', command: ['echo', 'hi'], environment: [{name: 'A', value: '1'}], memory: 512},
        ],
      },
      startedBy: 'me',
      group: 'batch',
    })
    const [task] = out.tasks!
    expect(task.overrides!.containerOverrides).toEqual([
      {name: 'app', command: ['echo', 'hi'], environment: [{name: 'A', value: '1'}], memory: 512},
    ])
    expect(task.memory).toBe('512')
    expect(task.startedBy).toBe('me')
    expect(task.group).toBe('batch')
    const instance = rig
      .e()
      .callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [task.containerInstanceArn!]})
      .containerInstances![0]
    const memory = (r: typeof instance.registeredResources) => r!.find((x) => x.name === 'MEMORY')!.integerValue!
    expect(memory(instance.registeredResources) - memory(instance.remainingResources)).toBe(512)
    expect(
      caught(() =>
        rig.e().callSync('runTask', {
          cluster: 'dev',
          taskDefinition: 'app',
          overrides: {containerOverrides: [{name: 'ghost'}]},
        }),
      ).message,
    ).toBe('Override for container named ghost is not a container in the TaskDefinition.')
  })
})

describe('StartTask', () => {
  it('places on the named instances and reports MISSING / INACTIVE / RESOURCE failures', () => {
    rig = openRig()
    const a = rig.addInstance('t2.micro')
    const b = rig.addInstance('t2.micro')
    rig.register('app', [container('app', {memory: 600})])
    rig.e().callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: b})
    const out = rig
      .e()
      .callSync('startTask', {cluster: 'dev', taskDefinition: 'app', containerInstances: [a, a, b, 'f'.repeat(32)]})
    expect(out.tasks!.map((t) => t.containerInstanceArn)).toEqual([a])
    expect(out.failures).toEqual([
      {arn: a, reason: 'RESOURCE:MEMORY'},
      {arn: b, reason: 'INACTIVE'},
      {arn: `arn:aws:ecs:us-east-1:000000000000:container-instance/dev/${'f'.repeat(32)}`, reason: 'MISSING'},
    ])
    const eleven = Array.from({length: 11}, () => a)
    expect(
      caught(() => rig.e().callSync('startTask', {cluster: 'dev', taskDefinition: 'app', containerInstances: eleven}))
        .name,
    ).toBe('InvalidParameterException')
  })
})

describe('StopTask, DescribeTasks, ListTasks', () => {
  it('StopTask: desiredStatus STOPPED at once, lastStatus follows after the stop delay; default and custom reasons', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    rig.register('app', [container('app')])
    const [one, two] = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'app', count: 2}).tasks!
    rig.advance(1_000)
    const stopped = rig.e().callSync('stopTask', {cluster: 'dev', task: one.taskArn!}).task!
    expect(stopped.desiredStatus).toBe('STOPPED')
    expect(stopped.lastStatus).toBe('STOPPING')
    expect(stopped.stoppedReason).toBe('Task stopped by user')
    expect(stopped.stopCode).toBe('UserInitiated')
    const id = two.taskArn!.split('/').pop()!
    rig.advance(500)
    expect(rig.e().callSync('stopTask', {cluster: 'dev', task: id, reason: 'maintenance'}).task!.stoppedReason).toBe(
      'maintenance',
    )
    rig.advance(1_000)
    const [first] = rig.e().callSync('describeTasks', {cluster: 'dev', tasks: [one.taskArn!]}).tasks!
    expect(first.lastStatus).toBe('STOPPED')
    expect(first.stoppedAt!.getTime() - first.stoppingAt!.getTime()).toBe(1_000)
    expect(first.containers![0].exitCode).toBe(143)
    // Most recently stopped first.
    expect(rig.e().callSync('listTasks', {cluster: 'dev', desiredStatus: 'STOPPED'}).taskArns).toEqual([
      two.taskArn,
      one.taskArn,
    ])
    expect(rig.e().callSync('listTasks', {cluster: 'dev'}).taskArns).toEqual([])
    expect(caught(() => rig.e().callSync('stopTask', {cluster: 'dev', task: 'f'.repeat(32)}))).toEqual({
      name: 'InvalidParameterException',
      message: 'The referenced task was not found.',
    })
  })

  it('DescribeTasks reports MISSING; ListTasks filters by family, service, startedBy and instance', () => {
    rig = openRig()
    const a = rig.addInstance('m4.large', 'us-east-1a')
    rig.register('one', [container('app')])
    rig.register('two', [container('app')])
    const t1 = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'one', startedBy: 'ci'}).tasks![0]
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'svc', taskDefinition: 'two', desiredCount: 2})
    const describe = rig
      .e()
      .callSync('describeTasks', {cluster: 'dev', tasks: [t1.taskArn!, 'a'.repeat(32)], include: ['TAGS']})
    expect(describe.tasks!.map((t) => t.taskArn)).toEqual([t1.taskArn])
    expect(describe.failures).toEqual([
      {arn: `arn:aws:ecs:us-east-1:000000000000:task/dev/${'a'.repeat(32)}`, reason: 'MISSING'},
    ])
    const list = (input: Record<string, unknown>) => rig.e().callSync('listTasks', {cluster: 'dev', ...input}).taskArns!
    expect(list({})).toHaveLength(3)
    expect(list({family: 'one'})).toEqual([t1.taskArn])
    expect(list({serviceName: 'svc'})).toHaveLength(2)
    expect(list({startedBy: 'ci'})).toEqual([t1.taskArn])
    expect(list({containerInstance: a})).toHaveLength(3)
    expect(caught(() => list({family: 'one', serviceName: 'svc'})).name).toBe('InvalidParameterException')
    const cluster = rig.e().callSync('describeClusters', {clusters: ['dev']}).clusters![0]
    expect([cluster.pendingTasksCount, cluster.runningTasksCount]).toEqual([3, 0])
    rig.advance(1_000)
    const after = rig.e().callSync('describeClusters', {clusters: ['dev']}).clusters![0]
    expect([after.pendingTasksCount, after.runningTasksCount]).toEqual([0, 3])
    const instance = rig.e().callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [a]})
      .containerInstances![0]
    expect(instance.runningTasksCount).toBe(3)
  })
})

describe('awsvpc subnets and zones (the engine has no VPC model)', () => {
  it('a subnet naming a zone is in that zone; any other subnet is in a zone where the cluster has instances', () => {
    rig = openRig()
    const a = rig.addInstance('c5.xlarge', 'us-east-1a')
    const b = rig.addInstance('c5.xlarge', 'us-east-1b')
    rig.register('vpc', [container('app')], {networkMode: 'awsvpc'})
    const run = (subnets: string[]) =>
      rig.e().callSync('runTask', {
        cluster: 'dev',
        taskDefinition: 'vpc',
        networkConfiguration: {awsvpcConfiguration: {subnets}},
      }).tasks![0]
    expect(run(['subnet-us-east-1b-private']).containerInstanceArn).toBe(b)
    expect(run(['subnet-us-east-1a-private']).containerInstanceArn).toBe(a)
    // A zone without instances: nothing fits (ATTRIBUTE, as ECS reports for subnets in the wrong zone).
    expect(
      rig.e().callSync('runTask', {
        cluster: 'dev',
        taskDefinition: 'vpc',
        networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-us-east-1c-x']}},
      }).failures![0].reason,
    ).toBe('ATTRIBUTE')
    for (const subnet of ['subnet-1', 'subnet-0abc', 'subnet-zzz'])
      expect([a, b]).toContain(run([subnet]).containerInstanceArn)
  })
})
