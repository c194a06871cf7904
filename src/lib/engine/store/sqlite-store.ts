/**
 * Persistence of the engine: a small document store over SQLite (better-sqlite3), implementing `Store`/`Tx`
 * from context.ts.
 *
 * - One database file; WAL journal; `busy_timeout` so concurrent processes wait instead of failing.
 * - Every write is ONE `BEGIN IMMEDIATE` transaction (`.immediate()`): the write lock is taken up front, so a
 *   read-modify-write can never be invalidated by another process (deferred transactions would hit SQLITE_BUSY
 *   on lock upgrade).
 * - Schema version in `PRAGMA user_version` (one cheap read on open) plus a `schema_migrations` history table.
 * - Documents are JSON; `Date` values round-trip as `{"$date": epochMs}` so bodies keep the SDK's Date fields.
 * - Prepared statements are created once per store and reused.
 */
import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {createRequire} from 'node:module'

import type BetterSqlite3 from 'better-sqlite3'

import type {DocIndex, DocKind, DocQuery, Store, StoredDoc, Tx} from '../context.js'
import {EngineStoreError} from '../errors.js'
import {cloneBody, parseBody, serializeBody} from './body.js'
import {documentDueTime} from './due.js'
import {migrate} from './migrations.js'

type Database = BetterSqlite3.Database
type Statement = BetterSqlite3.Statement

export interface SqliteStore extends Store {
  /** Engine-level key/value settings (clock state, seeds); call inside `write`/`read`. */
  getMeta(key: string): string | undefined
  setMeta(key: string, value: string): void
  /** `PRAGMA integrity_check` result ("ok" when healthy). */
  integrityCheck(): string
  readonly path: string
  /** Count of document puts and deletes made through this store (the facade tells read-only calls by it). */
  readonly docWrites: number
}

export interface OpenStoreOptions {
  /** Busy timeout in ms (default 5000): how long one BEGIN IMMEDIATE waits inside SQLite. */
  busyTimeoutMs?: number
  /** Total time a write keeps retrying a busy database before it fails (default 30000). */
  lockWaitMs?: number
  readonly?: boolean
}

const require = createRequire(import.meta.url)

/** Open (creating if needed) the engine database at `file` and bring its schema up to date. */
export function openStore(file: string, options: OpenStoreOptions = {}): SqliteStore {
  const Driver = require('better-sqlite3') as typeof BetterSqlite3
  let db: Database
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), {recursive: true})
    db = new Driver(file, {timeout: options.busyTimeoutMs ?? 5000, readonly: options.readonly ?? false})
  } catch (error) {
    const reason = (error as Error).message
    throw new EngineStoreError(
      `Cannot open the engine database ${file}: ${reason}.`,
      'Check that ECSX_HOME points to a writable directory.',
    )
  }
  try {
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
    if (!options.readonly) {
      // journal_mode=WAL is persistent in the file: only switch when it is not WAL yet.
      const mode = db.pragma('journal_mode', {simple: true}) as string
      if (mode !== 'wal' && file !== ':memory:') db.pragma('journal_mode = WAL')
      // NORMAL in WAL mode: durable against process crashes (kill -9); an OS crash may lose the last commits.
      db.pragma('synchronous = NORMAL')
      migrate(db)
    }
    return new SqliteDocumentStore(db, file, options.lockWaitMs ?? 30_000)
  } catch (error) {
    db.close()
    throw error
  }
}

/** The database stayed locked by other processes for longer than the lock wait. */
export class StoreBusyError extends Error {
  readonly code = 'SQLITE_BUSY'
  constructor(message: string) {
    super(message)
    this.name = 'StoreBusyError'
  }
}

const GET_SQL = 'SELECT rowid, id, cluster, parent, status, name, due, body FROM docs WHERE kind = ? AND id = ?'

const sleepCell = new Int32Array(new SharedArrayBuffer(4))
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms)
}

interface DocRow {
  rowid: number
  id: string
  due: number | null
  cluster: string | null
  parent: string | null
  status: string | null
  name: string | null
  /** NULL for keysOnly queries. */
  body: string | null
}

/**
 * A document of the parsed-document cache: the index columns, the stored text and (once read) the parsed body.
 * The parsed body is never handed out: readers get a `cloneBody` copy.
 */
interface CachedDoc {
  rowid: number
  cluster: string | null
  parent: string | null
  status: string | null
  name: string | null
  due: number | null
  text: string
  parsed?: unknown
}

