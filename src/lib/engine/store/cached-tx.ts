/**
 * A write-back cache over a transaction, for the reconciler: the documents of the busy kinds (tasks, services,
 * instances) are read once, served from memory through secondary indexes, and only their final state is written at
 * `flush()`. Catching up a long idle period replays thousands of transitions; without the cache each would be a
 * SQLite read + JSON parse + write, and documents created and purged within the same pass would be written for
 * nothing. Other kinds (clusters, task definitions) are read through a per-id memo and written through at once.
 *
 * Bodies are shared by reference between `get`/`list` callers (as with any in-memory store): mutate, then `put`.
 * `list` returns documents in the base store's row order (inserts append, updates keep their place, as SQLite
 * rowids do).
 */
import type {DocIndex, DocKind, DocQuery, StoredDoc, Tx} from '../context.js'
import {cloneBody} from './body.js'

const CACHED_KINDS: ReadonlySet<DocKind> = new Set<DocKind>(['task', 'service', 'instance'])
/** Read-through memo, written through at once. */
const MEMO_KINDS: ReadonlySet<DocKind> = new Set<DocKind>(['cluster', 'taskdef'])
/** Read-through memo, written back at flush (the reconciler's bookkeeping documents). */
const WRITE_BACK_KINDS: ReadonlySet<DocKind> = new Set<DocKind>(['meta'])
/**
 * Kinds loaded only partly and lazily: of tasks, only the statuses the reconciler works on (not STOPPED — there may
 * be many, and only their purge matters), and of those only what the pass asks for — by id, or all the documents of
 * one cluster / parent / name (the service controller's query), or everything when a query names none of these.
 * A pass thus costs what it touches, not the number of tasks in the store. Queries outside the loaded statuses go
 * to the base store and are merged.
 */
const PARTIAL_LOAD: Partial<Record<DocKind, readonly string[]>> = {
  task: ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING'],
}

/**
 * A cached document. Bodies loaded in bulk may come from the store's parsed-document cache as SHARED objects
 * (`DocQuery.shared`): `peek()` reads them as they are, and the first access to `body` takes a private copy, so
 * nothing a caller mutates can reach the store's cache.
 */
class Entry implements StoredDoc {
  readonly kind: DocKind
  readonly id: string
  cluster?: string
  parent?: string
  status?: string
  name?: string
  private own: unknown
  private shared: unknown

  /** Order of `list` results: the document's rowid in the store (new documents after all stored ones). */
  constructor(
    doc: StoredDoc,
    readonly seq: number,
    shared = false,
  ) {
    this.kind = doc.kind
    this.id = doc.id
    if (doc.cluster !== undefined) this.cluster = doc.cluster
    if (doc.parent !== undefined) this.parent = doc.parent
    if (doc.status !== undefined) this.status = doc.status
    if (doc.name !== undefined) this.name = doc.name
    if (shared) this.shared = doc.body
    else this.own = doc.body
  }

  get body(): unknown {
    if (this.shared !== undefined) {
      this.own = cloneBody(this.shared)
      this.shared = undefined
    }
    return this.own
  }

  set body(value: unknown) {
    this.own = value
    this.shared = undefined
  }

  /** The body for reading only (never mutate it): no copy is taken. */
  peek(): unknown {
    return this.shared !== undefined ? this.shared : this.own
  }
}
type Field = 'cluster' | 'parent' | 'name'
const FIELDS: readonly Field[] = ['cluster', 'parent', 'name']
/** Documents created in this pass sort after every stored document (rowids stay far below 2^52). */
const NEW_DOC_SEQ_BASE = 2 ** 52

function matches(doc: StoredDoc, query: DocQuery): boolean {
  if (query.cluster !== undefined && doc.cluster !== query.cluster) return false
  if (query.parent !== undefined && doc.parent !== query.parent) return false
  if (query.status !== undefined && doc.status !== query.status) return false
  if (query.name !== undefined && doc.name !== query.name) return false
  if (query.statusIn !== undefined && (doc.status === undefined || !query.statusIn.includes(doc.status))) return false
  return true
}

/**
 * All loaded documents of one kind with secondary indexes by cluster / parent / name (each also split by status)
 * and by status. Updates that keep every index column (the common case) just swap the body.
 */
class KindCache {
  readonly docs = new Map<string, Entry>()
  private readonly byField: Record<Field, Map<string, Map<string, Entry>>> = {
    cluster: new Map(),
    parent: new Map(),
    name: new Map(),
  }
  private readonly byFieldStatus: Record<Field, Map<string, Map<string, Map<string, Entry>>>> = {
    cluster: new Map(),
    parent: new Map(),
    name: new Map(),
  }
  private readonly byStatus = new Map<string, Map<string, Entry>>()
  readonly dirty = new Set<string>()
  readonly deleted = new Set<string>()
  private seq = NEW_DOC_SEQ_BASE
  /** Lazy kinds: every document of the loadable statuses is in memory. */
  allLoaded: boolean
  /** Lazy kinds: `field\0value` keys whose documents (of the loadable statuses) are all in memory. */
  readonly loadedKeys = new Set<string>()

