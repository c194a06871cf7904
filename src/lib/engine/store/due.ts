/**
 * The `due` column of stored documents: the time an unstopped task next changes by itself (its `_sim.nextAt`, or
 * `_sim.purgeAt` if earlier), or null. Kept by the store on every write (./sqlite-store.ts computes it from the
 * document), so the reconciler finds what is due with one indexed query instead of reading every unstopped task —
 * the speed-up runtime/reconcile/reconcile.ts checks against its `fullScan` reference. It is part of the store's
 * schema (migration 2 backfills it), so it lives here: the store never imports the runtime.
 *
 * STOPPED tasks have no due time here: their purge times live in the purge queue (runtime/purge-queue.ts). Other
 * kinds have none (services are few and read whole by every pass).
 */
import type {DocIndex, DocKind} from '../context.js'

/** Task lastStatus values other than STOPPED. */
export const UNSTOPPED_TASK_STATUSES: readonly string[] = [
  'PROVISIONING',
  'PENDING',
  'ACTIVATING',
  'RUNNING',
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
]
const UNSTOPPED = new Set(UNSTOPPED_TASK_STATUSES)

export function documentDueTime(kind: DocKind, body: unknown, index: DocIndex): number | null {
  if (kind !== 'task' || index.status === undefined || !UNSTOPPED.has(index.status)) return null
  const sim = (body as {_sim?: {nextAt?: unknown; purgeAt?: unknown}} | null)?._sim
  if (!sim) return null
  const next = typeof sim.nextAt === 'number' ? sim.nextAt : undefined
  const purge = typeof sim.purgeAt === 'number' ? sim.purgeAt : undefined
  if (next === undefined) return purge ?? null
  return purge === undefined || next <= purge ? next : purge
}
