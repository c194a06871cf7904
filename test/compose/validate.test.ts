import {describe, expect, it} from '@jest/globals'

import {build, buildError} from './helpers.js'

const fargateParams = (cpu: string, mem: string) =>
  `version: 1\ntask_definition:\n  ecs_network_mode: awsvpc\n  task_size:\n    cpu_limit: ${cpu}\n    mem_limit: ${mem}\n`
const FARGATE = {translate: {launchType: 'FARGATE' as const}}

/** Assert the error names the file, line and key (and the service when given). */
function expectAt(
  e: {message: string; file?: string; line?: number; key?: string; service?: string},
  file: string,
  line: number,
  key: string,
  service?: string,
) {
  expect(e.file).toBe(file)
  expect(e.line).toBe(line)
  expect(e.key).toBe(key)
  expect(e.message).toContain(`${file}:${line}:`)
  expect(e.message).toContain(key)
  if (service) {
    expect(e.service).toBe(service)
    expect(e.message).toContain(`service "${service}"`)
  }
}

describe('Fargate', () => {
  it('a valid task registers with requiresCompatibilities FARGATE and awsvpc', async () => {
    const r = await build(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n    ports: ["80"]\n',
        'ecs-params.yml': fargateParams('256', '512'),
      },
      FARGATE,
    )
    expect(r.taskDefinition).toMatchObject({
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
    })
    expect(r.taskDefinition.containerDefinitions![0]).toEqual({
      name: 'web',
      image: 'x',
      essential: true,
      cpu: 0,
      portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}],
    })
  })

  it('an invalid cpu/memory pair lists the valid memory values for that cpu', async () => {
    const e = await buildError(
      {'docker-compose.yml': 'services:\n  web:\n    image: x\n', 'ecs-params.yml': fargateParams('256', '4096')},
      FARGATE,
    )
    expectAt(e, 'ecs-params.yml', 6, 'task_definition.task_size.mem_limit')
    expect(e.message).toContain(
      "Invalid 'memory' setting for task: Fargate cpu 256 allows memory 512, 1024, 2048 MiB, not 4096",
    )
    const big = await buildError(
      {'docker-compose.yml': 'services:\n  web:\n    image: x\n', 'ecs-params.yml': fargateParams('2 vCPU', '3GB')},
      FARGATE,
    )
    expect(big.message).toContain('Fargate cpu 2048 allows memory 4096 to 16384 in steps of 1024 MiB, not 3072')
    const cpu = await buildError(
      {'docker-compose.yml': 'services:\n  web:\n    image: x\n', 'ecs-params.yml': fargateParams('300', '1GB')},
      FARGATE,
    )
    expectAt(cpu, 'ecs-params.yml', 5, 'task_definition.task_size.cpu_limit')
    expect(cpu.message).toContain('not one of 256, 512, 1024, 2048, 4096')
  })

  it('missing task size, non-awsvpc network mode', async () => {
    const e = await buildError(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n',
        'ecs-params.yml': 'version: 1\ntask_definition:\n  task_size:\n    cpu_limit: 256\n',
      },
      FARGATE,
    )
    expect(e.message).toMatch(
      /ecs-params.yml:3:\d+: task_definition.task_size: Fargate requires the task size: set task_definition.task_size mem_limit/,
    )
    const none = await buildError({'docker-compose.yml': 'services:\n  web:\n    image: x\n'}, FARGATE)
    expect(none.message).toMatch(/Fargate requires the task size/)
    const bridge = await buildError(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n',
        'ecs-params.yml': 'version: 1\ntask_definition:\n  ecs_network_mode: bridge\n',
      },
      FARGATE,
    )
    expectAt(bridge, 'ecs-params.yml', 3, 'task_definition.ecs_network_mode')
    expect(bridge.message).toContain('Fargate requires network mode awsvpc')
  })

  it.each([
    ['links: [db]', 'links', 4],
    ['privileged: true', 'privileged', 4],
    ['devices: ["/dev/fuse"]', 'devices', 4],
    ['volumes: ["/var/data:/data"]', 'volumes', 4],
    ['cap_add: [NET_ADMIN]', 'cap_add', 4],
    ['shm_size: 64m', 'shm_size', 4],
    ['tmpfs: ["/run:size=1m"]', 'tmpfs', 4],
    ['dns: [1.1.1.1]', 'dns', 4],
    ['dns_search: [corp]', 'dns_search', 4],
    ['security_opt: ["no-new-privileges"]', 'security_opt', 4],
    ['extra_hosts: ["a:1.2.3.4"]', 'extra_hosts', 4],
    ['sysctls: {net.core.somaxconn: 1}', 'sysctls', 4],
    ['logging: {driver: json-file}', 'logging.driver', 4],
    ['logging: {driver: awslogs, options: {awslogs-group: g}}', 'logging.options', 4],
    ['stop_grace_period: 5m', 'stop_grace_period', 4],
  ])('%s is rejected on Fargate with file, line, service and key', async (yaml, key, line) => {
    const e = await buildError(
      {
        'docker-compose.yml': `services:\n  web:\n    image: x\n    ${yaml}\n  db:\n    image: y\n`,
        'ecs-params.yml': fargateParams('512', '1GB'),
      },
      FARGATE,
    )
    expectAt(e, 'docker-compose.yml', line, key, 'web')
    expect(e.message).toMatch(/Fargate/)
  })

  it('pid/ipc mode, placement and docker volumes are rejected on Fargate', async () => {
    const e = await buildError(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n',
        'ecs-params.yml': fargateParams('256', '512') + '  pid_mode: task\n',
      },
      FARGATE,
    )
    expectAt(e, 'ecs-params.yml', 7, 'task_definition.pid_mode')
    const p = await buildError(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n',
        'ecs-params.yml':
          fargateParams('256', '512') + 'run_params:\n  task_placement:\n    strategy:\n      - type: random\n',
      },
      FARGATE,
    )
    expectAt(p, 'ecs-params.yml', 9, 'run_params.task_placement.strategy')
    const v = await buildError(
      {
        'docker-compose.yml':
          'services:\n  web:\n    image: x\n    volumes: ["pg:/d"]\nvolumes:\n  pg:\n    driver: rexray/ebs\n',
        'ecs-params.yml': fargateParams('256', '512'),
      },
      FARGATE,
    )
    expectAt(v, 'docker-compose.yml', 6, 'volumes.pg')
    expect(v.message).toContain('Fargate does not support them')
    const d = await buildError(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n',
        'ecs-params.yml': fargateParams('256', '512') + '  docker_volumes:\n    - name: dv\n',
      },
      FARGATE,
    )
    expectAt(d, 'ecs-params.yml', 8, 'task_definition.docker_volumes')
  })

  it('FARGATE defaults the network mode to awsvpc with an info', async () => {
    const r = await build(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n',
        'ecs-params.yml': 'version: 1\ntask_definition:\n  task_size: {cpu_limit: 256, mem_limit: 512}\n',
      },
      FARGATE,
    )
    expect(r.taskDefinition.networkMode).toBe('awsvpc')
    expect(r.warnings).toContainEqual(
      expect.objectContaining({level: 'info', message: expect.stringContaining('using network mode awsvpc')}),
    )
  })
})

