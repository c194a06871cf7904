import {describe, expect, it} from '@jest/globals'

import {
  advanceClock,
  type ClockState,
  clockModeFromEnv,
  clockNow,
  MANUAL_CLOCK_START,
  observe,
  switchClock,
} from '../../../src/lib/engine/clock.js'

const wallState: ClockState = {mode: 'wall', offsetMs: 0, manualMs: MANUAL_CLOCK_START, lastMs: 0}

describe('clock', () => {
  it('wall mode follows wall time plus the offset', () => {
    expect(clockNow(wallState, 1_000)).toBe(1_000)
    const advanced = advanceClock(wallState, 500, 1_000)
    expect(clockNow(advanced, 1_000)).toBe(1_500)
    expect(clockNow(advanced, 2_000)).toBe(2_500)
  })

  it('never goes backwards when the wall clock steps back', () => {
    const seen = observe(wallState, clockNow(wallState, 10_000)) as ClockState
    expect(clockNow(seen, 9_000)).toBe(10_000)
    expect(observe(seen, 10_000)).toBeUndefined()
  })

  it('manual mode starts at 2026-01-01 and moves only with advance', () => {
    const manual = switchClock(wallState, 'manual', 123_456)
    expect(new Date(clockNow(manual, 5)).toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect(clockNow(manual, 999_999_999)).toBe(MANUAL_CLOCK_START)
    const later = advanceClock(manual, 60_000, 0)
    expect(clockNow(later, 0)).toBe(MANUAL_CLOCK_START + 60_000)
  })

  it('switching modes on a used clock keeps time monotonic', () => {
    const used = observe(wallState, 5_000_000_000_000) as ClockState
    const manual = switchClock(used, 'manual', 5_000_000_000_000)
    expect(clockNow(manual, 0)).toBe(5_000_000_000_000)
    const back = switchClock(advanceClock(manual, 1000, 0), 'wall', 5_000_000_000_000)
    expect(clockNow(back, 5_000_000_000_000)).toBe(5_000_000_001_000)
  })

  it('rejects negative or non-finite advances', () => {
    expect(() => advanceClock(wallState, -1, 0)).toThrow(RangeError)
    expect(() => advanceClock(wallState, Number.NaN, 0)).toThrow(RangeError)
  })

  it('parses ECSX_ENGINE_CLOCK', () => {
    expect(clockModeFromEnv(undefined)).toBeUndefined()
    expect(clockModeFromEnv('Manual')).toBe('manual')
    expect(clockModeFromEnv('wall')).toBe('wall')
    expect(() => clockModeFromEnv('fast')).toThrow(/"wall" or "manual"/)
  })
})
