import {describe, expect, it} from '@jest/globals'

import {build, buildError} from './helpers.js'

const compose =
  'services:\n  web:\n    image: nginx\n    mem_limit: 256m\n    cpu_shares: 100\n  worker:\n    image: w\n'

describe('ecs-params.yml', () => {
  it('task_definition fields → task definition; task size normalised', async () => {
    const r = await build({
      'docker-compose.yml': compose,
      'ecs-params.yml': `version: 1
task_definition:
  ecs_network_mode: host
  task_role_arn: arn:aws:iam::123456789012:role/app
  task_execution_role: ecsTaskExecutionRole
  pid_mode: task
  ipc_mode: none
  task_size:
    cpu_limit: 0.5 vCPU
    mem_limit: 1GB
  placement_constraints:
    - type: memberOf
      expression: attribute:ecs.instance-type =~ t3.*
`,
    })
    const td = r.taskDefinition
    expect(td).toMatchObject({
      family: 'proj',
      networkMode: 'host',
      taskRoleArn: 'arn:aws:iam::123456789012:role/app',
      executionRoleArn: 'ecsTaskExecutionRole',
      pidMode: 'task',
      ipcMode: 'none',
      cpu: '512',
      memory: '1024',
      placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*'}],
    })
    // with task memory set, no default container memory is added
    expect(td.containerDefinitions![1]).toEqual({name: 'worker', image: 'w', essential: true, cpu: 0})
    expect(r.ecsParamsFile).toBe('ecs-params.yml')
  })

  it('services overrides win over compose values (info), and add ECS-only fields', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: nginx\n    mem_limit: 256m\n    cpu_shares: 100\n    init: false\n    healthcheck:\n      test: ["CMD", "true"]\n' +
        '  worker:\n    image: w\n    logging:\n      driver: splunk\n      options: {splunk-url: "https://splunk:8088"}\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 30s\n',
      'ecs-params.yml': `version: 1
task_definition:
  services:
    web:
      cpu_shares: 512
      mem_limit: 1g
      mem_reservation: 128m
      init_process_enabled: true
      repository_credentials:
        credentials_parameter: arn:aws:secretsmanager:us-east-1:1:secret:reg
      gpu: 1
    worker:
      essential: false
      logging:
        secret_options:
          - name: splunk-token
            value_from: arn:aws:ssm:us-east-1:1:parameter/tok
      healthcheck:
        command: check.sh
        interval: 1m30s
        timeout: 10
        retries: 5
        start_period: 20s
      secrets:
        - name: DB_PASSWORD
          value_from: arn:aws:ssm:us-east-1:1:parameter/db
      firelens_configuration:
        type: fluentbit
        options: {enable-ecs-log-metadata: "true"}
      depends_on:
        - container_name: web
          condition: HEALTHY
`,
    })
    const [web, worker] = r.taskDefinition.containerDefinitions!
    expect(web).toMatchObject({
      cpu: 512,
      memory: 1024,
      memoryReservation: 128,
      linuxParameters: {initProcessEnabled: true},
    })
    expect(web.repositoryCredentials).toEqual({credentialsParameter: 'arn:aws:secretsmanager:us-east-1:1:secret:reg'})
    expect(web.resourceRequirements).toEqual([{type: 'GPU', value: '1'}])
    expect(r.warnings.filter((w) => w.level === 'info').map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ecs-params cpu_shares 512 instead of 100/),
        expect.stringMatching(/ecs-params mem_limit 1024 MiB instead of 256 MiB/),
      ]),
    )
    expect(worker.essential).toBe(false)
    expect(worker.logConfiguration).toEqual({
      logDriver: 'splunk',
      options: {'splunk-url': 'https://splunk:8088'},
      secretOptions: [{name: 'splunk-token', valueFrom: 'arn:aws:ssm:us-east-1:1:parameter/tok'}],
    })
    expect(worker.healthCheck).toEqual({
      command: ['CMD-SHELL', 'check.sh'],
      interval: 90,
      timeout: 10,
      retries: 5,
      startPeriod: 20,
    })
    expect(worker.secrets).toEqual([{name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:1:parameter/db'}])
    expect(worker.firelensConfiguration).toEqual({type: 'fluentbit', options: {'enable-ecs-log-metadata': 'true'}})
    expect(worker.dependsOn).toEqual([{containerName: 'web', condition: 'HEALTHY'}])
  })

  it('healthcheck merges field by field with ecs-params winning', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    healthcheck:\n      test: curl localhost\n      interval: 30s\n      retries: 2\n',
      'ecs-params.yml':
        'version: 1\ntask_definition:\n  services:\n    web:\n      healthcheck:\n        interval: 10s\n        start_period: 1m\n',
    })
    expect(r.taskDefinition.containerDefinitions![0].healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl localhost'],
      interval: 10,
      retries: 2,
      startPeriod: 60,
    })
  })

  it('ecs-params depends_on replaces the compose depends_on; essential from ecs-params beats the one-shot rule', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  app:\n    image: a\n    depends_on:\n      init: {condition: service_completed_successfully}\n  init:\n    image: i\n',
      'ecs-params.yml':
        'version: 1\ntask_definition:\n  services:\n    app:\n      depends_on:\n        - container_name: init\n          condition: COMPLETE\n    init:\n      essential: true\n',
    })
    const [app, init] = r.taskDefinition.containerDefinitions!
    expect(app.dependsOn).toEqual([{containerName: 'init', condition: 'COMPLETE'}])
    expect(init.essential).toBe(true)
  })

  it('docker_volumes and efs_volumes → volumes (replacing a compose declaration of the same name)', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    volumes: ["shared:/s", "efs:/e"]\nvolumes:\n  shared:\n',
      'ecs-params.yml': `version: 1
task_definition:
  docker_volumes:
    - name: shared
      scope: shared
      autoprovision: true
      driver: local
      driver_opts: {type: nfs}
      labels: {a: b}
  efs_volumes:
    - name: efs
      filesystem_id: fs-1234
      root_directory: /data
      transit_encryption: ENABLED
      transit_encryption_port: 2049
      access_point: fsap-1
      iam: ENABLED
`,
    })
    expect(r.taskDefinition.volumes).toEqual([
      {
        name: 'shared',
        dockerVolumeConfiguration: {
          scope: 'shared',
          autoprovision: true,
          driver: 'local',
          driverOpts: {type: 'nfs'},
          labels: {a: 'b'},
        },
      },
      {
        name: 'efs',
        efsVolumeConfiguration: {
          fileSystemId: 'fs-1234',
          rootDirectory: '/data',
          transitEncryption: 'ENABLED',
          transitEncryptionPort: 2049,
          authorizationConfig: {accessPointId: 'fsap-1', iam: 'ENABLED'},
        },
      },
    ])
  })

  it('run_params → run (network configuration, placement, service discovery)', async () => {
    const r = await build({
      'docker-compose.yml': compose,
      'ecs-params.yml': `version: 1
task_definition:
  ecs_network_mode: awsvpc
run_params:
  network_configuration:
    awsvpc_configuration:
      subnets: [subnet-1, subnet-2]
      security_groups: [sg-1]
  task_placement:
    strategy:
      - type: spread
        field: attribute:ecs.availability-zone
      - type: binpack
        field: memory
    constraints:
      - type: distinctInstance
      - type: memberOf
        expression: attribute:stack == prod
  service_discovery:
    container_name: web
    container_port: 80
    private_dns_namespace: {vpc: vpc-1, name: corp.local}
    service_discovery_service:
      name: web
      dns_config: {type: SRV, ttl: 60}
      healthcheck_custom_config: {failure_threshold: 2}
`,
    })
    expect(r.run).toEqual({
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1']}},
      placementStrategy: [
        {type: 'spread', field: 'attribute:ecs.availability-zone'},
        {type: 'binpack', field: 'memory'},
      ],
      placementConstraints: [{type: 'distinctInstance'}, {type: 'memberOf', expression: 'attribute:stack == prod'}],
      serviceDiscovery: {
        containerName: 'web',
        containerPort: 80,
        privateDnsNamespace: {vpc: 'vpc-1', name: 'corp.local'},
        serviceDiscoveryService: {
          name: 'web',
          dnsConfig: {type: 'SRV', ttl: 60},
          healthCheckCustomConfig: {failureThreshold: 2},
        },
      },
    })
  })

  it('is interpolated: $VAR, ${VAR}, ${VAR:-default}; an unset variable without default is an error with the line', async () => {
    const files = {
      'docker-compose.yml': compose,
      'ecs-params.yml':
        'version: 1\ntask_definition:\n  task_role_arn: $ROLE\n  task_execution_role: ${EXEC}\n  task_size:\n    mem_limit: ${MEM:-2GB}\n',
    }
    const r = await build(files, {env: {ROLE: 'r1', EXEC: 'e1'}})
    expect(r.taskDefinition).toMatchObject({taskRoleArn: 'r1', executionRoleArn: 'e1', memory: '2048'})
    const e = await buildError(files, {env: {ROLE: 'r1'}})
    expect(e.message).toMatch(/^ecs-params.yml:4:\d+: task_definition.task_execution_role: variable EXEC is not set/)
  })

  it('--task-role-arn wins over task_role_arn', async () => {
    const r = await build(
      {'docker-compose.yml': compose, 'ecs-params.yml': 'version: 1\ntask_definition:\n  task_role_arn: from-params\n'},
      {translate: {taskRoleArn: 'from-flag'}},
    )
    expect(r.taskDefinition.taskRoleArn).toBe('from-flag')
  })

  it('--ecs-params names another file; a missing one is an error', async () => {
    const r = await build(
      {'docker-compose.yml': compose, 'params/prod.yml': 'version: 1\ntask_definition:\n  ecs_network_mode: bridge\n'},
      {load: {ecsParamsFile: 'params/prod.yml'}},
    )
    expect(r.taskDefinition.networkMode).toBe('bridge')
    expect(r.ecsParamsFile).toBe('params/prod.yml')
    const e = await buildError({'docker-compose.yml': compose}, {load: {ecsParamsFile: 'nope.yml'}})
    expect(e.message).toBe('nope.yml: cannot read ECS params file: no such file')
  })

  it.each([
    [
      'version: 1\ntask_definition:\n  memory_limit: 512\n',
      3,
      'task_definition.memory_limit',
      /unknown key "memory_limit" in task_definition; valid keys: ecs_network_mode, task_role_arn/,
    ],
    [
      'version: 1\ntask_defintion:\n  ecs_network_mode: awsvpc\n',
      2,
      'task_defintion',
      /unknown key "task_defintion"; valid keys: version, task_definition, run_params/,
    ],
    [
      'version: 1\ntask_definition:\n  services:\n    web:\n      mem_limt: 5m\n',
      5,
      'task_definition.services.web.mem_limt',
      /valid keys: essential, cpu_shares, mem_limit/,
    ],
    ['version: 2\n', 1, 'version', /unsupported ECS params version 2/],
    [
      'version: 1\ntask_definition:\n  ecs_network_mode: vpc\n',
      3,
      'task_definition.ecs_network_mode',
      /invalid value "vpc"; valid: bridge, host, awsvpc, none/,
    ],
    [
      'version: 1\ntask_definition:\n  task_size:\n    cpu_limit: lots\n',
      4,
      'task_definition.task_size.cpu_limit',
      /invalid task cpu "lots"/,
    ],
    [
      'version: 1\ntask_definition:\n  services:\n    web:\n      mem_limit: 512\n',
      5,
      'task_definition.services.web.mem_limit',
      /less than 1 MiB.*"512m"/,
    ],
    [
      'version: 1\ntask_definition:\n  services:\n    web:\n      healthcheck:\n        test: x\n        command: y\n',
      7,
      'task_definition.services.web.healthcheck.command',
      /test and healthcheck.command can not both be specified/,
    ],
    [
      'version: 1\ntask_definition:\n  services:\n    web:\n      healthcheck:\n        interval: soon\n',
      6,
      'task_definition.services.web.healthcheck.interval',
      /invalid duration "soon"/,
    ],
    [
      'version: 1\ntask_definition:\n  services:\n    ghost:\n      essential: false\n',
      4,
      'task_definition.services',
      /names service "ghost", which is not in the Compose file \(services: web, worker\)/,
    ],
    [
      'version: 1\ntask_definition:\n  docker_volumes:\n    - scope: task\n',
      4,
      'task_definition.docker_volumes',
      /Name is required when specifying a docker volume/,
    ],
    [
      'version: 1\ntask_definition:\n  docker_volumes:\n    - name: v\n      scope: task\n      autoprovision: true\n',
      6,
      'task_definition.docker_volumes.autoprovision',
      /autoprovision only applies to scope: shared/,
    ],
    [
      'version: 1\ntask_definition:\n  efs_volumes:\n    - name: e\n      filesystem_id: fs-1\n      iam: ENABLED\n',
      4,
      'task_definition.efs_volumes',
      /Transit encryption is required when using IAM access or an access point/,
    ],
    [
      'version: 1\nrun_params:\n  task_placement:\n    strategy:\n      - type: binpack\n        field: disk\n',
      6,
      'run_params.task_placement.strategy.field',
      /binpack needs field cpu or memory/,
    ],
    [
      'version: 1\nrun_params:\n  task_placement:\n    constraints:\n      - type: sameInstance\n',
      5,
      'run_params.task_placement.constraints.type',
      /valid: distinctInstance, memberOf/,
    ],
    [
      'version: 1\ntask_definition:\n  placement_constraints:\n    - type: distinctInstance\n',
      4,
      'task_definition.placement_constraints.type',
      /a task definition only allows memberOf/,
    ],
    [
      'version: 1\ntask_definition:\n  services:\n    web:\n      depends_on:\n        - container_name: worker\n          condition: READY\n',
      7,
      'task_definition.services.web.depends_on.condition',
      /valid: START, COMPLETE, SUCCESS, HEALTHY/,
    ],
    ['version: 1\ntask_definition: [1]\n', 2, 'task_definition', /must be a mapping/],
    [
      'version: 1\ntask_definition:\n  task_role_arn: {a: 1}\n',
      3,
      'task_definition.task_role_arn',
      /expected a string/,
    ],
  ])('error %#: file, line and key are named', async (params, line, key, pattern) => {
    const e = await buildError({'docker-compose.yml': compose, 'ecs-params.yml': params})
    expect(e.file).toBe('ecs-params.yml')
    expect(e.line).toBe(line)
    expect(e.key).toBe(key)
    expect(e.message).toContain(`ecs-params.yml:${line}`)
    expect(e.message).toMatch(pattern)
    expect(e.exitCode).toBe(2)
  })

  it('invalid YAML in ecs-params names the line', async () => {
    const e = await buildError({
      'docker-compose.yml': compose,
      'ecs-params.yml': 'version: 1\ntask_definition:\n  a: [1\n',
    })
    expect(e.message).toMatch(/^ecs-params.yml:\d+:\d+: invalid YAML/)
  })
})
