/**
 * The reconciler's queues: a binary min-heap of task and service due times (ties in insertion order), and a sorted
 * line for purge times.
 */

/** A queued due time: a task's next transition, or a service controller run. */
export type Item = {at: number; kind: 'task' | 'service'; id: string}

/**
 * Purge times: stoppedAt + a constant retention, so they arrive (almost) in order. A sorted line with a moving head
 * is much cheaper than the heap for the hundreds of purges pending during a long catch-up.
 */
export class PurgeLine {
  private readonly times: number[] = []
  private readonly ids: string[] = []
  private head = 0

  push(at: number, id: string): void {
    let i = this.times.length
    this.times.push(at)
    this.ids.push(id)
    // Keep sorted (insertion from the back: nearly always already in place).
    while (i > this.head && this.times[i - 1] > at) {
      this.times[i] = this.times[i - 1]
      this.ids[i] = this.ids[i - 1]
      i--
    }
    this.times[i] = at
    this.ids[i] = id
  }

  peekAt(): number | undefined {
    return this.head < this.times.length ? this.times[this.head] : undefined
  }

  shift(): string | undefined {
    if (this.head >= this.times.length) return undefined
    const id = this.ids[this.head++]
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head)
      this.ids.splice(0, this.head)
      this.head = 0
    }
    return id
  }
}

/** A binary min-heap on (at, insertion order). */
export class Agenda {
  private readonly items: Array<Item & {seq: number}> = []
  private seq = 0

  push(item: Item): void {
    const entry = {...item, seq: this.seq++}
    const a = this.items
    a.push(entry)
    let i = a.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.less(a[parent], a[i])) break
      ;[a[parent], a[i]] = [a[i], a[parent]]
      i = parent
    }
  }

  peek(): Item | undefined {
    return this.items[0]
  }

  pop(): Item | undefined {
    const a = this.items
    if (a.length === 0) return undefined
    const top = a[0]
    const last = a.pop() as Item & {seq: number}
    if (a.length > 0) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && this.less(a[l], a[m])) m = l
        if (r < a.length && this.less(a[r], a[m])) m = r
        if (m === i) break
        ;[a[m], a[i]] = [a[i], a[m]]
        i = m
      }
    }
    return top
  }

  private less(x: Item & {seq: number}, y: Item & {seq: number}): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq)
  }
}
