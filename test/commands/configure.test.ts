/** In-process command tests (command classes from src, output captured): configure and its subcommands. */
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import ConfigureDefault from '../../src/commands/configure/default.js'
import Configure from '../../src/commands/configure/index.js'
import ConfigureProfileDefault from '../../src/commands/configure/profile/default.js'
import ConfigureProfile from '../../src/commands/configure/profile/index.js'
import {cleanupTempDirs, makeTempDir} from '../helpers/cli.js'
import {runInProcess} from '../helpers/in-process.js'

const saved = {...process.env}
let home: string

beforeEach(() => {
  home = makeTempDir('ecsx-cmd-')
  process.env.HOME = home
  process.env.ECSX_HOME = path.join(home, '.ecsx')
  for (const k of Object.keys(process.env))
    if (/^(AWS_|ECS_CLUSTER|ECS_PROFILE|ECSX_BACKEND)/.test(k)) delete process.env[k]
})

afterEach(() => {
  process.env = {...saved}
  cleanupTempDirs()
})

describe('configure (in process)', () => {
  it('saves a configuration with its backend and prints where', async () => {
    const r = await runInProcess(Configure, [
      '--cluster',
      'c1',
      '--region',
      'eu-west-1',
      '--backend',
      'aws',
      '--config-name',
      'prod',
      '--default-launch-type',
      'FARGATE',
    ])
    expect(r.exitCode).toBe(0)
    expect(r.stderr.trim()).toBe('')
    const file = path.join(home, '.ecsx', 'config')
    expect(r.stdout).toBe(`Saved cluster configuration prod to ${file} (default).\n`)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toBe(
      'version: v1\ndefault: prod\nclusters:\n  prod:\n    cluster: c1\n    region: eu-west-1\n    default_launch_type: FARGATE\n    backend: aws\n',
    )
  })

  it('--json returns the result object only', async () => {
    const r = await runInProcess(Configure, ['--cluster', 'c1', '--json'])
    expect(JSON.parse(r.stdout)).toEqual({
      configName: 'default',
      path: path.join(home, '.ecsx', 'config'),
      isDefault: true,
    })
  })

  it('configure default names an unknown configuration (exit 2)', async () => {
    await runInProcess(Configure, ['--cluster', 'c1', '--config-name', 'one'])
    const r = await runInProcess(ConfigureDefault, ['--config-name', 'two'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('Cluster Configuration two could not be found.')
  })

  it('profile: the secret is stored but never printed; a missing access key is exit 2', async () => {
    const ok = await runInProcess(ConfigureProfile, [
      '--access-key',
      'AKIA',
      '--secret-key',
      'TOPSECRET',
      '--session-token',
      'TOKENVALUE',
      '--verbose',
    ])
    expect(ok.exitCode).toBe(0)
    expect(ok.stdout + ok.stderr).not.toMatch(/TOPSECRET|TOKENVALUE/)
    expect(readFileSync(path.join(home, '.ecsx', 'credentials'), 'utf8')).toContain('aws_session_token: TOKENVALUE')
    const bad = await runInProcess(ConfigureProfile, ['--secret-key', 'x'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('Missing --access-key')
    const switched = await runInProcess(ConfigureProfileDefault, ['--profile-name', 'default'])
    expect(switched.stdout).toContain('Default ECS profile is now default')
  })
})
