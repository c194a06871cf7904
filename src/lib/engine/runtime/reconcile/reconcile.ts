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
 * The pass works on a write-back cache of the task/service/instance documents (store/cached-tx.ts) and is bounded:
 * at most reconcileLimits.maxEventsPerPass events, and a same-instant loop guard (a service woken more than
 * MAX_RUNS_PER_INSTANT times at one instant is deferred by 1 ms), so a pathological workload cannot hang a call.
 *
 * The speed-ups live here, each next to the reference it is property-tested against
 * (test/lib/engine/runtime/reconcile/):
 *   - due tasks from the store's indexed `due` column (store/due.ts)  vs  `fullScan` (read every unstopped task);
 *   - fast-forward over periodic behaviour (./fast-forward.ts)        vs  `fastForwardOptions.enabled = false`;
 *   - the facade skipping a pass while nothing is due (./skip.ts)     vs  `alwaysReconcile` (engine.ts option).
 */
import type {EngineContext} from '../../context.js'
import type {ServiceDoc, StoredInstance, TaskDoc} from '../../model/documents.js'
import {UNSTOPPED_STATUSES} from '../../model/tasks.js'
import {CachedTx} from '../../store/cached-tx.js'
import {EVENT_SUPPRESSION_MS} from '../events.js'
import {advanceTask} from '../lifecycle.js'
import {duePurges, prunePurges} from '../purge-queue.js'
import {runServiceController} from '../scheduler.js'
import {afterTransition, newPassState, type Wakeups} from '../transitions.js'
import {Agenda, type Item, PurgeLine} from './agenda.js'
import {PeriodDetector} from './fast-forward.js'

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
  const pass = new ReconcilePass(ctx, options)
  pass.seed()
  pass.run()
  return pass.finish()
}

