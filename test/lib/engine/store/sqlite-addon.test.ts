/** better-sqlite3's addon found by path, and the hint of a database that cannot be opened. */
import {describe, expect, it} from '@jest/globals'
import {existsSync} from 'node:fs'
import path from 'node:path'

import {nativeBinding, openFailureHint} from '../../../../src/lib/engine/store/sqlite-addon.js'
import {openStore} from '../../../../src/lib/engine/store/sqlite-store.js'
import {makeTempDir} from '../../../helpers/cli.js'

describe('sqlite-addon', () => {
  it('finds the installed addon, which opens a database', () => {
    const addon = nativeBinding()
    expect(addon && path.basename(addon)).toBe('better_sqlite3.node')
    expect(existsSync(addon as string)).toBe(true)
    const store = openStore(':memory:')
    store.close()
  })

  it('points at ECSX_HOME when the addon is there and the database cannot be opened', () => {
    expect(openFailureHint('unable to open database file')).toMatch(/ECSX_HOME/)
    const dir = makeTempDir('ecsx-addon-')
    expect(() => openStore(path.join(dir, 'nested', '\0bad', 'engine.db'))).toThrow(/Cannot open the engine database/)
  })
})
