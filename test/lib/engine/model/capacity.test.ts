import {describe, expect, it} from '@jest/globals'
import {
  availabilityZones,
  builtInAttributes,
  DEFAULT_RESERVED_TCP_PORTS,
  demandOf,
  derivedRegisteredMemory,
  EPHEMERAL_PORT_RANGE,
  instanceType,
  parseCpuUnits,
  parseMemoryMiB,
  registeredCapacity,
  requiredAttributesFor,
} from '../../../../src/lib/engine/model/capacity.js'

describe('instance types', () => {
  it('quotes the guide: t2.micro 1024/995, c4.large 2048/3768, m4.large 7985, t2.medium 3943', () => {
    expect(instanceType('t2.micro')).toMatchObject({cpu: 1024, memory: 995})
    expect(instanceType('c4.large')).toMatchObject({cpu: 2048, memory: 3768})
    expect(instanceType('m4.large')).toMatchObject({cpu: 2048, memory: 7985})
    expect(instanceType('t2.medium')).toMatchObject({cpu: 2048, memory: 3943})
    expect(instanceType('c4.4xlarge')).toMatchObject({cpu: 16384, memory: 30158})
  })

  it('derives other types within 2 % of every quoted value (the documented rule)', () => {
    for (const [name, quoted] of [
      ['t2.micro', 995],
      ['t2.medium', 3943],
      ['m4.large', 7985],
      ['c4.large', 3768],
      ['c4.4xlarge', 30158],
    ] as const) {
      const derived = derivedRegisteredMemory(instanceType(name)!.memoryGiB)
      expect(Math.abs(derived - quoted) / quoted).toBeLessThan(0.02)
    }
    expect(instanceType('t3.large')!.memory).toBe(derivedRegisteredMemory(8))
  })

  it('c5.large has 3 ENIs (2 awsvpc tasks); GPU types carry GPUs; a1 is arm64', () => {
    expect(instanceType('c5.large')!.maxEnis).toBe(3)
    expect(instanceType('p2.xlarge')!.gpus).toBe(1)
    expect(instanceType('g2.2xlarge')).toMatchObject({gpus: 1, vcpu: 8})
    expect(instanceType('a1.medium')!.architecture).toBe('arm64')
    expect(registeredCapacity('t2.micro', 256)).toEqual({cpu: 1024, memory: 739, gpu: 0, maxEnis: 2})
    expect(() => registeredCapacity('x9.huge')).toThrow(/unknown instance type/)
  })

  it('every type: cpu = vCPU × 1024 and registered memory below the marketing figure', () => {
    for (const name of [
      't2.nano',
      't3.2xlarge',
      'm5.24xlarge',
      'r5.large',
      'c5.9xlarge',
      'p3.16xlarge',
      'g3s.xlarge',
    ]) {
      const type = instanceType(name)!
      expect(type.cpu).toBe(type.vcpu * 1024)
      expect(type.memory).toBeLessThan(type.memoryGiB * 1024)
      expect(type.memory).toBeGreaterThan(type.memoryGiB * 1024 * 0.9)
    }
  })
})

