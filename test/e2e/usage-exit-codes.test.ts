// Usage errors of every kind exit 2 (README "Exit codes"), whatever part of oclif's parser raises them.
import {afterAll, describe, expect, it} from '@jest/globals'

import {cleanupTempDirs, makeWorkspace, runCli} from '../helpers/cli.js'

afterAll(() => cleanupTempDirs())

describe('usage errors exit 2 with the message on stderr only', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown command', ['nosuchcmd'], /command nosuchcmd not found/],
    ['unexpected argument', ['ps', 'extra'], /not found|Unexpected argument/],
    ['unknown flag', ['ps', '--bogus'], /Nonexistent flag: --bogus/],
    ['missing required argument', ['engine', 'advance'], /Missing 1 required arg/],
    ['invalid option value', ['ps', '--desired-status', 'SLEEPING'], /Expected --desired-status=SLEEPING to be one of/],
    ['invalid argument value', ['engine', 'advance', 'soon'], /Invalid duration "soon"/],
  ]
  it.each(cases)('%s', async (_name, args, message) => {
    const {env, project} = makeWorkspace()
    const r = await runCli(args, {cwd: project, env})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })
})