  /**
   * `lazy` = the statuses that may be loaded (on demand; see PARTIAL_LOAD), undefined = the kind is loaded whole
   * from `rows` at once.
   */
  constructor(
    rows: StoredDoc[],
    readonly lazy?: ReadonlySet<string>,
    shared = false,
  ) {
    this.allLoaded = lazy === undefined
    for (const row of rows) this.insert(new Entry(row, this.seqOf(row), shared))
  }

  private seqOf(doc: StoredDoc): number {
    return doc.rowid ?? this.seq++
  }

  /** Whether a query's status filter lies within the loadable statuses (always true for kinds loaded whole). */
  withinLoadable(query: DocQuery): boolean {
    if (!this.lazy) return true
    const statuses = query.status !== undefined ? [query.status] : query.statusIn
    return statuses !== undefined && statuses.every((s) => this.lazy?.has(s))
  }

  /** The indexed field a load for this query goes by (the most selective one named), or undefined = load all. */
  static keyOf(query: DocQuery): string | undefined {
    for (const field of ['name', 'parent', 'cluster'] as const)
      if (query[field] !== undefined) return `${field}\u0000${query[field]}`
    return undefined
  }

  /** Whether memory alone answers a query. */
  answers(query: DocQuery): boolean {
    if (!this.withinLoadable(query)) return false
    if (this.allLoaded) return true
    for (const field of ['name', 'parent', 'cluster'] as const) {
      if (query[field] !== undefined && this.loadedKeys.has(`${field}\u0000${query[field]}`)) return true
    }
    return false
  }

  /** Add a document read from the base store (not a change). Memory's own version (or deletion) wins. */
  adopt(doc: StoredDoc, shared = false): Entry {
    const entry = new Entry(doc, this.seqOf(doc), shared)
    this.insert(entry)
    return entry
  }

  private static bucket<K>(map: Map<K, Map<string, Entry>>, key: K): Map<string, Entry> {
    let bucket = map.get(key)
    if (!bucket) map.set(key, (bucket = new Map()))
    return bucket
  }

  private indexStatus(entry: Entry, add: boolean): void {
    const status = entry.status ?? ''
    for (const field of FIELDS) {
      const value = entry[field]
      if (value === undefined) continue
      let perStatus = this.byFieldStatus[field].get(value)
      if (!perStatus) this.byFieldStatus[field].set(value, (perStatus = new Map()))
      if (add) KindCache.bucket(perStatus, status).set(entry.id, entry)
      else perStatus.get(status)?.delete(entry.id)
    }
    if (add) KindCache.bucket(this.byStatus, status).set(entry.id, entry)
    else this.byStatus.get(status)?.delete(entry.id)
  }

  private indexFields(entry: Entry, add: boolean): void {
    for (const field of FIELDS) {
      const value = entry[field]
      if (value === undefined) continue
      if (add) KindCache.bucket(this.byField[field], value).set(entry.id, entry)
      else this.byField[field].get(value)?.delete(entry.id)
    }
  }

  private insert(entry: Entry): void {
    this.docs.set(entry.id, entry)
    this.indexFields(entry, true)
    this.indexStatus(entry, true)
  }

  remove(id: string): Entry | undefined {
    const entry = this.docs.get(id)
    if (!entry) return undefined
    this.docs.delete(id)
    this.indexFields(entry, false)
    this.indexStatus(entry, false)
    return entry
  }

  put(doc: StoredDoc): void {
    const previous = this.docs.get(doc.id)
    if (!previous) {
      this.insert(new Entry(doc, this.seq++))
      return
    }
    // (A document put without being read first sorts as new; the reconciler always reads before it writes.)
    const sameFields = previous.cluster === doc.cluster && previous.parent === doc.parent && previous.name === doc.name
    if (sameFields && previous.status === doc.status) {
      previous.body = doc.body
    } else if (sameFields) {
      this.indexStatus(previous, false)
      previous.status = doc.status
      previous.body = doc.body
      this.indexStatus(previous, true)
    } else {
      this.remove(doc.id)
      this.insert(new Entry(doc, previous.seq))
    }
  }