/** Past this many documents the cache starts over (bounds memory in a long-lived process). */
const DOC_CACHE_LIMIT = 100_000

class SqliteDocumentStore implements SqliteStore, Tx {
  readonly schemaVersion: number
  docWrites = 0
  private readonly statements = new Map<string, Statement>()
  private closed = false
  /**
   * Parsed-document cache for long-lived processes (\`engine serve\`, tests), used inside write transactions only:
   * (kind, id) → document as committed. Valid while \`PRAGMA data_version\` (which changes when ANOTHER connection
   * commits) is unchanged since the last transaction; our own writes update it as they happen, and a rolled-back
   * transaction drops it entirely.
   */
  private readonly docCache = new Map<string, CachedDoc>()
  /** The `meta` table's values under the same rule as `docCache` (null = no row). */
  private readonly metaCache = new Map<string, string | null>()
  private docCacheLive = false
  private dataVersion = -1
  private readonly writeTx: BetterSqlite3.Transaction<(fn: (tx: Tx) => unknown) => unknown>
  private readonly readTx: BetterSqlite3.Transaction<(fn: (tx: Tx) => unknown) => unknown>

  constructor(
    private readonly db: Database,
    readonly path: string,
    private readonly lockWaitMs: number,
  ) {
    this.schemaVersion = db.pragma('user_version', {simple: true}) as number
    const runner = (fn: (tx: Tx) => unknown) => fn(this)
    this.writeTx = db.transaction(runner)
    this.readTx = db.transaction(runner)
  }

  write<T>(fn: (tx: Tx) => T): T {
    this.assertOpen()
    // Nested calls (inside an open transaction) become savepoints of the outer transaction.
    if (this.db.inTransaction) {
      try {
        return this.writeTx(fn) as T
      } catch (error) {
        this.dropCaches()
        throw error
      }
    }
    // BEGIN IMMEDIATE waits up to busy_timeout for the write lock. SQLite's busy handler is not fair: under
    // sustained contention a waiter can lose every poll, so when BEGIN itself gives up (fn has not run, nothing
    // happened) we retry after a short random pause, up to `lockWaitMs` in total.
    const started = Date.now()
    for (let attempt = 1; ; attempt++) {
      let entered = false
      try {
        return this.writeTx.immediate((tx: Tx) => {
          entered = true
          this.openDocCache()
          try {
            return fn(tx)
          } finally {
            this.docCacheLive = false
          }
        }) as T
      } catch (error) {
        // Rolled back (or the commit failed): the cache may hold writes that never happened.
        if (entered) this.dropCaches()
        if (entered || (error as {code?: string}).code !== 'SQLITE_BUSY') throw error
        const waited = Date.now() - started
        if (waited >= this.lockWaitMs) {
          throw new StoreBusyError(
            `The engine database ${this.path} stayed locked by another ecsx process ` +
              `for ${Math.round(waited / 1000)} s (${attempt} attempts). ` +
              'Retry, or stop the process that holds it.',
          )
        }
        sleepSync(1 + Math.floor(Math.random() * 25))
      }
    }
  }

  read<T>(fn: (tx: Tx) => T): T {
    this.assertOpen()
    if (this.db.inTransaction) return fn(this)
    return this.readTx.deferred(fn) as T
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.statements.clear()
    this.db.close()
  }

  private dropCaches(): void {
    this.docCache.clear()
    this.metaCache.clear()
  }

  /** Start of a write transaction (the write lock is held): drop the caches if another connection committed. */
  private openDocCache(): void {
    const version = this.stmt('data_version', 'PRAGMA data_version').pluck().get() as number
    if (version !== this.dataVersion || this.docCache.size > DOC_CACHE_LIMIT) {
      this.dropCaches()
      this.dataVersion = version
    }
    this.docCacheLive = true
  }

  private cachedDoc<T>(kind: DocKind, id: string, entry: CachedDoc): StoredDoc<T> {
    if (entry.parsed === undefined) entry.parsed = parseBody(entry.text)
    const doc: StoredDoc<T> = {kind, id, body: cloneBody(entry.parsed) as T, rowid: entry.rowid}
    if (entry.cluster !== null) doc.cluster = entry.cluster
    if (entry.parent !== null) doc.parent = entry.parent
    if (entry.status !== null) doc.status = entry.status
    if (entry.name !== null) doc.name = entry.name
    return doc
  }

