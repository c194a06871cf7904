import {describe, expect, it} from '@jest/globals'

import {build, buildError, container, containerError} from './helpers.js'

describe('compose keys → container definition', () => {
  it('image, name, essential and cpu defaults', async () => {
    const c = await container('image: nginx:1.25\nmem_limit: 128m')
    expect(c).toEqual({name: 'web', image: 'nginx:1.25', essential: true, cpu: 0, memory: 128})
  })

  it('command and entrypoint: strings are shell-split, lists kept (one element with spaces stays one)', async () => {
    const c = await container(
      'image: x\nmem_limit: 64m\ncommand: sh -c "echo hi && sleep 5"\nentrypoint: ["/bin/tini", "--", "run it"]',
    )
    expect(c.command).toEqual(['sh', '-c', 'echo hi && sleep 5'])
    expect(c.entryPoint).toEqual(['/bin/tini', '--', 'run it'])
  })

  it('environment as a map: numbers and booleans become strings; KEY with no value comes from the shell, then .env, else dropped', async () => {
    const r = await build(
      {
        'docker-compose.yml':
          'services:\n  web:\n    image: x\n    environment:\n      N: 3\n      B: true\n      FROM_SHELL:\n      FROM_DOTENV:\n      MISSING:\n      EMPTY: ""\n',
        '.env': 'FROM_DOTENV=dot\nFROM_SHELL=loses\n',
      },
      {env: {FROM_SHELL: 'sh'}},
    )
    expect(r.taskDefinition.containerDefinitions![0].environment).toEqual([
      {name: 'N', value: '3'},
      {name: 'B', value: 'true'},
      {name: 'FROM_SHELL', value: 'sh'},
      {name: 'FROM_DOTENV', value: 'dot'},
      {name: 'EMPTY', value: ''},
    ])
    expect(r.warnings.some((w) => w.key === 'environment' && w.message.includes('MISSING'))).toBe(true)
  })

  it('environment as a list', async () => {
    const c = await container('image: x\nenvironment:\n  - A=1\n  - B=x=y\n  - C=\n  - HOME_DIR', {
      env: {HOME_DIR: '/root'},
    })
    expect(c.environment).toEqual([
      {name: 'A', value: '1'},
      {name: 'B', value: 'x=y'},
      {name: 'C', value: ''},
      {name: 'HOME_DIR', value: '/root'},
    ])
  })

  it('env_file: string, list and long form; later files override earlier; environment overrides env files; quotes not kept', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    env_file:\n      - a.env\n      - path: b.env\n      - path: optional.env\n        required: false\n    environment:\n      C: from-compose\n',
      'a.env': 'A="x y"\nB=from-a\nC=from-a\n',
      'b.env': "B='from-b'\n",
    })
    expect(r.taskDefinition.containerDefinitions![0].environment).toEqual([
      {name: 'A', value: 'x y'},
      {name: 'B', value: 'from-b'},
      {name: 'C', value: 'from-compose'},
    ])
    const single = await build({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    env_file: conf/app.env\n',
      'conf/app.env': 'K=v\n',
    })
    expect(single.taskDefinition.containerDefinitions![0].environment).toEqual([{name: 'K', value: 'v'}])
  })

  it('a missing required env_file is an error with its line', async () => {
    const e = await containerError('image: x\nenv_file:\n  - nope.env')
    expect(e.message).toMatch(/docker-compose.yml:5:9: service "web": env_file: env file nope.env not found/)
  })

  it('ports: short, ranges, IP (dropped with a warning), udp, long syntax with name/app_protocol', async () => {
    const r = await build({
      'docker-compose.yml': `services:
  web:
    image: x
    ports:
      - "80"
      - 8443:443
      - "127.0.0.1:8081:81"
      - "5000-5001:6000-6001"
      - "53:53/udp"
      - target: 9000
        published: "19000"
        protocol: tcp
        name: admin
        app_protocol: http
`,
    })
    const c = r.taskDefinition.containerDefinitions![0]
    expect(c.portMappings).toEqual([
      {containerPort: 80, hostPort: 0, protocol: 'tcp'},
      {containerPort: 443, hostPort: 8443, protocol: 'tcp'},
      {containerPort: 81, hostPort: 8081, protocol: 'tcp'},
      {containerPort: 6000, hostPort: 5000, protocol: 'tcp'},
      {containerPort: 6001, hostPort: 5001, protocol: 'tcp'},
      {containerPort: 53, hostPort: 53, protocol: 'udp'},
      {containerPort: 9000, hostPort: 19000, protocol: 'tcp', name: 'admin', appProtocol: 'http'},
    ])
    expect(r.warnings.find((w) => w.message.includes('127.0.0.1'))).toMatchObject({
      line: 7,
      service: 'web',
      key: 'ports',
    })
  })

  it('ports in awsvpc mode: a bare port gets hostPort = containerPort', async () => {
    const r = await build({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    ports: ["80", "8080:8080"]\n',
      'ecs-params.yml': 'version: 1\ntask_definition:\n  ecs_network_mode: awsvpc\n',
    })
    expect(r.taskDefinition.containerDefinitions![0].portMappings).toEqual([
      {containerPort: 80, hostPort: 80, protocol: 'tcp'},
      {containerPort: 8080, hostPort: 8080, protocol: 'tcp'},
    ])
    expect(r.taskDefinition.networkMode).toBe('awsvpc')
  })

  it('volumes: host paths → volume-N with host.sourcePath (reused), named volumes, anonymous, :ro, long syntax', async () => {
    const r = await build({
      'docker-compose.yml': `services:
  web:
    image: x
    volumes:
      - /var/log:/logs:ro
      - data:/data
      - /cache
      - type: bind
        source: /var/log
        target: /logs2
        read_only: true
      - type: volume
        source: other
        target: /other
  side:
    image: y
    volumes: ["/var/log:/l", "/srv:/srv:rw"]
volumes:
  data:
  other: {}
`,
    })
    const [web, side] = r.taskDefinition.containerDefinitions!
    expect(r.taskDefinition.volumes).toEqual([
      {name: 'data'},
      {name: 'other'},
      {name: 'volume-2', host: {sourcePath: '/var/log'}},
      {name: 'volume-3'},
      {name: 'volume-4', host: {sourcePath: '/srv'}},
    ])
    expect(web.mountPoints).toEqual([
      {sourceVolume: 'volume-2', containerPath: '/logs', readOnly: true},
      {sourceVolume: 'data', containerPath: '/data', readOnly: false},
      {sourceVolume: 'volume-3', containerPath: '/cache', readOnly: false},
      {sourceVolume: 'volume-2', containerPath: '/logs2', readOnly: true},
      {sourceVolume: 'other', containerPath: '/other', readOnly: false},
    ])
    expect(side.mountPoints).toEqual([
      {sourceVolume: 'volume-2', containerPath: '/l', readOnly: false},
      {sourceVolume: 'volume-4', containerPath: '/srv', readOnly: false},
    ])
  })

  it('volumes: an undeclared named volume and a bad mode are errors', async () => {
    const e = await containerError('image: x\nvolumes:\n  - nope:/data')
    expect(e.message).toMatch(
      /docker-compose.yml:5:9: service "web": volumes: named volume "nope" is used but not declared/,
    )
    const m = await containerError('image: x\nvolumes:\n  - /a:/b:rx')
    expect(m.message).toMatch(/invalid mount mode "rx".*expected ro or rw/)
  })

  it('top-level volumes with a driver become shared Docker volumes; external ones are not autoprovisioned', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  db:\n    image: x\n    volumes: ["pg:/var/lib/postgresql/data"]\nvolumes:\n  pg:\n    driver: rexray/ebs\n    driver_opts: {size: 20}\n  ext:\n    external: true\n',
    })
    expect(r.taskDefinition.volumes).toEqual([
      {
        name: 'pg',
        dockerVolumeConfiguration: {
          scope: 'shared',
          autoprovision: true,
          driver: 'rexray/ebs',
          driverOpts: {size: '20'},
        },
      },
      {name: 'ext', dockerVolumeConfiguration: {scope: 'shared', autoprovision: false, driver: 'local'}},
    ])
  })

  it('tmpfs (short and mount syntax), devices, cap_add/cap_drop, init, shm_size → linuxParameters', async () => {
    const c = await container(`image: x
tmpfs:
  - /run:size=64m,noexec
volumes:
  - type: tmpfs
    target: /scratch
    tmpfs: {size: 10485760}
devices:
  - /dev/fuse
  - /dev/sda:/dev/xvda:rw
cap_add: [NET_ADMIN, CAP_SYS_TIME]
cap_drop: [all]
init: true
shm_size: 1g`)
    expect(c.linuxParameters).toEqual({
      capabilities: {add: ['NET_ADMIN', 'SYS_TIME'], drop: ['ALL']},
      devices: [
        {hostPath: '/dev/fuse'},
        {hostPath: '/dev/sda', containerPath: '/dev/xvda', permissions: ['read', 'write']},
      ],
      initProcessEnabled: true,
      sharedMemorySize: 1024,
      tmpfs: [
        {containerPath: '/run', size: 64, mountOptions: ['noexec']},
        {containerPath: '/scratch', size: 10},
      ],
    })
  })

  it('tmpfs without a size, devices with bad permissions and unknown capabilities are errors', async () => {
    expect((await containerError('image: x\ntmpfs: /run')).message).toMatch(
      /docker-compose.yml:4:5: service "web": tmpfs: Path and Size are required/,
    )
    expect((await containerError('image: x\ntmpfs: ["/run:mode=1777"]')).message).toMatch(
      /You must specify the size option for tmpfs/,
    )
    expect((await containerError('image: x\ndevices: ["/dev/a:/dev/b:rwx"]')).message).toMatch(/devices: .*r, w, m/)
    expect((await containerError('image: x\ncap_add: [FLY]')).message).toMatch(/cap_add: unknown capability "FLY"/)
  })

  it('dns, dns_search (string or list), extra_hosts (IPv6 ok, map form), hostname, user, working_dir', async () => {
    const c = await container(`image: x
dns: 8.8.8.8
dns_search: [example.com, corp.example.com]
extra_hosts:
  - "db:10.0.0.5"
  - "h6:fd00::1"
  - "other=10.0.0.6"
hostname: box
user: 1000:1000
working_dir: /app`)
    expect(c.dnsServers).toEqual(['8.8.8.8'])
    expect(c.dnsSearchDomains).toEqual(['example.com', 'corp.example.com'])
    expect(c.extraHosts).toEqual([
      {hostname: 'db', ipAddress: '10.0.0.5'},
      {hostname: 'h6', ipAddress: 'fd00::1'},
      {hostname: 'other', ipAddress: '10.0.0.6'},
    ])
    expect(c.hostname).toBe('box')
    expect(c.user).toBe('1000:1000')
    expect(c.workingDirectory).toBe('/app')
    const m = await container('image: x\nextra_hosts:\n  db: 10.0.0.5\n  v6: "::1"\nuser: 33')
    expect(m.extraHosts).toEqual([
      {hostname: 'db', ipAddress: '10.0.0.5'},
      {hostname: 'v6', ipAddress: '::1'},
    ])
    expect(m.user).toBe('33')
  })

  it('empty hostname/user/working_dir are left out, not sent as ""', async () => {
    const c = await container('image: x\nhostname: ""\nuser: ""\nworking_dir: ""\nmem_limit: 8m')
    expect(c).toEqual({name: 'web', image: 'x', essential: true, cpu: 0, memory: 8})
  })

  it('labels → dockerLabels (map or list; a key alone is "")', async () => {
    expect((await container('image: x\nlabels:\n  a.b: c\n  n: 1')).dockerLabels).toEqual({'a.b': 'c', n: '1'})
    expect((await container('image: x\nlabels: ["a=1", "flag"]')).dockerLabels).toEqual({a: '1', flag: ''})
  })

  it('logging, and v1 log_driver/log_opt', async () => {
    const c = await container(
      'image: x\nlogging:\n  driver: awslogs\n  options:\n    awslogs-group: /ecs/web\n    awslogs-region: us-east-1\n    max-buffer-size: 4',
    )
    expect(c.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: {'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'max-buffer-size': '4'},
    })
    const v1 = await container('image: x\nlog_driver: syslog\nlog_opt:\n  syslog-address: "tcp://1.2.3.4:514"')
    expect(v1.logConfiguration).toEqual({logDriver: 'syslog', options: {'syslog-address': 'tcp://1.2.3.4:514'}})
    expect((await containerError('image: x\nlogging:\n  driver: loki')).message).toMatch(
      /logging.driver: unsupported log driver "loki"; ECS supports awsfirelens, awslogs/,
    )
  })

  it('privileged, read_only, tty, stdin_open, security_opt', async () => {
    const c = await container(
      'image: x\nprivileged: true\nread_only: true\ntty: true\nstdin_open: true\nsecurity_opt: ["label:type:svirt_apache_t"]',
    )
    expect(c).toMatchObject({
      privileged: true,
      readonlyRootFilesystem: true,
      pseudoTerminal: true,
      interactive: true,
      dockerSecurityOptions: ['label:type:svirt_apache_t'],
    })
  })

  it('stop_grace_period → stopTimeout in whole seconds', async () => {
    expect((await container('image: x\nstop_grace_period: 1m30s')).stopTimeout).toBe(90)
    const r = await build({'docker-compose.yml': 'services:\n  web:\n    image: x\n    stop_grace_period: 2500ms\n'})
    expect(r.taskDefinition.containerDefinitions![0].stopTimeout).toBe(2)
    expect(r.warnings.find((w) => w.key === 'stop_grace_period')?.message).toMatch(/rounded down to 2s/)
  })

  it('ulimits: single number sets both; soft/hard; -1 allowed', async () => {
    const c = await container(
      'image: x\nulimits:\n  nproc: 65535\n  nofile:\n    soft: 20000\n    hard: 40000\n  memlock: -1',
    )
    expect(c.ulimits).toEqual([
      {name: 'nproc', softLimit: 65535, hardLimit: 65535},
      {name: 'nofile', softLimit: 20000, hardLimit: 40000},
      {name: 'memlock', softLimit: -1, hardLimit: -1},
    ])
    expect((await containerError('image: x\nulimits:\n  files: 5')).message).toMatch(
      /ulimits.files: unknown ulimit "files"; valid: core/,
    )
    expect((await containerError('image: x\nulimits:\n  nofile: {soft: 9, hard: 3}')).message).toMatch(
      /soft limit 9 is above the hard limit 3/,
    )
  })

  it('healthcheck: string test → CMD-SHELL, durations in seconds, start_period, disable', async () => {
    const c = await container(
      'image: x\nhealthcheck:\n  test: curl -f http://localhost || exit 1\n  interval: 1m\n  timeout: 5s\n  retries: 3\n  start_period: 40s',
    )
    expect(c.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost || exit 1'],
      interval: 60,
      timeout: 5,
      retries: 3,
      startPeriod: 40,
    })
    expect((await container('image: x\nhealthcheck:\n  test: ["CMD", "true"]')).healthCheck).toEqual({
      command: ['CMD', 'true'],
    })
    expect((await container('image: x\nhealthcheck:\n  test: ["NONE"]')).healthCheck).toBeUndefined()
    expect((await container('image: x\nhealthcheck:\n  disable: true\n  test: x')).healthCheck).toBeUndefined()
  })

  it('healthcheck values ECS would reject are errors with the line', async () => {
    const e = await containerError('image: x\nhealthcheck:\n  test: x\n  interval: 1s')
    expect(e.message).toMatch(
      /docker-compose.yml:6:7: service "web": healthcheck.interval: interval must be between 5 and 300 seconds/,
    )
    expect((await containerError('image: x\nhealthcheck:\n  test: ["RUN", "x"]')).message).toMatch(
      /healthcheck.test: .*must start with "CMD", "CMD-SHELL" or "NONE"/,
    )
    expect((await containerError('image: x\nhealthcheck:\n  interval: 10s')).message).toMatch(
      /healthcheck needs a test/,
    )
  })

  it('depends_on: short form → START; long form conditions → START/HEALTHY/SUCCESS; a SUCCESS dependency becomes non-essential', async () => {
    const r = await build({
      'docker-compose.yml': `services:
  app:
    image: app
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
      cache: {condition: service_started}
  worker:
    image: w
    depends_on: [cache]
  db:
    image: pg
    healthcheck: {test: pg_isready}
  migrate:
    image: app
    command: migrate
  cache:
    image: redis
`,
    })
    const byName = Object.fromEntries(r.taskDefinition.containerDefinitions!.map((c) => [c.name, c]))
    expect(byName.app.dependsOn).toEqual([
      {containerName: 'db', condition: 'HEALTHY'},
      {containerName: 'migrate', condition: 'SUCCESS'},
      {containerName: 'cache', condition: 'START'},
    ])
    expect(byName.worker.dependsOn).toEqual([{containerName: 'cache', condition: 'START'}])
    expect(byName.migrate.essential).toBe(false)
    expect(byName.app.essential).toBe(true)
  })

  it('sysctls (map or list) → systemControls', async () => {
    expect(
      (await container('image: x\nsysctls:\n  net.core.somaxconn: 1024\n  net.ipv4.tcp_syncookies: 0')).systemControls,
    ).toEqual([
      {namespace: 'net.core.somaxconn', value: '1024'},
      {namespace: 'net.ipv4.tcp_syncookies', value: '0'},
    ])
    expect((await container('image: x\nsysctls: ["kernel.shmmax=65536"]')).systemControls).toEqual([
      {namespace: 'kernel.shmmax', value: '65536'},
    ])
  })

  it('links and volumes_from', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    links: [db, "cache:redis"]\n    volumes_from: [data, "container:data:ro"]\n  db: {image: pg}\n  cache: {image: redis}\n  data: {image: busybox}\n',
    })
    const web = r.taskDefinition.containerDefinitions![0]
    expect(web.links).toEqual(['db', 'cache:redis'])
    expect(web.volumesFrom).toEqual([
      {sourceContainer: 'data', readOnly: false},
      {sourceContainer: 'data', readOnly: true},
    ])
    expect(
      (
        await buildError({
          'docker-compose.yml': 'services:\n  web:\n    image: x\n    volumes_from: ["data:rx"]\n  data: {image: y}\n',
        })
      ).message,
    ).toMatch(/expected format \[container:\]SERVICE\[:ro\|rw\]/)
  })

  it('cpu_shares, cpus, mem_reservation (never copied into memory)', async () => {
    expect(await container('image: x\ncpu_shares: 256\nmem_reservation: 128m')).toEqual({
      name: 'web',
      image: 'x',
      essential: true,
      cpu: 256,
      memoryReservation: 128,
    })
    expect((await container('image: x\ncpus: 0.5\nmem_limit: 1g')).cpu).toBe(512)
  })

  it('deploy.resources: cpus ×1024 (reservation first), memory limit → memory, reservation → memoryReservation; replicas → desiredCount', async () => {
    const r = await build({
      'docker-compose.yml': `services:
  web:
    image: x
    deploy:
      replicas: 3
      resources:
        limits: {cpus: "1.0", memory: 1g}
        reservations: {cpus: "0.25", memory: 256M}
  worker:
    image: y
    deploy:
      replicas: 5
      resources:
        limits: {cpus: "2"}
`,
    })
    const [web, worker] = r.taskDefinition.containerDefinitions!
    expect(web).toMatchObject({cpu: 256, memory: 1024, memoryReservation: 256})
    expect(worker).toMatchObject({cpu: 2048, memory: 512})
    expect(r.service.desiredCount).toBe(5)
  })

  it('scale is a desired count too, and must agree with deploy.replicas', async () => {
    const r = await build({'docker-compose.yml': 'services:\n  web:\n    image: x\n    scale: 2\n'})
    expect(r.service.desiredCount).toBe(2)
    const e = await buildError({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    scale: 2\n    deploy:\n      replicas: 3\n',
    })
    expect(e.message).toMatch(
      /docker-compose.yml:6:7: service "web": deploy.replicas: scale \(2\) and deploy.replicas \(3\) are set to different values/,
    )
  })

  it('deploy: keys without an ECS equivalent are warned once each', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    deploy:\n      restart_policy: {condition: on-failure}\n      placement: {constraints: [node.role==manager]}\n',
    })
    expect(r.warnings.filter((w) => w.key?.startsWith('deploy.')).map((w) => w.key)).toEqual([
      'deploy.restart_policy',
      'deploy.placement',
    ])
  })

  it('GPU reservations → resourceRequirements', async () => {
    const c = await container(
      'image: x\ndeploy:\n  resources:\n    reservations:\n      devices:\n        - capabilities: [gpu]\n          count: 2',
    )
    expect(c.resourceRequirements).toEqual([{type: 'GPU', value: '2'}])
  })

  it('secrets: external with an ARN name, x-ecsx-value-from, target renames the variable', async () => {
    const r = await build({
      'docker-compose.yml': `services:
  api:
    image: x
    secrets:
      - db_password
      - source: api_key
        target: API_KEY
secrets:
  db_password:
    external: true
    name: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf
  api_key:
    file: ./api_key.txt
    x-ecsx-value-from: arn:aws:ssm:us-east-1:123456789012:parameter/api-key
`,
    })
    expect(r.taskDefinition.containerDefinitions![0].secrets).toEqual([
      {name: 'db_password', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'},
      {name: 'API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/api-key'},
    ])
  })

  it('secrets: a file-based secret cannot map and says what to do', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  api:\n    image: x\n    secrets: [cert]\nsecrets:\n  cert:\n    file: ./cert.pem\n',
    })
    expect(e.message).toMatch(
      /docker-compose.yml:6:\d+: secrets.cert: secret "cert" comes from "file", which ECS cannot read.*x-ecsx-value-from/,
    )
    const u = await buildError({'docker-compose.yml': 'services:\n  api:\n    image: x\n    secrets: [nope]\n'})
    expect(u.message).toMatch(/service "api": secrets: secret "nope" is not defined/)
  })

  it('x-ecsx → ecsx.simulate.* docker labels with normalised durations', async () => {
    const c = await container(
      'image: x\nlabels: {team: a}\nx-ecsx:\n  start_delay: 2000ms\n  exit_after: 90s\n  exit_code: 1\n  health: unhealthy-after:0.5s',
    )
    expect(c.dockerLabels).toEqual({
      team: 'a',
      'ecsx.simulate.start-delay': '2s',
      'ecsx.simulate.exit-after': '1m30s',
      'ecsx.simulate.exit-code': '1',
      'ecsx.simulate.health': 'unhealthy-after:500ms',
    })
    expect((await container('image: x\nx-ecsx: {health: healthy}')).dockerLabels).toEqual({
      'ecsx.simulate.health': 'healthy',
    })
    expect(
      (await container('image: x\nx-ecsx: {fail_to_start: "CannotPullContainerError: denied"}')).dockerLabels,
    ).toEqual({'ecsx.simulate.fail-to-start': 'CannotPullContainerError: denied'})
    expect((await containerError('image: x\nx-ecsx: {fail_to_start: ""}')).message).toMatch(
      /x-ecsx.fail_to_start: fail_to_start needs the failure text/,
    )
    expect((await containerError('image: x\nx-ecsx: {health: sick}')).message).toMatch(
      /x-ecsx.health: invalid health "sick"; valid: healthy, unhealthy, unhealthy-after/,
    )
    expect((await containerError('image: x\nx-ecsx: {exit_code: 300}')).message).toMatch(
      /x-ecsx.exit_code: .*between 0 and 255/,
    )
    expect((await containerError('image: x\nx-ecsx: {startdelay: 1s}')).message).toMatch(
      /x-ecsx.startdelay: unknown key; valid keys: start_delay/,
    )
  })

  it('other service x-* keys and top-level x-* keys are ignored silently', async () => {
    const r = await build({
      'docker-compose.yml': 'x-common: &common\n  image: base\nservices:\n  web:\n    <<: *common\n    x-notes: hi\n',
    })
    expect(r.taskDefinition.containerDefinitions![0].image).toBe('base')
    expect(r.warnings).toHaveLength(1) // only the default-memory info
  })

  it('unsupported keys get one warning naming the service and key — only keys actually written', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    restart: always\n    expose: ["80"]\n    networks: [front]\n    mem_limit: 64m\nnetworks:\n  front:\n',
    })
    const w = r.warnings.filter((d) => d.level === 'warning')
    expect(w.map((d) => [d.service, d.key, d.line])).toEqual([
      ['web', 'restart', 4],
      ['web', 'expose', 5],
      ['web', 'networks', 6],
      [undefined, 'networks', 8],
    ])
    const clean = await build({
      'docker-compose.yml': 'version: "2"\nservices:\n  web:\n    image: x\n    mem_limit: 64m\n',
    })
    expect(clean.warnings).toEqual([])
  })

  it('an unknown key is an error with a suggestion', async () => {
    const e = await containerError('image: x\nenviroment: {A: 1}')
    expect(e.message).toMatch(
      /docker-compose.yml:4:5: service "web": enviroment: unknown key "enviroment" \(did you mean "environment"\?\)/,
    )
  })

  it('ECS words used as Compose keys say where they belong', async () => {
    expect((await containerError('image: x\nessential: false')).message).toMatch(
      /service "web": essential: unknown key "essential": set it in ecs-params.yml: task_definition.services.<service>.essential/,
    )
    expect((await containerError('image: x\nmemory: 512')).message).toMatch(/unknown key "memory": use mem_limit/)
  })

  it('build without image is an error; build with image is a warning', async () => {
    const e = await containerError('build: .')
    expect(e.message).toMatch(/docker-compose.yml:3:5: service "web": build: the service has build but no image/)
    const r = await build({
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    image: me/web:1\n    mem_limit: 64m\n',
    })
    expect(r.warnings).toEqual([expect.objectContaining({level: 'warning', service: 'web', key: 'build', line: 3})])
  })

  it('container_name is ignored with a warning', async () => {
    const r = await build({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n    container_name: my-web\n    mem_limit: 64m\n',
    })
    expect(r.taskDefinition.containerDefinitions![0].name).toBe('web')
    expect(r.warnings).toEqual([expect.objectContaining({key: 'container_name', service: 'web'})])
  })
})

describe('shape errors name the key', () => {
  it.each([
    ['deploy: 3', 'deploy', 4],
    ['deploy:\n  resources: 2', 'deploy.resources', 5],
    ['deploy:\n  resources:\n    limits: [1]', 'deploy.resources.limits', 6],
    ['healthcheck: curl', 'healthcheck', 4],
    ['logging: json-file', 'logging', 4],
    ['ulimits: [nofile]', 'ulimits', 4],
    ['command: {a: 1}', 'command', 4],
    ['x-ecsx: fast', 'x-ecsx', 4],
  ])('%s', async (yaml, key, line) => {
    const e = await containerError(`image: x\n${yaml}`)
    expect(e.key).toBe(key)
    expect(e.service).toBe('web')
    expect(e.line).toBe(line)
  })
})
