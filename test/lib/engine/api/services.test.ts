/** CreateService / UpdateService / DeleteService / DescribeServices / ListServices: validation and shapes. */
import {afterEach, describe, expect, it} from '@jest/globals'

import {caught, container, openRig, type Rig} from '../runtime-helpers.js'

let rig: Rig
afterEach(() => rig?.cleanup())

function setup(): Rig {
  rig = openRig()
  rig.addInstance('m4.large', 'us-east-1a')
  rig.addInstance('m4.large', 'us-east-1b')
  rig.register('app', [container('app')])
  return rig
}

describe('CreateService', () => {
  it('returns the ECS shape with defaults (REPLICA 200/100, one PRIMARY deployment)', () => {
    setup()
    const service = rig
      .e()
      .callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'app', desiredCount: 2}).service!
    expect(service).toMatchObject({
      serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/dev/web',
      serviceName: 'web',
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/dev',
      status: 'ACTIVE',
      desiredCount: 2,
      launchType: 'EC2',
      schedulingStrategy: 'REPLICA',
      taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/app:1',
      deploymentConfiguration: {maximumPercent: 200, minimumHealthyPercent: 100},
      deploymentController: {type: 'ECS'},
      healthCheckGracePeriodSeconds: 0,
    })
    expect(service.deployments).toHaveLength(1)
    const [deployment] = service.deployments!
    expect(deployment.id).toMatch(/^ecs-svc\/\d{19}$/)
    expect(deployment).toMatchObject({
      status: 'PRIMARY',
      desiredCount: 2,
      pendingCount: 2,
      runningCount: 0,
      rolloutState: 'IN_PROGRESS',
    })
    expect(service.pendingCount).toBe(2)
    expect(service.events![0].message).toMatch(
      /^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/,
    )
    expect((service as Record<string, unknown>)._engine).toBeUndefined()
    const tasks = rig.tasks()
    expect(tasks.every((t) => t.group === 'service:web' && t.startedBy === deployment.id)).toBe(true)
  })

  it('reaches a steady state and completes its deployment', () => {
    setup()
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'app', desiredCount: 2})
    rig.advance(1_000)
    const service = rig.describeService('web')
    expect(service.runningCount).toBe(2)
    expect(service.deployments![0].rolloutState).toBe('COMPLETED')
    expect(service.events!.map((e) => e.message)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${service.deployments![0].id}) deployment completed.`,
      expect.stringMatching(/has started 2 tasks/),
    ])
    // The steady-state message is not repeated within 6 hours, then it is.
    rig.advance(6 * 3_600_000 - 2_000)
    expect(rig.describeService('web').events!.filter((e) => e.message!.includes('steady state'))).toHaveLength(1)
    rig.advance(2_000)
    expect(rig.describeService('web').events!.filter((e) => e.message!.includes('steady state'))).toHaveLength(2)
  })

  it('rejects a duplicate ACTIVE name, honours clientToken, and refuses a DRAINING name', () => {
    setup()
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'web',
      taskDefinition: 'app',
      desiredCount: 1,
      clientToken: 'tok-1',
    })
    expect(
      caught(() =>
        rig.e().callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'app', desiredCount: 1}),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: 'Creation of service was not idempotent.',
    })
    const again = rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'web',
      taskDefinition: 'app',
      desiredCount: 1,
      clientToken: 'tok-1',
    })
    expect(again.service!.serviceName).toBe('web')
    rig.advance(1_000)
    rig.e().callSync('deleteService', {cluster: 'dev', service: 'web', force: true})
    expect(
      caught(() =>
        rig.e().callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'app', desiredCount: 1}),
      ).message,
    ).toBe('Unable to Start a service that is still Draining.')
  })

  it('validates its input like ECS', () => {
    setup()
    rig.register('vpc', [container('app')], {networkMode: 'awsvpc'})
    const create = (input: Record<string, unknown>) =>
      caught(() => rig.e().callSync('createService', {cluster: 'dev', serviceName: 's', ...input}))
    expect(create({taskDefinition: 'app'}).message).toMatch(/desiredCount is required/)
    expect(create({taskDefinition: 'nope', desiredCount: 1})).toEqual({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    })
    expect(create({taskDefinition: 'vpc', desiredCount: 1}).message).toBe(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    )
    expect(
      create({
        taskDefinition: 'app',
        desiredCount: 1,
        networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-1']}},
      }).message,
    ).toBe('Network Configuration is not valid for the given networkMode of this task definition.')
    expect(
      create({taskDefinition: 'app', desiredCount: 1, deploymentConfiguration: {minimumHealthyPercent: 101}}).name,
    ).toBe('InvalidParameterException')
    expect(create({taskDefinition: 'app', desiredCount: -1}).name).toBe('InvalidParameterException')
    expect(create({taskDefinition: 'app', desiredCount: 1, healthCheckGracePeriodSeconds: -5}).name).toBe(
      'InvalidParameterException',
    )
    expect(create({taskDefinition: 'app', desiredCount: 1, schedulingStrategy: 'DAEMON'}).message).toBe(
      'The DAEMON scheduling strategy does not support a desired count for services.',
    )
    const six = Array.from({length: 6}, () => ({type: 'spread', field: 'instanceId'}))
    expect(create({taskDefinition: 'app', desiredCount: 1, placementStrategy: six}).message).toMatch(/5 or fewer/)
    const eleven = Array.from({length: 11}, () => ({type: 'memberOf', expression: 'attribute:ecs.os-type == linux'}))
    expect(create({taskDefinition: 'app', desiredCount: 1, placementConstraints: eleven}).name).toBe(
      'InvalidParameterException',
    )
    expect(create({taskDefinition: 'app', desiredCount: 1, launchType: 'FARGATE'}).name).toBe('ClientException')
    expect(create({taskDefinition: 'app', desiredCount: 1, deploymentController: {type: 'CODE_DEPLOY'}}).name).toBe(
      'InvalidParameterException',
    )
    expect(
      caught(() =>
        rig.e().callSync('createService', {cluster: 'nope', serviceName: 's', taskDefinition: 'app', desiredCount: 1}),
      ).name,
    ).toBe('ClusterNotFoundException')
    const labelled = rig.register('bad-label', [container('app', {dockerLabels: {'ecsx.simulate.exit-after': 'soon'}})])
    expect(create({taskDefinition: labelled, desiredCount: 1}).message).toBe(
      `Container 'app': docker label ecsx.simulate.exit-after="soon" is invalid; expected a duration such as 5s or 10m.`,
    )
  })

  it('accepts and echoes load balancers and service registries', () => {
    setup()
    rig.register('lb', [container('web', {portMappings: [{containerPort: 80}]})])
    const loadBalancers = [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1',
        containerName: 'web',
        containerPort: 80,
      },
    ]
    const serviceRegistries = [
      {
        registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1',
        containerName: 'web',
        containerPort: 80,
      },
    ]
    const service = rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'lb',
      taskDefinition: 'lb',
      desiredCount: 1,
      loadBalancers,
      serviceRegistries,
    }).service!
    expect(service.loadBalancers).toEqual(loadBalancers)
    expect(service.serviceRegistries).toEqual(serviceRegistries)
    rig.register('lb', [container('other', {portMappings: [{containerPort: 80}]})])
    expect(
      caught(() => rig.e().callSync('updateService', {cluster: 'dev', service: 'lb', taskDefinition: 'lb:2'})).message,
    ).toBe('Unable to update the service lb: load balancer container name or port changed in task definition')
  })
})

describe('UpdateService', () => {
  it('scaling only adjusts the PRIMARY deployment; a new task definition or forceNewDeployment creates a new one', () => {
    setup()
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'app', desiredCount: 1})
    rig.advance(1_000)
    let service = rig.e().callSync('updateService', {cluster: 'dev', service: 'web', desiredCount: 3}).service!
    expect(service.deployments).toHaveLength(1)
    expect(service.deployments![0].desiredCount).toBe(3)
    rig.advance(1_000)
    service = rig.e().callSync('updateService', {cluster: 'dev', service: 'web', forceNewDeployment: true}).service!
    expect(service.deployments!.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE'])
    rig.advance(5_000)
    service = rig.describeService('web')
    expect(service.deployments).toHaveLength(1)
    expect(service.runningCount).toBe(3)
  })

  it('errors: unknown service (not found), INACTIVE service (not active), desiredCount on DAEMON', () => {
    setup()
    expect(
      caught(() => rig.e().callSync('updateService', {cluster: 'dev', service: 'ghost', desiredCount: 1})),
    ).toEqual({
      name: 'ServiceNotFoundException',
      message: 'Service not found.',
    })
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'd',
      taskDefinition: 'app',
      schedulingStrategy: 'DAEMON',
    })
    expect(caught(() => rig.e().callSync('updateService', {cluster: 'dev', service: 'd', desiredCount: 3})).name).toBe(
      'InvalidParameterException',
    )
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'gone', taskDefinition: 'app', desiredCount: 0})
    rig.e().callSync('deleteService', {cluster: 'dev', service: 'gone'})
    rig.advance(1)
    expect(rig.describeService('gone').status).toBe('INACTIVE')
    expect(
      caught(() => rig.e().callSync('updateService', {cluster: 'dev', service: 'gone', desiredCount: 1})).name,
    ).toBe('ServiceNotActiveException')
    expect(caught(() => rig.e().callSync('deleteService', {cluster: 'dev', service: 'gone'})).name).toBe(
      'ServiceNotActiveException',
    )
    expect(caught(() => rig.e().callSync('deleteService', {cluster: 'dev', service: 'ghost'})).name).toBe(
      'ServiceNotFoundException',
    )
  })

  it('replaces UNHEALTHY tasks only after the health-check grace period', () => {
    setup()
    rig.register('sick', [
      container('app', {
        healthCheck: {command: ['CMD-SHELL', 'exit 1'], interval: 5, retries: 2},
        dockerLabels: {'ecsx.simulate.health': 'unhealthy'},
      }),
    ])
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'sick',
      taskDefinition: 'sick',
      desiredCount: 1,
      healthCheckGracePeriodSeconds: 60,
    })
    rig.advance(1_000)
    const first = rig.tasks()[0]
    // UNHEALTHY after two failed checks (10 s), but the grace period (60 s from start) protects it.
    rig.advance(10_000)
    expect(rig.tasks()[0].healthStatus).toBe('UNHEALTHY')
    rig.advance(49_000)
    expect(rig.tasks()[0].taskArn).toBe(first.taskArn)
    rig.advance(1_000)
    const stopped = rig.tasks('STOPPED').find((t) => t.taskArn === first.taskArn)!
    expect(stopped.stoppedReason).toBe('Task failed container health checks')
    const events = rig.describeService('sick').events!.map((e) => e.message!)
    expect(events.some((m) => m.includes('failed container health checks.'))).toBe(true)
    expect(events.some((m) => /has stopped 1 running tasks: \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true)
    expect(rig.tasks()).toHaveLength(1)
    expect(rig.tasks()[0].taskArn).not.toBe(first.taskArn)
  })
})

describe('DescribeServices and ListServices', () => {
  it('reports unknown services as MISSING failures and lists ACTIVE services with filters', () => {
    setup()
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'a', taskDefinition: 'app', desiredCount: 0})
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'd',
      taskDefinition: 'app',
      schedulingStrategy: 'DAEMON',
    })
    const out = rig.e().callSync('describeServices', {cluster: 'dev', services: ['a', 'nope']})
    expect(out.services!.map((s) => s.serviceName)).toEqual(['a'])
    expect(out.failures).toEqual([{arn: 'arn:aws:ecs:us-east-1:000000000000:service/dev/nope', reason: 'MISSING'}])
    expect(rig.e().callSync('listServices', {cluster: 'dev'}).serviceArns).toHaveLength(2)
    expect(rig.e().callSync('listServices', {cluster: 'dev', schedulingStrategy: 'DAEMON'}).serviceArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:service/dev/d',
    ])
    expect(rig.e().callSync('listServices', {cluster: 'dev', launchType: 'FARGATE'}).serviceArns).toEqual([])
    const page = rig.e().callSync('listServices', {cluster: 'dev', maxResults: 1})
    expect(page.serviceArns).toHaveLength(1)
    expect(page.nextToken).toBeDefined()
    const cluster = rig.e().callSync('describeClusters', {clusters: ['dev']}).clusters![0]
    expect(cluster.activeServicesCount).toBe(2)
  })
})

describe('placement and deployments in more shapes', () => {
  it('honours a service placement strategy (binpack memory fills one instance first)', () => {
    setup()
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'packed',
      taskDefinition: 'app',
      desiredCount: 4,
      placementStrategy: [{type: 'binpack', field: 'memory'}],
    })
    rig.advance(1_000)
    expect(new Set(rig.tasks().map((t) => t.containerInstanceArn)).size).toBe(1)
  })

  it('honours distinctInstance: one task per instance, the rest unplaceable', () => {
    setup()
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'spread',
      taskDefinition: 'app',
      desiredCount: 3,
      placementConstraints: [{type: 'distinctInstance'}],
    })
    rig.advance(1_000)
    expect(new Set(rig.tasks().map((t) => t.containerInstanceArn)).size).toBe(2)
    expect(rig.describeService('spread').runningCount).toBe(2)
    expect(rig.describeService('spread').events![0].message).toMatch(/was unable to place a task/)
  })

  it('rolls a DAEMON service instance by instance (max 100, min 0): old stopped first, new started', () => {
    rig = openRig()
    for (const az of ['us-east-1a', 'us-east-1b', 'us-east-1c']) rig.addInstance('t2.small', az)
    rig.register('agent', [container('agent', {memory: 64})])
    rig.register('agent', [container('agent', {memory: 64, image: 'agent:2'})])
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'agent',
      taskDefinition: 'agent:1',
      schedulingStrategy: 'DAEMON',
    })
    rig.advance(1_000)
    const updated = rig
      .e()
      .callSync('updateService', {cluster: 'dev', service: 'agent', taskDefinition: 'agent:2'}).service!
    expect(updated.deployments!.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE'])
    // max 100 % of 3: never more than 3 running + pending.
    for (let i = 0; i < 12; i++) {
      const live = rig.tasks().filter((t) => t.lastStatus === 'RUNNING' || t.lastStatus === 'PENDING')
      expect(live.length).toBeLessThanOrEqual(3)
      rig.advance(500)
    }
    const tasks = rig.tasks()
    expect(tasks).toHaveLength(3)
    expect(tasks.every((t) => t.taskDefinitionArn!.endsWith('agent:2') && t.lastStatus === 'RUNNING')).toBe(true)
    expect(new Set(tasks.map((t) => t.containerInstanceArn)).size).toBe(3)
    expect(rig.describeService('agent').deployments).toHaveLength(1)
  })

  it('behind a Classic Load Balancer, UNHEALTHY container health is ignored', () => {
    setup()
    rig.register('clb', [
      container('web', {
        portMappings: [{containerPort: 80, hostPort: 80}],
        healthCheck: {command: ['CMD-SHELL', 'exit 1'], interval: 5, retries: 1},
        dockerLabels: {'ecsx.simulate.health': 'unhealthy'},
      }),
    ])
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'clb',
      taskDefinition: 'clb',
      desiredCount: 1,
      loadBalancers: [{loadBalancerName: 'classic', containerName: 'web', containerPort: 80}],
    })
    rig.advance(60_000)
    expect(rig.tasks('STOPPED')).toHaveLength(0)
    expect(rig.tasks()[0].healthStatus).toBe('UNHEALTHY')
  })
})

describe('load-balanced service tasks', () => {
  it('walk PENDING → ACTIVATING → RUNNING and RUNNING → DEACTIVATING → STOPPING → STOPPED', () => {
    setup()
    rig.register('lb', [container('web', {portMappings: [{containerPort: 80}]})])
    const loadBalancers = [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1',
        containerName: 'web',
        containerPort: 80,
      },
    ]
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'lb',
      taskDefinition: 'lb',
      desiredCount: 1,
      loadBalancers,
    })
    const statusAfter = (ms: number): string => {
      rig.advance(ms)
      return [...rig.tasks(), ...rig.tasks('STOPPED')][0].lastStatus!
    }
    expect(statusAfter(0)).toBe('PENDING')
    expect(statusAfter(1_000)).toBe('ACTIVATING')
    expect(rig.describeService('lb').pendingCount).toBe(1)
    expect(statusAfter(500)).toBe('RUNNING')
    rig.e().callSync('updateService', {cluster: 'dev', service: 'lb', desiredCount: 0})
    expect(statusAfter(0)).toBe('DEACTIVATING')
    expect(statusAfter(500)).toBe('STOPPING')
    expect(statusAfter(1_000)).toBe('STOPPED')
  })
})

describe('Fargate services, network changes and tag propagation', () => {
  it('a Fargate service runs without instances; a network change starts a new deployment carrying it', () => {
    rig = openRig()
    rig.register('fg', [{name: 'app', image: 'nginx'}], {
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
    })
    const net = (subnet: string) => ({
      awsvpcConfiguration: {subnets: [subnet], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' as const},
    })
    const created = rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'fg',
      taskDefinition: 'fg',
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: net('subnet-a'),
    }).service!
    expect(created.platformVersion).toBe('LATEST')
    expect(created.deployments![0]).toMatchObject({platformVersion: '1.3.0', networkConfiguration: net('subnet-a')})
    expect(
      caught(() =>
        rig.e().callSync('createService', {
          cluster: 'dev',
          serviceName: 'd',
          taskDefinition: 'fg',
          launchType: 'FARGATE',
          schedulingStrategy: 'DAEMON',
          networkConfiguration: net('subnet-a'),
        }),
      ).name,
    ).toBe('InvalidParameterException')
    rig.advance(2_000)
    expect(rig.describeService('fg').runningCount).toBe(2)
    const updated = rig
      .e()
      .callSync('updateService', {cluster: 'dev', service: 'fg', networkConfiguration: net('subnet-b')}).service!
    expect(updated.deployments!.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE'])
    expect(updated.deployments![0].networkConfiguration).toEqual(net('subnet-b'))
    rig.advance(5_000)
    const tasks = rig.tasks()
    expect(tasks).toHaveLength(2)
    for (const task of tasks) {
      expect(task.attachments![0].details!.find((d) => d.name === 'subnetId')!.value).toBe('subnet-b')
    }
  })

  it('propagateTags SERVICE and managed tags land on the service’s tasks', () => {
    setup()
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'tagged',
      taskDefinition: 'app',
      desiredCount: 1,
      tags: [{key: 'team', value: 'core'}],
      propagateTags: 'SERVICE',
      enableECSManagedTags: true,
    })
    const [arn] = rig.e().callSync('listTasks', {cluster: 'dev'}).taskArns!
    const [task] = rig.e().callSync('describeTasks', {cluster: 'dev', tasks: [arn], include: ['TAGS']}).tasks!
    expect(task.tags).toEqual([
      {key: 'team', value: 'core'},
      {key: 'aws:ecs:clusterName', value: 'dev'},
      {key: 'aws:ecs:serviceName', value: 'tagged'},
    ])
    const plain = rig.e().callSync('describeTasks', {cluster: 'dev', tasks: [arn]}).tasks![0]
    expect(plain.tags).toBeUndefined()
  })
})

describe('UpdateService with a deregistered current task definition', () => {
  it('still accepts a network change (awsvpc) and rolls out with the same definition', () => {
    rig = openRig()
    rig.addInstance('c5.xlarge', 'us-east-1a')
    const arn = rig.register('vpc', [container('app')], {networkMode: 'awsvpc'})
    const net = (subnet: string) => ({awsvpcConfiguration: {subnets: [subnet]}})
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'vpc',
      taskDefinition: 'vpc',
      desiredCount: 1,
      networkConfiguration: net('subnet-1'),
    })
    rig.advance(2_000)
    rig.e().callSync('deregisterTaskDefinition', {taskDefinition: arn})
    const updated = rig
      .e()
      .callSync('updateService', {cluster: 'dev', service: 'vpc', networkConfiguration: net('subnet-2')}).service!
    expect(updated.deployments!.map((d) => [d.status, d.taskDefinition])).toEqual([
      ['PRIMARY', arn],
      ['ACTIVE', arn],
    ])
    rig.advance(5_000)
    expect(rig.describeService('vpc').deployments).toHaveLength(1)
    expect(rig.describeService('vpc').runningCount).toBe(1)
  })
})
