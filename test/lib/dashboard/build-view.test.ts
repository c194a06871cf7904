import {describe, expect, it} from '@jest/globals'
import type {ContainerInstance, Service, Task} from '@aws-sdk/client-ecs'
import fc from 'fast-check'

import {
  buildView,
  clusterView,
  EVENTS_SHOWN,
  strategyText,
  taskReservation,
  unplacedReason,
  type ViewOptions,
} from '../../../src/lib/dashboard/build-view.js'
import type {ClusterSnapshot} from '../../../src/lib/dashboard/collect.js'

const ARN = 'arn:aws:ecs:us-east-1:000000000000'
const OPTIONS: ViewOptions = {currentCluster: 'demo', composeServiceNamePrefix: ''}

function instance(id: string, az: string, o: Partial<ContainerInstance> = {}): ContainerInstance {
  return {
    containerInstanceArn: `${ARN}:container-instance/demo/${id}`,
    ec2InstanceId: `i-${id}`,
    status: 'ACTIVE',
    agentConnected: true,
    attributes: [
      {name: 'ecs.availability-zone', value: az},
      {name: 'ecs.instance-type', value: 't2.medium'},
    ],
    registeredResources: [
      {name: 'CPU', type: 'INTEGER', integerValue: 2048},
      {name: 'MEMORY', type: 'INTEGER', integerValue: 3943},
    ],
    remainingResources: [
      {name: 'CPU', type: 'INTEGER', integerValue: 1536},
      {name: 'MEMORY', type: 'INTEGER', integerValue: 3431},
    ],
    ...o,
  }
}

function task(id: string, group: string, o: Partial<Task> = {}): Task {
  return {
    taskArn: `${ARN}:task/demo/${id}`,
    taskDefinitionArn: `${ARN}:task-definition/web:3`,
    group,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    cpu: '256',
    memory: '256',
    launchType: 'EC2',
    ...o,
  }
}

function service(name: string, o: Partial<Service> = {}): Service {
  return {serviceName: name, status: 'ACTIVE', desiredCount: 4, runningCount: 4, pendingCount: 0, ...o}
}

function cluster(parts: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    cluster: {clusterName: 'demo', status: 'ACTIVE', registeredContainerInstancesCount: 2},
    instances: [],
    tasks: [],
    services: [],
    ...parts,
  }
}

describe('task reservations, strategies and unplaced reasons', () => {
  it('reserves the task-level size when set, else the sum over containers (memoryReservation before memory)', () => {
    expect(taskReservation(task('a', 'service:web', {cpu: '512', memory: '1024'}))).toEqual({cpu: 512, memory: 1024})
    const containers = [
      {name: 'a', cpu: '100', memoryReservation: '64', memory: '128'},
      {name: 'b', cpu: '50', memory: '200'},
      {name: 'c'},
    ]
    expect(taskReservation(task('b', 'family:job', {cpu: undefined, memory: undefined, containers}))).toEqual({
      cpu: 150,
      memory: 264,
    })
  })

  it('writes placement strategies in order', () => {
    expect(strategyText(undefined)).toBe('')
    expect(strategyText([])).toBe('')
    expect(
      strategyText([
        {type: 'spread', field: 'attribute:ecs.availability-zone'},
        {type: 'binpack', field: 'memory'},
      ]),
    ).toBe('spread(attribute:ecs.availability-zone) → binpack(memory)')
    expect(strategyText([{type: 'random'}])).toBe('random')
  })

  it('reports the newest placement failure since the last steady state, and nothing once steady again', () => {
    const failed = '(service web) was unable to place a task because no container instance met all of its requirements.'
    const closest = `${failed} The closest matching (container-instance 5d7f) has insufficient memory available.`
    const events = (...messages: string[]) => ({events: messages.map((message) => ({message}))})
    expect(unplacedReason(service('web', events(closest, failed, '(service web) has reached a steady state.')))).toBe(
      closest,
    )
    expect(unplacedReason(service('web', events('(service web) has reached a steady state.', closest)))).toBe('')
    expect(unplacedReason(service('web', events('(service web) has started 1 tasks: (task 1).')))).toBe('')
  })
})