describe('attributes, ports, zones', () => {
  it('built-in attributes: instance facts with values, capabilities without', () => {
    const attributes = builtInAttributes({
      instanceType: 'g2.2xlarge',
      availabilityZone: 'us-east-1d',
      amiId: 'ami-eca289fb',
    })
    const byName = new Map(attributes.map((a) => [a.name, a.value]))
    expect(byName.get('ecs.instance-type')).toBe('g2.2xlarge')
    expect(byName.get('ecs.availability-zone')).toBe('us-east-1d')
    expect(byName.get('ecs.os-type')).toBe('linux')
    expect(byName.get('ecs.ami-id')).toBe('ami-eca289fb')
    for (const name of [
      'ecs.capability.task-eni',
      'com.amazonaws.ecs.capability.docker-remote-api.1.17',
      'com.amazonaws.ecs.capability.docker-remote-api.1.44',
      'com.amazonaws.ecs.capability.logging-driver.awslogs',
      'com.amazonaws.ecs.capability.privileged-container',
      'com.amazonaws.ecs.capability.ecr-auth',
      'com.amazonaws.ecs.capability.task-iam-role',
      'com.amazonaws.ecs.capability.task-iam-role-network-host',
    ]) {
      expect(byName.has(name)).toBe(true)
      expect(byName.get(name)).toBeUndefined()
    }
    expect(byName.has('com.amazonaws.ecs.capability.docker-remote-api.1.45')).toBe(false)
  })

  it('windows has no privileged-container or task-eni; ECS_DISABLE_PRIVILEGED drops privileged', () => {
    const names = (o: Parameters<typeof builtInAttributes>[0]) => builtInAttributes(o).map((a) => a.name)
    expect(
      names({instanceType: 'm4.large', availabilityZone: 'us-east-1a', amiId: 'ami-1', osType: 'windows'}),
    ).not.toContain('com.amazonaws.ecs.capability.privileged-container')
    expect(
      names({instanceType: 'm4.large', availabilityZone: 'us-east-1a', amiId: 'ami-1', disablePrivileged: true}),
    ).not.toContain('com.amazonaws.ecs.capability.privileged-container')
  })

  it('reserved ports, ephemeral range and AZs', () => {
    expect(DEFAULT_RESERVED_TCP_PORTS).toEqual([22, 2375, 2376, 51678, 51679, 51680])
    expect(EPHEMERAL_PORT_RANGE).toEqual({min: 32768, max: 61000})
    expect(availabilityZones('us-east-1')).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
      'us-east-1e',
      'us-east-1f',
    ])
    expect(availabilityZones('eu-west-3')).toEqual(['eu-west-3a', 'eu-west-3b', 'eu-west-3c'])
  })
})

describe('requiredAttributesFor (spec §2.9)', () => {
  const names = (td: Parameters<typeof requiredAttributesFor>[0]) => requiredAttributesFor(td).map((a) => a.name)

  it('item 2: awsvpc Fargate definition requires task-eni and docker-remote-api 1.18', () => {
    expect(
      names({
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {name: 'app', image: 'httpd:2.4', portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}]},
        ],
      }),
    ).toEqual(['com.amazonaws.ecs.capability.docker-remote-api.1.18', 'ecs.capability.task-eni'])
  })

  it('a plain bridge definition without features requires nothing', () => {
    expect(names({containerDefinitions: [{name: 'sleep', image: 'busybox', cpu: 10, memory: 10}]})).toEqual([])
  })

  it('maps each feature to its capability', () => {
    const result = names({
      networkMode: 'host',
      taskRoleArn: 'arn:aws:iam::000000000000:role/app',
      executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
      containerDefinitions: [
        {
          name: 'app',
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1',
          privileged: true,
          logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': 'g'}},
          linuxParameters: {initProcessEnabled: true},
          healthCheck: {command: ['CMD', 'true']},
          dependsOn: [{containerName: 'db', condition: 'START'}],
          secrets: [
            {name: 'A', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:a'},
            {name: 'B', valueFrom: 'param-b'},
          ],
        },
      ],
    })
    expect(result).toEqual(
      expect.arrayContaining([
        'com.amazonaws.ecs.capability.docker-remote-api.1.18',
        'com.amazonaws.ecs.capability.docker-remote-api.1.19',
        'com.amazonaws.ecs.capability.docker-remote-api.1.25',
        'com.amazonaws.ecs.capability.logging-driver.awslogs',
        'com.amazonaws.ecs.capability.privileged-container',
        'com.amazonaws.ecs.capability.task-iam-role',
        'com.amazonaws.ecs.capability.task-iam-role-network-host',
        'com.amazonaws.ecs.capability.ecr-auth',
        'ecs.capability.container-health-check',
        'ecs.capability.container-ordering',
        'ecs.capability.secrets.asm.environment-variables',
        'ecs.capability.secrets.ssm.environment-variables',
        'ecs.capability.execution-role-awslogs',
        'ecs.capability.execution-role-ecr-pull',
      ]),
    )
    expect(result).toEqual([...result].sort())
    expect(new Set(result).size).toBe(result.length)
  })

  it('ulimits and dockerLabels imply 1.18; a Docker Hub image does not need ecr-auth', () => {
    expect(
      names({
        containerDefinitions: [{name: 'a', image: 'nginx', ulimits: [{name: 'nofile', softLimit: 1, hardLimit: 2}]}],
      }),
    ).toEqual(['com.amazonaws.ecs.capability.docker-remote-api.1.18'])
    expect(names({containerDefinitions: [{name: 'a', image: 'nginx', dockerLabels: {x: 'y'}}]})).toEqual([
      'com.amazonaws.ecs.capability.docker-remote-api.1.18',
    ])
  })
})

