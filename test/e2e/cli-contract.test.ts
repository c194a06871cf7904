/**
 * e2e: the contract every command of the CLI core keeps — help shows examples and the exit codes; --json output is
 * one valid JSON document on stdout; nothing carries ANSI escapes when not on a TTY.
 */
import {afterAll, describe, expect, it} from '@jest/globals'

import {cleanupTempDirs, hasAnsi, makeWorkspace, runCli} from '../helpers/cli.js'

afterAll(cleanupTempDirs)

const COMMANDS = [
  ['register'],
  ['compose', 'create'],
  ['configure'],
  ['configure', 'default'],
  ['configure', 'profile'],
  ['configure', 'profile', 'default'],
  ['configure', 'migrate'],
  ['up'],
  ['down'],
  ['scale'],
  ['ps'],
  ['engine', 'status'],
  ['engine', 'advance'],
  ['engine', 'kill-instance'],
  ['engine', 'fail-task'],
  ['engine', 'ui'],
]

describe('e2e: help of every CLI-core command', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c]))(
    '%s --help shows examples and the exit codes',
    async (_name, words) => {
      const r = await runCli([...(words as string[]), '--help'])
      expect(r.exitCode).toBe(0)
      expect(r.stdout).toContain('EXAMPLES')
      expect((r.stdout.match(/\$ ecsx /g) ?? []).length).toBeGreaterThanOrEqual(3) // usage + ≥ 2 examples
      expect(r.stdout).toMatch(
        /EXIT CODES\n {2}0 {2}success\n {2}1 {2}the operation failed[^\n]*\n {2}2 {2}bad input or usage[^\n]*\n {2}3 {2}timed out waiting\n {2}4 {2}deployment failed and was rolled back/,
      )
      expect(hasAnsi(r.stdout + r.stderr)).toBe(false)
    },
  )
})

describe('e2e: --json output', () => {
  it('is exactly one JSON document on stdout for each command, with notes and warnings on stderr', async () => {
    const ws = makeWorkspace()
    const cli = (...args: string[]) => runCli(args, {cwd: ws.project, env: ws.env})
    const runs = [
      await cli('configure', '--cluster', 'j', '--json'),
      await cli('configure', 'default', '--config-name', 'default', '--json'),
      await cli('configure', 'profile', '--access-key', 'AKIA', '--secret-key', 'sekret', '--json'),
      await cli('configure', 'profile', 'default', '--profile-name', 'default', '--json'),
      await cli('up', '--size', '1', '--keypair', 'k', '--verbose', '--json'),
      await cli('ps', '--all', '--json'),
      await cli('engine', 'status', '--json'),
      await cli('engine', 'advance', '1s', '--json'),
      await cli('scale', '--size', '2', '--json'),
    ]
    for (const r of runs) {
      expect(r.exitCode).toBe(0)
      expect(() => JSON.parse(r.stdout)).not.toThrow()
      expect(hasAnsi(r.stdout + r.stderr)).toBe(false)
    }
    // --verbose notes the ignored flag on stderr only
    expect(runs[4].stderr).toContain('Note: --keypair has no effect on the local backend; ignored.')
    const status = JSON.parse(runs[6].stdout)
    const kill = await cli('engine', 'kill-instance', status.containerInstances[0].ec2InstanceId, '--json')
    expect(JSON.parse(kill.stdout)).toMatchObject({status: 'INACTIVE'})
    const down = await cli('down', '--force', '--json')
    expect(down.exitCode).toBe(0)
    expect(JSON.parse(down.stdout).cluster).toMatchObject({clusterName: 'j'})
    expect(down.stderr).toBe('')
  })

  it('errors under --json: stdout empty, the error as JSON on stderr, the exit code kept', async () => {
    const ws = makeWorkspace()
    const r = await runCli(['scale', '--size', '1', '--json'], {cwd: ws.project, env: ws.env})
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('')
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        name: 'OperationError',
        message: 'Cluster default not found.',
        exitCode: 1,
        hint: 'Create it with `ecsx up`.',
      },
    })
  })
})
