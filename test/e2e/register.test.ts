/**
 * e2e: `ecsx register` / `ecsx compose create` through the built CLI. `--dry-run --json` prints exactly one JSON
 * document (the RegisterTaskDefinition request); warnings and errors go to stderr only.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {cleanupTempDirs, hasAnsi, makeWorkspace, runCli} from '../helpers/cli.js'

afterAll(cleanupTempDirs)

function project(files: Record<string, string>): {dir: string; env: Record<string, string>; home: string} {
  const ws = makeWorkspace()
  const dir = path.join(ws.project, 'shop')
  mkdirSync(dir, {recursive: true})
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return {dir, env: ws.env, home: ws.home}
}

const COMPOSE = `version: "3"
services:
  web:
    image: nginx:\${NGINX_TAG:-1.25}
    ports:
      - "80:80"
    environment:
      MODE: \${MODE}
      PLAIN: value
    logging:
      driver: awslogs
      options:
        awslogs-group: /ecs/shop
        awslogs-region: us-east-1
        awslogs-stream-prefix: web
  worker:
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
    build: ./worker
`

const OVERRIDE = `version: "3"
services:
  web:
    environment:
      PLAIN: overridden
`

const PARAMS = `version: 1
task_definition:
  ecs_network_mode: awsvpc
  task_execution_role: ecsTaskExecutionRole
  task_size:
    cpu_limit: 512
    mem_limit: 1GB
  services:
    worker:
      essential: false
run_params:
  network_configuration:
    awsvpc_configuration:
      subnets: [subnet-1]
      assign_public_ip: ENABLED
`

describe('e2e: register --dry-run --json', () => {
  it('prints exactly the request: several files, ecs-params, .env interpolation, Fargate, tags, task role', async () => {
    const p = project({
      'docker-compose.yml': COMPOSE,
      'docker-compose.prod.yml': OVERRIDE,
      'ecs-params.yml': PARAMS,
      '.env': 'MODE=production\n',
    })
    const r = await runCli(
      [
        'register',
        '--dry-run',
        '--json',
        '-f',
        'docker-compose.yml',
        '-f',
        'docker-compose.prod.yml',
        '--ecs-params',
        'ecs-params.yml',
        '-p',
        'shop-prod',
        '--launch-type',
        'FARGATE',
        '--tags',
        'team=web,env=prod',
        '--task-role-arn',
        'arn:aws:iam::123456789012:role/app',
      ],
      {cwd: p.dir, env: p.env},
    )
    expect(r.exitCode).toBe(0)
    const request = JSON.parse(r.stdout) as RegisterTaskDefinitionCommandInput
    expect(r.stdout.trim().startsWith('{')).toBe(true)
    expect(r.stdout.trim().endsWith('}')).toBe(true)
    expect(request).toMatchObject({
      family: 'shop-prod',
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      requiresCompatibilities: ['FARGATE'],
      taskRoleArn: 'arn:aws:iam::123456789012:role/app',
      tags: [
        {key: 'team', value: 'web'},
        {key: 'env', value: 'prod'},
      ],
    })
    expect(request.executionRoleArn).toContain('ecsTaskExecutionRole')
    const web = request.containerDefinitions?.find((c) => c.name === 'web')
    const worker = request.containerDefinitions?.find((c) => c.name === 'worker')
    expect(web).toMatchObject({image: 'nginx:1.25', portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}]})
    expect(web?.environment).toEqual(
      expect.arrayContaining([
        {name: 'MODE', value: 'production'},
        {name: 'PLAIN', value: 'overridden'},
      ]),
    )
    expect(web?.logConfiguration).toMatchObject({logDriver: 'awslogs', options: {'awslogs-group': '/ecs/shop'}})
    expect(worker).toMatchObject({essential: false, command: ['sh', '-c', 'sleep 3600']})
    // the warning about `build` is on stderr, naming the file, line, service and key
    expect(r.stderr).toMatch(/docker-compose\.yml:\d+(:\d+)?: service "worker", key "build"/)
    expect(hasAnsi(r.stdout + r.stderr)).toBe(false)
  })

  it('ecs-cli argument order: compose-level flags before the subcommand', async () => {
    const p = project({'docker-compose.yml': COMPOSE})
    const r = await runCli(
      ['compose', '--project-name', 'ordered', '--file', 'docker-compose.yml', 'create', '--dry-run', '--json'],
      {cwd: p.dir, env: {...p.env, MODE: 'm'}},
    )
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({family: 'ordered'})
  })

  it('the human dry run prints the request on stdout and a summary on stderr, touching no backend', async () => {
    const p = project({'docker-compose.yml': COMPOSE})
    const r = await runCli(['register', '--dry-run'], {cwd: p.dir, env: {...p.env, MODE: 'm'}})
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({family: 'shop'})
    expect(r.stderr).toContain('Dry run: task definition shop with 2 containers was not registered.')
    const {existsSync} = await import('node:fs')
    expect(existsSync(path.join(p.home, 'engine.db'))).toBe(false)
  })

  it('invalid compose: exit 2, file:line on stderr, nothing on stdout', async () => {
    const p = project({'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    ports: "oops\n'})
    const r = await runCli(['register', '--dry-run', '--json'], {cwd: p.dir, env: p.env})
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/docker-compose\.yml:\d+/)
    const human = await runCli(['register', '--dry-run'], {cwd: p.dir, env: p.env})
    expect(human.exitCode).toBe(2)
    expect(human.stderr).toMatch(/^Error: .*docker-compose\.yml:\d+/)
  })

  it("malformed --tags: exit 2 with ecs-cli's message", async () => {
    const p = project({'docker-compose.yml': COMPOSE})
    const r = await runCli(['register', '--dry-run', '--json', '--tags', 'a=1,b'], {cwd: p.dir, env: p.env})
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('Tag input not formatted correctly: b')
  })
})

describe('e2e: register on the local backend', () => {
  it('registers, reuses the identical revision, registers again on change; --json prints {taskDefinition, reused}', async () => {
    const p = project({'docker-compose.yml': COMPOSE})
    const cli = (...args: string[]) => runCli(args, {cwd: p.dir, env: {...p.env, MODE: 'one'}})
    expect(await cli('register')).toMatchObject({exitCode: 0, stdout: 'Using ECS task definition shop:1\n'})
    expect((await cli('compose', 'create')).stdout).toBe('Using ECS task definition shop:1 (reused)\n')
    const json = JSON.parse((await cli('register', '--json')).stdout)
    expect(json).toMatchObject({reused: true, taskDefinition: {family: 'shop', revision: 1, status: 'ACTIVE'}})
    const changed = await runCli(['register', '--json'], {cwd: p.dir, env: {...p.env, MODE: 'two'}})
    expect(JSON.parse(changed.stdout)).toMatchObject({reused: false, taskDefinition: {revision: 2}})
  })
})
