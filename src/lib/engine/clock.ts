/**
 * The engine clock, persisted in the store's `meta` table so every process sees the same time.
 *
 * - `wall` (default): engine time = wall time + a persisted offset (`advance` grows the offset). A persisted
 *   high-water mark keeps engine time monotonic even if the wall clock steps back.
 * - `manual`: a persisted time that starts at 2026-01-01T00:00:00Z and moves only with `advance(ms)`.
 *
 * The mode is chosen at open: explicit option > `ECSX_ENGINE_CLOCK` > the mode persisted by an earlier explicit
 * choice > `wall`. An explicit choice is persisted, so later commands of the same session keep that clock.
 */
import {SettingsError} from './errors.js'

export type ClockMode = 'wall' | 'manual'

export const MANUAL_CLOCK_START = Date.UTC(2026, 0, 1, 0, 0, 0)

export interface ClockState {
  mode: ClockMode
  /** wall mode: added to wall time. */
  offsetMs: number
  /** manual mode: the current engine time. */
  manualMs: number
  /** Highest engine time handed out so far (monotonic guard; 0 = none yet). */
  lastMs: number
}

export interface MetaAccess {
  getMeta(key: string): string | undefined
  setMeta(key: string, value: string): void
}

const CLOCK_KEY = 'clock'

export function loadClock(meta: MetaAccess): ClockState {
  const raw = meta.getMeta(CLOCK_KEY)
  if (raw === undefined) return {mode: 'wall', offsetMs: 0, manualMs: MANUAL_CLOCK_START, lastMs: 0}
  return JSON.parse(raw) as ClockState
}

export function saveClock(meta: MetaAccess, state: ClockState): void {
  meta.setMeta(CLOCK_KEY, JSON.stringify(state))
}

/** Engine time for a state at wall time `wallMs`. */
export function clockNow(state: ClockState, wallMs: number): number {
  if (state.mode === 'manual') return Math.max(state.manualMs, state.lastMs)
  return Math.max(wallMs + state.offsetMs, state.lastMs)
}

/** Record that `now` was handed out (keeps time monotonic). Returns the state to persist, or undefined if unchanged. */
export function observe(state: ClockState, now: number): ClockState | undefined {
  return now > state.lastMs ? {...state, lastMs: now} : undefined
}

export function advanceClock(state: ClockState, ms: number, wallMs: number): ClockState {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`Cannot advance the engine clock by ${ms} ms: use a non-negative duration.`)
  const now = clockNow(state, wallMs)
  if (state.mode === 'manual') return {...state, manualMs: now + ms, lastMs: now + ms}
  // wall: engine time becomes now + ms; fold any monotonic-guard lag into the offset.
  return {...state, offsetMs: now + ms - wallMs, lastMs: now + ms}
}

/** Switch modes without moving time backwards (a fresh store starts manual time at 2026-01-01). */
export function switchClock(state: ClockState, mode: ClockMode, wallMs: number): ClockState {
  if (state.mode === mode) return state
  const fresh = state.lastMs === 0
  if (mode === 'manual') {
    const start = fresh ? MANUAL_CLOCK_START : clockNow(state, wallMs)
    return {...state, mode, manualMs: start, lastMs: fresh ? 0 : start}
  }
  const now = clockNow(state, wallMs)
  return {...state, mode, offsetMs: Math.max(0, now - wallMs), lastMs: state.lastMs}
}

/** Parse `ECSX_ENGINE_CLOCK`. */
export function clockModeFromEnv(value: string | undefined): ClockMode | undefined {
  if (value === undefined || value === '') return undefined
  const normal = value.trim().toLowerCase()
  if (normal === 'manual' || normal === 'wall') return normal
  throw new SettingsError(`ECSX_ENGINE_CLOCK=${JSON.stringify(value)} is not a clock mode. Use "wall" or "manual".`)
}