describe('network modes and ports', () => {
  const params = (mode: string) => `version: 1\ntask_definition:\n  ecs_network_mode: ${mode}\n`
  it.each(['awsvpc', 'host'])('%s: hostPort must equal containerPort', async (mode) => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n',
      'ecs-params.yml': params(mode),
    })
    expectAt(e, 'docker-compose.yml', 5, 'ports', 'web')
    expect(e.message).toContain(
      `in ${mode} network mode the host port must equal the container port: "8080:80" maps 8080 to 80; write "80"`,
    )
  })

  it('none: ports are rejected', async () => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    ports: ["80"]\n',
      'ecs-params.yml': params('none'),
    })
    expectAt(e, 'docker-compose.yml', 4, 'ports', 'web')
    expect(e.message).toContain('network mode "none"')
  })

  it('the same container port for two protocols is rejected', async () => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  dns:\n    image: x\n    ports:\n      - "53:53/tcp"\n      - "53:53/udp"\n',
    })
    expectAt(e, 'docker-compose.yml', 6, 'ports', 'dns')
    expect(e.message).toContain('container port 53 is published for both tcp and udp')
  })

  it('the same container port published twice is rejected', async () => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n      - "8081:80"\n',
    })
    expectAt(e, 'docker-compose.yml', 6, 'ports', 'web')
    expect(e.message).toContain('container port 80/tcp is published twice (host ports 8080 and 8081)')
  })

  it('the same static host port in two containers is rejected', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  a:\n    image: x\n    ports: ["80:80"]\n  b:\n    image: y\n    ports:\n      - "80:8080"\n',
    })
    expectAt(e, 'docker-compose.yml', 7, 'ports', 'b')
    expect(e.message).toContain('host port 80/tcp is already used by service "a"')
  })

  it('links outside bridge mode and hostname in awsvpc are rejected', async () => {
    const l = await buildError({
      'docker-compose.yml': 'services:\n  a:\n    image: x\n    links: [b]\n  b:\n    image: y\n',
      'ecs-params.yml': params('awsvpc'),
    })
    expectAt(l, 'docker-compose.yml', 4, 'links', 'a')
    const h = await buildError({
      'docker-compose.yml': 'services:\n  a:\n    image: x\n    hostname: box\n',
      'ecs-params.yml': params('awsvpc'),
    })
    expectAt(h, 'docker-compose.yml', 4, 'hostname', 'a')
  })

  it('a link to an unknown service is rejected', async () => {
    const e = await buildError({'docker-compose.yml': 'services:\n  a:\n    image: x\n    links: ["ghost:g"]\n'})
    expectAt(e, 'docker-compose.yml', 4, 'links', 'a')
  })
})

