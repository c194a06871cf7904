/** Workload simulation labels and health timelines (pure). */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {
  containerBehaviour,
  healthTimeline,
  parseDurationMs,
  SimulationLabelError,
} from '../../../../src/lib/engine/runtime/simulate.js'

describe('parseDurationMs', () => {
  it('parses the documented forms', () => {
    expect(parseDurationMs('2s')).toBe(2_000)
    expect(parseDurationMs('500ms')).toBe(500)
    expect(parseDurationMs('1m30s')).toBe(90_000)
    expect(parseDurationMs('1.5s')).toBe(1_500)
    expect(parseDurationMs('2h')).toBe(7_200_000)
    expect(parseDurationMs('7')).toBe(7_000)
    expect(parseDurationMs('1s500ms')).toBe(1_500)
    expect(parseDurationMs('1d')).toBe(86_400_000)
    for (const bad of ['', 's', '5x', '1s2', '-1s', 'soon']) expect(parseDurationMs(bad)).toBeUndefined()
  })

  it('round-trips any composition of units', () => {
    fc.assert(
      fc.property(fc.nat(48), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => {
        const text = `${h}h${m}m${s}s${ms}ms`
        expect(parseDurationMs(text)).toBe(((h * 60 + m) * 60 + s) * 1000 + ms)
      }),
    )
  })
})

describe('containerBehaviour', () => {
  it('defaults: start after the engine delay, run forever, healthy', () => {
    expect(containerBehaviour({name: 'a'}, 1000)).toEqual({startDelayMs: 1000, exitCode: 0, health: {kind: 'healthy'}})
  })

  it('reads every label', () => {
    const behaviour = containerBehaviour(
      {
        name: 'a',
        dockerLabels: {
          'ecsx.simulate.start-delay': '3s',
          'ecsx.simulate.exit-after': '1m',
          'ecsx.simulate.exit-code': '42',
          'ecsx.simulate.health': 'unhealthy-after:30s',
          'ecsx.simulate.fail-to-start': 'CannotPullContainerError: nope',
        },
      },
      1000,
    )
    expect(behaviour).toEqual({
      startDelayMs: 3_000,
      exitAfterMs: 60_000,
      exitCode: 42,
      health: {kind: 'unhealthy-after', afterMs: 30_000},
      failToStart: 'CannotPullContainerError: nope',
    })
  })

  it('names the container and label in errors', () => {
    expect(() => containerBehaviour({name: 'web', dockerLabels: {'ecsx.simulate.exit-code': 'one'}}, 0)).toThrow(
      new SimulationLabelError(
        `Container 'web': docker label ecsx.simulate.exit-code="one" is invalid; expected an integer such as 0 or 1.`,
      ),
    )
    expect(() => containerBehaviour({name: 'web', dockerLabels: {'ecsx.simulate.health': 'meh'}}, 0)).toThrow(
      SimulationLabelError,
    )
  })
})

describe('healthTimeline', () => {
  const check = {command: ['CMD', 'true'], interval: 5, timeout: 2, retries: 3}

  it('healthy after the first interval', () => {
    expect(healthTimeline(check, {kind: 'healthy'}, 1_000)).toEqual({healthyAt: 6_000})
  })

  it('unhealthy after `retries` counted failures; failures inside the start period do not count', () => {
    expect(healthTimeline(check, {kind: 'unhealthy'}, 0)).toEqual({unhealthyAt: 15_000})
    expect(healthTimeline({...check, startPeriod: 12}, {kind: 'unhealthy'}, 0)).toEqual({unhealthyAt: 25_000})
  })

  it('unhealthy-after: healthy first, then unhealthy once checks fail `retries` times', () => {
    expect(healthTimeline(check, {kind: 'unhealthy-after', afterMs: 20_000}, 0)).toEqual({
      healthyAt: 5_000,
      unhealthyAt: 30_000,
    })
  })

  it('ECS defaults: interval 30 s, retries 3', () => {
    expect(healthTimeline({command: ['CMD', 'x']}, {kind: 'unhealthy'}, 0)).toEqual({unhealthyAt: 90_000})
  })
})
