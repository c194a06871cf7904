import {writeFileSync} from 'node:fs'
import * as path from 'node:path'

import {describe, expect, it} from '@jest/globals'

import {buildProject} from '../../src/compose/index.js'
import {build, buildError, writeProject} from './helpers.js'

describe('finding files and merging them', () => {
  it('picks docker-compose.yml and docker-compose.override.yml when no -f is given', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: nginx:1\n    ports: ["80"]\n    environment: {A: "1", B: "1"}\n',
      'docker-compose.override.yml':
        'services:\n  web:\n    image: nginx:2\n    ports: ["443"]\n    environment: {B: "2"}\n  debug:\n    image: busybox\n',
    })
    expect(r.files).toEqual(['docker-compose.yml', 'docker-compose.override.yml'])
    const [web, debug] = r.taskDefinition.containerDefinitions!
    expect(web.image).toBe('nginx:2')
    expect(web.portMappings?.map((p) => p.containerPort)).toEqual([80, 443])
    expect(web.environment).toEqual([
      {name: 'A', value: '1'},
      {name: 'B', value: '2'},
    ])
    expect(debug.name).toBe('debug')
  })

  it('prefers compose.yaml and its compose.override.yaml', async () => {
    const r = await build({
      'compose.yaml': 'services:\n  a:\n    image: x\n',
      'compose.override.yaml': 'services:\n  a:\n    image: y\n',
      'docker-compose.yml': 'services:\n  z:\n    image: z\n',
    })
    expect(r.files).toEqual(['compose.yaml', 'compose.override.yaml'])
    expect(r.taskDefinition.containerDefinitions![0].image).toBe('y')
  })

  it('-f files in order, later wins: scalars replaced, maps merged by key, lists appended, volumes by target, logging options merged', async () => {
    const r = await build(
      {
        'base.yml': `services:
  web:
    image: app:1
    command: ["serve"]
    labels: {a: "1", b: "1"}
    volumes: ["/data:/data", "/logs:/logs"]
    dns: 1.1.1.1
    logging:
      driver: awslogs
      options: {awslogs-group: g, awslogs-region: us-east-1}
    healthcheck:
      test: curl localhost
      interval: 30s
`,
        'prod.yml': `services:
  web:
    command: serve --prod
    labels: ["b=2", "c=3"]
    volumes: ["/srv/data:/data:ro"]
    dns: [8.8.8.8]
    logging:
      options: {awslogs-region: eu-west-1}
    healthcheck:
      interval: 10s
`,
      },
      {load: {files: ['base.yml', 'prod.yml']}},
    )
    const web = r.taskDefinition.containerDefinitions![0]
    expect(r.files).toEqual(['base.yml', 'prod.yml'])
    expect(web.command).toEqual(['serve', '--prod'])
    expect(web.dockerLabels).toEqual({a: '1', b: '2', c: '3'})
    expect(web.mountPoints).toEqual([
      {sourceVolume: 'volume-0', containerPath: '/logs', readOnly: false},
      {sourceVolume: 'volume-1', containerPath: '/data', readOnly: true},
    ])
    expect(r.taskDefinition.volumes).toEqual([
      {name: 'volume-0', host: {sourcePath: '/logs'}},
      {name: 'volume-1', host: {sourcePath: '/srv/data'}},
    ])
    expect(web.dnsServers).toEqual(['1.1.1.1', '8.8.8.8'])
    expect(web.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: {'awslogs-group': 'g', 'awslogs-region': 'eu-west-1'},
    })
    expect(web.healthCheck).toEqual({command: ['CMD-SHELL', 'curl localhost'], interval: 10})
  })

  it('a different log driver in a later file replaces the whole logging block', async () => {
    const r = await build(
      {
        'a.yml': 'services:\n  w:\n    image: x\n    logging: {driver: awslogs, options: {awslogs-group: g}}\n',
        'b.yml': 'services:\n  w:\n    logging: {driver: json-file}\n',
      },
      {load: {files: ['a.yml', 'b.yml']}},
    )
    expect(r.taskDefinition.containerDefinitions![0].logConfiguration).toEqual({logDriver: 'json-file'})
  })

  it('errors point at the file that set the value', async () => {
    const e = await buildError(
      {
        'a.yml': 'services:\n  w:\n    image: x\n    mem_limit: 64m\n',
        'b.yml': '# override\nservices:\n  w:\n    mem_limit: lots\n',
      },
      {load: {files: ['a.yml', 'b.yml']}},
    )
    expect(e.message).toMatch(/^b.yml:4:5: service "w": mem_limit: invalid size "lots"/)
  })

  it('no compose file, or a missing -f file, are clear errors', async () => {
    const dir = writeProject({})
    await expect(buildProject({files: [], cwd: dir, env: {}}, {})).rejects.toThrow(
      /no Compose file found in .*: looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml/,
    )
    await expect(buildProject({files: ['nope.yml'], cwd: dir, env: {}}, {})).rejects.toThrow(
      'nope.yml: cannot read Compose file: no such file',
    )
  })

  it('relative paths (env_file, host volumes) resolve against the declaring file', async () => {
    const dir = writeProject({
      'deploy/prod.yml': 'services:\n  w:\n    image: x\n    env_file: prod.env\n    volumes: ["./data:/data"]\n',
      'deploy/prod.env': 'MODE=prod\n',
    })
    const r = await buildProject({files: ['deploy/prod.yml'], cwd: dir, env: {}}, {})
    const w = r.taskDefinition.containerDefinitions![0]
    expect(w.environment).toEqual([{name: 'MODE', value: 'prod'}])
    expect(r.taskDefinition.volumes).toEqual([{name: 'volume-0', host: {sourcePath: path.join(dir, 'deploy', 'data')}}])
    expect(r.projectName).toBe('deploy')
  })
})

