/** Every workflow command documents itself: summary, ≥ 2 examples, its flags, and the exit codes — plain text off a TTY. */
import {afterAll, describe, expect, it} from '@jest/globals'

import {cleanupTempDirs, hasAnsi, runCli} from '../helpers/cli.js'

afterAll(() => cleanupTempDirs())

const COMMANDS: Array<[string[], string[]]> = [
  [
    ['compose', 'up'],
    ['--force-update', '--launch-type', '--create-log-groups', '--tags', '--timeout'],
  ],
  [
    ['compose', 'start'],
    ['--launch-type', '--create-log-groups'],
  ],
  [
    ['compose', 'scale'],
    ['COUNT', '--timeout'],
  ],
  [['compose', 'stop'], ['--timeout']],
  [['compose', 'down'], ['--timeout']],
  [['compose', 'ps'], ['--desired-status']],
  [['compose', 'list'], ['--desired-status']],
  [['compose', 'run'], ['--launch-type']],
  [
    ['compose', 'service', 'create'],
    [
      '--deployment-max-percent',
      '--deployment-min-healthy-percent',
      '--scheduling-strategy',
      '--target-group-arn',
      '--container-name',
      '--container-port',
      '--role',
      '--target-groups',
      '--enable-service-discovery',
      '--private-dns-namespace',
      '--health-check-grace-period',
      '--tags',
    ],
  ],
  [
    ['compose', 'service', 'up'],
    ['--timeout', '--force-deployment', '--deployment-max-percent', '--scheduling-strategy'],
  ],
  [
    ['compose', 'service', 'start'],
    ['--force-deployment', '--timeout'],
  ],
  [
    ['compose', 'service', 'scale'],
    ['COUNT', '--deployment-max-percent', '--timeout'],
  ],
  [['compose', 'service', 'stop'], ['--timeout']],
  [
    ['compose', 'service', 'rm'],
    ['--timeout', '--delete-namespace'],
  ],
  [['compose', 'service', 'delete'], ['--timeout']],
  [['compose', 'service', 'down'], ['--timeout']],
  [['compose', 'service', 'ps'], ['--desired-status']],
  [['compose', 'service', 'list'], ['--desired-status']],
  [
    ['deploy'],
    [
      '--image',
      '--tag',
      '--env',
      '--cpu',
      '--memory',
      '--diff-only',
      '--yes',
      '--wait-until',
      '--timeout',
      '--no-wait',
      '--rollback',
      '--service',
    ],
  ],
]

describe('help of the workflow commands', () => {
  it.each(COMMANDS)('%j --help', async (argv, flags) => {
    const r = await runCli([...argv, '--help'])
    expect(r.exitCode).toBe(0)
    expect(hasAnsi(r.stdout)).toBe(false)
    expect(r.stdout).toContain('EXIT CODES')
    expect(r.stdout).toMatch(/4\s+deployment failed and was rolled back/)
    const examples = r.stdout.slice(r.stdout.indexOf('EXAMPLES'))
    expect((examples.match(/\$ ecsx /g) ?? []).length).toBeGreaterThanOrEqual(2)
    for (const f of flags) expect(r.stdout).toContain(f)
    expect(r.stdout).toContain('--json')
  })

  it('deploy --help states the failed-deployment rule', async () => {
    const r = await runCli(['deploy', '--help'])
    expect(r.stdout).toContain('min(max(ceil(desired/2), 2), 10)')
  })
})

describe('bad input is exit 2', () => {
  it('an unknown flag', async () => {
    const r = await runCli(['compose', 'service', 'up', '--no-such-flag'])
    expect(r.exitCode).toBe(2)
  })
  it('a bad --timeout', async () => {
    const r = await runCli(['compose', 'service', 'scale', '2', '--timeout', 'soon'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--timeout must be a number of minutes')
  })
  it('a negative scale count', async () => {
    const r = await runCli(['compose', 'scale', '-1'])
    expect(r.exitCode).toBe(2)
  })
})
