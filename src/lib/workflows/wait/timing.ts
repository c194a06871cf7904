/** Clocks, poll intervals and the `--timeout <minutes>` flag value shared by the waits. */
import type {Backend} from '../../ecs/backend.js'
import {InputError} from '../../errors.js'

/** The backend's notion of "now" (epoch ms): the engine's clock when the backend has one, else wall time. */
export async function backendNow(backend: Backend): Promise<number> {
  return backend.engine ? backend.engine.now() : Date.now()
}

/** Default poll interval: 1 s against an engine (in-process, free to ask), 6 s against ECS (rate-limited). */
export function pollInterval(backend: Pick<Backend, 'engine'>): number {
  return backend.engine ? 1000 : 6000
}

/**
 * Whether an unplaceable task stays unplaceable: an engine's capacity changes only through ecsx (`up`, `scale`),
 * while on ECS capacity providers and Auto Scaling may add instances while the wait goes on.
 */
export function capacityIsFixed(backend: Pick<Backend, 'engine'>): boolean {
  return backend.engine !== undefined
}

/** `--timeout` is in minutes and may have decimals (ecs-cli); 0 means "do not wait". */
export function timeoutMinutesToMs(
  minutes: string | number | undefined,
  defaultMinutes = 5,
  flag = '--timeout',
): number {
  if (minutes === undefined || minutes === '') return defaultMinutes * 60_000
  const n = typeof minutes === 'number' ? minutes : Number(minutes)
  if (!Number.isFinite(n) || n < 0 || (typeof minutes === 'string' && !/^\s*\d*\.?\d+\s*$/.test(minutes))) {
    throw new InputError(`${flag} must be a number of minutes (decimals allowed, 0 = do not wait); got "${minutes}".`)
  }
  return Math.round(n * 60_000)
}

/** "5 minutes", "1 minute", "30 seconds", "1.5 minutes". */
export function formatMinutes(ms: number): string {
  if (ms < 60_000) {
    const s = Math.round(ms / 1000)
    return `${s} second${s === 1 ? '' : 's'}`
  }
  const m = Math.round((ms / 60_000) * 100) / 100
  return `${m} minute${m === 1 ? '' : 's'}`
}

/** A task count argument (`scale n`): a whole number ≥ 0, else bad input (exit 2). */
export function parseCount(text: string, what = 'the count'): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`${what} must be a whole number ≥ 0; got "${text}".`)
  return Number(text.trim())
}
