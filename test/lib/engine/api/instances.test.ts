import type {ContainerInstance, Resource} from '@aws-sdk/client-ecs'
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {caught, identity, openTestEngine, type TestEngine} from '../engine-helpers.js'

const DEFAULT_PORTS = ['22', '2375', '2376', '51678', '51679', '51680']

const resource = (resources: Resource[] | undefined, name: string) => resources?.find((r) => r.name === name)
const scalar = (instance: ContainerInstance, which: 'registeredResources' | 'remainingResources', name: string) =>
  resource(instance[which], name)?.integerValue
const ports = (instance: ContainerInstance, which: 'registeredResources' | 'remainingResources', name = 'PORTS') =>
  resource(instance[which], name)?.stringSetValue

describe('container instances', () => {
  let t: TestEngine
  const register = (instanceType = 't2.micro', az = 'us-east-1a', extra: Record<string, unknown> = {}) =>
    t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity(instanceType, az),
      ...extra,
    }).containerInstance!
  const describeOne = (ref: string) =>
    t.engine.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [ref]}).containerInstances![0]

  beforeEach(() => {
    t = openTestEngine()
    t.engine.callSync('createCluster', {clusterName: 'dev'})
  })
  afterEach(() => t.cleanup())

  it('§10.7 a t2.micro registers CPU 1024, MEMORY 995 and the default reserved ports', () => {
    const instance = register('t2.micro')
    expect(scalar(instance, 'registeredResources', 'CPU')).toBe(1024)
    expect(scalar(instance, 'registeredResources', 'MEMORY')).toBe(995)
    expect(ports(instance, 'registeredResources')).toEqual(DEFAULT_PORTS)
    expect(ports(instance, 'registeredResources', 'PORTS_UDP')).toEqual([])
    expect(resource(instance.registeredResources, 'PORTS')?.type).toBe('STRINGSET')
    expect(resource(instance.registeredResources, 'CPU')?.type).toBe('INTEGER')
    expect(instance.remainingResources).toEqual(instance.registeredResources)
    expect(instance).toMatchObject({
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      version: 1,
    })
    expect(instance.containerInstanceArn).toMatch(
      /^arn:aws:ecs:us-east-1:000000000000:container-instance\/dev\/[0-9a-f]{32}$/,
    )
    expect(instance.ec2InstanceId).toMatch(/^i-[0-9a-f]{17}$/)
    expect(instance.versionInfo?.agentVersion).toBeDefined()
    expect(instance.registeredAt).toEqual(new Date('2026-01-01T00:00:00Z'))
    const names = instance.attributes!.map((a) => a.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'ecs.instance-type',
        'ecs.availability-zone',
        'ecs.os-type',
        'ecs.ami-id',
        'ecs.capability.task-eni',
      ]),
    )
    expect(instance.attributes).toEqual(
      expect.arrayContaining([
        {name: 'ecs.instance-type', value: 't2.micro'},
        {name: 'ecs.availability-zone', value: 'us-east-1a'},
      ]),
    )
    expect(Object.keys(instance).some((k) => k.startsWith('_'))).toBe(false)
  })

  it('uses the agent’s totalResources, versionInfo, attributes and tags when given', () => {
    const instance = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: JSON.stringify({
        instanceId: 'i-0123456789abcdef0',
        instanceType: 'm5.large',
        availabilityZone: 'us-east-1c',
      }),
      totalResources: [
        {name: 'CPU', type: 'INTEGER', integerValue: 2048},
        {name: 'MEMORY', type: 'INTEGER', integerValue: 7000},
        {name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375']},
      ],
      versionInfo: {agentVersion: '1.14.0'},
      attributes: [{name: 'stack', value: 'prod'}],
      tags: [{key: 'team', value: 'ops'}],
    }).containerInstance!
    expect(instance.ec2InstanceId).toBe('i-0123456789abcdef0')
    expect(scalar(instance, 'registeredResources', 'MEMORY')).toBe(7000)
    expect(ports(instance, 'remainingResources')).toEqual(['22', '2375'])
    expect(instance.versionInfo?.agentVersion).toBe('1.14.0')
    expect(instance.attributes).toEqual(
      expect.arrayContaining([
        {name: 'stack', value: 'prod'},
        {name: 'ecs.availability-zone', value: 'us-east-1c'},
      ]),
    )
    expect(instance.tags).toEqual([{key: 'team', value: 'ops'}])
  })

  it('a Windows instance reserves the Windows agent ports', () => {
    const instance = register('m5.large', 'us-east-1a', {attributes: [{name: 'ecs.os-type', value: 'windows'}]})
    expect(ports(instance, 'registeredResources')).toEqual([
      '53',
      '135',
      '139',
      '445',
      '2375',
      '2376',
      '3389',
      '5985',
      '51678',
      '51679',
    ])
    expect(instance.attributes).toEqual(expect.arrayContaining([{name: 'ecs.os-type', value: 'windows'}]))
  })

  it('spreads instances without an AZ over the region’s zones', () => {
    const zones = [0, 1, 2]
      .map(() => t.engine.callSync('registerContainerInstance', {cluster: 'dev'}).containerInstance!)
      .map((i) => i.attributes!.find((a) => a.name === 'ecs.availability-zone')?.value)
    expect(new Set(zones).size).toBe(3)
  })

  it('auto-creates only the default cluster', () => {
    const instance = t.engine.callSync('registerContainerInstance', {
      instanceIdentityDocument: identity('t2.micro', 'us-east-1a'),
    }).containerInstance!
    expect(instance.containerInstanceArn).toContain(':container-instance/default/')
    expect(
      t.engine.callSync('describeClusters', {clusters: ['default']}).clusters![0].registeredContainerInstancesCount,
    ).toBe(1)
    expect(caught(() => t.engine.callSync('registerContainerInstance', {cluster: 'nope'}))).toEqual({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    })
  })

  it('rejects bad identity documents and unknown instance types without totalResources', () => {
    expect(
      caught(() => t.engine.callSync('registerContainerInstance', {cluster: 'dev', instanceIdentityDocument: '{nope'}))
        .name,
    ).toBe('InvalidParameterException')
    expect(caught(() => register('z9.mega')).message).toMatch(/Unknown instance type 'z9.mega'/)
  })

  it('re-registering the same EC2 instance returns the existing container instance', () => {
    const doc = JSON.stringify({
      instanceId: 'i-00000000000000001',
      instanceType: 't2.micro',
      availabilityZone: 'us-east-1a',
    })
    const first = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: doc,
    }).containerInstance!
    const second = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: doc,
    }).containerInstance!
    expect(second.containerInstanceArn).toBe(first.containerInstanceArn)
    expect(t.engine.callSync('listContainerInstances', {cluster: 'dev'}).containerInstanceArns).toHaveLength(1)
  })

  it('describes by id, ARN or EC2 id; unknown ones are MISSING; tags only with include TAGS', () => {
    const instance = register('t2.micro', 'us-east-1a', {tags: [{key: 'k', value: 'v'}]})
    const arn = instance.containerInstanceArn!
    const id = arn.split('/').pop()!
    const out = t.engine.callSync('describeContainerInstances', {
      cluster: 'dev',
      containerInstances: [id, arn, instance.ec2InstanceId!, 'f'.repeat(32)],
    })
    expect(out.containerInstances!.map((i) => i.containerInstanceArn)).toEqual([arn, arn, arn])
    expect(out.containerInstances![0].tags).toBeUndefined()
    expect(out.failures).toEqual([
      {arn: `arn:aws:ecs:us-east-1:000000000000:container-instance/dev/${'f'.repeat(32)}`, reason: 'MISSING'},
    ])
    expect(
      t.engine.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [id], include: ['TAGS']})
        .containerInstances![0].tags,
    ).toEqual([{key: 'k', value: 'v'}])
    expect(
      caught(() => t.engine.callSync('describeContainerInstances', {cluster: 'nope', containerInstances: [id]})).name,
    ).toBe('ClusterNotFoundException')
    const health = t.engine.callSync('describeContainerInstances', {
      cluster: 'dev',
      containerInstances: [id],
      include: ['CONTAINER_INSTANCE_HEALTH'],
    }).containerInstances![0].healthStatus
    expect(health?.overallStatus).toBe('OK')
    expect(health?.details?.[0]).toMatchObject({type: 'CONTAINER_RUNTIME', status: 'OK'})
    expect(
      t.engine.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [id]}).containerInstances![0]
        .healthStatus,
    ).toBeUndefined()
  })

  it('drains and re-activates instances, bumping the version; unknown ones fail as MISSING', () => {
    const instance = register()
    const arn = instance.containerInstanceArn!
    const out = t.engine.callSync('updateContainerInstancesState', {
      cluster: 'dev',
      containerInstances: [arn, 'nope'],
      status: 'DRAINING',
    })
    expect(out.containerInstances![0]).toMatchObject({status: 'DRAINING', version: 2})
    expect(out.failures).toEqual([
      {arn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/dev/nope', reason: 'MISSING'},
    ])
    expect(
      t.engine.callSync('listContainerInstances', {cluster: 'dev', status: 'DRAINING'}).containerInstanceArns,
    ).toEqual([arn])
    expect(
      t.engine.callSync('listContainerInstances', {cluster: 'dev', status: 'ACTIVE'}).containerInstanceArns,
    ).toEqual([])
    expect(
      t.engine.callSync('updateContainerInstancesState', {cluster: 'dev', containerInstances: [arn], status: 'ACTIVE'})
        .containerInstances![0],
    ).toMatchObject({status: 'ACTIVE', version: 3})
    expect(
      caught(() =>
        t.engine.callSync('updateContainerInstancesState', {
          cluster: 'dev',
          containerInstances: [arn],
          status: 'INACTIVE' as never,
        }),
      ).name,
    ).toBe('InvalidParameterException')
  })

  it('deregistered instances are INACTIVE, hidden from lists, describable for an hour, then gone', () => {
    const arn = register().containerInstanceArn!
    const out = t.engine.callSync('deregisterContainerInstance', {
      cluster: 'dev',
      containerInstance: arn,
    }).containerInstance!
    expect(out.status).toBe('INACTIVE')
    expect(t.engine.callSync('listContainerInstances', {cluster: 'dev'}).containerInstanceArns).toEqual([])
    t.engine.advance(59 * 60_000)
    expect(describeOne(arn).status).toBe('INACTIVE')
    t.engine.advance(60_000)
    expect(
      t.engine.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [arn]}).failures,
    ).toEqual([{arn, reason: 'MISSING'}])
    expect(
      caught(() => t.engine.callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: arn})).name,
    ).toBe('InvalidParameterException')
  })

  it('§10.15 deregistering with running tasks needs force; force stops them with the ECS reason', () => {
    t.engine.callSync('registerTaskDefinition', {
      family: 'sleep360',
      containerDefinitions: [{name: 'sleep', image: 'busybox', cpu: 10, memory: 10, command: ['sleep', '360']}],
    })
    const arn = register().containerInstanceArn!
    const run = t.engine.callSync('runTask', {cluster: 'dev', taskDefinition: 'sleep360', count: 2})
    expect(run.tasks).toHaveLength(2)
    t.engine.advance(5_000)
    expect(describeOne(arn).runningTasksCount).toBe(2)
    const refused = caught(() =>
      t.engine.callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: arn}),
    )
    expect(refused.name).toBe('InvalidParameterException')
    expect(refused.message).toMatch(/force/)
    expect(describeOne(arn).status).toBe('ACTIVE')
    t.engine.callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: arn, force: true})
    t.engine.advance(60_000)
    const tasks = t.engine.callSync('describeTasks', {
      cluster: 'dev',
      tasks: run.tasks!.map((task) => task.taskArn!),
    }).tasks!
    expect(tasks.map((task) => [task.lastStatus, task.stoppedReason])).toEqual([
      ['STOPPED', 'Container instance deregistration forced by user'],
      ['STOPPED', 'Container instance deregistration forced by user'],
    ])
    expect(describeOne(arn).status).toBe('INACTIVE')
  })

  it('running tasks reserve CPU/MEMORY/PORTS and show in the counts; stopping gives them back', () => {
    t.engine.callSync('registerTaskDefinition', {
      family: 'web',
      containerDefinitions: [
        {name: 'web', image: 'nginx', cpu: 256, memory: 300, portMappings: [{containerPort: 80, hostPort: 80}]},
      ],
    })
    const arn = register().containerInstanceArn!
    const task = t.engine.callSync('runTask', {cluster: 'dev', taskDefinition: 'web'}).tasks![0]
    let instance = describeOne(arn)
    expect(instance.pendingTasksCount! + instance.runningTasksCount!).toBe(1)
    expect(scalar(instance, 'remainingResources', 'CPU')).toBe(1024 - 256)
    expect(scalar(instance, 'remainingResources', 'MEMORY')).toBe(995 - 300)
    expect(ports(instance, 'remainingResources')).toEqual([...DEFAULT_PORTS, '80'])
    expect(instance.version).toBeGreaterThan(1)
    t.engine.advance(5_000)
    expect(describeOne(arn)).toMatchObject({runningTasksCount: 1, pendingTasksCount: 0})
    t.engine.callSync('stopTask', {cluster: 'dev', task: task.taskArn!})
    t.engine.advance(60_000)
    instance = describeOne(arn)
    expect(instance).toMatchObject({runningTasksCount: 0, pendingTasksCount: 0})
    expect(instance.remainingResources).toEqual(instance.registeredResources)
  })

  describe('attributes', () => {
    it('puts, lists and deletes custom attributes', () => {
      const arn = register().containerInstanceArn!
      const put = t.engine.callSync('putAttributes', {
        cluster: 'dev',
        attributes: [
          {name: 'stack', value: 'prod', targetId: arn},
          {name: 'gpu-ready', targetId: arn},
        ],
      })
      expect(put.attributes).toHaveLength(2)
      expect(describeOne(arn).attributes).toEqual(
        expect.arrayContaining([{name: 'stack', value: 'prod'}, {name: 'gpu-ready'}]),
      )
      expect(
        t.engine.callSync('listAttributes', {cluster: 'dev', targetType: 'container-instance', attributeName: 'stack'})
          .attributes,
      ).toEqual([{name: 'stack', value: 'prod', targetType: 'container-instance', targetId: arn}])
      expect(
        t.engine.callSync('listAttributes', {
          cluster: 'dev',
          targetType: 'container-instance',
          attributeName: 'stack',
          attributeValue: 'dev',
        }).attributes,
      ).toEqual([])
      // Overwrite a custom value.
      t.engine.callSync('putAttributes', {
        cluster: 'dev',
        attributes: [{name: 'stack', value: 'dev', targetId: arn.split('/').pop()}],
      })
      expect(describeOne(arn).attributes).toEqual(expect.arrayContaining([{name: 'stack', value: 'dev'}]))
      t.engine.callSync('deleteAttributes', {cluster: 'dev', attributes: [{name: 'stack', targetId: arn}]})
      expect(describeOne(arn).attributes!.some((a) => a.name === 'stack')).toBe(false)
      const all = t.engine.callSync('listAttributes', {cluster: 'dev', targetType: 'container-instance'}).attributes!
      expect(all.some((a) => a.name === 'ecs.instance-type')).toBe(true)
    })

    it('rejects built-in overwrites, bad names/values, unknown targets and more than 10 custom attributes', () => {
      const arn = register().containerInstanceArn!
      expect(
        caught(() =>
          t.engine.callSync('putAttributes', {
            cluster: 'dev',
            attributes: [{name: 'ecs.instance-type', value: 'x', targetId: arn}],
          }),
        ).message,
      ).toMatch(/built-in/)
      expect(
        caught(() =>
          t.engine.callSync('deleteAttributes', {cluster: 'dev', attributes: [{name: 'ecs.os-type', targetId: arn}]}),
        ).message,
      ).toMatch(/built-in/)
      expect(
        caught(() =>
          t.engine.callSync('putAttributes', {cluster: 'dev', attributes: [{name: 'bad name', targetId: arn}]}),
        ).name,
      ).toBe('InvalidParameterException')
      expect(
        caught(() =>
          t.engine.callSync('putAttributes', {
            cluster: 'dev',
            attributes: [{name: 'ok', value: ' lead', targetId: arn}],
          }),
        ).name,
      ).toBe('InvalidParameterException')
      expect(
        caught(() =>
          t.engine.callSync('putAttributes', {
            cluster: 'dev',
            attributes: [{name: 'ok', value: 'x'.repeat(129), targetId: arn}],
          }),
        ).name,
      ).toBe('InvalidParameterException')
      expect(
        caught(() =>
          t.engine.callSync('putAttributes', {cluster: 'dev', attributes: [{name: 'ok', targetId: 'f'.repeat(32)}]}),
        ).name,
      ).toBe('TargetNotFoundException')
      expect(caught(() => t.engine.callSync('putAttributes', {cluster: 'dev', attributes: [{name: 'ok'}]})).name).toBe(
        'InvalidParameterException',
      )
      t.engine.callSync('putAttributes', {
        cluster: 'dev',
        attributes: Array.from({length: 10}, (_, i) => ({name: `a${i}`, targetId: arn})),
      })
      expect(
        caught(() =>
          t.engine.callSync('putAttributes', {cluster: 'dev', attributes: [{name: 'one-more', targetId: arn}]}),
        ),
      ).toEqual({
        name: 'AttributeLimitExceededException',
        message: 'You can apply up to 10 custom attributes per resource.',
      })
      expect(
        caught(() => t.engine.callSync('listAttributes', {cluster: 'dev', targetType: 'task' as never})).name,
      ).toBe('InvalidParameterException')
      expect(
        caught(() =>
          t.engine.callSync('listAttributes', {cluster: 'dev', targetType: 'container-instance', attributeValue: 'x'}),
        ).name,
      ).toBe('InvalidParameterException')
    })
  })

  it('§10.19 ListContainerInstances filters with the cluster query language', () => {
    const small = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: JSON.stringify({
        instanceId: 'i-abcd1234',
        instanceType: 't2.small',
        availabilityZone: 'us-east-1a',
      }),
      attributes: [{name: 'stack', value: 'prod'}],
    }).containerInstance!.containerInstanceArn!
    const medium = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: JSON.stringify({
        instanceId: 'i-wxyx7890',
        instanceType: 't2.medium',
        availabilityZone: 'us-east-1b',
      }),
      attributes: [{name: 'stack', value: 'dev'}],
      versionInfo: {agentVersion: '1.14.0'},
    }).containerInstance!.containerInstanceArn!
    const g2 = register('g2.2xlarge', 'us-east-1d').containerInstanceArn!
    const p2 = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('p2.xlarge', 'us-east-1c'),
      attributes: [{name: 'stack', value: 'prod'}],
    }).containerInstance!.containerInstanceArn!
    const filter = (expression: string) =>
      t.engine.callSync('listContainerInstances', {cluster: 'dev', filter: expression}).containerInstanceArns
    expect(filter('attribute:ecs.instance-type == t2.small')).toEqual([small])
    expect(filter('attribute:ecs.availability-zone in [us-east-1a, us-east-1b]')).toEqual([small, medium])
    expect(filter('attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d')).toEqual([])
    expect(filter('attribute:ecs.instance-type =~ g2.*')).toEqual([g2])
    expect(filter('attribute:ecs.instance-type == g2.2xlarge')).toEqual([g2])
    expect(filter('attribute:stack == prod')).toEqual([small, p2])
    expect(filter('attribute:stack != prod')).toEqual([medium])
    expect(filter('attribute:ecs.instance-type in [t2.small, t2.medium]')).toEqual([small, medium])
    expect(filter('attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a')).toEqual([
      small,
    ])
    expect(filter("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']")).toEqual([small, medium])
    expect(filter('agentVersion < 1.14.5')).toEqual([medium])
    expect(filter('registeredAt < 2018-02-13')).toEqual([])
    expect(filter('runningTasksCount == 0')).toEqual([small, medium, g2, p2])
    expect(filter('not(task:group == database)')).toEqual([small, medium, g2, p2])
    expect(filter('agentConnected == true and attribute:stack exists')).toEqual([small, medium, p2])
    // Task-dependent subjects follow the tasks placed on each instance.
    t.engine.callSync('registerTaskDefinition', {
      family: 'db',
      containerDefinitions: [{name: 'db', image: 'postgres', memory: 64}],
    })
    t.engine.callSync('runTask', {
      cluster: 'dev',
      taskDefinition: 'db',
      group: 'database',
      placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type == t2.medium'}],
    })
    expect(filter('task:group == database')).toEqual([medium])
    expect(filter('not(task:group == database)')).toEqual([small, g2, p2])
    expect(filter('runningTasksCount == 1')).toEqual([medium])
    expect(caught(() => filter('attribute:stack ==')).name).toBe('InvalidParameterException')
    const page = t.engine.callSync('listContainerInstances', {cluster: 'dev', maxResults: 3})
    expect(page.containerInstanceArns).toEqual([small, medium, g2])
    expect(
      t.engine.callSync('listContainerInstances', {cluster: 'dev', maxResults: 3, nextToken: page.nextToken})
        .containerInstanceArns,
    ).toEqual([p2])
  })
})
