/** Small text helpers for the dashboard page. */

/** The first 8 characters of a 32-hex id (enough to tell tasks and instances apart on one screen). */
export const shortId = (id: string): string => (id.length > 12 ? id.slice(0, 8) : id)

/** `2026-01-01T00:05:30.000Z` → `00:05:30` (UTC, like the engine's events). */
export function clockTime(iso: string | undefined): string {
  return iso ? iso.slice(11, 19) : ''
}

/** `2026-01-01T00:05:30.250Z` → `2026-01-01 00:05:30.250 UTC`. */
export function engineTimeText(iso: string | undefined): string {
  if (!iso) return '—'
  const ms = iso.slice(20, 23)
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms && ms !== '000' ? `.${ms}` : ''} UTC`
}

/** Percentage for a CSS width, clamped to 0…100. */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '0%'
  return `${Math.max(0, Math.min(100, (part / whole) * 100)).toFixed(3)}%`
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** Lifecycle phase of a task, for styling: starting, running, stopping. */
export function phaseOf(lastStatus: string, desiredStatus: string): 'starting' | 'running' | 'stopping' {
  if (desiredStatus === 'STOPPED' || lastStatus === 'DEACTIVATING' || lastStatus === 'STOPPING') return 'stopping'
  if (lastStatus === 'RUNNING') return 'running'
  return 'starting'
}

export const PALETTE_SIZE = 10
export const colorClass = (i: number): string => `c${((i % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE}`
