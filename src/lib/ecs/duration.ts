/**
 * The one duration syntax of ecsx, for every place that reads a duration: flags (`--timeout` excepted, which is in
 * minutes for ecs-cli compatibility), `ECSX_ENGINE_*` variables, Compose and ecs-params values, `x-ecsx` /
 * `ecsx.simulate.*` labels and `ecsx engine advance`.
 *
 *   Go / Compose durations: a sequence of <number><unit>, units ns, us (µs, μs), ms, s, m, h, d — "1m30s", "2.5s", "500ms"
 *   a bare number (or a YAML number) means SECONDS everywhere — "30" = 30 s, "0.5" = 500 ms
 *
 * Pure and dependency-free: the engine, Compose translation and the CLI all use it (each wraps a failure in its
 * own error type).
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}
const PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y
const BARE_SECONDS_RE = /^(\d+(?:\.\d*)?|\.\d+)$/

/** Why a value is not a duration (for the caller's own error message). */
export type DurationProblem = 'empty' | 'negative' | 'syntax' | 'too-large' | 'type'

export type DurationResult = {ok: true; ms: number} | {ok: false; problem: DurationProblem}

/**
 * Parse a duration into milliseconds (fractional for sub-millisecond units). Numbers are seconds. Never throws.
 */
export function parseDuration(value: unknown): DurationResult {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return {ok: false, problem: 'too-large'}
    if (value < 0) return {ok: false, problem: 'negative'}
    return {ok: true, ms: value * 1000}
  }
  if (typeof value !== 'string') return {ok: false, problem: 'type'}
  const text = value.trim()
  if (text === '') return {ok: false, problem: 'empty'}
  if (text.startsWith('-')) return {ok: false, problem: 'negative'}
  if (BARE_SECONDS_RE.test(text)) return {ok: true, ms: Number(text) * 1000}
  let total = 0
  let pos = 0
  while (pos < text.length) {
    PART_RE.lastIndex = pos
    const match = PART_RE.exec(text)
    if (!match) return {ok: false, problem: 'syntax'}
    total += Number(match[1]) * UNIT_MS[match[2]]
    pos = PART_RE.lastIndex
  }
  if (!Number.isFinite(total)) return {ok: false, problem: 'too-large'}
  return {ok: true, ms: total}
}

/** Milliseconds rounded to a whole number, or undefined when `value` is not a duration. */
export function durationMs(value: unknown): number | undefined {
  const result = parseDuration(value)
  return result.ok ? Math.round(result.ms) : undefined
}

/** The examples every duration error message offers. */
export const DURATION_EXAMPLES = 'e.g. 500ms, 30s, 5m, 1h or 1m30s (a bare number is seconds)'

/** Normalised text that parses back to the same value: 90000 → "1m30s", 1500 → "1s500ms", 0 → "0s". */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms)
  if (rest === 0) return '0s'
  let out = ''
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  return out
}