  /** Candidate buckets for a query (the most selective index available), or undefined = scan everything. */
  private buckets(query: DocQuery): Array<Map<string, Entry>> | undefined {
    const statuses = query.status !== undefined ? [query.status] : query.statusIn
    for (const field of ['name', 'parent', 'cluster'] as const) {
      const value = query[field]
      if (value === undefined) continue
      if (statuses) {
        const perStatus = this.byFieldStatus[field].get(value)
        if (!perStatus) return []
        return statuses.map((s) => perStatus.get(s)).filter((b): b is Map<string, Entry> => b !== undefined)
      }
      const bucket = this.byField[field].get(value)
      return bucket ? [bucket] : []
    }
    if (statuses)
      return statuses.map((s) => this.byStatus.get(s)).filter((b): b is Map<string, Entry> => b !== undefined)
    return undefined
  }

  list(query: DocQuery): Entry[] {
    const buckets = this.buckets(query)
    const out: Entry[] = []
    const sources = buckets ?? [this.docs]
    for (const bucket of sources) for (const entry of bucket.values()) if (matches(entry, query)) out.push(entry)
    // Buckets are filled in adoption order; loaded-whole kinds are inserted in rowid order into `docs`.
    if (sources.length > 1 || sources[0] !== this.docs || this.lazy || query.newestFirst)
      out.sort((a, b) => a.seq - b.seq)
    if (query.newestFirst) out.reverse()
    return query.limit !== undefined ? out.slice(0, Math.max(0, query.limit)) : out
  }
}

/** A document of an entry for reading only: its body as it is (maybe shared), no copy taken. */
const sharedView = <T>(entry: Entry): StoredDoc<T> => ({
  kind: entry.kind,
  id: entry.id,
  body: entry.peek() as T,
  cluster: entry.cluster,
  parent: entry.parent,
  status: entry.status,
  name: entry.name,
})

/** Entries are handed out as they are (a StoredDoc with an extra `seq`): no copy per read. */
const toDoc = <T>(entry: Entry | undefined): StoredDoc<T> | undefined => entry as StoredDoc<T> | undefined

export class CachedTx implements Tx {
  private readonly kinds = new Map<DocKind, KindCache>()
  private readonly memo = new Map<string, StoredDoc | null>()

  /** Number of writes (puts, deletes, sequence draws) made through this cache: 0 = the pass changed nothing. */
  writes = 0

  constructor(private readonly base: Tx) {}

  private readonly writeBack = new Map<string, {kind: DocKind; id: string; body: unknown; index: DocIndex}>()

  private cache(kind: DocKind): KindCache {
    let cache = this.kinds.get(kind)
    if (!cache) {
      const partial = PARTIAL_LOAD[kind]
      const rows = partial ? [] : this.base.list(kind, {shared: true})
      this.kinds.set(kind, (cache = new KindCache(rows, partial ? new Set(partial) : undefined, true)))
    }
    return cache
  }

  /**
   * Make memory answer `query` if it can: for a lazily loaded kind and a query within its loadable statuses, load
   * the documents of the query's key (or all of them) that are not in memory yet. Returns whether memory answers.
   */
  private ensureLoaded(kind: DocKind, cache: KindCache, query: DocQuery): boolean {
    if (cache.answers(query)) return true
    if (!cache.lazy || !cache.withinLoadable(query)) return false
    const key = KindCache.keyOf(query)
    const field = key === undefined ? undefined : (key.slice(0, key.indexOf('\u0000')) as Field)
    const rows = this.base.list(kind, {
      ...(field ? {[field]: query[field]} : {}),
      statusIn: [...cache.lazy],
      shared: true,
    })
    for (const row of rows) if (!cache.docs.has(row.id) && !cache.deleted.has(row.id)) cache.adopt(row, true)
    if (key === undefined) cache.allLoaded = true
    else cache.loadedKeys.add(key)
    return true
  }

  get<T>(kind: DocKind, id: string): StoredDoc<T> | undefined {
    if (CACHED_KINDS.has(kind)) {
      const cache = this.cache(kind)
      const hit = cache.docs.get(id)
      if (hit || !cache.lazy || cache.deleted.has(id)) return toDoc<T>(hit)
      const row = this.base.get(kind, id)
      return row ? toDoc<T>(cache.adopt(row)) : undefined
    }
    if (WRITE_BACK_KINDS.has(kind)) {
      const key = `${kind}\u0000${id}`
      const pending = this.writeBack.get(key)
      if (pending) return {kind, id, body: pending.body, ...pending.index} as StoredDoc<T>
    }
    if (MEMO_KINDS.has(kind) || WRITE_BACK_KINDS.has(kind)) {
      const key = `${kind}\u0000${id}`
      if (!this.memo.has(key)) this.memo.set(key, this.base.get(kind, id) ?? null)
      return (this.memo.get(key) ?? undefined) as StoredDoc<T> | undefined
    }
    return this.base.get<T>(kind, id)
  }

