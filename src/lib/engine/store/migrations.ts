/**
 * The engine database's schema, versioned: `PRAGMA user_version` (one cheap read on open) plus a
 * `schema_migrations` history table. Migrations run in one IMMEDIATE transaction, re-checked inside the write lock.
 */
import type BetterSqlite3 from 'better-sqlite3'

import type {DocKind} from '../context.js'
import {parseBody} from './body.js'
import {documentDueTime} from './due.js'

type Database = BetterSqlite3.Database

export interface Migration {
  version: number
  description: string
  sql: string
  /** Runs after `sql`, in the same transaction (data that SQL alone cannot compute). */
  backfill?: (db: Database) => void
}

/** Ordered migrations. Never edit an applied one: append a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'documents, sequences, meta',
    sql: `
      CREATE TABLE IF NOT EXISTS docs (
        kind    TEXT NOT NULL,
        id      TEXT NOT NULL,
        cluster TEXT,
        parent  TEXT,
        status  TEXT,
        name    TEXT,
        body    TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE INDEX IF NOT EXISTS docs_cluster ON docs (kind, cluster, status);
      CREATE INDEX IF NOT EXISTS docs_parent  ON docs (kind, parent, status);
      CREATE INDEX IF NOT EXISTS docs_name    ON docs (kind, name, status);
      CREATE INDEX IF NOT EXISTS docs_status  ON docs (kind, status);
      CREATE TABLE IF NOT EXISTS sequences (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'due times of unstopped tasks (incremental reconcile)',
    sql: `
      ALTER TABLE docs ADD COLUMN due INTEGER;
      CREATE INDEX IF NOT EXISTS docs_due ON docs (kind, due) WHERE due IS NOT NULL;
    `,
    backfill(db) {
      const update = db.prepare('UPDATE docs SET due = ? WHERE rowid = ?')
      const rows = db.prepare("SELECT rowid, kind, status, body FROM docs WHERE kind = 'task'").all() as Array<{
        rowid: number
        kind: DocKind
        status: string | null
        body: string
      }>
      for (const row of rows) {
        const due = documentDueTime(row.kind, parseBody(row.body), {status: row.status ?? undefined})
        if (due !== null) update.run(due, row.rowid)
      }
    },
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version

/** Bring the database's schema up to SCHEMA_VERSION (no-op when current). */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', {simple: true}) as number
  if (current === SCHEMA_VERSION) return
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `The engine database has schema version ${current}, newer than this ecsx supports (${SCHEMA_VERSION}). ` +
        'Upgrade ecsx or use another ECSX_HOME.',
    )
  }
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const version = db.pragma('user_version', {simple: true}) as number
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations ' +
        '(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)',
    )
    const record = db.prepare(
      'INSERT OR REPLACE INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
    )
    for (const migration of MIGRATIONS) {
      if (migration.version <= version) continue
      db.exec(migration.sql)
      migration.backfill?.(db)
      record.run(migration.version, migration.description, new Date().toISOString())
      db.pragma(`user_version = ${migration.version}`)
    }
  })
  run.immediate()
}
