/**
 * Workload simulation: how a simulated container behaves. Containers do not really run; their behaviour comes
 * from engine defaults, overridable per container with docker labels:
 *
 *   ecsx.simulate.start-delay   duration (e.g. `2s`, `500ms`, `1m30s`; a bare number = seconds)
 *   ecsx.simulate.exit-after    duration counted from RUNNING; absent = runs forever
 *   ecsx.simulate.exit-code     integer exit code when it exits (default 0)
 *   ecsx.simulate.health        `healthy` | `unhealthy` | `unhealthy-after:<duration>` (needs a healthCheck)
 *   ecsx.simulate.fail-to-start reason text, e.g. `CannotPullContainerError: …` — the container never starts
 *
 * Everything here is pure: label parsing and the health timeline of one container.
 */
import type {ContainerDefinition, HealthCheck} from '@aws-sdk/client-ecs'

import {durationMs} from '../../ecs/duration.js'
import type {ContainerBehaviour, HealthMode} from '../model/documents.js'

export const SIMULATE_LABELS = {
  startDelay: 'ecsx.simulate.start-delay',
  exitAfter: 'ecsx.simulate.exit-after',
  exitCode: 'ecsx.simulate.exit-code',
  health: 'ecsx.simulate.health',
  failToStart: 'ecsx.simulate.fail-to-start',
} as const

export class SimulationLabelError extends Error {}

/** Durations in labels: the one duration syntax (src/lib/ecs/duration.ts); ms, or undefined if invalid. */
export const parseDurationMs = durationMs

function labelError(container: string, label: string, value: string, expected: string): SimulationLabelError {
  return new SimulationLabelError(
    `Container '${container}': docker label ${label}=${JSON.stringify(value)} is invalid; expected ${expected}.`,
  )
}

/**
 * The behaviour of one container from its definition's docker labels and the engine defaults.
 * Throws SimulationLabelError naming the container, label and the expected form when a label is malformed.
 */
export function containerBehaviour(container: ContainerDefinition, defaultStartDelayMs: number): ContainerBehaviour {
  const labels = container.dockerLabels ?? {}
  const name = container.name ?? '?'
  const behaviour: ContainerBehaviour = {startDelayMs: defaultStartDelayMs, exitCode: 0, health: {kind: 'healthy'}}

  const startDelay = labels[SIMULATE_LABELS.startDelay]
  if (startDelay !== undefined) {
    const ms = parseDurationMs(startDelay)
    if (ms === undefined)
      throw labelError(name, SIMULATE_LABELS.startDelay, startDelay, 'a duration such as 2s, 500ms or 1m30s')
    behaviour.startDelayMs = ms
  }

  const exitAfter = labels[SIMULATE_LABELS.exitAfter]
  if (exitAfter !== undefined) {
    const ms = parseDurationMs(exitAfter)
    if (ms === undefined) throw labelError(name, SIMULATE_LABELS.exitAfter, exitAfter, 'a duration such as 5s or 10m')
    behaviour.exitAfterMs = ms
  }

  const exitCode = labels[SIMULATE_LABELS.exitCode]
  if (exitCode !== undefined) {
    if (!/^-?\d+$/.test(exitCode.trim()))
      throw labelError(name, SIMULATE_LABELS.exitCode, exitCode, 'an integer such as 0 or 1')
    behaviour.exitCode = Number.parseInt(exitCode, 10)
  }

  const health = labels[SIMULATE_LABELS.health]
  if (health !== undefined) {
    const value = health.trim()
    if (value === 'healthy') behaviour.health = {kind: 'healthy'}
    else if (value === 'unhealthy') behaviour.health = {kind: 'unhealthy'}
    else if (value.startsWith('unhealthy-after:')) {
      const ms = parseDurationMs(value.slice('unhealthy-after:'.length))
      if (ms === undefined)
        throw labelError(name, SIMULATE_LABELS.health, health, "'healthy', 'unhealthy' or 'unhealthy-after:<duration>'")
      behaviour.health = {kind: 'unhealthy-after', afterMs: ms}
    } else
      throw labelError(name, SIMULATE_LABELS.health, health, "'healthy', 'unhealthy' or 'unhealthy-after:<duration>'")
  }

  const failToStart = labels[SIMULATE_LABELS.failToStart]
  if (failToStart !== undefined) {
    const text = failToStart.trim()
    if (text === '' || text === 'false') {
      // explicitly disabled
    } else behaviour.failToStart = text === 'true' ? 'CannotPullContainerError: simulated image pull failure' : text
  }
  return behaviour
}

/** Health check parameters in ms with ECS defaults (interval 30 s, retries 3, start period 0). */
export function healthCheckTiming(check: HealthCheck): {intervalMs: number; retries: number; startPeriodMs: number} {
  return {
    intervalMs: (check.interval ?? 30) * 1000,
    retries: check.retries ?? 3,
    startPeriodMs: (check.startPeriod ?? 0) * 1000,
  }
}

/**
 * The health timeline of a container that reached RUNNING at `runningAt`: checks run every interval after start;
 * the first passing check makes it HEALTHY; `retries` consecutive failing checks that count (not inside the start
 * period) make it UNHEALTHY. Returns absolute times (ms); undefined = never.
 */
export function healthTimeline(
  check: HealthCheck,
  mode: HealthMode,
  runningAt: number,
): {healthyAt?: number; unhealthyAt?: number} {
  const {intervalMs, retries, startPeriodMs} = healthCheckTiming(check)
  const interval = Math.max(1, intervalMs)
  const firstCountedCheck = (failFromMs: number): number =>
    Math.max(1, Math.ceil(Math.max(failFromMs, startPeriodMs) / interval))
  switch (mode.kind) {
    case 'healthy':
      return {healthyAt: runningAt + interval}
    case 'unhealthy':
      return {unhealthyAt: runningAt + (firstCountedCheck(0) + retries - 1) * interval}
    case 'unhealthy-after': {
      const healthyAt = interval < mode.afterMs ? runningAt + interval : undefined
      return {healthyAt, unhealthyAt: runningAt + (firstCountedCheck(mode.afterMs) + retries - 1) * interval}
    }
  }
}