  /** A row read from the database with its body: remember it, hand out a copy. */
  private remember<T>(kind: DocKind, row: DocRow): StoredDoc<T> {
    const text = row.body as string
    const entry: CachedDoc = {
      rowid: row.rowid,
      cluster: row.cluster,
      parent: row.parent,
      status: row.status,
      name: row.name,
      due: row.due,
      text,
      parsed: parseBody(text),
    }
    this.docCache.set(`${kind}\u0000${row.id}`, entry)
    return this.cachedDoc<T>(kind, row.id, entry)
  }

  /** Like `get` inside a write transaction, but the body is the cache's own object (see DocQuery.shared). */
  private getShared<T>(kind: DocKind, id: string): StoredDoc<T> | undefined {
    let entry = this.docCache.get(`${kind}\u0000${id}`)
    if (!entry) {
      const row = this.stmt('get', GET_SQL).get(kind, id) as DocRow | undefined
      if (!row) return undefined
      const text = row.body as string
      entry = {
        rowid: row.rowid,
        cluster: row.cluster,
        parent: row.parent,
        status: row.status,
        name: row.name,
        due: row.due,
        text,
      }
      this.docCache.set(`${kind}\u0000${id}`, entry)
    }
    if (entry.parsed === undefined) entry.parsed = parseBody(entry.text)
    const doc: StoredDoc<T> = {kind, id, body: entry.parsed as T, rowid: entry.rowid}
    if (entry.cluster !== null) doc.cluster = entry.cluster
    if (entry.parent !== null) doc.parent = entry.parent
    if (entry.status !== null) doc.status = entry.status
    if (entry.name !== null) doc.name = entry.name
    return doc
  }

  // ---- Tx ----

  get<T>(kind: DocKind, id: string): StoredDoc<T> | undefined {
    if (this.docCacheLive) {
      const entry = this.docCache.get(`${kind}\u0000${id}`)
      if (entry) return this.cachedDoc<T>(kind, id, entry)
      const row = this.stmt('get', GET_SQL).get(kind, id) as DocRow | undefined
      return row ? this.remember<T>(kind, row) : undefined
    }
    const row = this.stmt('get', GET_SQL).get(kind, id) as DocRow | undefined
    return row ? toDoc<T>(kind, row) : undefined
  }

  peek<T>(kind: DocKind, id: string): StoredDoc<T> | undefined {
    return this.docCacheLive ? this.getShared<T>(kind, id) : this.get<T>(kind, id)
  }

  list<T>(kind: DocKind, query: DocQuery = {}): Array<StoredDoc<T>> {
    const filter = whereClause(kind, query)
    if (!filter) return []
    const columns = query.keysOnly
      ? 'rowid, id, cluster, parent, status, name, due, NULL AS body'
      : 'rowid, id, cluster, parent, status, name, due, body'
    let sql = `SELECT ${columns} FROM docs WHERE ${filter.where} ORDER BY rowid${query.newestFirst ? ' DESC' : ''}`
    const params = filter.params
    if (query.limit !== undefined) {
      sql += ' LIMIT ?'
      params.push(Math.max(0, Math.trunc(query.limit)))
    }
    if (this.docCacheLive && !query.keysOnly) {
      // Only the ids from SQLite; index columns and bodies from the cache (misses read one by one and remembered).
      const idSql = `SELECT id FROM docs WHERE ${sql.slice(sql.indexOf(' FROM docs WHERE ') + 17)}`
      const ids = this.stmt(idSql, idSql)
        .pluck(true)
        .all(...params) as string[]
      const out: Array<StoredDoc<T>> = []
      for (const id of ids) {
        const doc = query.shared ? this.getShared<T>(kind, id) : this.get<T>(kind, id)
        if (doc) out.push(doc)
      }
      return out
    }
    const rows = this.stmt(sql, sql).all(...params) as DocRow[]
    return rows.map((row) => toDoc<T>(kind, row))
  }

  count(kind: DocKind, query: DocQuery = {}): number {
    const filter = whereClause(kind, query)
    if (!filter) return 0
    const sql = `SELECT COUNT(*) AS n FROM docs WHERE ${filter.where}`
    return (this.stmt(sql, sql).get(...filter.params) as {n: number}).n
  }

