/**
 * The same waits on the aws backend: `ecsx engine serve` (wall clock) as the ECS endpoint, the SDK client with
 * --endpoint-url, real sleeps between polls. A service comes up, a release whose essential container exits fails
 * the deployment, --rollback restores the previous revision (exit 4).
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {type ChildProcess, spawn} from 'node:child_process'

import {BIN, baseEnv, cleanupTempDirs} from '../helpers/cli.js'
import {expectExit, scenario} from './tutorial-helpers.js'

let server: ChildProcess | undefined
let endpoint = ''
const s = scenario('web', 'deploy-good')
// the served engine runs on its wall clock: the aws backend really sleeps between polls
s.env.ECSX_ENGINE_CLOCK = 'wall'

beforeAll(async () => {
  const env = {...baseEnv(), ECSX_HOME: s.env.ECSX_HOME, ECSX_ENGINE_CLOCK: 'wall'}
  server = spawn(process.execPath, [BIN, 'engine', 'serve', '--port', '0'], {env, stdio: ['ignore', 'pipe', 'pipe']})
  endpoint = await new Promise<string>((resolve, reject) => {
    let text = ''
    const onData = (chunk: Buffer) => {
      text += String(chunk)
      const m = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)
      if (m) resolve(m[1])
    }
    server?.stdout?.on('data', onData)
    server?.stderr?.on('data', onData)
    server?.on('exit', (code) => reject(new Error(`engine serve exited with ${code}: ${text}`)))
    setTimeout(() => reject(new Error(`engine serve did not start: ${text}`)), 20_000)
  })
}, 30_000)

afterAll(() => {
  server?.kill('SIGTERM')
  cleanupTempDirs()
})

describe('compose service and deploy on the aws backend (engine serve endpoint)', () => {
  const aws = () => ['--backend', 'aws', '--endpoint-url', endpoint, '--region', 'us-east-1', '--cluster', 'remote']
  const creds = {AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example-secret'}
  const ecsx = (...args: string[]) => {
    Object.assign(s.env, creds)
    return s.ecsx(...args)
  }

  it('creates the service through the SDK and waits with the same progress lines', async () => {
    // instances are registered through the local backend on the same ECSX_HOME (the served engine's database)
    expectExit(await ecsx('up', '--size', '1', '--cluster', 'remote'), 0)
    const r = await ecsx('compose', 'service', 'up', ...aws())
    expectExit(r, 0)
    expect(r.stderr).toContain('Waiting for service web to be stable')
    expect(r.stderr).toMatch(/PRIMARY web:1: desired 1, running 1, pending 0/)
    expect(r.stdout).toContain('Service web: ACTIVE, desired 1, running 1')
  }, 60_000)

  it('a failing release is rolled back: exit 4, previous revision running', async () => {
    s.use('deploy-bad')
    const r = await ecsx('deploy', '--yes', '--rollback', ...aws())
    expectExit(r, 4)
    expect(r.stderr).toContain('Rolled back service web to web:1.')
    const after = await ecsx('deploy', '--diff-only', '--json', ...aws())
    expectExit(after, 0)
    const svc = s.json<{diff: string[]}>(after)
    expect(svc.diff[0]).toBe('--- web:1 (running)')
  }, 90_000)
})
