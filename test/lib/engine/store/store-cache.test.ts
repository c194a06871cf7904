/**
 * The store's parsed-document cache (store.ts): used inside write transactions, it must always answer what the
 * database holds — after another connection's commit, after a rollback — and never let a caller change it.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {cloneBody, parseBody, serializeBody} from '../../../../src/lib/engine/store/body.js'
import {openStore, type SqliteStore} from '../../../../src/lib/engine/store/sqlite-store.js'

interface Body {
  n: number
  at: Date
  list: Array<{v: string}>
}

describe('store document cache', () => {
  let dir: string
  let a: SqliteStore
  let b: SqliteStore
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsx-store-cache-'))
    a = openStore(join(dir, 'engine.db'))
    b = openStore(join(dir, 'engine.db'))
  })
  afterEach(() => {
    a.close()
    b.close()
    rmSync(dir, {recursive: true, force: true})
  })

  const body = (n: number): Body => ({n, at: new Date(1_700_000_000_000 + n), list: [{v: `x${n}`}]})

  it("sees another connection's commits (data_version) in get and list", () => {
    a.write((tx) => tx.put('task', 't1', body(1), {cluster: 'c', status: 'RUNNING'}))
    expect(a.write((tx) => tx.get<Body>('task', 't1')?.body.n)).toBe(1)
    b.write((tx) => {
      tx.put('task', 't1', body(2), {cluster: 'c', status: 'RUNNING'})
      tx.put('task', 't2', body(3), {cluster: 'c', status: 'RUNNING'})
    })
    expect(a.write((tx) => tx.get<Body>('task', 't1')?.body.n)).toBe(2)
    expect(a.write((tx) => tx.list<Body>('task', {cluster: 'c'}).map((d) => d.body.n))).toEqual([2, 3])
    b.write((tx) => tx.delete('task', 't2'))
    expect(a.write((tx) => tx.list<Body>('task', {cluster: 'c', status: 'RUNNING'}).map((d) => d.id))).toEqual(['t1'])
    expect(a.write((tx) => tx.get('task', 't2'))).toBeUndefined()
  })

  it('sees its own writes within and after a transaction, index columns included', () => {
    a.write((tx) => {
      tx.put('task', 't1', body(1), {cluster: 'c', status: 'PENDING'})
      expect(tx.get<Body>('task', 't1')?.body.at).toEqual(new Date(1_700_000_000_001))
      tx.put('task', 't1', body(5), {cluster: 'c', status: 'RUNNING'})
      expect(tx.get<Body>('task', 't1')).toMatchObject({status: 'RUNNING', cluster: 'c', body: {n: 5}})
    })
    expect(a.write((tx) => tx.list<Body>('task', {status: 'RUNNING'}).map((d) => d.body.n))).toEqual([5])
    expect(a.write((tx) => tx.list('task', {status: 'PENDING'}))).toEqual([])
  })

  it('forgets the writes of a rolled-back transaction (and of a rolled-back savepoint)', () => {
    a.write((tx) => tx.put('task', 't1', body(1), {status: 'RUNNING'}))
    expect(() =>
      a.write((tx) => {
        tx.put('task', 't1', body(9), {status: 'RUNNING'})
        tx.delete('task', 't1')
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(a.write((tx) => tx.get<Body>('task', 't1')?.body.n)).toBe(1)
    expect(() =>
      a.write((tx) => {
        tx.put('task', 't1', body(8), {status: 'STOPPED'})
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(a.write((tx) => tx.get<Body>('task', 't1'))).toMatchObject({status: 'RUNNING', body: {n: 1}})
    expect(a.write((tx) => tx.list<Body>('task', {status: 'RUNNING'}).map((d) => d.body.n))).toEqual([1])
    a.write((tx) => {
      expect(() =>
        a.write(() => {
          tx.put('task', 't1', body(7), {status: 'RUNNING'})
          throw new Error('inner')
        }),
      ).toThrow('inner')
      expect(tx.get<Body>('task', 't1')?.body.n).toBe(1)
    })
    expect(b.write((tx) => tx.get<Body>('task', 't1')?.body.n)).toBe(1)
  })

  it('hands out copies: mutating a returned body changes neither the cache nor the database', () => {
    a.write((tx) => tx.put('task', 't1', body(1), {status: 'RUNNING'}))
    const kept = body(4)
    a.write((tx) => {
      const doc = tx.get<Body>('task', 't1')!
      doc.body.n = 100
      doc.body.list[0].v = 'changed'
      doc.body.at.setTime(0)
      tx.list<Body>('task', {status: 'RUNNING'})[0].body.list.push({v: 'more'})
      tx.put('task', 't2', kept, {status: 'RUNNING'})
      kept.n = 99 // the caller's object after put
    })
    expect(a.write((tx) => tx.get<Body>('task', 't1')?.body)).toEqual(body(1))
    expect(a.write((tx) => tx.get<Body>('task', 't2')?.body.n)).toBe(4)
    expect(b.write((tx) => tx.get<Body>('task', 't1')?.body)).toEqual(body(1))
  })

  it("meta values are cached like documents: another connection's commit and a rollback are both seen", () => {
    a.write(() => a.setMeta('k', '1'))
    expect(a.write(() => a.getMeta('k'))).toBe('1')
    b.write(() => b.setMeta('k', '2'))
    expect(a.write(() => a.getMeta('k'))).toBe('2')
    expect(() =>
      a.write(() => {
        a.setMeta('k', '3')
        expect(a.getMeta('k')).toBe('3')
        throw new Error('rolled back')
      }),
    ).toThrow('rolled back')
    expect(a.write(() => a.getMeta('k'))).toBe('2')
    expect(a.write(() => a.getMeta('absent'))).toBeUndefined()
    b.write(() => b.setMeta('absent', 'now here'))
    expect(a.write(() => a.getMeta('absent'))).toBe('now here')
  })

  it('serializeBody writes Dates as {$date} markers exactly like a replacer would, without touching its input', () => {
    const replacer = function (this: Record<string, unknown>, key: string, value: unknown): unknown {
      const raw = this[key]
      return raw instanceof Date ? {$date: raw.getTime()} : value
    }
    const leaf = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.date({noInvalidDate: true}))
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        {depthSize: 'small'},
        leaf,
        fc.array(tie('node'), {maxLength: 4}),
        fc.dictionary(fc.string({maxLength: 6}), tie('node'), {maxKeys: 4}),
      ),
    })).node
    fc.assert(
      fc.property(tree, (value) => {
        const before = JSON.stringify(value, replacer)
        expect(serializeBody(value)).toBe(before)
        expect(JSON.stringify(value, replacer)).toBe(before)
        expect(parseBody(serializeBody(value))).toEqual(value)
      }),
      {numRuns: 500},
    )
  })

  it('cloneBody copies what parseBody returns', () => {
    const parsed = parseBody<Body & {nested: {deep: Array<Date | null | number>}}>(
      serializeBody({...body(3), nested: {deep: [new Date(5), null, 2]}}),
    )
    const copy = cloneBody(parsed)
    expect(copy).toEqual(parsed)
    expect(copy.at).not.toBe(parsed.at)
    expect(copy.nested.deep).not.toBe(parsed.nested.deep)
    expect(copy.nested.deep[0]).toEqual(new Date(5))
  })
})