describe('memory', () => {
  it('the ecs-cli default of 512 MiB applies when nothing is set (with an info), not with task memory', async () => {
    const r = await build({'docker-compose.yml': 'services:\n  web:\n    image: x\n'})
    expect(r.taskDefinition.containerDefinitions![0].memory).toBe(512)
    expect(r.warnings).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'web',
        message: expect.stringContaining('512 MiB (the ecs-cli default)'),
      }),
    ])
    const withTask = await build({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n',
      'ecs-params.yml': 'version: 1\ntask_definition:\n  task_size: {mem_limit: 1GB}\n',
    })
    expect(withTask.taskDefinition.containerDefinitions![0].memory).toBeUndefined()
  })

  it('a reservation above the limit is rejected, naming the service', async () => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    mem_limit: 128m\n    mem_reservation: 256m\n',
    })
    expectAt(e, 'docker-compose.yml', 5, 'mem_reservation', 'web')
    expect(e.message).toContain(
      'mem_limit must be greater than mem_reservation: the memory limit is 128 MiB but the reservation is 256 MiB',
    )
    const p = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    mem_limit: 128m\n',
      'ecs-params.yml': 'version: 1\ntask_definition:\n  services:\n    web:\n      mem_reservation: 1g\n',
    })
    expectAt(p, 'ecs-params.yml', 5, 'mem_reservation', 'web')
  })

  it('a limit equal to the reservation is rejected (ECS wants memory > memoryReservation)', async () => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    mem_limit: 128m\n    mem_reservation: 128m\n',
    })
    expectAt(e, 'docker-compose.yml', 5, 'mem_reservation', 'web')
  })

  it('sizes under 1 MiB and under the 4 MiB ECS minimum are rejected', async () => {
    const e = await buildError({'docker-compose.yml': 'services:\n  web:\n    image: x\n    mem_limit: 512\n'})
    expectAt(e, 'docker-compose.yml', 4, 'mem_limit', 'web')
    expect(e.message).toContain('did you mean "512m"?')
    const small = await buildError({'docker-compose.yml': 'services:\n  web:\n    image: x\n    mem_limit: 2m\n'})
    expect(small.message).toContain('below the 4 MiB minimum')
  })

  it('mem_limit and deploy.resources.limits.memory that disagree are rejected', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    mem_limit: 128m\n    deploy:\n      resources:\n        limits:\n          memory: 256m\n',
    })
    expectAt(e, 'docker-compose.yml', 8, 'deploy.resources.limits.memory', 'web')
  })

  it('container totals above the task size are rejected', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  a:\n    image: x\n    mem_reservation: 600m\n  b:\n    image: y\n    mem_reservation: 600m\n',
      'ecs-params.yml': 'version: 1\ntask_definition:\n  task_size:\n    mem_limit: 1GB\n',
    })
    expectAt(e, 'ecs-params.yml', 4, 'task_definition.task_size.mem_limit')
    expect(e.message).toContain('1200 MiB in total, more than the task memory 1024')
  })
})