  put<T>(kind: DocKind, id: string, body: T, index: DocIndex = {}): void {
    this.docWrites++
    const text = serializeBody(body)
    const key = `${kind}\u0000${id}`
    const cluster = index.cluster ?? null
    const parent = index.parent ?? null
    const status = index.status ?? null
    const name = index.name ?? null
    const due = documentDueTime(kind, body, index)
    const known = this.docCacheLive ? this.docCache.get(key) : undefined
    let rowid: number
    if (
      known &&
      known.cluster === cluster &&
      known.parent === parent &&
      known.status === status &&
      known.name === name
    ) {
      // Same index columns (most updates): write only what changed, so SQLite leaves the column indexes alone.
      rowid = known.rowid
      if (known.due === due) this.stmt('put.body', 'UPDATE docs SET body = ? WHERE rowid = ?').run(text, rowid)
      else this.stmt('put.due', 'UPDATE docs SET due = ?, body = ? WHERE rowid = ?').run(due, text, rowid)
    } else {
      rowid = this.stmt(
        'put',
        `INSERT INTO docs (kind, id, cluster, parent, status, name, due, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, id) DO UPDATE SET cluster = excluded.cluster, parent = excluded.parent,
           status = excluded.status, name = excluded.name, due = excluded.due, body = excluded.body
         RETURNING rowid`,
      )
        .pluck()
        .get(kind, id, cluster, parent, status, name, due, text) as number
    }
    if (this.docCacheLive) {
      // The caller keeps its object: the cache keeps the text and parses it when next read.
      this.docCache.set(key, {rowid, cluster, parent, status, name, due, text})
    } else this.dropCaches()
  }

  earliestDue(kind: DocKind): number | undefined {
    const at = this.stmt('due.min', 'SELECT MIN(due) FROM docs WHERE kind = ? AND due IS NOT NULL')
      .pluck()
      .get(kind) as number | null
    return at ?? undefined
  }

  delete(kind: DocKind, id: string): void {
    this.docWrites++
    this.stmt('delete', 'DELETE FROM docs WHERE kind = ? AND id = ?').run(kind, id)
    if (this.docCacheLive) this.docCache.delete(`${kind}\u0000${id}`)
    else this.dropCaches()
  }

  nextSequence(key: string): number {
    const row = this.stmt(
      'seq',
      'INSERT INTO sequences (key, value) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value',
    ).get(key) as {value: number}
    return row.value
  }

  // ---- meta ----

  getMeta(key: string): string | undefined {
    if (this.docCacheLive) {
      const cached = this.metaCache.get(key)
      if (cached !== undefined) return cached ?? undefined
    }
    const row = this.stmt('meta.get', 'SELECT value FROM meta WHERE key = ?').get(key) as {value: string} | undefined
    if (this.docCacheLive) this.metaCache.set(key, row?.value ?? null)
    return row?.value
  }

  setMeta(key: string, value: string): void {
    this.stmt(
      'meta.set',
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value)
    if (this.docCacheLive) this.metaCache.set(key, value)
    else this.metaCache.clear()
  }

  integrityCheck(): string {
    const rows = this.db.pragma('integrity_check') as Array<{integrity_check: string}>
    return rows.map((row) => row.integrity_check).join('\n')
  }

  private stmt(key: string, sql: string): Statement {
    let statement = this.statements.get(key)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(key, statement)
    }
    return statement
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The engine store is closed.')
  }
}

function whereClause(kind: DocKind, query: DocQuery): {where: string; params: unknown[]} | undefined {
  const where: string[] = ['kind = ?']
  const params: unknown[] = [kind]
  for (const column of ['cluster', 'parent', 'status', 'name'] as const) {
    const value = query[column]
    if (value !== undefined) {
      where.push(`${column} = ?`)
      params.push(value)
    }
  }
  if (query.dueAtMost !== undefined) {
    where.push('due IS NOT NULL AND due <= ?')
    params.push(query.dueAtMost)
  }
  if (query.statusIn !== undefined) {
    if (query.statusIn.length === 0) return undefined
    where.push(`status IN (${query.statusIn.map(() => '?').join(', ')})`)
    params.push(...query.statusIn)
  }
  return {where: where.join(' AND '), params}
}

function toDoc<T>(kind: DocKind, row: DocRow): StoredDoc<T> {
  const doc: StoredDoc<T> = {
    kind,
    id: row.id,
    body: (row.body === null ? undefined : parseBody<T>(row.body)) as T,
    rowid: row.rowid,
  }
  if (row.cluster !== null) doc.cluster = row.cluster
  if (row.parent !== null) doc.parent = row.parent
  if (row.status !== null) doc.status = row.status
  if (row.name !== null) doc.name = row.name
  return doc
}
