/**
 * `ecsx engine advance | kill-instance | fail-task | status`: controls only the local engine has. They reach it
 * through the Backend's typed `engine` capability; where it is absent (the aws backend) every one of them answers
 * with the same error (exit 2).
 */
import type {Backend, EngineControls} from '../ecs/backend.js'
import {DURATION_EXAMPLES, durationMs} from '../ecs/duration.js'
import {InputError} from '../errors.js'

/** The engine controls of `backend`, or exit 2 naming the command when it has none. */
export function requireEngine(backend: Backend, command: string): EngineControls {
  if (backend.engine) return backend.engine
  throw new InputError(
    `\`ecsx ${command}\` controls the local engine; the ${backend.kind} backend has no engine to control.`,
    'Use --backend local (or a cluster configuration whose backend is local).',
  )
}

/** Parse a duration (the one duration syntax, src/lib/ecs/duration.ts; a bare number is seconds) into whole ms. */
export function parseDuration(text: string): number {
  const ms = durationMs(text)
  if (ms === undefined)
    throw new InputError(`Invalid duration "${text}"`, `Use a number with a unit, ${DURATION_EXAMPLES}.`)
  return ms
}

/** 90000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  let rest = Math.round(ms / 1000)
  const parts: string[] = []
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size)
    if (n > 0) parts.push(`${n}${unit}`)
    rest -= n * size
  }
  return parts.join('') || '0s'
}

export interface AdvanceResult {
  advancedMs: number
  /** The new engine time (ISO 8601). */
  engineTime: string
}

/** `engine advance <duration>`: move the engine clock forward; everything due in that time happens. */
export async function advanceEngine(engine: EngineControls, duration: string): Promise<AdvanceResult> {
  const advancedMs = parseDuration(duration)
  const now = await engine.advance(advancedMs)
  return {advancedMs, engineTime: new Date(now).toISOString()}
}
