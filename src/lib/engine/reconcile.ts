/**
 * Catch the whole store up to `ctx.now` (architecture "Time"): a deterministic discrete-event simulation.
 *
 * Every task records the next time it changes by itself (`_sim.nextAt`), every stopped task its purge time, every
 * service the next time its controller must run (throttle end, grace end, 6-hour steady re-announcement). The pass
 * puts these in a priority queue and jumps from one due time to the next — never stepping through idle time —
 * applying task transitions, then running the controllers of the services they woke, which may queue new events.
 *
 * First of all, every ACTIVE/DRAINING service's controller runs at the time of the previous call (the cursor): the
 * operation that ran then (an instance drained, registered or killed, a task stopped) may call for scheduler action
 * that no task event would trigger.
 *
 * The pass works on a write-back cache of the task/service/instance documents (./cached-tx.ts) and is bounded: at
 * most reconcileLimits.maxEventsPerPass events, and a same-instant loop guard (a service woken more than MAX_RUNS_PER_INSTANT times
 * at one instant is deferred by 1 ms), so a pathological workload cannot hang a call.
 */
import {CachedTx} from './cached-tx.js'
import {PeriodDetector} from './fast-forward.js'
import type {EngineContext} from './context.js'
import {EVENT_SUPPRESSION_MS} from './events.js'
import {advanceTask, type TaskDoc} from './lifecycle.js'
import {afterTransition, newPassState, type ServiceDoc, type Wakeups} from './runtime.js'
import {duePurges, prunePurges} from './purge-queue.js'
import {runServiceController, UNSTOPPED_STATUSES} from './scheduler.js'

const CURSOR_KEY = 'reconcile-cursor'
/**
 * Upper bound on queue events handled by one pass (a day of a 5-second crash loop is ~60 000 without fast-forward,
 * ~3 000 with it). Past the bound the pass stops; what is left is found again from the documents by the next call
 * and handled at that call's start time (simulated time compresses instead of a call taking unbounded time).
 */
export const reconcileLimits = {maxEventsPerPass: 250_000}
const MAX_RUNS_PER_INSTANT = 50
/** Fast-forward is only considered while more than this (plus the stopped-task retention) remains to catch up. */
const FAST_FORWARD_MIN_GAP_MS = 10 * 60_000

type Item = {at: number; kind: 'task' | 'service'; id: string}

/**
 * Purge times: stoppedAt + a constant retention, so they arrive (almost) in order. A sorted line with a moving head
 * is much cheaper than the heap for the hundreds of purges pending during a long catch-up.
 */
