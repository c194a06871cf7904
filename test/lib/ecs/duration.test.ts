import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {parseDurationMs as composeDuration} from '../../../src/compose/units.js'
import {parseDuration as advanceDuration} from '../../../src/lib/workflows/engine-controls.js'
import {durationMs, formatDuration, parseDuration} from '../../../src/lib/ecs/duration.js'
import {parseDurationMs as labelDuration} from '../../../src/lib/engine/runtime/simulate.js'
import {resolveSettings} from '../../../src/lib/engine/settings.js'

describe('the one duration syntax', () => {
  it('reads Go/Compose units and sums the parts', () => {
    expect(durationMs('1m30s')).toBe(90_000)
    expect(durationMs('2.5s')).toBe(2500)
    expect(durationMs('500ms')).toBe(500)
    expect(durationMs('1h')).toBe(3_600_000)
    expect(durationMs('1d')).toBe(86_400_000)
    expect(parseDuration('1500us')).toEqual({ok: true, ms: 1.5})
    expect(parseDuration('  2s ')).toEqual({ok: true, ms: 2000})
  })

  it('a bare number is seconds, as a string or a YAML number', () => {
    expect(durationMs('30')).toBe(30_000)
    expect(durationMs('0.5')).toBe(500)
    expect(durationMs(2)).toBe(2000)
    expect(durationMs('0')).toBe(0)
  })

  it('says why a value is not a duration', () => {
    expect(parseDuration('')).toEqual({ok: false, problem: 'empty'})
    expect(parseDuration('-1s')).toEqual({ok: false, problem: 'negative'})
    expect(parseDuration(-1)).toEqual({ok: false, problem: 'negative'})
    expect(parseDuration('fast')).toEqual({ok: false, problem: 'syntax'})
    expect(parseDuration('1s2')).toEqual({ok: false, problem: 'syntax'})
    expect(parseDuration({})).toEqual({ok: false, problem: 'type'})
    expect(parseDuration(Infinity)).toEqual({ok: false, problem: 'too-large'})
  })

  it('every reader agrees: engine settings, simulation labels, engine advance and Compose', () => {
    for (const text of ['2', '2s', '1m30s', '250ms', '0.5', '1h']) {
      const expected = durationMs(text)!
      expect(resolveSettings('us-east-1', {ECSX_ENGINE_TASK_START_DELAY: text}).taskStartDelayMs).toBe(expected)
      expect(labelDuration(text)).toBe(expected)
      expect(advanceDuration(text)).toBe(expected)
      expect(composeDuration(text)).toBe(expected)
    }
  })

  it('property: formatDuration parses back to the same whole milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 10 * 86_400_000}), (ms) => {
        expect(durationMs(formatDuration(ms))).toBe(ms)
      }),
    )
  })
})