describe('project name', () => {
  const files = {
    'docker-compose.yml': 'name: from-file\nservices:\n  w:\n    image: x\n',
    '.env': 'COMPOSE_PROJECT_NAME=from-dotenv\n',
  }
  it('--project-name > COMPOSE_PROJECT_NAME (shell) > COMPOSE_PROJECT_NAME (.env) > name: > directory', async () => {
    expect(
      (await build(files, {load: {projectName: 'flag'}, env: {COMPOSE_PROJECT_NAME: 'shell'}})).taskDefinition.family,
    ).toBe('flag')
    expect((await build(files, {env: {COMPOSE_PROJECT_NAME: 'shell'}})).projectName).toBe('shell')
    expect((await build(files)).projectName).toBe('from-dotenv')
    expect((await build({'docker-compose.yml': files['docker-compose.yml']})).projectName).toBe('from-file')
    expect((await build({'docker-compose.yml': 'services:\n  w:\n    image: x\n'})).projectName).toBe('proj')
  })
  it('names kept verbatim (case kept); invalid explicit names are errors; directory names are cleaned with an info', async () => {
    expect((await build({'docker-compose.yml': 'name: MyApp_2\nservices:\n  w:\n    image: x\n'})).projectName).toBe(
      'MyApp_2',
    )
    const e = await buildError({'docker-compose.yml': 'name: my app\nservices:\n  w:\n    image: x\n'})
    expect(e.message).toMatch(/^docker-compose.yml:1:1: name: invalid project name "my app"/)
    await expect(
      build({'docker-compose.yml': 'services:\n  w:\n    image: x\n'}, {load: {projectName: 'a.b'}}),
    ).rejects.toThrow(/invalid project name "a.b" from --project-name/)
    const dir = writeProject({}, 'my.site v2')
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  w:\n    image: x\n    mem_limit: 8m\n')
    const r = await buildProject({files: [], cwd: dir, env: {}}, {})
    expect(r.projectName).toBe('my-site-v2')
    expect(r.warnings).toEqual([
      expect.objectContaining({level: 'info', message: expect.stringContaining('derived from directory "my.site v2"')}),
    ])
  })
})

describe('versions', () => {
  const body = (v: string) =>
    `${v}services:\n  web:\n    image: x\n    mem_limit: 8m\n    healthcheck:\n      test: "true"\n      start_period: 5s\n    ports:\n      - target: 80\n        published: 8080\n`
  it.each([
    '',
    'version: "2"\n',
    'version: 2\n',
    'version: "2.4"\n',
    'version: "3"\n',
    'version: "3.0"\n',
    'version: "3.8"\n',
    'version: 3.9\n',
  ])('%p is read with one parser', async (v) => {
    const r = await build({'docker-compose.yml': body(v)})
    expect(r.taskDefinition.containerDefinitions![0]).toMatchObject({
      healthCheck: {command: ['CMD-SHELL', 'true'], startPeriod: 5},
      portMappings: [{containerPort: 80, hostPort: 8080, protocol: 'tcp'}],
    })
    expect(r.warnings).toEqual([])
  })

  it('an unknown version is read anyway with a warning', async () => {
    const r = await build({'docker-compose.yml': body('version: "4"\n')})
    expect(r.warnings).toEqual([
      expect.objectContaining({
        level: 'warning',
        key: 'version',
        line: 1,
        message: expect.stringContaining('unknown Compose version "4"'),
      }),
    ])
  })

  it('v1 files (services at the top level, log_driver) are read', async () => {
    const r = await build({
      'docker-compose.yml':
        'web:\n  image: nginx\n  mem_limit: 64m\n  links: [db]\n  log_driver: syslog\ndb:\n  image: mysql\n  mem_limit: 128m\n',
    })
    expect(r.taskDefinition.containerDefinitions!.map((c) => [c.name, c.image, c.memory])).toEqual([
      ['web', 'nginx', 64],
      ['db', 'mysql', 128],
    ])
    expect(r.taskDefinition.containerDefinitions![0].logConfiguration).toEqual({logDriver: 'syslog'})
    const e = await buildError({'docker-compose.yml': 'web:\n  image: nginx\n  mem_limit: lots\n'})
    expect(e.message).toMatch(/^docker-compose.yml:3:3: service "web": mem_limit:/)
  })
})

