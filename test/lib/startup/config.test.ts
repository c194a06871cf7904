/** The slice of oclif's Config the fast path builds must read like the Config oclif loads for this package. */
import {describe, expect, it} from '@jest/globals'
import {Config} from '@oclif/core'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {type CommandIndex, commandConfig, type PackageJson} from '../../../src/lib/startup/config.js'
import {REPO_ROOT} from '../../helpers/cli.js'

const pjson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson
const index = JSON.parse(readFileSync(path.join(REPO_ROOT, 'dist', 'commands.json'), 'utf8')) as CommandIndex

describe('commandConfig', () => {
  it('has the values oclif computes for this package', async () => {
    const real = await Config.load(REPO_ROOT)
    const fast = commandConfig({root: REPO_ROOT, pjson, index, userAgent: real.userAgent, platform: real.platform})
    for (const key of [
      'root',
      'name',
      'version',
      'bin',
      'dirname',
      'topicSeparator',
      'platform',
      'arch',
      'windows',
    ] as const)
      expect({key, value: fast[key]}).toEqual({key, value: real[key]})
    expect(fast.userAgent).toBe(real.userAgent)
    expect(fast.theme).toEqual(real.theme)
    for (const k of ['CONTENT_TYPE', 'REDIRECTED', 'debug', 'a-b/c@d']) {
      expect(fast.scopedEnvVarKey(k)).toBe(real.scopedEnvVarKey(k))
      expect(fast.scopedEnvVarKeys(k)).toEqual(real.scopedEnvVarKeys(k))
    }
    expect(new Set(fast.commandIDs)).toEqual(new Set(real.commandIDs.filter((id) => Object.hasOwn(index, id))))
  })

  it('reads scoped environment variables as oclif does (ECSX_CONTENT_TYPE=json turns on --json)', () => {
    const fast = commandConfig({root: REPO_ROOT, pjson, index, userAgent: 'ua', platform: 'linux'})
    const saved = process.env.ECSX_CONTENT_TYPE
    try {
      process.env.ECSX_CONTENT_TYPE = 'json'
      expect(fast.scopedEnvVar('CONTENT_TYPE')).toBe('json')
      process.env.ECSX_CONTENT_TYPE = 'true'
      expect(fast.scopedEnvVarTrue('CONTENT_TYPE')).toBe(true)
      delete process.env.ECSX_CONTENT_TYPE
      expect(fast.scopedEnvVar('CONTENT_TYPE')).toBeUndefined()
      expect(fast.scopedEnvVarTrue('CONTENT_TYPE')).toBe(false)
    } finally {
      if (saved === undefined) delete process.env.ECSX_CONTENT_TYPE
      else process.env.ECSX_CONTENT_TYPE = saved
    }
  })

  it('runs no hooks and knows which commands take arguments', async () => {
    const fast = commandConfig({root: REPO_ROOT, pjson, index, userAgent: 'ua', platform: 'linux'})
    expect(await fast.runHook('preparse', {argv: [], options: {}})).toEqual({successes: [], failures: []})
    expect(fast.findCommand('compose:run')).toMatchObject({id: 'compose:run', strict: false})
    expect(fast.findCommand('ps')).toMatchObject({id: 'ps', strict: true})
    expect(fast.findCommand('nosuch')).toBeUndefined()
  })
})