describe('the cluster view', () => {
  it('groups instances by zone, puts their tasks on them and instanceless tasks in the zone lane', () => {
    const view = clusterView(
      cluster({
        instances: [
          instance('b1', 'us-east-1b', {registeredAt: new Date(1000)}),
          instance('a1', 'us-east-1a', {registeredAt: new Date(2000)}),
          instance('a2', 'us-east-1a', {registeredAt: new Date(1000), status: 'DRAINING'}),
        ],
        tasks: [
          task('t1', 'service:web', {containerInstanceArn: `${ARN}:container-instance/demo/a1`}),
          task('t2', 'service:web', {containerInstanceArn: `${ARN}:container-instance/demo/a1`, lastStatus: 'PENDING'}),
          task('t3', 'family:job', {containerInstanceArn: `${ARN}:container-instance/demo/b1`}),
          task('f1', 'service:web', {launchType: 'FARGATE', availabilityZone: 'us-east-1b'}),
        ],
        services: [service('web', {placementStrategy: [{type: 'binpack', field: 'cpu'}]})],
      }),
      OPTIONS,
    )
    expect(view.zones.map((z) => [z.name, z.instances.map((i) => i.id), z.fargate.map((t) => t.id)])).toEqual([
      ['us-east-1a', ['a2', 'a1'], []],
      ['us-east-1b', ['b1'], ['f1']],
    ])
    const a1 = view.zones[0].instances[1]
    expect(a1.tasks.map((t) => [t.id, t.service, t.lastStatus])).toEqual([
      ['t1', 'web', 'RUNNING'],
      ['t2', 'web', 'PENDING'],
    ])
    expect(a1.cpu).toEqual({registered: 2048, used: 512})
    expect(a1.memory).toEqual({registered: 3943, used: 512})
    expect(a1.killCommand).toBe('ecsx engine kill-instance i-a1')
    expect(view.zones[0].instances[0].status).toBe('DRAINING')
    expect(view.zones[1].instances[0].tasks[0]).toMatchObject({group: 'family:job', color: 1})
    expect(view.legend).toEqual([
      {label: 'web', color: 0},
      {label: 'job (task)', color: 1},
    ])
  })

  it('marks an INACTIVE instance: no kill command, usage from what is still on it', () => {
    const view = clusterView(
      cluster({
        instances: [instance('x', 'us-east-1a', {status: 'INACTIVE', agentConnected: false, remainingResources: []})],
      }),
      OPTIONS,
    )
    expect(view.zones[0].instances[0]).toMatchObject({
      status: 'INACTIVE',
      killCommand: '',
      agentConnected: false,
      cpu: {registered: 2048, used: 0},
    })
  })

  it('gives each service its deployment bounds, PRIMARY first, its latest events and a scale command', () => {
    const events = Array.from({length: 10}, (_, i) => ({
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 10 - i)),
      message: `e${i}`,
    }))
    const view = clusterView(
      cluster({
        cluster: {clusterName: 'other', status: 'ACTIVE'},
        services: [
          service('ecsx-web', {
            desiredCount: 3,
            deploymentConfiguration: {minimumHealthyPercent: 50, maximumPercent: 150},
            deployments: [
              {id: 'old', status: 'ACTIVE', taskDefinition: `${ARN}:task-definition/web:1`, runningCount: 2},
              {id: 'new', status: 'PRIMARY', taskDefinition: `${ARN}:task-definition/web:2`, pendingCount: 2},
            ],
            events,
          }),
        ],
      }),
      {...OPTIONS, composeServiceNamePrefix: 'ecsx-'},
    )
    const s = view.services[0]
    expect([s.minHealthy, s.maxTasks, s.minHealthyPercent, s.maximumPercent]).toEqual([2, 4, 50, 150])
    expect(s.deployments.map((d) => [d.id, d.status, d.taskDefinition, d.running, d.pending])).toEqual([
      ['new', 'PRIMARY', 'web:2', 0, 2],
      ['old', 'ACTIVE', 'web:1', 2, 0],
    ])
    expect(s.events).toHaveLength(EVENTS_SHOWN)
    expect(s.events[0]).toEqual({at: '2026-01-01T00:00:10.000Z', message: 'e0'})
    expect(s.scaleCommand).toBe('ecsx compose --project-name web service scale 4 --cluster other')
  })

  it('lists the configured cluster first, then the others by name, with the engine time', () => {
    const named = (clusterName: string) => cluster({cluster: {clusterName, status: 'ACTIVE'}})
    const view = buildView(
      {region: 'eu-west-1', engineTime: Date.UTC(2026, 0, 1), clusters: [named('b'), named('demo'), named('a')]},
      OPTIONS,
    )
    expect(view.clusters.map((c) => c.name)).toEqual(['demo', 'a', 'b'])
    expect(view.engineTime).toBe('2026-01-01T00:00:00.000Z')
    expect(view.region).toBe('eu-west-1')
    expect(view.advanceCommand).toBe('ecsx engine advance 30s')
  })

  it('shows every unstopped task exactly once, on its instance or in its zone lane (property)', () => {
    const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c']
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...zones), {minLength: 0, maxLength: 6}),
        fc.array(
          fc.record({on: fc.integer({min: -1, max: 7}), group: fc.constantFrom('service:a', 'service:b', 'family:j')}),
          {
            maxLength: 30,
          },
        ),
        (instanceZones, placements) => {
          const instances = instanceZones.map((az, i) => instance(`i${i}`, az))
          const tasks = placements.map((p, i) =>
            task(`t${i}`, p.group, {
              containerInstanceArn: p.on >= 0 ? `${ARN}:container-instance/demo/i${p.on}` : undefined,
              availabilityZone: zones[i % zones.length],
            }),
          )
          const view = clusterView(cluster({instances, tasks}), OPTIONS)
          const shown = view.zones
            .flatMap((z) => [...z.instances.flatMap((ci) => ci.tasks), ...z.fargate])
            .map((t) => t.id)
          expect(shown.sort()).toEqual(tasks.map((t) => t.taskArn!.split('/').pop()).sort())
          expect(view.zones.flatMap((z) => z.instances).length).toBe(instances.length)
        },
      ),
    )
  })
})