describe('structure errors', () => {
  it.each([
    ['services:\n  web:\n    image: [oops\n', /^docker-compose.yml:\d+:\d+: invalid YAML/],
    [
      'services:\n  web:\n    image: a\n    image: b\n',
      /^docker-compose.yml:4:\d+: invalid YAML: Map keys must be unique/,
    ],
    ['', /docker-compose.yml: the Compose file is empty/],
    ['- a\n- b\n', /^docker-compose.yml:1: the Compose file must be a mapping/],
    ['services: [web]\n', /^docker-compose.yml:1:1: services: services must be a mapping/],
    ['services:\n  web: nginx\n', /^docker-compose.yml:2:3: service "web": a service must be a mapping/],
    [
      'servcies:\n  web:\n    image: x\n',
      /^docker-compose.yml:1:1: servcies: unknown top-level key "servcies" \(did you mean "services"\?\)/,
    ],
    ['include:\n  - other.yml\nservices: {}\n', /include is not supported/],
    [
      'services:\n  web:\n    image: x\n    environment: [1, [2]]\n',
      /^docker-compose.yml:4:\d+: service "web": environment: environment list items must be strings/,
    ],
    ['services:\n  web:\n    image: x\n    depends_on: db\n', /depends_on must be a list of services or a mapping/],
    [
      'services:\n  web:\n    image: x\n    ports: "80"\n',
      /^docker-compose.yml:4:5: service "web": ports: ports must be a list/,
    ],
    ['services: {}\n', /the project has no services to run/],
  ])('%p', async (yaml, pattern) => {
    const e = await buildError({'docker-compose.yml': yaml})
    expect(e.message).toMatch(pattern)
    expect(e.exitCode).toBe(2)
  })
})

describe('profiles', () => {
  const yaml = 'services:\n  web:\n    image: x\n  debug:\n    image: y\n    profiles: [debug]\n'
  it('services with profiles are skipped unless COMPOSE_PROFILES enables them', async () => {
    const off = await build({'docker-compose.yml': yaml})
    expect(off.taskDefinition.containerDefinitions!.map((c) => c.name)).toEqual(['web'])
    expect(off.warnings).toContainEqual(
      expect.objectContaining({
        level: 'info',
        service: 'debug',
        message: expect.stringContaining('profiles (debug) are not enabled'),
      }),
    )
    const on = await build({'docker-compose.yml': yaml}, {env: {COMPOSE_PROFILES: 'debug'}})
    expect(on.taskDefinition.containerDefinitions!.map((c) => c.name)).toEqual(['web', 'debug'])
  })
})