class PurgeLine {
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
class Agenda {
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

interface CursorDoc {
  at: number
}

/** What a pass found (for the facade's skip of passes with nothing to do; see engine.ts). */
export interface ReconcileOutcome {
  /**
   * The pass changed no document (only the cursor moved): the controllers it ran at the cursor and every event it
   * handled were no-ops.
   */
  idle: boolean
  /**
   * Only for an idle pass: the earliest time at which a later pass could have something to do by itself (a task's or
   * service's due time, a purge, a throttle end, a suppressed event's expiry). +Infinity = nothing ever.
   */
  nextDueAt: number
}

export interface ReconcileOptions {
  /**
   * Tests: find due tasks by reading every unstopped task (and load them all into the cache) instead of the indexed
   * `due` query and lazy loading — the reference the incremental pass is checked against.
   */
  fullScan?: boolean
}

export function reconcile(ctx: EngineContext, options: ReconcileOptions = {}): ReconcileOutcome {
  const cache = new CachedTx(ctx.tx)
  const rctx: EngineContext = {...ctx, tx: cache}
  const cursor = ctx.tx.get<CursorDoc>('meta', CURSOR_KEY)?.body.at
  const start = cursor !== undefined && cursor <= ctx.now ? cursor : ctx.now
  let agenda = new Agenda()
  const purges = new PurgeLine()
  /** cluster ARN → services waiting for capacity. */
  const waiting = new Map<string, Set<string>>()

  // Last time queued per (kind, id): an unchanged due time is not queued twice.
  const queuedTask = new Map<string, number>()
  const queuedPurge = new Map<string, number>()
  const queuedService = new Map<string, number>()
  let now = start
  const wake: Wakeups = {
    pass: {...newPassState(), copyTasks: options.fullScan === true},
    task(task: TaskDoc) {
      const sim = task._sim
      const id = task.taskArn as string
      if (sim.nextAt !== undefined && queuedTask.get(id) !== sim.nextAt) {
        queuedTask.set(id, sim.nextAt)
        agenda.push({at: Math.max(sim.nextAt, start), kind: 'task', id})
      }
      if (sim.purgeAt !== undefined && queuedPurge.get(id) !== sim.purgeAt) {
        queuedPurge.set(id, sim.purgeAt)
        purges.push(Math.max(sim.purgeAt, start), id)
      }
    },
    service(serviceArn: string, at: number) {
      const time = Math.max(at, start)
      const queued = queuedService.get(serviceArn)
      // Already queued for an earlier (still pending) or the same time: that run will reschedule itself.
      if (queued !== undefined && queued >= now && queued <= time) return
      queuedService.set(serviceArn, time)
      agenda.push({at: time, kind: 'service', id: serviceArn})
    },
    capacityFreed(clusterArn: string, at: number) {
      for (const serviceArn of waiting.get(clusterArn) ?? []) wake.service(serviceArn, at)
    },
  }

  const enqueueAll = (at: number): void => {
    for (const doc of cache.peekList<TaskDoc>('task', {statusIn: UNSTOPPED_STATUSES}))
      if (doc.body._sim) wake.task(doc.body)
    for (const doc of cache.list<ServiceDoc>('service', {statusIn: ['ACTIVE', 'DRAINING']})) {
      if (!doc.body._engine) continue
      wake.service(doc.id, at)
      if (doc.body._engine.nextAt !== undefined) wake.service(doc.id, doc.body._engine.nextAt)
    }
  }
  // Only tasks due by now can change in this pass by themselves (one indexed query, in rowid order: the order a
  // scan of every unstopped task would queue them in). Tasks the pass changes otherwise are queued as it does.
  if (options.fullScan) {
    for (const doc of cache.peekList<TaskDoc>('task', {statusIn: UNSTOPPED_STATUSES}))
      if (doc.body._sim) wake.task(doc.body)
  } else {
    for (const {id} of ctx.tx.list('task', {dueAtMost: ctx.now, statusIn: UNSTOPPED_STATUSES, keysOnly: true})) {
      const task = cache.get<TaskDoc>('task', id)?.body
      if (task?._sim) wake.task(task)
    }
  }
  const purged = new Set<string>()
  for (const [at, id] of duePurges(rctx, ctx.now)) purges.push(Math.max(at, start), id)
  for (const doc of cache.list<ServiceDoc>('service')) {
    const service = doc.body
    if (!service._engine) continue
    if (service.status === 'INACTIVE') {
      if (service._engine.purgeAt !== undefined)
        agenda.push({at: Math.max(service._engine.purgeAt, start), kind: 'service', id: doc.id})
      continue
    }
    wake.service(doc.id, start)
    if (service._engine.nextAt !== undefined) wake.service(doc.id, service._engine.nextAt)
  }

  const noteWaiting = (service: ServiceDoc): void => {
    const cluster = service.clusterArn as string
    const set = waiting.get(cluster) ?? new Set()
    if (service._engine.waitingForCapacity && service.status === 'ACTIVE') set.add(service.serviceArn as string)
    else set.delete(service.serviceArn as string)
    waiting.set(cluster, set)
  }
  for (const doc of cache.list<ServiceDoc>('service', {status: 'ACTIVE'})) if (doc.body._engine) noteWaiting(doc.body)

  const detector = new PeriodDetector(rctx)
  let events = 0
  const runsAtInstant = new Map<string, number>()
  let instant = Number.NEGATIVE_INFINITY
  while (events < reconcileLimits.maxEventsPerPass) {
    const head = agenda.peek()
    const purgeAt = purges.peekAt()
    const t = Math.min(head?.at ?? Number.POSITIVE_INFINITY, purgeAt ?? Number.POSITIVE_INFINITY)
    if (!(t <= ctx.now)) break
    now = t
    if (t !== instant) {
      instant = t
      runsAtInstant.clear()
    }
    const dueServices = new Set<string>()
    while (purges.peekAt() === t) {
      const id = purges.shift() as string
      events++
      const doc = cache.get<TaskDoc>('task', id)
      const task = doc?.body
      if (!task || (task.lastStatus === 'STOPPED' && task._sim.purgeAt !== undefined && task._sim.purgeAt <= t)) {
        if (task) cache.delete('task', id)
        purged.add(id)
      }
    }
    while (agenda.peek()?.at === t) {
      const item = agenda.pop() as Item
      events++
      if (item.kind === 'service') {
        if (queuedService.get(item.id) === t) queuedService.delete(item.id)
        dueServices.add(item.id)
        continue
      }
      const doc = cache.get<TaskDoc>('task', item.id)
      if (!doc) continue
      const task = doc.body
      // Stale entry? (A due time before this pass's start was queued at the start.)
      if (task._sim.nextAt === undefined || Math.max(task._sim.nextAt, start) !== t) continue
      queuedTask.delete(item.id)
      const report = advanceTask(task, t)
      afterTransition(rctx, task, report, wake, t)
    }
    const ordered = [...dueServices].sort()
    for (const arn of ordered) {
      const doc = cache.get<ServiceDoc>('service', arn)
      if (!doc?.body._engine) continue
      const service = doc.body
      if (service.status === 'INACTIVE') {
        if (service._engine.purgeAt !== undefined && service._engine.purgeAt <= t) cache.delete('service', arn)
        continue
      }
      const runs = (runsAtInstant.get(arn) ?? 0) + 1
      runsAtInstant.set(arn, runs)
      if (runs > MAX_RUNS_PER_INSTANT) {
        agenda.push({at: t + 1, kind: 'service', id: arn})
        continue
      }
      runServiceController(rctx, service, t, wake)
      if (service.status === 'INACTIVE' && service._engine.purgeAt === undefined) {
        service._engine.purgeAt = t + ctx.settings.stoppedTaskRetentionMs
        cache.put('service', arn, service, {
          cluster: service.clusterArn,
          status: service.status,
          name: service.serviceName,
        })
        agenda.push({at: service._engine.purgeAt, kind: 'service', id: arn})
      }
      noteWaiting(service)
    }
    // Long catch-up: skip whole periods of periodic behaviour (crash loops, throttled retries).
    const pass = wake.pass as NonNullable<Wakeups['pass']>
    const launched = pass.launched
    pass.launched = false
    if (launched && ctx.now - t > FAST_FORWARD_MIN_GAP_MS + ctx.settings.stoppedTaskRetentionMs) {
      const delta = detector.observe(t)
      if (delta > 0) {
        agenda = new Agenda()
        queuedTask.clear()
        queuedService.clear()
        now = t + delta
        enqueueAll(t + delta)
      }
    }
  }

  if (purged.size > 0) prunePurges(rctx, (arn) => purged.has(arn))
  const idle = cache.writes === 0 && purged.size === 0 && events < reconcileLimits.maxEventsPerPass
  const nextDueAt = idle ? earliestDue(cache, rctx, options.fullScan === true) : Number.NEGATIVE_INFINITY
  cache.flush()
  ctx.tx.put<CursorDoc>('meta', CURSOR_KEY, {at: ctx.now})
  return {idle, nextDueAt}
}

/** Move the cursor to `ctx.now` without a pass (the facade's skip: nothing is due, see engine.ts). */
export function moveCursor(ctx: EngineContext): void {
  ctx.tx.put<CursorDoc>('meta', CURSOR_KEY, {at: ctx.now})
}

/**
 * The earliest time anything the next pass reads from the documents could be due: every unstopped task's next
 * transition and purge time, every queued purge, every service's controller time, INACTIVE purge, throttle end and
 * suppressed-event expiry. Conservative: an earlier time than needed only costs a full pass.
 */
function earliestDue(cache: CachedTx, ctx: EngineContext, fullScan: boolean): number {
  let due = Number.POSITIVE_INFINITY
  const note = (at: number | undefined): void => {
    if (at !== undefined && at < due) due = at
  }
  if (fullScan) {
    for (const doc of cache.peekList<TaskDoc>('task', {statusIn: UNSTOPPED_STATUSES})) {
      note(doc.body._sim?.nextAt)
      note(doc.body._sim?.purgeAt)
    }
  } else {
    // Unstopped tasks: min(nextAt, purgeAt) is their indexed `due` column (due.ts).
    note(cache.earliestDue('task'))
  }
  for (const [at] of duePurges(ctx, Number.POSITIVE_INFINITY)) note(at)
  // INACTIVE container instances are purged (engine.ts, purgeInactiveInstances) after their retention.
  for (const doc of cache.peekList<{_engine?: {deregisteredAt?: number}}>('instance', {status: 'INACTIVE'})) {
    note((doc.body._engine?.deregisteredAt ?? 0) + ctx.settings.inactiveInstanceRetentionMs)
  }
  for (const doc of cache.peekList<ServiceDoc>('service')) {
    const state = doc.body._engine
    if (!state) continue
    note(state.purgeAt)
    note(state.nextAt)
    note(state.throttle?.nextLaunchAt)
    for (const entry of Object.values(state.events?.suppress ?? {})) if (entry) note(entry.at + EVENT_SUPPRESSION_MS)
  }
  return due
}
