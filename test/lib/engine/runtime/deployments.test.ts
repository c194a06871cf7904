/** Rolling-update bounds and deployment bookkeeping (pure parts). */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {
  circuitBreakerThreshold,
  deploymentBounds,
  withDeploymentDefaults,
} from '../../../../src/lib/engine/runtime/deployments.js'

describe('deploymentBounds (spec §6.5)', () => {
  it('matches the worked examples', () => {
    expect(deploymentBounds(4, {minimumHealthyPercent: 50, maximumPercent: 200})).toEqual({maxTasks: 8, minHealthy: 2})
    expect(deploymentBounds(3, {minimumHealthyPercent: 50, maximumPercent: 150})).toEqual({maxTasks: 4, minHealthy: 2})
    expect(deploymentBounds(1, {minimumHealthyPercent: 50, maximumPercent: 200})).toEqual({maxTasks: 2, minHealthy: 1})
    expect(deploymentBounds(5, {minimumHealthyPercent: 100, maximumPercent: 110})).toEqual({maxTasks: 5, minHealthy: 5})
  })

  it('floor for max, ceil for min, without float error', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 1000}),
        fc.integer({min: 0, max: 100}),
        fc.integer({min: 100, max: 400}),
        (d, min, max) => {
          const {maxTasks, minHealthy} = deploymentBounds(d, {minimumHealthyPercent: min, maximumPercent: max})
          expect(maxTasks * 100).toBeLessThanOrEqual(d * max)
          expect((maxTasks + 1) * 100).toBeGreaterThan(d * max)
          expect(minHealthy * 100).toBeGreaterThanOrEqual(d * min)
          expect((minHealthy - 1) * 100).toBeLessThan(d * min)
          expect(minHealthy).toBeLessThanOrEqual(d)
          expect(maxTasks).toBeGreaterThanOrEqual(d)
        },
      ),
    )
  })
})

describe('defaults', () => {
  it('REPLICA 200/100, DAEMON 100/0; given values win', () => {
    expect(withDeploymentDefaults('REPLICA', undefined)).toEqual({maximumPercent: 200, minimumHealthyPercent: 100})
    expect(withDeploymentDefaults('DAEMON', undefined)).toEqual({maximumPercent: 100, minimumHealthyPercent: 0})
    expect(withDeploymentDefaults(undefined, {minimumHealthyPercent: 50})).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 50,
    })
  })

  it('circuit-breaker threshold clamp(ceil(D/2), 10, 200)', () => {
    expect([1, 20, 21, 400, 1000].map(circuitBreakerThreshold)).toEqual([10, 10, 11, 200, 200])
  })
})