describe('tags, launch type and registry credentials', () => {
  it('tags and requiresCompatibilities EC2', async () => {
    const r = await build(
      {'docker-compose.yml': 'services:\n  w:\n    image: x\n    mem_limit: 8m\n'},
      {translate: {launchType: 'EC2', tags: [{key: 'team', value: 'a'}]}},
    )
    expect(r.taskDefinition).toEqual({
      family: 'proj',
      containerDefinitions: [{name: 'w', image: 'x', essential: true, cpu: 0, memory: 8}],
      requiresCompatibilities: ['EC2'],
      tags: [{key: 'team', value: 'a'}],
    })
  })

  it('the registry-creds output sets the execution role and repositoryCredentials (winning over ecs-params)', async () => {
    const r = await build(
      {
        'docker-compose.yml':
          'services:\n  web:\n    image: reg.example.com/web\n    mem_limit: 8m\n  worker:\n    image: reg.example.com/w\n    mem_limit: 8m\n',
        'ecs-params.yml':
          'version: 1\ntask_definition:\n  task_execution_role: old-role\n  services:\n    web:\n      repository_credentials:\n        credentials_parameter: old\n',
        'creds.yml':
          'version: "1"\nregistry_credential_outputs:\n  task_execution_role: ecsTaskExecutionRole\n  container_credentials:\n    reg.example.com:\n      credentials_parameter: arn:aws:secretsmanager:us-east-1:1:secret:reg\n      container_names: [web, worker, gone]\n',
      },
      {translate: {registryCredsFile: 'creds.yml'}},
    )
    expect(r.taskDefinition.executionRoleArn).toBe('ecsTaskExecutionRole')
    for (const c of r.taskDefinition.containerDefinitions!)
      expect(c.repositoryCredentials).toEqual({credentialsParameter: 'arn:aws:secretsmanager:us-east-1:1:secret:reg'})
    expect(r.warnings.some((w) => w.message.includes('"gone" is not a service'))).toBe(true)
    expect(r.warnings.some((w) => w.level === 'info' && w.message.includes('task execution role'))).toBe(true)
  })

  it('a container listed under two registries with different parameters is an error', async () => {
    const e = await buildError(
      {
        'docker-compose.yml': 'services:\n  web:\n    image: x\n',
        'creds.yml':
          'registry_credential_outputs:\n  container_credentials:\n    a.io:\n      credentials_parameter: p1\n      container_names: [web]\n    b.io:\n      credentials_parameter: p2\n      container_names: [web]\n',
      },
      {translate: {registryCredsFile: 'creds.yml'}},
    )
    expect(e.message).toMatch(
      /^creds.yml:8:\d+: .*Duplicate credential_parameter values found for container web \(p1 and p2\)/,
    )
  })
})

describe('output shape', () => {
  it('no undefined values and no empty strings anywhere in the request', async () => {
    const r = await build({
      'docker-compose.yml':
        'services:\n  web:\n    image: x\n    hostname: ""\n    user:\n    working_dir: ""\n    command: []\n    environment: {}\n    labels: {}\n',
    })
    const walk = (v: unknown, p: string): void => {
      expect(v).not.toBeUndefined()
      if (typeof v === 'string' && !p.endsWith('.value')) expect(`${p}=${v}`).not.toBe(`${p}=`)
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`))
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${p}.${k}`)
    }
    walk(r.taskDefinition, 'td')
    expect(JSON.parse(JSON.stringify(r.taskDefinition))).toEqual(r.taskDefinition)
  })

  it('container definitions follow file order', async () => {
    const names = ['zeta', 'alpha', 'mid', 'beta', 'omega']
    const r = await build({
      'docker-compose.yml': `services:\n${names.map((n) => `  ${n}:\n    image: x\n    mem_limit: 8m\n`).join('')}`,
    })
    expect(r.taskDefinition.containerDefinitions!.map((c) => c.name)).toEqual(names)
  })
})

describe('extends', () => {
  it('same-file and other-file bases merge like Compose (base first, then the service)', async () => {
    const r = await build({
      'docker-compose.yml': `services:
  base:
    image: acme/app:1
    environment: {A: "1", B: "1"}
    ports: ["80"]
    mem_limit: 128m
  web:
    extends: base
    environment: {B: "2"}
    ports: ["443"]
  worker:
    extends:
      service: common
      file: common.yml
    command: work
`,
      'common.yml':
        'services:\n  common:\n    extends: {service: root}\n    image: acme/worker:1\n  root:\n    image: unused\n    mem_limit: 64m\n    labels: {tier: back}\n',
    })
    const byName = Object.fromEntries(r.taskDefinition.containerDefinitions!.map((c) => [c.name, c]))
    expect(byName.web).toMatchObject({
      image: 'acme/app:1',
      memory: 128,
      environment: [
        {name: 'A', value: '1'},
        {name: 'B', value: '2'},
      ],
    })
    expect(byName.web.portMappings!.map((p: {containerPort?: number}) => p.containerPort)).toEqual([80, 443])
    expect(byName.worker).toMatchObject({
      image: 'acme/worker:1',
      memory: 64,
      command: ['work'],
      dockerLabels: {tier: 'back'},
    })
  })

  it('errors: unknown base, cycles, and values from a base point at the base', async () => {
    expect((await buildError({'docker-compose.yml': 'services:\n  web:\n    extends: nope\n'})).message).toMatch(
      /^docker-compose.yml:3:5: service "web": extends: extends service "nope", which is not defined/,
    )
    expect(
      (
        await buildError({
          'docker-compose.yml': 'services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n    image: y\n',
        })
      ).message,
    ).toMatch(/extends cycle: a -> b -> a/)
    const e = await buildError({
      'docker-compose.yml': 'services:\n  base:\n    image: x\n    mem_limit: lots\n  web:\n    extends: base\n',
    })
    expect(e.message).toMatch(/^docker-compose.yml:4:5: service "(web|base)": mem_limit: invalid size "lots"/)
  })
})
