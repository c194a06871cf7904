/** A real local backend (the in-process engine) in a temp ECSX_HOME with a manual clock, for lib tests. */
import {afterEach} from '@jest/globals'

import type {Backend} from '../../src/lib/ecs/backend.js'
import {cleanupTempDirs, makeTempDir} from './cli.js'

export async function openTestBackend(): Promise<Backend> {
  const {createLocalBackend} = await import('../../src/lib/backend/local.js')
  return createLocalBackend({home: makeTempDir('ecsx-engine-'), region: 'us-east-1', clock: 'manual', env: {}})
}

/** The local backend of an existing ECSX_HOME (e.g. an e2e workspace), manual clock. */
export async function openTestBackendAt(home: string): Promise<Backend> {
  const {createLocalBackend} = await import('../../src/lib/backend/local.js')
  return createLocalBackend({home, region: 'us-east-1', clock: 'manual', env: {}})
}

/**
 * For a test file: returns `backend()`, which opens a fresh local backend (manual clock, temp ECSX_HOME); every
 * backend opened is closed, and the temp folders removed, after each test.
 */
export function localBackendPerTest(): () => Promise<Backend> {
  const open: Backend[] = []
  afterEach(async () => {
    for (const b of open.splice(0)) await b.close()
    cleanupTempDirs()
  })
  return async () => {
    const b = await openTestBackend()
    open.push(b)
    return b
  }
}
