import type {ContainerDefinition, RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {parseTaskCpu, parseTaskMemory} from '../../../../src/lib/engine/api/task-definitions/size.js'
import {caught, openTestEngine, type TestEngine} from '../engine-helpers.js'

const INVALID_CPU =
  "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."

const sleep360: RegisterTaskDefinitionCommandInput = {
  family: 'sleep360',
  containerDefinitions: [
    {name: 'sleep', image: 'busybox', cpu: 10, memory: 10, command: ['sleep', '360'], essential: true},
  ],
}

const container = (extra: ContainerDefinition = {}): ContainerDefinition => ({
  name: 'app',
  image: 'nginx:1.25',
  memory: 128,
  ...extra,
})

describe('task definitions', () => {
  let t: TestEngine
  const register = (input: RegisterTaskDefinitionCommandInput) => t.engine.callSync('registerTaskDefinition', input)
  const rejected = (input: RegisterTaskDefinitionCommandInput) => caught(() => register(input))

  beforeEach(() => {
    t = openTestEngine()
  })
  afterEach(() => t.cleanup())

  it('§10.1 registers sleep360 as revision 1, normalised, then revision 2', () => {
    const first = register(sleep360).taskDefinition!
    expect(first).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/sleep360:1',
      family: 'sleep360',
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'bridge',
      volumes: [],
      placementConstraints: [],
      compatibilities: ['EC2'],
    })
    expect(first.registeredAt).toBeInstanceOf(Date)
    expect(first.containerDefinitions).toEqual([
      {
        name: 'sleep',
        image: 'busybox',
        cpu: 10,
        memory: 10,
        command: ['sleep', '360'],
        essential: true,
        portMappings: [],
        environment: [],
        mountPoints: [],
        volumesFrom: [],
      },
    ])
    expect(Array.isArray(first.requiresAttributes)).toBe(true)
    expect(Object.keys(first).some((k) => k.startsWith('_'))).toBe(false)
    expect(register(sleep360).taskDefinition!.revision).toBe(2)
  })

  it('fills defaults: cpu 0, essential true', () => {
    const td = register({
      family: 'd',
      containerDefinitions: [{name: 'a', image: 'busybox', memoryReservation: 64}],
    }).taskDefinition!
    expect(td.containerDefinitions![0]).toMatchObject({cpu: 0, essential: true, portMappings: [], environment: []})
  })

  it('§10.2 a Fargate definition is compatible with EC2 and FARGATE and requires task-eni', () => {
    const td = register({
      family: 'sample-fargate',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'fargate-app',
          image: 'httpd:2.4',
          essential: true,
          portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}],
        },
      ],
    }).taskDefinition!
    expect(td.compatibilities).toEqual(['EC2', 'FARGATE'])
    expect(td.requiresCompatibilities).toEqual(['FARGATE'])
    expect(td.requiresAttributes!.map((a) => a.name)).toContain('ecs.capability.task-eni')
    expect(td.cpu).toBe('256')
    expect(td.memory).toBe('512')
  })

  it('§10.3 Fargate cpu 256 with memory 4096 → the exact invalid cpu ClientException', () => {
    const e = rejected({
      family: 'bad-size',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '4096',
      containerDefinitions: [container()],
    })
    expect(e).toEqual({name: 'ClientException', message: INVALID_CPU})
  })

  it('accepts every Fargate size pair of the table and rejects neighbours', () => {
    const valid: Array<[string, string]> = [
      ['256', '512'],
      ['256', '2048'],
      ['512', '4096'],
      ['1024', '8192'],
      ['2048', '16384'],
      ['4096', '30720'],
      ['1 vCPU', '2GB'],
    ]
    for (const [cpu, memory] of valid) {
      expect(
        register({
          family: 'f',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu,
          memory,
          containerDefinitions: [container({memory: undefined})],
        }).taskDefinition!.compatibilities,
      ).toContain('FARGATE')
    }
    for (const [cpu, memory] of [
      ['256', '3072'],
      ['512', '512'],
      ['2048', '3072'],
      ['4096', '31744'],
      ['128', '512'],
    ]) {
      expect(
        rejected({
          family: 'f',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu,
          memory,
          containerDefinitions: [container({memory: undefined})],
        }),
      ).toEqual({name: 'ClientException', message: INVALID_CPU})
    }
  })

  it('normalises "1 vCPU" and "1GB" to units and MiB', () => {
    const td = register({
      family: 'sizes',
      cpu: '1 vCPU',
      memory: '1GB',
      containerDefinitions: [container({memory: undefined})],
    }).taskDefinition!
    expect(td.cpu).toBe('1024')
    expect(td.memory).toBe('1024')
    expect(parseTaskCpu('0.5 vcpu')).toBe(512)
    expect(parseTaskCpu('2vCPU')).toBe(2048)
    expect(parseTaskMemory('0.5 GB')).toBe(512)
    expect(parseTaskMemory('3072')).toBe(3072)
    expect(parseTaskCpu('lots')).toBeUndefined()
    expect(rejected({family: 'x', cpu: 'lots', containerDefinitions: [container()]})).toEqual({
      name: 'ClientException',
      message: INVALID_CPU,
    })
  })

  it('Fargate requires awsvpc and task-level size', () => {
    expect(
      rejected({
        family: 'f',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [container()],
      }).message,
    ).toMatch(/awsvpc/)
    expect(
      rejected({
        family: 'f',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        memory: '512',
        containerDefinitions: [container()],
      }).message,
    ).toMatch(/'cpu' be defined at the task level/)
    expect(
      rejected({
        family: 'f',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [container({links: ['x']}), container({name: 'x'})],
      }).message,
    ).toMatch(/links/)
    expect(
      rejected({
        family: 'f',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [container({privileged: true})],
      }).message,
    ).toMatch(/privileged/)
  })

  it('an EC2 definition that could run on Fargate also lists FARGATE; one that cannot does not', () => {
    const portable = register({
      family: 'p',
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [container({memory: undefined})],
    }).taskDefinition!
    expect(portable.compatibilities).toEqual(['EC2', 'FARGATE'])
    const ec2only = register({
      family: 'q',
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [container({memory: undefined, privileged: true})],
    }).taskDefinition!
    expect(ec2only.compatibilities).toEqual(['EC2'])
  })

  it('§10.4 memory must exceed memoryReservation', () => {
    const e = rejected({family: 'm', containerDefinitions: [container({memory: 128, memoryReservation: 256})]})
    expect(e.name).toBe('ClientException')
    expect(e.message).toMatch(/'memory' \(128 MiB\) must be greater than 'memoryReservation' \(256 MiB\)/)
    expect(
      register({family: 'm', containerDefinitions: [container({memory: 300, memoryReservation: 128})]}).taskDefinition!
        .revision,
    ).toBe(1)
  })

  it('EC2 containers need memory or memoryReservation unless the task sets memory', () => {
    expect(rejected({family: 'm', containerDefinitions: [{name: 'a', image: 'busybox'}]}).message).toMatch(
      /At least one of 'memory' or 'memoryReservation' must be specified/,
    )
    expect(
      register({family: 'm', memory: '512', containerDefinitions: [{name: 'a', image: 'busybox'}]}).taskDefinition!
        .memory,
    ).toBe('512')
    expect(rejected({family: 'm', containerDefinitions: [container({memory: 2})]}).message).toMatch(/at least 4/)
  })

  it('container totals must fit the task size', () => {
    expect(
      rejected({
        family: 't',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          container({cpu: 200, memory: undefined, memoryReservation: 100}),
          container({name: 'b', cpu: 100, memory: undefined, memoryReservation: 100}),
        ],
      }).message,
    ).toMatch(/exceeds the task cpu/)
    expect(
      rejected({
        family: 't',
        memory: '512',
        containerDefinitions: [
          container({memory: undefined, memoryReservation: 300}),
          container({name: 'b', memory: undefined, memoryReservation: 300}),
        ],
      }).message,
    ).toMatch(/exceed the task memory/)
    // Equality is allowed (spec §11.9).
    expect(
      register({
        family: 't',
        cpu: '256',
        memory: '512',
        containerDefinitions: [container({cpu: 256, memory: undefined, memoryReservation: 512})],
      }).taskDefinition!.revision,
    ).toBe(1)
  })

  it('§10.5 network mode none forbids port mappings; awsvpc/host need hostPort = containerPort', () => {
    expect(
      rejected({
        family: 'n',
        networkMode: 'none',
        containerDefinitions: [container({portMappings: [{containerPort: 80}]})],
      }).message,
    ).toMatch(/network mode 'none'/)
    expect(
      rejected({
        family: 'n',
        networkMode: 'awsvpc',
        containerDefinitions: [container({portMappings: [{containerPort: 80, hostPort: 8080}]})],
      }),
    ).toEqual({
      name: 'ClientException',
      message: 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    })
    expect(
      rejected({
        family: 'n',
        networkMode: 'host',
        containerDefinitions: [container({portMappings: [{containerPort: 80, hostPort: 81}]})],
      }).message,
    ).toMatch(/networkMode=host/)
    const awsvpc = register({
      family: 'n',
      networkMode: 'awsvpc',
      containerDefinitions: [container({portMappings: [{containerPort: 80}]})],
    }).taskDefinition!
    expect(awsvpc.containerDefinitions![0].portMappings).toEqual([{containerPort: 80, hostPort: 80, protocol: 'tcp'}])
    const bridge = register({
      family: 'n',
      containerDefinitions: [
        container({
          portMappings: [
            {containerPort: 80, hostPort: 0},
            {containerPort: 81, hostPort: 8081, protocol: 'udp'},
          ],
        }),
      ],
    }).taskDefinition!
    expect(bridge.containerDefinitions![0].portMappings).toEqual([
      {containerPort: 80, hostPort: 0, protocol: 'tcp'},
      {containerPort: 81, hostPort: 8081, protocol: 'udp'},
    ])
  })

  it('§10.6 the same containerPort for tcp and udp in one container is an error', () => {
    const e = rejected({
      family: 'dns',
      containerDefinitions: [
        container({
          portMappings: [
            {containerPort: 53, protocol: 'tcp'},
            {containerPort: 53, protocol: 'udp'},
          ],
        }),
      ],
    })
    expect(e.name).toBe('ClientException')
    expect(e.message).toMatch(/containerPort 53 for both tcp and udp/)
    // Different containers may each use the port.
    expect(
      register({
        family: 'dns',
        containerDefinitions: [
          container({portMappings: [{containerPort: 53, protocol: 'udp'}]}),
          container({name: 'b', portMappings: [{containerPort: 53}]}),
        ],
      }).taskDefinition!.revision,
    ).toBe(1)
  })

  it('validates names, image, container count and essential containers', () => {
    expect(rejected({family: 'bad name', containerDefinitions: [container()]}).message).toMatch(/Invalid family name/)
    expect(rejected({family: 'x'.repeat(256), containerDefinitions: [container()]}).message).toMatch(
      /Invalid family name/,
    )
    expect(register({family: 'x'.repeat(255), containerDefinitions: [container()]}).taskDefinition!.revision).toBe(1)
    expect(rejected({family: 'f', containerDefinitions: []}).message).toMatch(/at least one container/)
    expect(
      rejected({family: 'f', containerDefinitions: Array.from({length: 11}, (_, i) => container({name: `c${i}`}))})
        .message,
    ).toMatch(/at most 10 containers/)
    expect(
      register({family: 'f', containerDefinitions: Array.from({length: 10}, (_, i) => container({name: `c${i}`}))})
        .taskDefinition!.containerDefinitions,
    ).toHaveLength(10)
    expect(rejected({family: 'f', containerDefinitions: [container({image: ''})]}).message).toMatch(
      /Container.image should not be null or empty/,
    )
    expect(rejected({family: 'f', containerDefinitions: [{name: 'a', memory: 10}]}).message).toMatch(
      /Container.image should not be null or empty/,
    )
    expect(rejected({family: 'f', containerDefinitions: [container({name: 'a b'})]}).message).toMatch(
      /Invalid container name/,
    )
    expect(rejected({family: 'f', containerDefinitions: [container(), container()]}).message).toMatch(
      /Duplicate container name 'app'/,
    )
    expect(rejected({family: 'f', containerDefinitions: [container({essential: false})]}).message).toMatch(
      /at least one essential container/,
    )
    expect(rejected({family: 'f', containerDefinitions: [null as never]}).message).toMatch(
      /must be a container definition object/,
    )
  })

  it('links only in bridge mode and only to containers of the task', () => {
    expect(
      rejected({
        family: 'l',
        networkMode: 'awsvpc',
        containerDefinitions: [container({links: ['db']}), container({name: 'db'})],
      }).message,
    ).toMatch(/Links are not supported/)
    expect(rejected({family: 'l', containerDefinitions: [container({links: ['db']})]}).message).toMatch(/links to 'db'/)
    expect(
      register({family: 'l', containerDefinitions: [container({links: ['db:database']}), container({name: 'db'})]})
        .taskDefinition!.revision,
    ).toBe(1)
  })

  it('mountPoints, volumesFrom and dependsOn must reference what exists; dependsOn cycles are rejected', () => {
    expect(
      rejected({
        family: 'v',
        containerDefinitions: [container({mountPoints: [{sourceVolume: 'data', containerPath: '/d'}]})],
      }).message,
    ).toMatch(/sourceVolume 'data' is not a volume/)
    const ok = register({
      family: 'v',
      volumes: [{name: 'data', host: {sourcePath: '/srv'}}],
      containerDefinitions: [container({mountPoints: [{sourceVolume: 'data', containerPath: '/d'}]})],
    }).taskDefinition!
    expect(ok.containerDefinitions![0].mountPoints).toEqual([
      {sourceVolume: 'data', containerPath: '/d', readOnly: false},
    ])
    expect(
      rejected({family: 'v', containerDefinitions: [container({volumesFrom: [{sourceContainer: 'nope'}]})]}).message,
    ).toMatch(/volumesFrom/)
    expect(
      rejected({
        family: 'v',
        containerDefinitions: [container({dependsOn: [{containerName: 'nope', condition: 'START'}]})],
      }).message,
    ).toMatch(/dependsOn/)
    expect(
      rejected({
        family: 'v',
        containerDefinitions: [
          container({dependsOn: [{containerName: 'b', condition: 'HEALTHY'}]}),
          container({name: 'b'}),
        ],
      }).message,
    ).toMatch(/has no healthCheck/)
    const cycle = rejected({
      family: 'v',
      containerDefinitions: [
        container({name: 'a', dependsOn: [{containerName: 'b', condition: 'START'}]}),
        container({name: 'b', dependsOn: [{containerName: 'c', condition: 'START'}]}),
        container({name: 'c', dependsOn: [{containerName: 'a', condition: 'COMPLETE'}]}),
      ],
    })
    expect(cycle.message).toMatch(/cycle: a -> b -> c -> a/)
  })

  it('placement constraints: only memberOf, with a valid expression', () => {
    expect(
      rejected({
        family: 'p',
        placementConstraints: [{type: 'distinctInstance' as never}],
        containerDefinitions: [container()],
      }).message,
    ).toMatch(/only 'memberOf'/)
    expect(
      caught(() =>
        register({
          family: 'p',
          placementConstraints: [{type: 'memberOf', expression: 'attribute:x =='}],
          containerDefinitions: [container()],
        }),
      ).name,
    ).toBe('InvalidParameterException')
    const td = register({
      family: 'p',
      placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*'}],
      containerDefinitions: [container()],
    }).taskDefinition!
    expect(td.placementConstraints).toEqual([{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*'}])
  })

  it('health checks get their defaults and ranges are enforced', () => {
    const td = register({
      family: 'h',
      containerDefinitions: [container({healthCheck: {command: ['CMD-SHELL', 'true']}})],
    }).taskDefinition!
    expect(td.containerDefinitions![0].healthCheck).toEqual({
      command: ['CMD-SHELL', 'true'],
      interval: 30,
      timeout: 5,
      retries: 3,
    })
    expect(
      rejected({family: 'h', containerDefinitions: [container({healthCheck: {command: ['CMD', 'x'], interval: 4}})]})
        .message,
    ).toMatch(/interval/)
  })

  it('a family resolves to its highest ACTIVE revision through interleaved families, tags, deregistrations and tasks', () => {
    // Property: after any sequence of registrations (two families, interleaved), deregistrations, tagging and task
    // churn (documents inserted and purged between revisions), `family` means the highest ACTIVE revision.
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({op: fc.constant('register' as const), family: fc.constantFrom('a', 'b')}),
            fc.record({op: fc.constant('deregister' as const), family: fc.constantFrom('a', 'b'), pick: fc.nat()}),
            fc.record({op: fc.constant('tag' as const), family: fc.constantFrom('a', 'b'), pick: fc.nat()}),
            fc.record({op: fc.constant('churn' as const)}),
          ),
          {maxLength: 30},
        ),
        (ops) => {
          const local = openTestEngine()
          try {
            const e = local.engine
            e.callSync('createCluster', {clusterName: 'c'})
            e.callSync('registerContainerInstance', {
              cluster: 'c',
              instanceIdentityDocument: JSON.stringify({instanceType: 't2.micro', availabilityZone: 'us-east-1a'}),
            })
            e.callSync('registerTaskDefinition', {
              family: 'z',
              containerDefinitions: [{name: 'x', image: 'busybox', memory: 32}],
            })
            const active: Record<string, number[]> = {a: [], b: []}
            const all: Record<string, number[]> = {a: [], b: []}
            for (const step of ops) {
              if (step.op === 'register') {
                const revision = e.callSync('registerTaskDefinition', {
                  family: step.family,
                  containerDefinitions: [{name: 'x', image: 'busybox', memory: 32}],
                }).taskDefinition!.revision!
                active[step.family].push(revision)
                all[step.family].push(revision)
              } else if (step.op === 'deregister' && active[step.family].length > 0) {
                const [revision] = active[step.family].splice(step.pick % active[step.family].length, 1)
                e.callSync('deregisterTaskDefinition', {taskDefinition: `${step.family}:${revision}`})
              } else if (step.op === 'tag' && all[step.family].length > 0) {
                const revision = all[step.family][step.pick % all[step.family].length]
                e.callSync('tagResource', {
                  resourceArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${step.family}:${revision}`,
                  tags: [{key: 'k', value: String(revision)}],
                })
              } else if (step.op === 'churn') {
                // Documents inserted after the newest revision and then deleted (a task run, stopped and purged):
                // the next revision's row may reuse their row ids.
                const arn = e.callSync('runTask', {cluster: 'c', taskDefinition: 'z'}).tasks![0].taskArn!
                e.callSync('stopTask', {cluster: 'c', task: arn})
                e.advance(2 * 3_600_000)
              }
              for (const family of ['a', 'b']) {
                const expected = active[family].length ? Math.max(...active[family]) : undefined
                const got =
                  expected === undefined
                    ? caught(() => e.callSync('describeTaskDefinition', {taskDefinition: family})).name
                    : e.callSync('describeTaskDefinition', {taskDefinition: family}).taskDefinition!.revision
                expect(got).toBe(expected ?? 'ClientException')
              }
            }
          } finally {
            local.cleanup()
          }
        },
      ),
      {numRuns: 40},
    )
  })

  it('deregistration makes a revision INACTIVE but describable; the family resolves to the latest ACTIVE', () => {
    register(sleep360)
    register(sleep360)
    const out = t.engine.callSync('deregisterTaskDefinition', {taskDefinition: 'sleep360:2'}).taskDefinition!
    expect(out.status).toBe('INACTIVE')
    expect(out.deregisteredAt).toBeInstanceOf(Date)
    expect(t.engine.callSync('describeTaskDefinition', {taskDefinition: 'sleep360:2'}).taskDefinition!.status).toBe(
      'INACTIVE',
    )
    expect(t.engine.callSync('describeTaskDefinition', {taskDefinition: 'sleep360'}).taskDefinition!.revision).toBe(1)
    expect(
      t.engine.callSync('describeTaskDefinition', {
        taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/sleep360:2',
      }).taskDefinition!.revision,
    ).toBe(2)
    // Revisions are never reused.
    expect(register(sleep360).taskDefinition!.revision).toBe(3)
    expect(t.engine.callSync('listTaskDefinitions', {}).taskDefinitionArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:task-definition/sleep360:1',
      'arn:aws:ecs:us-east-1:000000000000:task-definition/sleep360:3',
    ])
    expect(t.engine.callSync('listTaskDefinitions', {status: 'INACTIVE'}).taskDefinitionArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:task-definition/sleep360:2',
    ])
    expect(caught(() => t.engine.callSync('deregisterTaskDefinition', {taskDefinition: 'sleep360'})).message).toMatch(
      /revision is required/,
    )
    expect(caught(() => t.engine.callSync('deregisterTaskDefinition', {taskDefinition: 'sleep360:9'}))).toEqual({
      name: 'ClientException',
      message: 'The specified task definition does not exist.',
    })
  })

  it('§10.21 a deregistered revision keeps its service running and scalable, but cannot start new work', () => {
    t.engine.callSync('createCluster', {clusterName: 'dev'})
    for (const az of ['us-east-1a', 'us-east-1b']) {
      t.engine.callSync('registerContainerInstance', {
        cluster: 'dev',
        instanceIdentityDocument: JSON.stringify({instanceType: 't2.micro', availabilityZone: az}),
      })
    }
    register({family: 'web', containerDefinitions: [container({memory: 64})]})
    t.engine.callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 1})
    t.engine.advance(30_000)
    t.engine.callSync('deregisterTaskDefinition', {taskDefinition: 'web:1'})
    t.engine.advance(30_000)
    const running = t.engine.callSync('describeServices', {cluster: 'dev', services: ['web']}).services![0]
    expect(running).toMatchObject({
      status: 'ACTIVE',
      runningCount: 1,
      taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
    })
    t.engine.callSync('updateService', {cluster: 'dev', service: 'web', desiredCount: 2})
    t.engine.advance(30_000)
    expect(t.engine.callSync('describeServices', {cluster: 'dev', services: ['web']}).services![0].runningCount).toBe(2)
    const create = caught(() =>
      t.engine.callSync('createService', {
        cluster: 'dev',
        serviceName: 'web2',
        taskDefinition: 'web:1',
        desiredCount: 1,
      }),
    )
    expect(create).toEqual({
      name: 'ClientException',
      message:
        'The specified task definition arn:aws:ecs:us-east-1:000000000000:task-definition/web:1 is inactive. Specify an active task definition and try again.',
    })
    expect(caught(() => t.engine.callSync('runTask', {cluster: 'dev', taskDefinition: 'web:1'})).name).toBe(
      'ClientException',
    )
  })

  it('describe: unknown definitions and families without an ACTIVE revision fail like ECS', () => {
    expect(caught(() => t.engine.callSync('describeTaskDefinition', {taskDefinition: 'nope'}))).toEqual({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    })
    register(sleep360)
    t.engine.callSync('deregisterTaskDefinition', {taskDefinition: 'sleep360:1'})
    expect(caught(() => t.engine.callSync('describeTaskDefinition', {taskDefinition: 'sleep360'})).name).toBe(
      'ClientException',
    )
  })

  it('tags at registration are returned with include TAGS', () => {
    register({...sleep360, tags: [{key: 'team', value: 'a'}]})
    expect(t.engine.callSync('describeTaskDefinition', {taskDefinition: 'sleep360:1', include: ['TAGS']}).tags).toEqual(
      [{key: 'team', value: 'a'}],
    )
    expect(t.engine.callSync('describeTaskDefinition', {taskDefinition: 'sleep360:1'}).tags).toBeUndefined()
    expect(caught(() => register({...sleep360, tags: [{key: 'aws:x', value: 'a'}]})).name).toBe(
      'InvalidParameterException',
    )
  })

  it('lists definitions sorted by family and revision, ASC and DESC, with pagination', () => {
    for (const family of ['web', 'api', 'web', 'api', 'api']) register({family, containerDefinitions: [container()]})
    const asc = t.engine.callSync('listTaskDefinitions', {}).taskDefinitionArns!.map((a) => a.split('/')[1])
    expect(asc).toEqual(['api:1', 'api:2', 'api:3', 'web:1', 'web:2'])
    const desc = t.engine
      .callSync('listTaskDefinitions', {sort: 'DESC'})
      .taskDefinitionArns!.map((a) => a.split('/')[1])
    expect(desc).toEqual(['web:2', 'web:1', 'api:3', 'api:2', 'api:1'])
    expect(
      t.engine.callSync('listTaskDefinitions', {familyPrefix: 'web'}).taskDefinitionArns!.map((a) => a.split('/')[1]),
    ).toEqual(['web:1', 'web:2'])
    const page1 = t.engine.callSync('listTaskDefinitions', {maxResults: 2})
    expect(page1.taskDefinitionArns).toHaveLength(2)
    const page2 = t.engine.callSync('listTaskDefinitions', {maxResults: 2, nextToken: page1.nextToken})
    const page3 = t.engine.callSync('listTaskDefinitions', {maxResults: 2, nextToken: page2.nextToken})
    expect(
      [...page1.taskDefinitionArns!, ...page2.taskDefinitionArns!, ...page3.taskDefinitionArns!].map(
        (a) => a.split('/')[1],
      ),
    ).toEqual(asc)
    expect(page3.nextToken).toBeUndefined()
  })

  it('lists families by prefix and status ACTIVE / INACTIVE / ALL', () => {
    register({family: 'web', containerDefinitions: [container()]})
    register({family: 'worker', containerDefinitions: [container()]})
    register({family: 'api', containerDefinitions: [container()]})
    t.engine.callSync('deregisterTaskDefinition', {taskDefinition: 'worker:1'})
    expect(t.engine.callSync('listTaskDefinitionFamilies', {}).families).toEqual(['api', 'web'])
    expect(t.engine.callSync('listTaskDefinitionFamilies', {status: 'INACTIVE'}).families).toEqual(['worker'])
    expect(t.engine.callSync('listTaskDefinitionFamilies', {status: 'ALL', familyPrefix: 'w'}).families).toEqual([
      'web',
      'worker',
    ])
  })

  it('property: any valid EC2 definition registers, and revisions count up per family', () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/)
    const containerArb = fc.record({
      cpu: fc.integer({min: 0, max: 1024}),
      memory: fc.integer({min: 4, max: 4096}),
      reservationGap: fc.option(fc.integer({min: 1, max: 100}), {nil: undefined}),
      port: fc.option(fc.integer({min: 1, max: 65535}), {nil: undefined}),
    })
    fc.assert(
      fc.property(name, fc.array(containerArb, {minLength: 1, maxLength: 10}), (family, specs) => {
        const defs: ContainerDefinition[] = specs.map((s, i) => ({
          name: `c${i}`,
          image: 'busybox',
          cpu: s.cpu,
          memory: s.memory + (s.reservationGap ?? 0),
          ...(s.reservationGap ? {memoryReservation: s.memory} : {}),
          ...(s.port ? {portMappings: [{containerPort: s.port}]} : {}),
        }))
        const before = t.engine.callSync('listTaskDefinitions', {familyPrefix: family}).taskDefinitionArns!.length
        const td = register({family, containerDefinitions: defs}).taskDefinition!
        expect(td.revision).toBe(before + 1)
        expect(td.containerDefinitions).toHaveLength(defs.length)
        expect(td.containerDefinitions!.every((c) => c.essential === true)).toBe(true)
      }),
      {numRuns: 60},
    )
  })
})

describe('task definitions: fuzz', () => {
  let t: TestEngine
  beforeEach(() => {
    t = openTestEngine()
  })
  afterEach(() => t.cleanup())

  it('malformed input is always an ECS error (never a crash), and nothing is stored for it', () => {
    const junk = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.array(fc.anything(), {maxLength: 2}),
      fc.object({maxDepth: 1}),
    )
    const containerArb = fc.record(
      {
        name: fc.oneof(fc.constantFrom('app', 'db'), junk),
        image: fc.oneof(fc.constant('busybox'), junk),
        cpu: fc.oneof(fc.integer({min: -5, max: 2048}), junk),
        memory: fc.oneof(fc.integer({min: -5, max: 4096}), junk),
        memoryReservation: junk,
        essential: junk,
        portMappings: fc.oneof(
          fc.array(
            fc.record(
              {containerPort: fc.oneof(fc.integer({min: -1, max: 70000}), junk), hostPort: junk, protocol: junk},
              {requiredKeys: []},
            ),
            {maxLength: 3},
          ),
          junk,
        ),
        links: junk,
        mountPoints: junk,
        volumesFrom: junk,
        dependsOn: junk,
        healthCheck: junk,
        logConfiguration: junk,
        ulimits: junk,
        environment: junk,
        linuxParameters: junk,
        resourceRequirements: junk,
      },
      {requiredKeys: []},
    )
    const inputArb = fc.record(
      {
        family: fc.oneof(fc.constant('fuzz'), junk),
        networkMode: fc.oneof(fc.constantFrom('bridge', 'host', 'awsvpc', 'none'), junk),
        containerDefinitions: fc.oneof(fc.array(fc.oneof(containerArb, junk), {maxLength: 3}), junk),
        volumes: junk,
        placementConstraints: junk,
        requiresCompatibilities: fc.oneof(fc.constant(['FARGATE']), junk),
        cpu: fc.oneof(fc.constantFrom('256', '1 vCPU'), junk),
        memory: fc.oneof(fc.constantFrom('512', '2GB'), junk),
        tags: junk,
        pidMode: junk,
        ipcMode: junk,
        proxyConfiguration: junk,
      },
      {requiredKeys: []},
    )
    fc.assert(
      fc.property(inputArb, (input) => {
        const before = t.engine.callSync('listTaskDefinitions', {status: 'ACTIVE'}).taskDefinitionArns!.length
        try {
          t.engine.callSync('registerTaskDefinition', input as never)
        } catch (error) {
          expect(['ClientException', 'InvalidParameterException']).toContain((error as Error).name)
          expect(t.engine.callSync('listTaskDefinitions', {status: 'ACTIVE'}).taskDefinitionArns!.length).toBe(before)
        }
      }),
      {numRuns: 400},
    )
  })
})
