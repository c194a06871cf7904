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
 * most MAX_EVENTS_PER_PASS events, and a same-instant loop guard (a service woken more than MAX_RUNS_PER_INSTANT times
 * at one instant is deferred by 1 ms), so a pathological workload cannot hang a call.
 */
import {CachedTx} from './cached-tx.js'
import type {EngineContext} from './context.js'
import {advanceTask, type TaskDoc} from './lifecycle.js'
import {afterTransition, type ServiceDoc, type Wakeups} from './runtime.js'
import {runServiceController} from './scheduler.js'

const CURSOR_KEY = 'reconcile-cursor'
/** Upper bound on queue events handled by one pass (a day of a 5-second crash loop is ~60 000). */
export const MAX_EVENTS_PER_PASS = 2_000_000
const MAX_RUNS_PER_INSTANT = 50

type Item = {at: number; kind: 'task' | 'purge' | 'service'; id: string}

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

export function reconcile(ctx: EngineContext): void {
  const cache = new CachedTx(ctx.tx)
  const rctx: EngineContext = {...ctx, tx: cache}
  const cursor = ctx.tx.get<CursorDoc>('meta', CURSOR_KEY)?.body.at
  const start = cursor !== undefined && cursor <= ctx.now ? cursor : ctx.now
  const agenda = new Agenda()
  /** cluster ARN → services waiting for capacity. */
  const waiting = new Map<string, Set<string>>()

  const wake: Wakeups = {
    task(task: TaskDoc) {
      const sim = task._sim
      if (sim.nextAt !== undefined) agenda.push({at: Math.max(sim.nextAt, start), kind: 'task', id: task.taskArn as string})
      if (sim.purgeAt !== undefined) agenda.push({at: Math.max(sim.purgeAt, start), kind: 'purge', id: task.taskArn as string})
    },
    service(serviceArn: string, at: number) {
      agenda.push({at: Math.max(at, start), kind: 'service', id: serviceArn})
    },
    capacityFreed(clusterArn: string, at: number) {
      for (const serviceArn of waiting.get(clusterArn) ?? []) agenda.push({at, kind: 'service', id: serviceArn})
    },
  }

  for (const doc of cache.list<TaskDoc>('task')) if (doc.body._sim) wake.task(doc.body)
  for (const doc of cache.list<ServiceDoc>('service')) {
    const service = doc.body
    if (!service._engine) continue
    if (service.status === 'INACTIVE') {
      if (service._engine.purgeAt !== undefined) agenda.push({at: Math.max(service._engine.purgeAt, start), kind: 'service', id: doc.id})
      continue
    }
    agenda.push({at: start, kind: 'service', id: doc.id})
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

  let events = 0
  const runsAtInstant = new Map<string, number>()
  let instant = Number.NEGATIVE_INFINITY
  while (events < MAX_EVENTS_PER_PASS) {
    const head = agenda.peek()
    if (!head || head.at > ctx.now) break
    const t = head.at
    if (t !== instant) {
      instant = t
      runsAtInstant.clear()
    }
    const dueServices = new Set<string>()
    while (agenda.peek()?.at === t) {
      const item = agenda.pop() as Item
      events++
      if (item.kind === 'service') {
        dueServices.add(item.id)
        continue
      }
      const doc = cache.get<TaskDoc>('task', item.id)
      if (!doc) continue
      const task = doc.body
      if (item.kind === 'purge') {
        if (task.lastStatus === 'STOPPED' && task._sim.purgeAt !== undefined && task._sim.purgeAt <= t) cache.delete('task', item.id)
        continue
      }
      if (task._sim.nextAt !== t) continue // stale entry
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
        cache.put('service', arn, service, {cluster: service.clusterArn, status: service.status, name: service.serviceName})
        agenda.push({at: service._engine.purgeAt, kind: 'service', id: arn})
      }
      noteWaiting(service)
    }
  }

  cache.flush()
  ctx.tx.put<CursorDoc>('meta', CURSOR_KEY, {at: ctx.now})
}
