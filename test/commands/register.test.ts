/** In-process command tests: register / compose create (command classes from src, output captured). */
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import ComposeCreate from '../../src/commands/compose/create.js'
import Register from '../../src/commands/register.js'
import {cleanupTempDirs, makeTempDir} from '../helpers/cli.js'
import {runInProcess} from '../helpers/in-process.js'

const saved = {...process.env}
const savedCwd = process.cwd()
let dir: string

beforeEach(() => {
  const home = makeTempDir('ecsx-cmd-')
  dir = path.join(home, 'webapp')
  process.env.HOME = home
  process.env.ECSX_HOME = path.join(home, '.ecsx')
  process.env.ECSX_ENGINE_CLOCK = 'manual'
  for (const k of Object.keys(process.env))
    if (/^(AWS_|ECS_CLUSTER|ECS_PROFILE|ECSX_BACKEND|COMPOSE_)/.test(k)) delete process.env[k]
  mkdirSync(dir, {recursive: true})
  writeFileSync(
    path.join(dir, 'docker-compose.yml'),
    'services:\n  web:\n    image: nginx\n    mem_limit: 128m\n    ports: ["80:80"]\n',
  )
  process.chdir(dir)
})

afterEach(() => {
  process.chdir(savedCwd)
  process.env = {...saved}
  cleanupTempDirs()
})

describe('register (in process)', () => {
  it('--dry-run --json returns exactly the request', async () => {
    const r = await runInProcess(Register, ['--dry-run', '--json', '--launch-type', 'EC2'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      family: 'webapp',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [
        expect.objectContaining({
          name: 'web',
          image: 'nginx',
          memory: 128,
          portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}],
        }),
      ],
    })
  })

  it('registers, then compose create reuses the revision', async () => {
    const first = await runInProcess(Register, [])
    expect(first.stderr).toBe('')
    expect(first.stdout).toBe('Using ECS task definition webapp:1\n')
    expect((await runInProcess(ComposeCreate, [])).stdout).toBe('Using ECS task definition webapp:1 (reused)\n')
  })

  it('--create-log-groups on the local backend: nothing to create, said on stderr; the task definition is still registered', async () => {
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      'services:\n  web:\n    image: nginx\n    mem_limit: 128m\n    logging:\n      driver: awslogs\n      options:\n        awslogs-group: /ecs/webapp\n        awslogs-region: us-east-1\n',
    )
    const r = await runInProcess(Register, ['--create-log-groups'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('/ecs/webapp not created')
    expect(r.stdout).toBe('Using ECS task definition webapp:1\n')
  })
})
