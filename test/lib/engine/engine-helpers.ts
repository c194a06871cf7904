/** Shared set-up for engine-core tests: a fresh ECSX_HOME with a manual-clock engine. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Engine, openEngine, type OpenEngineOptions} from '../../../src/lib/engine/engine.js'

export interface TestEngine {
  engine: Engine
  home: string
  reopen(options?: Partial<OpenEngineOptions>): Engine
  cleanup(): void
}

export function openTestEngine(options: Partial<OpenEngineOptions> = {}): TestEngine {
  const home = mkdtempSync(join(tmpdir(), 'ecsx-engine-'))
  const base: OpenEngineOptions = {home, clock: 'manual', env: {}, ...options}
  const state: TestEngine = {
    engine: openEngine(base),
    home,
    reopen(more = {}) {
      state.engine.close()
      state.engine = openEngine({...base, ...more})
      return state.engine
    },
    cleanup() {
      state.engine.close()
      rmSync(home, {recursive: true, force: true})
    },
  }
  return state
}

/** The thrown error's name and message (ECS exception shape). */
export function caught(fn: () => unknown): {name: string; message: string} {
  try {
    fn()
  } catch (error) {
    const e = error as Error
    return {name: e.name, message: e.message}
  }
  throw new Error('expected the call to throw')
}

/** An instance identity document as the ECS agent sends it. */
export function identity(instanceType: string, availabilityZone: string, instanceId?: string): string {
  return JSON.stringify({
    instanceType,
    availabilityZone,
    region: availabilityZone.slice(0, -1),
    ...(instanceId ? {instanceId} : {}),
  })
}
