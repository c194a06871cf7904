/** In-process command tests: up, scale, ps, engine status/advance, down on the local backend (manual clock). */
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'
import path from 'node:path'

import Down from '../../src/commands/down.js'
import EngineAdvance from '../../src/commands/engine/advance.js'
import EngineStatusCommand from '../../src/commands/engine/status.js'
import Ps from '../../src/commands/ps.js'
import Scale from '../../src/commands/scale.js'
import Up from '../../src/commands/up.js'
import {cleanupTempDirs, makeTempDir} from '../helpers/cli.js'
import {runInProcess} from '../helpers/in-process.js'

const saved = {...process.env}

beforeEach(() => {
  const home = makeTempDir('ecsx-cmd-')
  process.env.HOME = home
  process.env.ECSX_HOME = path.join(home, '.ecsx')
  process.env.ECSX_ENGINE_CLOCK = 'manual'
  process.env.NO_COLOR = '1'
  for (const k of Object.keys(process.env))
    if (/^(AWS_|ECS_CLUSTER|ECS_PROFILE|ECSX_BACKEND)/.test(k)) delete process.env[k]
})

afterEach(() => {
  process.env = {...saved}
  cleanupTempDirs()
})

describe('cluster commands (in process)', () => {
  it('up → engine status → scale → ps → advance → down --force', async () => {
    const up = await runInProcess(Up, [
      '--size',
      '2',
      '--instance-type',
      'm5.large',
      '--azs',
      'us-east-1b,us-east-1c',
      '--cluster',
      'inproc',
      '--keypair',
      'k',
      '--verbose',
    ])
    expect(up.exitCode).toBe(0)
    expect(up.stderr).toContain('Created cluster inproc in us-east-1.')
    expect(up.stderr).toContain('Note: --keypair has no effect on the local backend; ignored.')

    const status = await runInProcess(EngineStatusCommand, ['--cluster', 'inproc'])
    expect(status.stdout).toMatch(
      /^Cluster inproc \(ACTIVE\): 2 container instances, 0 running and 0 pending tasks, 0 active services\n/,
    )
    expect(status.stdout).toContain('m5.large')
    expect(status.stdout).toMatch(/AZ {10}RunningTasks\nus-east-1b {2}0\nus-east-1c {2}0\n$/)

    const scale = await runInProcess(Scale, ['--size', '1', '--cluster', 'inproc'])
    expect(scale.exitCode).toBe(0)
    expect(scale.stderr).toContain('Cluster inproc now has 1 container instance.')

    const ps = await runInProcess(Ps, ['--cluster', 'inproc'])
    expect(ps).toMatchObject({exitCode: 0, stdout: ''})

    const adv = await runInProcess(EngineAdvance, ['2m', '--cluster', 'inproc'])
    expect(adv.stdout).toMatch(/^Engine time: .+ \(advanced 2m\)\n$/)

    const down = await runInProcess(Down, ['--force', '--cluster', 'inproc'])
    expect(down.exitCode).toBe(0)
    expect(down.stderr).toContain('Deleted cluster inproc.')
  })

  it('scale needs --size (exit 2); ps rejects --all with --desired-status (exit 2)', async () => {
    expect((await runInProcess(Scale, [])).exitCode).toBe(2)
    expect((await runInProcess(Ps, ['--all', '--desired-status', 'STOPPED'])).exitCode).toBe(2)
  })
})
