/**
 * The fast path's reading of a command line must be oclif's: same command id, same remaining argv, and oclif keeps
 * everything it would treat specially (help flags, topics, aliases, typos). The oracle is oclif itself: its
 * normalizeArgv over the Config it loads from this package (manifest included).
 */
import {describe, expect, it} from '@jest/globals'
import {Config} from '@oclif/core'
import {normalizeArgv} from '@oclif/core/help'
import fc from 'fast-check'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import type {CommandIndex} from '../../../src/lib/startup/config.js'
import {commandIdOf, directCommand} from '../../../src/lib/startup/run.js'
import {REPO_ROOT} from '../../helpers/cli.js'

const index = JSON.parse(readFileSync(path.join(REPO_ROOT, 'dist', 'commands.json'), 'utf8')) as CommandIndex

describe('commandIdOf / directCommand', () => {
  it('agrees with oclif on which command a command line runs and with which argv', async () => {
    const config = await Config.load(REPO_ROOT)
    const ids = Object.keys(index)
    const words = [...new Set(ids.flatMap((id) => id.split(':')))]
    const token = fc.oneof(
      fc.constantFrom(...words),
      fc.constantFrom(...ids, 'compose:list', 'nosuch', 'up2', 'a=b', '-p', 'proj', '--json', '-f', 'x.yml', '--', '-'),
      fc.string({minLength: 1, maxLength: 6}),
    )
    fc.assert(
      fc.property(fc.array(token, {maxLength: 6}), (args) => {
        const [oclifId, ...oclifArgv] = normalizeArgv(config, [...args])
        const expected = oclifId !== undefined && Object.hasOwn(index, oclifId) ? oclifId : undefined
        const id = commandIdOf(args, index)
        expect(Object.hasOwn(index, id) ? id : undefined).toBe(expected)
        const direct = directCommand(args, index)
        if (direct) {
          expect(direct.id).toBe(expected)
          expect(direct.argv).toEqual(oclifArgv)
        }
      }),
      {numRuns: 2000},
    )
  })

  it('runs a known command with the words after its id', () => {
    expect(directCommand(['compose', 'service', 'up', '-f', 'x.yml'], index)).toEqual({
      id: 'compose:service:up',
      argv: ['-f', 'x.yml'],
    })
    expect(directCommand(['ps'], index)).toEqual({id: 'ps', argv: []})
    expect(directCommand(['compose:up', '--json'], index)).toEqual({id: 'compose:up', argv: ['--json']})
    expect(directCommand(['configure', 'profile', 'default', '--profile-name', 'p'], index)).toEqual({
      id: 'configure:profile:default',
      argv: ['--profile-name', 'p'],
    })
    // a command that takes arguments ends the id: "scale 2" is scale with argument 2
    expect(directCommand(['compose', 'scale', '2'], index)).toEqual({id: 'compose:scale', argv: ['2']})
  })

  it('leaves help, topics, aliases, typos and empty command lines to oclif', () => {
    for (const args of [
      [],
      ['--help'],
      ['ps', '--help'],
      ['compose', 'up', '-h'],
      ['compose'],
      ['compose', 'service'],
      ['compose', 'list'],
      ['compose:service', 'up'],
      ['nosuch'],
      ['ps', 'extra'],
      ['--json', 'ps'],
    ]) {
      expect(directCommand(args, index)).toBeUndefined()
    }
    // a help flag after "--" is an argument, not a request for help
    expect(directCommand(['compose', 'run', '--', '-h'], index)).toEqual({id: 'compose:run', argv: ['--', '-h']})
  })
})
