/**
 * A write-back cache over a transaction, for the reconciler: the documents of the busy kinds (tasks, services,
 * instances) are read once, served from memory, and only their final state is written at `flush()`. Catching up a
 * long idle period replays thousands of transitions; without the cache each would be a SQLite read + JSON parse +
 * write, and documents created and purged within the same pass would be written for nothing.
 *
 * Bodies are shared by reference between `get`/`list` callers (as with any in-memory store): mutate, then `put`.
 */
import type {DocIndex, DocKind, DocQuery, StoredDoc, Tx} from './context.js'

const CACHED_KINDS: ReadonlySet<DocKind> = new Set<DocKind>(['task', 'service', 'instance'])

function matches(doc: StoredDoc, query: DocQuery): boolean {
  if (query.cluster !== undefined && doc.cluster !== query.cluster) return false
  if (query.parent !== undefined && doc.parent !== query.parent) return false
  if (query.status !== undefined && doc.status !== query.status) return false
  if (query.name !== undefined && doc.name !== query.name) return false
  if (query.statusIn !== undefined && (doc.status === undefined || !query.statusIn.includes(doc.status))) return false
  return true
}

export class CachedTx implements Tx {
  /** kind → id → document, in the base store's row order (inserts append, as SQLite rowids do). */
  private readonly docs = new Map<DocKind, Map<string, StoredDoc>>()
  private readonly dirty = new Map<DocKind, Set<string>>()
  private readonly deleted = new Map<DocKind, Set<string>>()
  /** cluster ARN → ids, per kind (most lists are per cluster). */
  private readonly byCluster = new Map<DocKind, Map<string, Set<string>>>()

  constructor(private readonly base: Tx) {}

  private load(kind: DocKind): Map<string, StoredDoc> {
    let map = this.docs.get(kind)
    if (!map) {
      map = new Map()
      const clusters = new Map<string, Set<string>>()
      for (const doc of this.base.list(kind)) {
        map.set(doc.id, doc)
        if (doc.cluster !== undefined) {
          const set = clusters.get(doc.cluster) ?? new Set()
          set.add(doc.id)
          clusters.set(doc.cluster, set)
        }
      }
      this.docs.set(kind, map)
      this.byCluster.set(kind, clusters)
      this.dirty.set(kind, new Set())
      this.deleted.set(kind, new Set())
    }
    return map
  }

  get<T>(kind: DocKind, id: string): StoredDoc<T> | undefined {
    if (!CACHED_KINDS.has(kind)) return this.base.get<T>(kind, id)
    return this.load(kind).get(id) as StoredDoc<T> | undefined
  }

  list<T>(kind: DocKind, query: DocQuery = {}): Array<StoredDoc<T>> {
    if (!CACHED_KINDS.has(kind)) return this.base.list<T>(kind, query)
    const map = this.load(kind)
    const out: Array<StoredDoc<T>> = []
    if (query.limit !== undefined && query.limit <= 0) return out
    if (query.cluster !== undefined) {
      const ids = this.byCluster.get(kind)?.get(query.cluster)
      if (!ids) return out
      // Keep row order: walk the kind's map when the cluster holds most of it, else sort the ids by map order.
      for (const doc of map.values()) {
        if (!ids.has(doc.id)) continue
        if (matches(doc, query)) out.push(doc as StoredDoc<T>)
        if (query.limit !== undefined && out.length >= query.limit) break
      }
      return out
    }
    for (const doc of map.values()) {
      if (matches(doc, query)) out.push(doc as StoredDoc<T>)
      if (query.limit !== undefined && out.length >= query.limit) break
    }
    return out
  }

  count(kind: DocKind, query: DocQuery = {}): number {
    if (!CACHED_KINDS.has(kind)) return this.base.count(kind, query)
    return this.list(kind, {...query, limit: undefined}).length
  }

  put<T>(kind: DocKind, id: string, body: T, index: DocIndex = {}): void {
    if (!CACHED_KINDS.has(kind)) {
      this.base.put(kind, id, body, index)
      return
    }
    const map = this.load(kind)
    const previous = map.get(id)
    const doc: StoredDoc = {kind, id, body, ...index}
    map.set(id, doc)
    const clusters = this.byCluster.get(kind) as Map<string, Set<string>>
    if (previous?.cluster !== undefined && previous.cluster !== index.cluster) clusters.get(previous.cluster)?.delete(id)
    if (index.cluster !== undefined) {
      const set = clusters.get(index.cluster) ?? new Set()
      set.add(id)
      clusters.set(index.cluster, set)
    }
    this.dirty.get(kind)?.add(id)
    this.deleted.get(kind)?.delete(id)
  }

  delete(kind: DocKind, id: string): void {
    if (!CACHED_KINDS.has(kind)) {
      this.base.delete(kind, id)
      return
    }
    const map = this.load(kind)
    const previous = map.get(id)
    map.delete(id)
    if (previous?.cluster !== undefined) this.byCluster.get(kind)?.get(previous.cluster)?.delete(id)
    this.dirty.get(kind)?.delete(id)
    this.deleted.get(kind)?.add(id)
  }

  nextSequence(key: string): number {
    return this.base.nextSequence(key)
  }

  /** Write every changed document and every deletion to the base transaction. */
  flush(): void {
    for (const [kind, ids] of this.deleted) {
      for (const id of ids) this.base.delete(kind, id)
      ids.clear()
    }
    for (const [kind, ids] of this.dirty) {
      const map = this.docs.get(kind)
      for (const id of ids) {
        const doc = map?.get(id)
        if (doc) this.base.put(kind, id, doc.body, {cluster: doc.cluster, parent: doc.parent, status: doc.status, name: doc.name})
      }
      ids.clear()
    }
  }
}