  peek<T>(kind: DocKind, id: string): StoredDoc<T> | undefined {
    const doc = this.get<T>(kind, id)
    return doc instanceof Entry ? sharedView<T>(doc) : doc
  }

  list<T>(kind: DocKind, query: DocQuery = {}): Array<StoredDoc<T>> {
    if (!CACHED_KINDS.has(kind)) return this.base.list<T>(kind, query)
    const cache = this.cache(kind)
    if (query.shared && this.ensureLoaded(kind, cache, query)) {
      // Read-only caller: the entries' bodies as they are (no copy-on-read).
      return cache.list(query).map((entry) => sharedView<T>(entry))
    }
    if (this.ensureLoaded(kind, cache, query)) return cache.list(query) as unknown as Array<StoredDoc<T>>
    // Merge the base store's answer with memory: memory's version wins; deleted documents are dropped.
    const out: StoredDoc[] = []
    const seen = new Set<string>()
    for (const row of this.base.list(kind, {...query, limit: undefined})) {
      seen.add(row.id)
      if (cache.deleted.has(row.id)) continue
      const mine = cache.docs.get(row.id)
      if (mine) {
        if (matches(mine, query)) out.push(mine)
      } else out.push(cache.adopt(row))
    }
    for (const entry of cache.list({...query, limit: undefined})) if (!seen.has(entry.id)) out.push(entry)
    // The order the base store will have after flush: rowids (documents new in this pass last).
    ;(out as Entry[]).sort((x, y) => (query.newestFirst ? y.seq - x.seq : x.seq - y.seq))
    return (query.limit !== undefined ? out.slice(0, Math.max(0, query.limit)) : out) as Array<StoredDoc<T>>
  }

  /**
   * Documents like `list`, for READING ONLY: each body may be shared with the store's cache (no copy is taken);
   * never mutate it, and take `list`/`get` documents to change and `put`.
   */
  peekList<T>(kind: DocKind, query: DocQuery = {}): Array<{id: string; body: T}> {
    if (!CACHED_KINDS.has(kind)) return this.list<T>(kind, query)
    const cache = this.cache(kind)
    if (!this.ensureLoaded(kind, cache, query)) return this.list<T>(kind, query)
    return cache.list(query).map((entry) => ({id: entry.id, body: entry.peek() as T}))
  }

  count(kind: DocKind, query: DocQuery = {}): number {
    if (!CACHED_KINDS.has(kind)) return this.base.count(kind, query)
    return this.list(kind, {...query, limit: undefined}).length
  }

  put<T>(kind: DocKind, id: string, body: T, index: DocIndex = {}): void {
    this.writes++
    if (WRITE_BACK_KINDS.has(kind)) {
      this.writeBack.set(`${kind}\u0000${id}`, {kind, id, body, index})
      return
    }
    if (!CACHED_KINDS.has(kind)) {
      this.memo.delete(`${kind}\u0000${id}`)
      this.base.put(kind, id, body, index)
      return
    }
    const cache = this.cache(kind)
    cache.put({kind, id, body, cluster: index.cluster, parent: index.parent, status: index.status, name: index.name})
    cache.dirty.add(id)
    cache.deleted.delete(id)
  }

  delete(kind: DocKind, id: string): void {
    this.writes++
    if (WRITE_BACK_KINDS.has(kind)) this.writeBack.delete(`${kind}\u0000${id}`)
    if (!CACHED_KINDS.has(kind)) {
      this.memo.delete(`${kind}\u0000${id}`)
      this.base.delete(kind, id)
      return
    }
    const cache = this.cache(kind)
    cache.remove(id)
    cache.dirty.delete(id)
    cache.deleted.add(id)
  }

  /** From the base store: changes not flushed yet are not seen (the reconciler asks only after an idle pass). */
  earliestDue(kind: DocKind): number | undefined {
    return this.base.earliestDue(kind)
  }

  nextSequence(key: string): number {
    this.writes++
    return this.base.nextSequence(key)
  }

  /** Write every changed document and every deletion to the base transaction. */
  flush(): void {
    for (const {kind, id, body, index} of this.writeBack.values()) this.base.put(kind, id, body, index)
    this.writeBack.clear()
    for (const [kind, cache] of this.kinds) {
      for (const id of cache.deleted) this.base.delete(kind, id)
      cache.deleted.clear()
      const dirty = [...cache.dirty].map((id) => cache.docs.get(id)).filter((e): e is Entry => e !== undefined)
      dirty.sort((a, b) => a.seq - b.seq)
      for (const doc of dirty)
        this.base.put(kind, doc.id, doc.body, {
          cluster: doc.cluster,
          parent: doc.parent,
          status: doc.status,
          name: doc.name,
        })
      cache.dirty.clear()
    }
  }
}
