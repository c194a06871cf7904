import {describe, expect, it} from '@jest/globals'

import type {Backend} from '../../../src/lib/ecs/backend.js'
import {ExitCode, InputError} from '../../../src/lib/errors.js'
import {
  advanceEngine,
  formatDuration,
  parseDuration,
  requireEngine,
} from '../../../src/lib/workflows/engine-controls.js'
import {localBackendPerTest} from '../../helpers/local-backend.js'

const backend = localBackendPerTest()

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['2h23m', 8_580_000],
    ['45', 45_000],
    ['1.5s', 1500],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each([['abc'], ['5x'], ['m5'], [''], ['5m abc']])('rejects %p (exit 2)', (text) => {
    expect(() => parseDuration(text)).toThrow(InputError)
  })

  it('formats', () => {
    expect(formatDuration(90_000)).toBe('1m30s')
    expect(formatDuration(3_600_000)).toBe('1h')
    expect(formatDuration(250)).toBe('250ms')
  })
})

describe('the engine capability', () => {
  it('is what the local backend offers; advance moves its clock by the parsed duration', async () => {
    const b = await backend()
    const engine = requireEngine(b, 'engine advance')
    const before = await engine.now()
    const result = await advanceEngine(engine, '1m30s')
    expect(result.advancedMs).toBe(90_000)
    expect(result.engineTime).toBe(new Date(before + 90_000).toISOString())
    expect(await engine.now()).toBe(before + 90_000)
    await expect(advanceEngine(engine, '5x')).rejects.toBeInstanceOf(InputError)
    expect(await engine.now()).toBe(before + 90_000)
  })

  it('is absent on the aws backend: one error (exit 2) naming the command', () => {
    const aws = {kind: 'aws'} as Backend
    let error: unknown
    try {
      requireEngine(aws, 'engine status')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).exitCode).toBe(ExitCode.USAGE)
    expect((error as InputError).message).toBe(
      '`ecsx engine status` controls the local engine; the aws backend has no engine to control.',
    )
    expect(() => requireEngine(aws, 'engine advance')).toThrow('`ecsx engine advance` controls the local engine')
  })
})
