/**
 * Wire fidelity: the same sequence of calls against a fresh in-process engine and a fresh engine behind
 * SDK → HTTP → engine serve must give the same outputs, field for field (after masking generated ids). This catches
 * what the per-scenario assertions do not look at: engine fields the SDK does not model (they would vanish on the
 * wire), timestamps that lose precision, numbers that turn into strings, `null` vs absent.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import type {Backend} from '../../src/lib/ecs/backend.js'
import {container, RESERVED_PORTS} from './fixtures.js'
import {type BackendUnderTest, openBackendUnderTest} from './harness.js'

/** Generated identifiers differ between two engines; everything else must not. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return {date: value.getTime()}
  if (typeof value === 'string') {
    return value
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/[0-9a-f]{32}/g, '<id>')
      .replace(/ecs-svc\/\d{19}/g, 'ecs-svc/<n>')
  }
  if (Array.isArray(value)) {
    // Order can follow generated ids (e.g. ARNs): compare as multisets.
    return value.map(normalise).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]))
  return value
}

type Step = (b: Backend, t: BackendUnderTest) => Promise<unknown>

const SCRIPT: Array<[string, Step]> = [
  [
    'CreateCluster',
    (b) =>
      b.createCluster({
        clusterName: 'wire',
        tags: [{key: 'team', value: 'blue'}],
        settings: [{name: 'containerInsights', value: 'enabled'}],
      }),
  ],
  [
    'RegisterContainerInstance a',
    (b) =>
      b.registerContainerInstance({
        cluster: 'wire',
        instanceIdentityDocument: JSON.stringify({
          instanceId: 'i-00000000000000a1',
          instanceType: 't2.medium',
          availabilityZone: 'us-east-1a',
          privateIp: '10.0.0.11',
        }),
        totalResources: [
          {name: 'CPU', type: 'INTEGER', integerValue: 2048},
          {name: 'MEMORY', type: 'INTEGER', integerValue: 3955},
          {name: 'PORTS', type: 'STRINGSET', stringSetValue: RESERVED_PORTS},
        ],
        attributes: [{name: 'stack', value: 'prod'}],
      }),
  ],
  [
    'RegisterContainerInstance b',
    (b) =>
      b.registerContainerInstance({
        cluster: 'wire',
        instanceIdentityDocument: JSON.stringify({
          instanceId: 'i-00000000000000b2',
          instanceType: 't2.medium',
          availabilityZone: 'us-east-1b',
          privateIp: '10.0.0.12',
        }),
        totalResources: [
          {name: 'CPU', type: 'INTEGER', integerValue: 2048},
          {name: 'MEMORY', type: 'INTEGER', integerValue: 3955},
        ],
      }),
  ],
  [
    'RegisterTaskDefinition (rich)',
    (b) =>
      b.registerTaskDefinition({
        family: 'rich',
        networkMode: 'bridge',
        taskRoleArn: 'arn:aws:iam::000000000000:role/app',
        tags: [{key: 'project', value: 'wire'}],
        volumes: [{name: 'data', host: {sourcePath: '/srv/data'}}],
        placementConstraints: [
          {type: 'memberOf', expression: 'attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'},
        ],
        containerDefinitions: [
          container('web', {
            image: 'nginx:1.27',
            cpu: 128,
            memory: 256,
            memoryReservation: 128,
            portMappings: [
              {containerPort: 80, hostPort: 0, protocol: 'tcp'},
              {containerPort: 53, hostPort: 0, protocol: 'udp'},
            ],
            environment: [
              {name: 'MODE', value: 'prod'},
              {name: 'EMPTY', value: ''},
            ],
            healthCheck: {
              command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
              interval: 5,
              timeout: 2,
              retries: 3,
              startPeriod: 10,
            },
            logConfiguration: {logDriver: 'json-file', options: {'max-size': '10m'}},
            ulimits: [{name: 'nofile', softLimit: 1024, hardLimit: 4096}],
            mountPoints: [{sourceVolume: 'data', containerPath: '/data', readOnly: true}],
            dockerLabels: {'com.example.tier': 'front'},
            links: ['sidecar'],
            dependsOn: [{containerName: 'sidecar', condition: 'START'}],
            command: undefined,
          }),
          container('sidecar', {essential: false, cpu: 64, memory: 64}),
        ],
      }),
  ],
  ['DescribeTaskDefinition', (b) => b.describeTaskDefinition({taskDefinition: 'rich', include: ['TAGS']})],
  [
    'RunTask',
    (b) =>
      b.runTask({
        cluster: 'wire',
        taskDefinition: 'rich',
        count: 2,
        startedBy: 'wire',
        placementStrategy: [{type: 'spread', field: 'attribute:ecs.availability-zone'}],
        overrides: {containerOverrides: [{name: 'web', environment: [{name: 'EXTRA', value: '1'}]}]},
      }),
  ],
  ['advance 30s', async (_b, t) => t.advance(30_000)],
  [
    'ListTasks + DescribeTasks',
    async (b) =>
      b.describeTasks({cluster: 'wire', tasks: (await b.listTasks({cluster: 'wire'})).taskArns, include: ['TAGS']}),
  ],
  [
    'CreateService',
    (b) =>
      b.createService({
        cluster: 'wire',
        serviceName: 'api',
        taskDefinition: 'rich',
        desiredCount: 2,
        deploymentConfiguration: {maximumPercent: 150, minimumHealthyPercent: 50},
        placementStrategy: [{type: 'binpack', field: 'memory'}],
        tags: [{key: 'svc', value: 'api'}],
      }),
  ],
  ['advance 60s', async (_b, t) => t.advance(60_000)],
  ['DescribeServices', (b) => b.describeServices({cluster: 'wire', services: ['api', 'ghost'], include: ['TAGS']})],
  [
    'DescribeContainerInstances',
    async (b) =>
      b.describeContainerInstances({
        cluster: 'wire',
        containerInstances: (await b.listContainerInstances({cluster: 'wire'})).containerInstanceArns,
      }),
  ],
  [
    'DescribeClusters',
    (b) => b.describeClusters({clusters: ['wire', 'nope'], include: ['TAGS', 'SETTINGS', 'STATISTICS']}),
  ],
  [
    'ListAttributes',
    (b) => b.listAttributes({cluster: 'wire', targetType: 'container-instance', attributeName: 'stack'}),
  ],
  [
    'UpdateService',
    (b) => b.updateService({cluster: 'wire', service: 'api', desiredCount: 3, forceNewDeployment: true}),
  ],
  ['advance 120s', async (_b, t) => t.advance(120_000)],
  ['DescribeServices after the rollout', (b) => b.describeServices({cluster: 'wire', services: ['api']})],
  [
    'StopTask',
    async (b) => {
      // The standalone task in us-east-1a: the same task on both engines (ARN order follows random ids).
      const {tasks} = await b.describeTasks({
        cluster: 'wire',
        tasks: (await b.listTasks({cluster: 'wire', startedBy: 'wire'})).taskArns,
      })
      const inA = tasks!.find((x) => x.availabilityZone === 'us-east-1a')!
      return b.stopTask({cluster: 'wire', task: inA.taskArn!, reason: 'wire test'})
    },
  ],
  ['advance 60s (stop)', async (_b, t) => t.advance(60_000)],
  [
    'ListTasks STOPPED + DescribeTasks',
    async (b) =>
      b.describeTasks({
        cluster: 'wire',
        tasks: (await b.listTasks({cluster: 'wire', desiredStatus: 'STOPPED', startedBy: 'wire'})).taskArns,
      }),
  ],
  ['ListTaskDefinitionFamilies', (b) => b.listTaskDefinitionFamilies({})],
  [
    'ListTagsForResource',
    async (b) =>
      b.listTagsForResource({
        resourceArn: (await b.describeTaskDefinition({taskDefinition: 'rich'})).taskDefinition!.taskDefinitionArn!,
      }),
  ],
]

describe('wire fidelity: in-process and over-HTTP outputs are identical', () => {
  let inProcess: BackendUnderTest
  let overHttp: BackendUnderTest
  const outputs = new Map<string, [unknown, unknown]>()

  beforeAll(async () => {
    inProcess = await openBackendUnderTest('in-process')
    overHttp = await openBackendUnderTest('over-http')
    for (const [name, step] of SCRIPT) {
      const a = await step(inProcess.backend, inProcess)
      const b = await step(overHttp.backend, overHttp)
      outputs.set(name, [a, b])
    }
  })
  afterAll(async () => {
    await inProcess?.close()
    await overHttp?.close()
  })

  it.each(SCRIPT.map(([name]) => [name]))('%s', (name) => {
    const [a, b] = outputs.get(name)!
    expect(normalise(b)).toEqual(normalise(a))
  })

  it('the script exercised real data (tasks ran, the service rolled out)', () => {
    const [described] = outputs.get('DescribeServices after the rollout')! as [
      {services: Array<{runningCount: number; deployments: unknown[]}>},
      unknown,
    ]
    expect(described.services[0].runningCount).toBe(3)
    expect(described.services[0].deployments).toHaveLength(1)
    const [stopped] = outputs.get('ListTasks STOPPED + DescribeTasks')! as [
      {tasks: Array<{stoppedReason?: string}>},
      unknown,
    ]
    expect(stopped.tasks.some((t) => t.stoppedReason === 'wire test')).toBe(true)
    const [running, runningOverHttp] = outputs.get('ListTasks + DescribeTasks')! as Array<{
      tasks: Array<{containers: Array<{networkBindings?: unknown[]}>; startedAt?: Date}>
    }>
    expect(running.tasks).toHaveLength(2)
    expect(runningOverHttp.tasks[0].containers[0].networkBindings!.length).toBeGreaterThan(0)
    expect(runningOverHttp.tasks[0].startedAt).toBeInstanceOf(Date)
    const [, def] = outputs.get('DescribeTaskDefinition')! as Array<{
      taskDefinition: {containerDefinitions: Array<{dockerLabels?: Record<string, string>}>}
      tags: unknown[]
    }>
    expect(def.taskDefinition.containerDefinitions.find((c) => c.dockerLabels)?.dockerLabels).toEqual({
      'com.example.tier': 'front',
    })
    expect(def.tags).toEqual([{key: 'project', value: 'wire'}])
  })
})
