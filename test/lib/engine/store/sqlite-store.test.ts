import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createRequire} from 'node:module'

import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {MIGRATIONS, SCHEMA_VERSION} from '../../../../src/lib/engine/store/migrations.js'
import {openStore, type SqliteStore, StoreBusyError} from '../../../../src/lib/engine/store/sqlite-store.js'

const require = createRequire(import.meta.url)

describe('store', () => {
  let dir: string
  let store: SqliteStore
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsx-store-'))
    store = openStore(join(dir, 'engine.db'))
  })
  afterEach(() => {
    store.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('creates the schema with WAL, a version and a migrations record', () => {
    expect(store.schemaVersion).toBe(SCHEMA_VERSION)
    const Database = require('better-sqlite3')
    const raw = new Database(join(dir, 'engine.db'), {readonly: true})
    try {
      expect(raw.pragma('journal_mode', {simple: true})).toBe('wal')
      const rows = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{
        version: number
      }>
      expect(rows.map((r) => r.version)).toEqual(Array.from({length: SCHEMA_VERSION}, (_, i) => i + 1))
      const tables = (
        raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{name: string}>
      ).map((r) => r.name)
      expect(tables).toEqual(expect.arrayContaining(['docs', 'sequences', 'meta', 'schema_migrations']))
    } finally {
      raw.close()
    }
  })

  it('puts, gets, lists by index columns, counts and deletes documents', () => {
    store.write((tx) => {
      tx.put('task', 'a', {n: 1}, {cluster: 'c1', parent: 'i1', status: 'RUNNING', name: 'g1'})
      tx.put('task', 'b', {n: 2}, {cluster: 'c1', parent: 'i2', status: 'PENDING', name: 'g1'})
      tx.put('task', 'c', {n: 3}, {cluster: 'c2', parent: 'i1', status: 'STOPPED', name: 'g2'})
      tx.put('service', 'a', {other: true}, {cluster: 'c1'})
    })
    store.read((tx) => {
      expect(tx.get<{n: number}>('task', 'a')).toEqual({
        kind: 'task',
        id: 'a',
        body: {n: 1},
        cluster: 'c1',
        parent: 'i1',
        status: 'RUNNING',
        name: 'g1',
        rowid: 1,
      })
      expect(tx.get('task', 'zzz')).toBeUndefined()
      expect(tx.list('task', {cluster: 'c1'}).map((d) => d.id)).toEqual(['a', 'b'])
      expect(tx.list('task', {parent: 'i1'}).map((d) => d.id)).toEqual(['a', 'c'])
      expect(tx.list('task', {statusIn: ['RUNNING', 'STOPPED']}).map((d) => d.id)).toEqual(['a', 'c'])
      expect(tx.list('task', {statusIn: []})).toEqual([])
      expect(tx.list('task', {name: 'g1', status: 'PENDING'}).map((d) => d.id)).toEqual(['b'])
      expect(tx.list('task', {limit: 2}).map((d) => d.id)).toEqual(['a', 'b'])
      expect(tx.count('task')).toBe(3)
      expect(tx.count('task', {cluster: 'c1', statusIn: ['RUNNING', 'PENDING']})).toBe(2)
      expect(tx.count('service')).toBe(1)
      expect(tx.list('task', {cluster: 'c1', keysOnly: true})).toEqual([
        {kind: 'task', id: 'a', body: undefined, cluster: 'c1', parent: 'i1', status: 'RUNNING', name: 'g1', rowid: 1},
        {kind: 'task', id: 'b', body: undefined, cluster: 'c1', parent: 'i2', status: 'PENDING', name: 'g1', rowid: 2},
      ])
    })
    // An update keeps the document's place in insertion order and replaces its index columns.
    store.write((tx) => tx.put('task', 'a', {n: 10}, {cluster: 'c1', status: 'STOPPED'}))
    store.read((tx) => {
      expect(tx.list('task').map((d) => d.id)).toEqual(['a', 'b', 'c'])
      expect(tx.get('task', 'a')).toEqual({
        kind: 'task',
        id: 'a',
        body: {n: 10},
        cluster: 'c1',
        status: 'STOPPED',
        rowid: 1,
      })
    })
    store.write((tx) => tx.delete('task', 'a'))
    expect(store.read((tx) => tx.list('task').map((d) => d.id))).toEqual(['b', 'c'])
  })

  it('round-trips Date values inside bodies', () => {
    const at = new Date('2026-01-01T00:00:05.123Z')
    store.write((tx) => tx.put('cluster', 'x', {createdAt: at, nested: [{when: at}], plain: '2026'}))
    const body = store.read(
      (tx) => tx.get<{createdAt: Date; nested: Array<{when: Date}>; plain: string}>('cluster', 'x')?.body,
    )
    expect(body?.createdAt).toBeInstanceOf(Date)
    expect(body?.createdAt.getTime()).toBe(at.getTime())
    expect(body?.nested[0].when.getTime()).toBe(at.getTime())
    expect(body?.plain).toBe('2026')
  })

  it('hands out monotonic sequences per key', () => {
    const values = store.write((tx) => [
      tx.nextSequence('f'),
      tx.nextSequence('f'),
      tx.nextSequence('g'),
      tx.nextSequence('f'),
    ])
    expect(values).toEqual([1, 2, 1, 3])
  })

  it('rolls a write back entirely when the function throws', () => {
    expect(() =>
      store.write((tx) => {
        tx.put('cluster', 'gone', {})
        tx.nextSequence('s')
        throw new Error('boom')
      }),
    ).toThrow('boom')
    store.read((tx) => expect(tx.get('cluster', 'gone')).toBeUndefined())
    expect(store.write((tx) => tx.nextSequence('s'))).toBe(1)
  })

  it('keeps state across close and reopen, and reopening a current schema is cheap', () => {
    store.write((tx) => tx.put('cluster', 'kept', {a: 1}))
    store.close()
    const started = process.hrtime.bigint()
    store = openStore(join(dir, 'engine.db'))
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6
    expect(store.read((tx) => tx.get('cluster', 'kept')?.body)).toEqual({a: 1})
    // Generous bound: the point is that no migration work runs (measured ≈ 0.3–1 ms; see the report).
    expect(elapsedMs).toBeLessThan(250)
    expect(store.integrityCheck()).toBe('ok')
  })

  it('keeps the due column of unstopped tasks (min of _sim.nextAt and purgeAt) and finds due tasks through it', () => {
    store.write((tx) => {
      tx.put('task', 'a', {_sim: {nextAt: 500}}, {cluster: 'c', status: 'PENDING'})
      tx.put('task', 'b', {_sim: {nextAt: 900, purgeAt: 100}}, {cluster: 'c', status: 'STOPPING'})
      tx.put('task', 'c', {_sim: {}}, {cluster: 'c', status: 'RUNNING'})
      // STOPPED tasks have no due time (their purge is in the purge queue), nor do other kinds.
      tx.put('task', 'd', {_sim: {nextAt: 1, purgeAt: 1}}, {cluster: 'c', status: 'STOPPED'})
      tx.put('service', 's', {_sim: {nextAt: 1}}, {cluster: 'c', status: 'ACTIVE'})
    })
    store.read((tx) => {
      expect(tx.earliestDue('task')).toBe(100)
      expect(tx.earliestDue('service')).toBeUndefined()
      expect(tx.list('task', {dueAtMost: 499, keysOnly: true}).map((d) => d.id)).toEqual(['b'])
      expect(tx.list('task', {dueAtMost: 500}).map((d) => d.id)).toEqual(['a', 'b'])
    })
    // An update moves the due time; reaching STOPPED clears it.
    store.write((tx) => {
      tx.put('task', 'a', {_sim: {nextAt: 50}}, {cluster: 'c', status: 'RUNNING'})
      tx.put('task', 'b', {_sim: {purgeAt: 100}}, {cluster: 'c', status: 'STOPPED'})
    })
    store.read((tx) => {
      expect(tx.earliestDue('task')).toBe(50)
      expect(tx.list('task', {dueAtMost: 10_000}).map((d) => d.id)).toEqual(['a'])
    })
  })

  it('migrates a version-1 database: adds the due column and fills it from the stored tasks', () => {
    store.close()
    const Database = require('better-sqlite3')
    const file = join(dir, 'v1.db')
    const raw = new Database(file)
    raw.exec(MIGRATIONS[0].sql)
    raw.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)',
    )
    raw.prepare("INSERT INTO schema_migrations VALUES (1, 'v1', 'then')").run()
    raw.pragma('user_version = 1')
    const insert = raw.prepare('INSERT INTO docs (kind, id, cluster, status, body) VALUES (?, ?, ?, ?, ?)')
    insert.run('task', 't1', 'c', 'RUNNING', JSON.stringify({_sim: {nextAt: 7000}}))
    insert.run('task', 't2', 'c', 'STOPPED', JSON.stringify({_sim: {purgeAt: 10}}))
    insert.run('cluster', 'c', null, 'ACTIVE', JSON.stringify({}))
    raw.close()
    store = openStore(file)
    expect(store.schemaVersion).toBe(SCHEMA_VERSION)
    store.read((tx) => {
      expect(tx.earliestDue('task')).toBe(7000)
      expect(tx.list('task', {dueAtMost: 7000}).map((d) => d.id)).toEqual(['t1'])
      expect(tx.get('cluster', 'c')?.body).toEqual({})
    })
  })

  it('refuses a database from a newer ecsx', () => {
    store.close()
    const Database = require('better-sqlite3')
    const raw = new Database(join(dir, 'engine.db'))
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    expect(() => openStore(join(dir, 'engine.db'))).toThrow(/newer than this ecsx supports/)
    store = openStore(join(dir, 'other.db'))
  })

  it('a write that cannot get the lock fails with a clear StoreBusyError, without running the function', () => {
    const Database = require('better-sqlite3')
    const holder = new Database(join(dir, 'engine.db'))
    holder.exec('BEGIN IMMEDIATE')
    const waiter = openStore(join(dir, 'engine.db'), {busyTimeoutMs: 5, lockWaitMs: 40})
    let ran = false
    try {
      expect(() =>
        waiter.write(() => {
          ran = true
        }),
      ).toThrow(StoreBusyError)
      expect(ran).toBe(false)
      // Reads still work while another process writes (WAL).
      expect(waiter.read((tx) => tx.count('cluster'))).toBe(0)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
      waiter.close()
    }
  })

  it('names the file and the fix when the database cannot be opened', () => {
    const blocker = join(dir, 'not-a-dir')
    require('node:fs').writeFileSync(blocker, 'x')
    let error: unknown
    try {
      openStore(join(blocker, 'engine.db'))
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({
      name: 'EngineStoreError',
      kind: 'failure',
      hint: 'Check that ECSX_HOME points to a writable directory.',
    })
    expect((error as Error).message).toContain(join(blocker, 'engine.db'))
  })

  it('stores meta values', () => {
    store.write(() => store.setMeta('k', 'v1'))
    store.write(() => store.setMeta('k', 'v2'))
    expect(store.read(() => store.getMeta('k'))).toBe('v2')
    expect(store.read(() => store.getMeta('missing'))).toBeUndefined()
  })
})