/** One reconcile pass: its queues, what it has queued, and the write-back cache it works on. */
class ReconcilePass {
  private readonly cache: CachedTx
  private readonly rctx: EngineContext
  /** Where the pass starts: the previous call's time (the cursor), or now. */
  private readonly start: number
  private agenda = new Agenda()
  private readonly purges = new PurgeLine()
  /** cluster ARN → services waiting for capacity. */
  private readonly waiting = new Map<string, Set<string>>()
  // Last time queued per (kind, id): an unchanged due time is not queued twice.
  private readonly queuedTask = new Map<string, number>()
  private readonly queuedPurge = new Map<string, number>()
  private readonly queuedService = new Map<string, number>()
  private readonly purged = new Set<string>()
  private now: number
  private events = 0
  private readonly wake: Wakeups

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: ReconcileOptions,
  ) {
    this.cache = new CachedTx(ctx.tx)
    this.rctx = {...ctx, tx: this.cache}
    const cursor = ctx.tx.get<CursorDoc>('meta', CURSOR_KEY)?.body.at
    this.start = cursor !== undefined && cursor <= ctx.now ? cursor : ctx.now
    this.now = this.start
    this.wake = {
      pass: {...newPassState(), copyTasks: options.fullScan === true},
      task: (task) => this.queueTask(task),
      service: (serviceArn, at) => this.queueService(serviceArn, at),
      capacityFreed: (clusterArn, at) => {
        for (const serviceArn of this.waiting.get(clusterArn) ?? []) this.wake.service(serviceArn, at)
      },
    }
  }

  private queueTask(task: TaskDoc): void {
    const sim = task._sim
    const id = task.taskArn as string
    if (sim.nextAt !== undefined && this.queuedTask.get(id) !== sim.nextAt) {
      this.queuedTask.set(id, sim.nextAt)
      this.agenda.push({at: Math.max(sim.nextAt, this.start), kind: 'task', id})
    }
    if (sim.purgeAt !== undefined && this.queuedPurge.get(id) !== sim.purgeAt) {
      this.queuedPurge.set(id, sim.purgeAt)
      this.purges.push(Math.max(sim.purgeAt, this.start), id)
    }
  }

  private queueService(serviceArn: string, at: number): void {
    const time = Math.max(at, this.start)
    const queued = this.queuedService.get(serviceArn)
    // Already queued for an earlier (still pending) or the same time: that run will reschedule itself.
    if (queued !== undefined && queued >= this.now && queued <= time) return
    this.queuedService.set(serviceArn, time)
    this.agenda.push({at: time, kind: 'service', id: serviceArn})
  }

  /** Queue everything from the documents (after a fast-forward jump to `at`). */
  private enqueueAll(at: number): void {
    for (const doc of this.cache.peekList<TaskDoc>('task', {statusIn: UNSTOPPED_STATUSES}))
      if (doc.body._sim) this.wake.task(doc.body)
    for (const doc of this.cache.list<ServiceDoc>('service', {statusIn: ['ACTIVE', 'DRAINING']})) {
      if (!doc.body._engine) continue
      this.wake.service(doc.id, at)
      if (doc.body._engine.nextAt !== undefined) this.wake.service(doc.id, doc.body._engine.nextAt)
    }
  }

  /** Queue what is due: tasks due by now, pending purges, and every service (its controller runs at the cursor). */
  seed(): void {
    const {cache, ctx, start} = this
    // Only tasks due by now can change in this pass by themselves (one indexed query, in rowid order: the order a
    // scan of every unstopped task would queue them in). Tasks the pass changes otherwise are queued as it does.
    if (this.options.fullScan) {
      for (const doc of cache.peekList<TaskDoc>('task', {statusIn: UNSTOPPED_STATUSES}))
        if (doc.body._sim) this.wake.task(doc.body)
    } else {
      for (const {id} of ctx.tx.list('task', {dueAtMost: ctx.now, statusIn: UNSTOPPED_STATUSES, keysOnly: true})) {
        const task = cache.get<TaskDoc>('task', id)?.body
        if (task?._sim) this.wake.task(task)
      }
    }
    for (const [at, id] of duePurges(this.rctx, ctx.now)) this.purges.push(Math.max(at, start), id)
    for (const doc of cache.list<ServiceDoc>('service')) {
      const service = doc.body
      if (!service._engine) continue
      if (service.status === 'INACTIVE') {
        if (service._engine.purgeAt !== undefined)
          this.agenda.push({at: Math.max(service._engine.purgeAt, start), kind: 'service', id: doc.id})
        continue
      }
      this.wake.service(doc.id, start)
      if (service._engine.nextAt !== undefined) this.wake.service(doc.id, service._engine.nextAt)
    }
    for (const doc of cache.list<ServiceDoc>('service', {status: 'ACTIVE'}))
      if (doc.body._engine) this.noteWaiting(doc.body)
  }

  private noteWaiting(service: ServiceDoc): void {
    const cluster = service.clusterArn as string
    const set = this.waiting.get(cluster) ?? new Set()
    if (service._engine.waitingForCapacity && service.status === 'ACTIVE') set.add(service.serviceArn as string)
    else set.delete(service.serviceArn as string)
    this.waiting.set(cluster, set)
  }

  /** Jump from one due time to the next until now (or the event bound). */
  run(): void {
    const detector = new PeriodDetector(this.rctx)
    const runsAtInstant = new Map<string, number>()
    let instant = Number.NEGATIVE_INFINITY
    while (this.events < reconcileLimits.maxEventsPerPass) {
      const head = this.agenda.peek()
      const purgeAt = this.purges.peekAt()
      const t = Math.min(head?.at ?? Number.POSITIVE_INFINITY, purgeAt ?? Number.POSITIVE_INFINITY)
      if (!(t <= this.ctx.now)) break
      this.now = t
      if (t !== instant) {
        instant = t
        runsAtInstant.clear()
      }
      this.purgeDue(t)
      const dueServices = this.advanceDue(t)
      this.runServices(t, dueServices, runsAtInstant)
      this.fastForward(t, detector)
    }
  }

  /** Delete the stopped tasks whose purge time is `t`. */
  private purgeDue(t: number): void {
    while (this.purges.peekAt() === t) {
      const id = this.purges.shift() as string
      this.events++
      const doc = this.cache.get<TaskDoc>('task', id)
      const task = doc?.body
      if (!task || (task.lastStatus === 'STOPPED' && task._sim.purgeAt !== undefined && task._sim.purgeAt <= t)) {
        if (task) this.cache.delete('task', id)
        this.purged.add(id)
      }
    }
  }

  /** Apply the task transitions due at `t`; returns the services due at `t`. */
  private advanceDue(t: number): Set<string> {
    const dueServices = new Set<string>()
    while (this.agenda.peek()?.at === t) {
      const item = this.agenda.pop() as Item
      this.events++
      if (item.kind === 'service') {
        if (this.queuedService.get(item.id) === t) this.queuedService.delete(item.id)
        dueServices.add(item.id)
        continue
      }
      const doc = this.cache.get<TaskDoc>('task', item.id)
      if (!doc) continue
      const task = doc.body
      // Stale entry? (A due time before this pass's start was queued at the start.)
      if (task._sim.nextAt === undefined || Math.max(task._sim.nextAt, this.start) !== t) continue
      this.queuedTask.delete(item.id)
      const report = advanceTask(task, t)
      afterTransition(this.rctx, task, report, this.wake, t)
    }
    return dueServices
  }

  /** Run the controllers of the services due at `t` (in ARN order); purge INACTIVE ones after their retention. */
  private runServices(t: number, dueServices: Set<string>, runsAtInstant: Map<string, number>): void {
    const {cache} = this
    for (const arn of [...dueServices].sort()) {
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
        this.agenda.push({at: t + 1, kind: 'service', id: arn})
        continue
      }
      runServiceController(this.rctx, service, t, this.wake)
      if (service.status === 'INACTIVE' && service._engine.purgeAt === undefined) {
        service._engine.purgeAt = t + this.ctx.settings.stoppedTaskRetentionMs
        cache.put('service', arn, service, {
          cluster: service.clusterArn,
          status: service.status,
          name: service.serviceName,
        })
        this.agenda.push({at: service._engine.purgeAt, kind: 'service', id: arn})
      }
      this.noteWaiting(service)
    }
  }

  /** Long catch-up: skip whole periods of periodic behaviour (crash loops, throttled retries). */
  private fastForward(t: number, detector: PeriodDetector): void {
    const pass = this.wake.pass as NonNullable<Wakeups['pass']>
    const launched = pass.launched
    pass.launched = false
    if (launched && this.ctx.now - t > FAST_FORWARD_MIN_GAP_MS + this.ctx.settings.stoppedTaskRetentionMs) {
      const delta = detector.observe(t)
      if (delta > 0) {
        this.agenda = new Agenda()
        this.queuedTask.clear()
        this.queuedService.clear()
        this.now = t + delta
        this.enqueueAll(t + delta)
      }
    }
  }

  /** Write the cache back, move the cursor, and say whether the pass was idle (and when anything is due next). */
  finish(): ReconcileOutcome {
    const {cache, ctx, purged} = this
    if (purged.size > 0) prunePurges(this.rctx, (arn) => purged.has(arn))
    const idle = cache.writes === 0 && purged.size === 0 && this.events < reconcileLimits.maxEventsPerPass
    const nextDueAt = idle ? earliestDue(cache, this.rctx, this.options.fullScan === true) : Number.NEGATIVE_INFINITY
    cache.flush()
    ctx.tx.put<CursorDoc>('meta', CURSOR_KEY, {at: ctx.now})
    return {idle, nextDueAt}
  }
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
    // Unstopped tasks: min(nextAt, purgeAt) is their indexed `due` column (store/due.ts).
    note(cache.earliestDue('task'))
  }
  for (const [at] of duePurges(ctx, Number.POSITIVE_INFINITY)) note(at)
  // INACTIVE container instances are purged (engine.ts, purgeInactiveInstances) after their retention.
  for (const doc of cache.peekList<StoredInstance>('instance', {status: 'INACTIVE'})) {
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
