/** A real local backend (the in-process engine) in a temp ECSX_HOME with a manual clock, for lib tests. */
import type {Backend} from '../../src/lib/backend/types.js'
import {makeTempDir} from './cli.js'

export async function openTestBackend(): Promise<Backend> {
  const {createLocalBackend} = await import('../../src/lib/backend/local.js')
  return createLocalBackend({home: makeTempDir('ecsx-engine-'), region: 'us-east-1', clock: 'manual', env: {}})
}

/** The local backend of an existing ECSX_HOME (e.g. an e2e workspace), manual clock. */
export async function openTestBackendAt(home: string): Promise<Backend> {
  const {createLocalBackend} = await import('../../src/lib/backend/local.js')
  return createLocalBackend({home, region: 'us-east-1', clock: 'manual', env: {}})
}
