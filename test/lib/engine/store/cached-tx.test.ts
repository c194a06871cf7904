/**
 * The reconciler's write-back cache (cached-tx.ts): tasks are loaded lazily — by id, by the key a query names, or
 * whole — and every answer is what the base store would give after flushing (same documents, rowid order).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {CachedTx} from '../../../../src/lib/engine/store/cached-tx.js'
import type {Tx} from '../../../../src/lib/engine/context.js'
import {openStore, type SqliteStore} from '../../../../src/lib/engine/store/sqlite-store.js'

const UNSTOPPED = ['PENDING', 'RUNNING', 'STOPPING']

/** A Tx that counts the base reads the cache makes. */
function counting(tx: Tx): {tx: Tx; lists: Array<Record<string, unknown>>} {
  const lists: Array<Record<string, unknown>> = []
  const wrapped: Tx = {
    get: (kind, id) => tx.get(kind, id),
    peek: (kind, id) => tx.peek(kind, id),
    list: (kind, query) => {
      lists.push({kind, ...query})
      return tx.list(kind, query)
    },
    count: (kind, query) => tx.count(kind, query),
    put: (kind, id, body, index) => tx.put(kind, id, body, index),
    delete: (kind, id) => tx.delete(kind, id),
    earliestDue: (kind) => tx.earliestDue(kind),
    nextSequence: (key) => tx.nextSequence(key),
  }
  return {tx: wrapped, lists}
}

describe('CachedTx (lazy task loading)', () => {
  let dir: string
  let store: SqliteStore
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsx-cachedtx-'))
    store = openStore(join(dir, 'engine.db'))
    store.write((tx) => {
      // Interleaved groups so that rowid order differs from any per-group adoption order.
      for (let i = 0; i < 12; i++)
        tx.put(
          'task',
          `t${i}`,
          {n: i},
          {cluster: 'c', parent: `i${i % 2}`, status: i === 11 ? 'STOPPED' : 'RUNNING', name: `g${i % 3}`},
        )
    })
  })
  afterEach(() => {
    store.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('loads only the documents of the key a query names, and answers repeated queries from memory', () => {
    store.write((base) => {
      const {tx, lists} = counting(base)
      const cache = new CachedTx(tx)
      expect(cache.list('task', {name: 'g1', statusIn: UNSTOPPED}).map((d) => d.id)).toEqual(['t1', 't4', 't7', 't10'])
      expect(lists).toEqual([
        {
          kind: 'task',
          name: 'g1',
          statusIn: ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING'],
          shared: true,
        },
      ])
      expect(cache.list('task', {name: 'g1', statusIn: ['RUNNING']}).map((d) => d.id)).toEqual([
        't1',
        't4',
        't7',
        't10',
      ])
      expect(cache.count('task', {name: 'g1', status: 'RUNNING'})).toBe(4)
      expect(lists).toHaveLength(1)
    })
  })

  it('keeps rowid order across documents adopted by id first and by key later; memory versions win', () => {
    store.write((tx) => {
      const cache = new CachedTx(tx)
      const t8 = cache.get<{n: number}>('task', 't8')!
      t8.body.n = 80
      cache.put('task', 't8', t8.body, {cluster: 'c', parent: 'i0', status: 'RUNNING', name: 'g2'})
      cache.delete('task', 't5')
      const ids = cache.list<{n: number}>('task', {name: 'g2', statusIn: UNSTOPPED}).map((d) => [d.id, d.body.n])
      expect(ids).toEqual([
        ['t2', 2],
        ['t8', 80],
      ])
      // A new document comes after all stored ones, as its rowid will.
      cache.put('task', 'new', {n: 99}, {cluster: 'c', parent: 'i1', status: 'PENDING', name: 'g2'})
      expect(cache.list('task', {name: 'g2', statusIn: UNSTOPPED}).map((d) => d.id)).toEqual(['t2', 't8', 'new'])
      // A query without a key loads the rest; the order is the store's.
      expect(cache.list('task', {statusIn: UNSTOPPED}).map((d) => d.id)).toEqual([
        't0',
        't1',
        't2',
        't3',
        't4',
        't6',
        't7',
        't8',
        't9',
        't10',
        'new',
      ])
      cache.flush()
    })
    store.read((tx) => {
      expect(tx.list('task', {statusIn: UNSTOPPED}).map((d) => d.id)).toEqual([
        't0',
        't1',
        't2',
        't3',
        't4',
        't6',
        't7',
        't8',
        't9',
        't10',
        'new',
      ])
      expect(tx.get<{n: number}>('task', 't8')?.body.n).toBe(80)
    })
  })

  it('lists newest first (with a limit: the newest ones) like the base store, from memory and merged', () => {
    store.write((tx) => {
      expect(tx.list('task', {name: 'g1', newestFirst: true, limit: 2}).map((d) => d.id)).toEqual(['t10', 't7'])
      const cache = new CachedTx(tx)
      expect(
        cache.list('task', {name: 'g1', statusIn: UNSTOPPED, newestFirst: true, limit: 2}).map((d) => d.id),
      ).toEqual(['t10', 't7'])
      cache.put('task', 'new', {n: 99}, {cluster: 'c', parent: 'i1', status: 'STOPPED', name: 'g2'})
      expect(cache.list('task', {name: 'g2', status: 'STOPPED', newestFirst: true}).map((d) => d.id)).toEqual([
        'new',
        't11',
      ])
    })
  })

  it('merges the base store for statuses it does not load (STOPPED)', () => {
    store.write((tx) => {
      const cache = new CachedTx(tx)
      const t10 = cache.get<{n: number}>('task', 't10')!
      cache.put('task', 't10', t10.body, {cluster: 'c', parent: 'i0', status: 'STOPPED', name: 'g1'})
      expect(cache.list('task', {cluster: 'c', status: 'STOPPED'}).map((d) => d.id)).toEqual(['t10', 't11'])
      expect(cache.list('task', {name: 'g1', statusIn: UNSTOPPED}).map((d) => d.id)).toEqual(['t1', 't4', 't7'])
    })
  })
})
