/**
 * Contract inside the engine between the persistence layer (store/) and everything that reads and writes documents
 * (the model, the runtime with its reconciler, the operation handlers). Types only.
 *
 * Persistence is a small document store over SQLite: every resource is one JSON document (the ECS SDK shape
 * plus engine-private fields), addressed by (kind, id) and indexed by cluster / parent / status / name so that
 * lists do not scan everything. Every mutating engine call is ONE `BEGIN IMMEDIATE` transaction:
 *   engine.call(op, input) = store.write(tx => { reconcile(ctx, now); return handler(ctx, input) })
 */

/** Resource kinds the engine stores. `meta` holds singletons (clock, counters, settings). */
export type DocKind = 'cluster' | 'instance' | 'taskdef' | 'task' | 'service' | 'meta'

/** Secondary keys stored in indexed columns next to each document. */
export interface DocIndex {
  /** Cluster ARN the document belongs to (instances, tasks, services). */
  cluster?: string
  /** A parent key: container instance ARN for tasks, family for task definitions, service ARN for … */
  parent?: string
  /** Status/lifecycle column to filter on (ACTIVE, INACTIVE, RUNNING, STOPPED, …). */
  status?: string
  /** A name column: cluster name, service name, family:revision, ec2 instance id, task group … */
  name?: string
}

export interface StoredDoc<T = unknown> extends DocIndex {
  kind: DocKind
  id: string
  body: T
  /** The document's position in the store (SQLite rowid; lists come in this order). Absent for unsaved documents. */
  rowid?: number
}

export interface DocQuery extends DocIndex {
  /** Only documents whose status is one of these. */
  statusIn?: string[]
  limit?: number
  /** Newest first (descending rowid = reverse insertion order); with `limit`, the newest ones. */
  newestFirst?: boolean
  /** Only the keys and index columns: `body` is left undefined and no JSON is parsed. (Additive, C1.) */
  keysOnly?: boolean
  /**
   * Only documents whose `due` column (see store/due.ts: the time an unstopped task next changes by itself) is at or
   * before this time.
   */
  dueAtMost?: number
  /**
   * Bodies may be shared with a cache (the store's parsed documents, the reconciler's CachedTx): no copy is taken, so
   * the caller must never mutate a body (copy it with `cloneBody` first). For read-only callers only.
   */
  shared?: boolean
}

/** A transaction handle. All calls are synchronous (better-sqlite3). */
export interface Tx {
  get<T>(kind: DocKind, id: string): StoredDoc<T> | undefined
  /** Like `get`, for READING ONLY: the body may be shared with a cache (no copy); never mutate it. */
  peek<T>(kind: DocKind, id: string): StoredDoc<T> | undefined
  list<T>(kind: DocKind, query?: DocQuery): Array<StoredDoc<T>>
  /** Number of documents `list` would return (ignores `limit`), without reading bodies. (Additive, C1.) */
  count(kind: DocKind, query?: DocQuery): number
  put<T>(kind: DocKind, id: string, body: T, index?: DocIndex): void
  delete(kind: DocKind, id: string): void
  /** The earliest `due` time (store/due.ts) among documents of `kind`, or undefined when none has one. */
  earliestDue(kind: DocKind): number | undefined
  /** Monotonic per-key counter (task definition revisions, deployment ids, event ids). Returns the new value. */
  nextSequence(key: string): number
}

export interface Store {
  /** Run `fn` in one BEGIN IMMEDIATE transaction (with busy timeout); commit on return, roll back on throw. */
  write<T>(fn: (tx: Tx) => T): T
  /** Run `fn` in a read transaction. */
  read<T>(fn: (tx: Tx) => T): T
  /** Schema version of the opened database. */
  readonly schemaVersion: number
  close(): void
}

/** Engine-wide settings (persisted in `meta`; defaults chosen by the engine). Durations in ms. */
export interface EngineSettings {
  region: string
  accountId: string
  /** PROVISIONING/PENDING → RUNNING after this long (default 1000). */
  taskStartDelayMs: number
  /** STOPPING → STOPPED after this long (default 1000). */
  taskStopDelayMs: number
  /** How long STOPPED tasks stay describable (default 1 h). */
  stoppedTaskRetentionMs: number
  /** How long INACTIVE container instances stay describable (default 1 h). */
  inactiveInstanceRetentionMs: number
}

/** What every operation handler and the reconciler get. */
export interface EngineContext {
  tx: Tx
  /** Engine time (epoch ms) of this call. */
  now: number
  settings: EngineSettings
  /** Deterministic random in [0,1) (seeded per call from the store's sequence). */
  random: () => number
}
