/**
 * Candidates grouped by a numeric key (remaining memory, a task count …), with the distinct keys kept sorted, so
 * "the smallest key ≥ x" is a binary search and moving a candidate to a new key is O(1) plus an occasional splice
 * of the key array. Several instances may share the `keyOf`/`posOf` arrays when every candidate belongs to at
 * most one of them (per-AZ indexes).
 */
export class SortedBuckets {
  /** Distinct keys, ascending. */
  readonly keys: number[] = []
  private readonly buckets = new Map<number, number[]>()

  constructor(
    private readonly keyOf: Float64Array,
    private readonly posOf: Int32Array,
  ) {}

  /** Smallest position k with keys[k] ≥ key (keys.length when none). */
  lowerBound(key: number): number {
    let lo = 0
    let hi = this.keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.keys[mid] < key) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Candidates with the k-th smallest key (do not mutate). */
  bucketAt(k: number): number[] {
    return this.buckets.get(this.keys[k]) as number[]
  }

  contains(index: number): boolean {
    return this.posOf[index] >= 0
  }

  insert(index: number, key: number): void {
    this.keyOf[index] = key
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = []
      this.buckets.set(key, bucket)
      this.keys.splice(this.lowerBound(key), 0, key)
    }
    this.posOf[index] = bucket.length
    bucket.push(index)
  }

  remove(index: number): void {
    const key = this.keyOf[index]
    const bucket = this.buckets.get(key) as number[]
    const position = this.posOf[index]
    const last = bucket.pop() as number
    if (last !== index) {
      bucket[position] = last
      this.posOf[last] = position
    }
    this.posOf[index] = -1
    if (bucket.length === 0) {
      this.buckets.delete(key)
      this.keys.splice(this.lowerBound(key), 1)
    }
  }

  /** Move a member to a new key (no-op for non-members). */
  update(index: number, key: number): void {
    if (this.posOf[index] < 0 || this.keyOf[index] === key) return
    this.remove(index)
    this.insert(index, key)
  }
}

export const newPositions = (size: number): Int32Array => new Int32Array(size).fill(-1)