describe('demandOf', () => {
  it('sums containers (memoryReservation ?? memory) and splits static/dynamic bridge ports', () => {
    const demand = demandOf({
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx',
          cpu: 256,
          memory: 512,
          memoryReservation: 128,
          portMappings: [{containerPort: 80, hostPort: 80}, {containerPort: 443}],
        },
        {
          name: 'dns',
          image: 'bind',
          cpu: 10,
          memory: 64,
          portMappings: [{containerPort: 53, hostPort: 0, protocol: 'udp'}],
        },
      ],
    })
    expect(demand).toEqual({
      cpu: 266,
      memory: 192,
      gpu: 0,
      staticPorts: [{port: 80, protocol: 'tcp'}],
      dynamicPorts: [{protocol: 'tcp'}, {protocol: 'udp'}],
      needsEni: false,
      requiresAttributes: [],
    })
  })

  it('task-level cpu/memory win (vCPU and GB forms); awsvpc needs an ENI and reserves no host ports', () => {
    const demand = demandOf({
      networkMode: 'awsvpc',
      cpu: '0.5 vCPU',
      memory: '1 GB',
      containerDefinitions: [{name: 'a', image: 'x', memory: 300, portMappings: [{containerPort: 80, hostPort: 80}]}],
    })
    expect(demand).toMatchObject({cpu: 512, memory: 1024, staticPorts: [], dynamicPorts: [], needsEni: true})
    expect(demand.requiresAttributes).toContainEqual({name: 'ecs.capability.task-eni'})
  })

  it('host mode: hostPort defaults to containerPort; GPUs come from resourceRequirements; overrides apply', () => {
    const td = {
      networkMode: 'host' as const,
      containerDefinitions: [
        {
          name: 'gpu',
          image: 'cuda',
          memory: 1000,
          resourceRequirements: [{type: 'GPU' as const, value: '2'}],
          portMappings: [{containerPort: 8080}],
        },
      ],
    }
    expect(demandOf(td)).toMatchObject({memory: 1000, gpu: 2, staticPorts: [{port: 8080, protocol: 'tcp'}]})
    expect(
      demandOf(td, {
        containerOverrides: [{name: 'gpu', memory: 2000, resourceRequirements: [{type: 'GPU', value: '1'}]}],
      }),
    ).toMatchObject({memory: 2000, gpu: 1})
    expect(demandOf(td, {memory: '4096', cpu: '1024'})).toMatchObject({memory: 4096, cpu: 1024})
  })

  it('a registered definition’s requiresAttributes are used as is', () => {
    expect(
      demandOf({containerDefinitions: [], requiresAttributes: [{name: 'x', value: 'y'}, {name: 'z'}]})
        .requiresAttributes,
    ).toEqual([{name: 'x', value: 'y'}, {name: 'z'}])
  })

  it('parses task sizes', () => {
    expect([
      parseCpuUnits('1024'),
      parseCpuUnits('1 vCPU'),
      parseCpuUnits('.25 vcpu'),
      parseCpuUnits(undefined),
      parseCpuUnits('lots'),
    ]).toEqual([1024, 1024, 256, undefined, undefined])
    expect([parseMemoryMiB('512'), parseMemoryMiB('1GB'), parseMemoryMiB('0.5 gb'), parseMemoryMiB('')]).toEqual([
      512,
      1024,
      512,
      undefined,
    ])
  })
})