describe('containers and dependencies', () => {
  it('more than 10 containers is rejected at the services key', async () => {
    const services = Array.from({length: 11}, (_, i) => `  s${i}:\n    image: x\n`).join('')
    const e = await buildError({'docker-compose.yml': `services:\n${services}`})
    expectAt(e, 'docker-compose.yml', 1, 'services')
    expect(e.message).toContain('11 services, but an ECS task definition holds at most 10 containers')
  })

  it('a request over 32 KiB is rejected', async () => {
    const big = 'x'.repeat(4000)
    const env = Array.from({length: 9}, (_, i) => `      V${i}: "${big}"\n`).join('')
    const e = await buildError({'docker-compose.yml': `services:\n  web:\n    image: x\n    environment:\n${env}`})
    expectAt(e, 'docker-compose.yml', 1, 'services')
    expect(e.message).toMatch(/ECS allows at most 32 KiB/)
  })

  it('more than 10 task placement constraints are rejected', async () => {
    const list = Array.from(
      {length: 11},
      (_, i) => `    - type: memberOf\n      expression: attribute:n${i} == 1\n`,
    ).join('')
    const e = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n',
      'ecs-params.yml': `version: 1\ntask_definition:\n  placement_constraints:\n${list}`,
    })
    expectAt(e, 'ecs-params.yml', 3, 'task_definition.placement_constraints')
  })

  it('no essential container is rejected', async () => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  a:\n    image: x\n  b:\n    image: y\n',
      'ecs-params.yml':
        'version: 1\ntask_definition:\n  services:\n    a:\n      essential: false\n    b:\n      essential: false\n',
    })
    expectAt(e, 'ecs-params.yml', 5, 'task_definition.services.a.essential', 'a')
    expect(e.message).toContain('does not have any essential containers')
  })

  it('a dependency on an unknown service is rejected', async () => {
    const e = await buildError({
      'docker-compose.yml': 'services:\n  a:\n    image: x\n    depends_on:\n      - ghost\n',
    })
    expectAt(e, 'docker-compose.yml', 5, 'depends_on', 'a')
    expect(e.message).toContain('depends on "ghost", which is not a service of this project')
  })

  it('a dependency cycle is rejected and spelled out', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: y\n    depends_on: [c]\n  c:\n    image: z\n    depends_on:\n      - a\n',
    })
    expectAt(e, 'docker-compose.yml', 11, 'depends_on', 'c')
    expect(e.message).toContain('dependency cycle: a -> b -> c -> a')
  })

  it('a HEALTHY dependency needs a health check on the dependency', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  app:\n    image: x\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: pg\n',
    })
    expectAt(e, 'docker-compose.yml', 5, 'depends_on', 'app')
    expect(e.message).toContain('"db" has no healthcheck')
  })

  it('an unknown condition is rejected', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  app:\n    image: x\n    depends_on:\n      db:\n        condition: service_ready\n  db:\n    image: pg\n',
    })
    expectAt(e, 'docker-compose.yml', 6, 'depends_on', 'app')
    expect(e.message).toContain('valid: service_started, service_healthy, service_completed_successfully')
  })

  it('invalid service names and images are rejected', async () => {
    const n = await buildError({'docker-compose.yml': 'services:\n  my.web:\n    image: x\n'})
    expect(n.message).toMatch(/docker-compose.yml:2:3: service "my.web": .*ECS container names/)
    const i = await buildError({'docker-compose.yml': 'services:\n  web:\n    image: "nginx latest"\n'})
    expectAt(i, 'docker-compose.yml', 3, 'image', 'web')
    const none = await buildError({'docker-compose.yml': 'services:\n  web:\n    ports: ["80"]\n'})
    expect(none.message).toMatch(/docker-compose.yml:2:3: service "web": image: the service has no image/)
  })
})
