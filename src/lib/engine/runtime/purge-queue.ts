/**
 * When STOPPED tasks disappear (after `stoppedTaskRetentionMs`). Kept as one small bookkeeping document so the
 * reconciler never has to load every stopped task just to learn which are due: entries are `[purgeAt, taskArn]`.
 */
import type {EngineContext} from '../context.js'

const KEY = 'task-purge-queue'

interface PurgeQueue {
  entries: Array<[number, string]>
}

function load(ctx: EngineContext): PurgeQueue {
  return ctx.tx.get<PurgeQueue>('meta', KEY)?.body ?? {entries: []}
}

export function schedulePurge(ctx: EngineContext, taskArn: string, at: number): void {
  const queue = load(ctx)
  queue.entries.push([at, taskArn])
  ctx.tx.put('meta', KEY, queue)
}

/** Entries due at or before `until`. */
export function duePurges(ctx: EngineContext, until: number): Array<[number, string]> {
  return load(ctx).entries.filter(([at]) => at <= until)
}

/** Drop the entries of tasks that no longer exist (purged, or gone otherwise). */
export function prunePurges(ctx: EngineContext, gone: (taskArn: string) => boolean): void {
  const queue = load(ctx)
  const kept = queue.entries.filter(([, arn]) => !gone(arn))
  if (kept.length !== queue.entries.length) ctx.tx.put('meta', KEY, {entries: kept})
}
