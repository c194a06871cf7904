/** Durations for `ecsx engine advance`: "500ms", "30s", "5m", "1h", "1m30s", "2h23m"; a bare number is seconds. */
import {DURATION_EXAMPLES, durationMs} from '../ecs/duration.js'
import {InputError} from '../errors.js'

/** Parse a duration (the one duration syntax, src/lib/ecs/duration.ts) into whole milliseconds. */
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
