/**
 * The facade's skip of reconcile passes with nothing to do (engine.ts): a meta document present only while the
 * store is "clean" — the last full pass changed nothing and no call since has written a document — holding the
 * earliest time a pass could have something to do by itself. Until then, calls skip the pass. Its reference is the
 * full pass on every call (`alwaysReconcile`), checked in test/lib/engine/runtime/reconcile/skip.test.ts.
 */
import type {Tx} from '../../context.js'
import type {ReconcileOutcome} from './reconcile.js'

const DUE_KEY = 'reconcile-due'

export interface IdleRecord {
  /** null: never (nothing will become due by itself). */
  at: number | null
}

/** The record, when the store is clean. */
export function readIdleRecord(tx: Tx): IdleRecord | undefined {
  return tx.peek<IdleRecord>('meta', DUE_KEY)?.body
}

/** Whether a pass at `now` provably has nothing to do: the store is clean and nothing is due yet. */
export function nothingDue(record: IdleRecord | undefined, now: number): boolean {
  const dueAt = record === undefined ? undefined : (record.at ?? Number.POSITIVE_INFINITY)
  return dueAt !== undefined && now < dueAt
}

/**
 * Keep the record in step after a call: `clean` = the call wrote no document and its pass (if any) was idle. A
 * clean call that ran a pass records the pass's next due time; a call that is not clean drops the record.
 */
export function updateIdleRecord(
  tx: Tx,
  record: IdleRecord | undefined,
  clean: boolean,
  outcome: ReconcileOutcome | undefined,
): void {
  if (clean && outcome !== undefined) {
    // JSON has no Infinity: null = nothing will ever be due by itself.
    const at = Number.isFinite(outcome.nextDueAt) ? outcome.nextDueAt : null
    if (record === undefined || record.at !== at) tx.put<IdleRecord>('meta', DUE_KEY, {at})
  } else if (!clean && record !== undefined) tx.delete('meta', DUE_KEY)
}
