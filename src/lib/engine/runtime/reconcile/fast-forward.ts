/**
 * Fast-forward of periodic behaviour during a long catch-up. A crash-looping service (or a throttled one) repeats the
 * same cycle forever; replaying a whole idle day of it is thousands of identical task lifecycles whose traces are
 * purged long before "now". The reconciler fingerprints the live state (relative to the current instant) after each
 * instant; when a fingerprint repeats, the state is periodic with period P, and whole periods are skipped at once:
 * every pending timer is shifted by k × P and the per-period counter increments are added k times. The last
 * `stoppedTaskRetentionMs` + 2 P before "now" are always replayed for real, so everything still visible then (stopped
 * tasks, recent events, counts) is genuine.
 *
 * The fingerprint covers everything that drives future behaviour: unstopped tasks with pending timers (relative
 * times, statuses, the state of the instance they are on), every ACTIVE service (desired count, deployments,
 * effective throttle delay, short timers) and every instance's attributes and reservations — instances by state, not
 * identity, so that random tie-breaks between identical instances do not hide a repeat (the continuation is then
 * equivalent, not identical: which of two identical instances holds a task may differ from a full replay). Skips
 * never cross a long timer (a 6-hourly steady-state re-announcement) and are disabled while a deployment circuit
 * breaker is counting.
 */
import type {Deployment, ServiceEvent} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../../context.js'
import {newId} from '../../ids.js'
import type {ServiceDoc, StoredInstance, TaskDoc} from '../../model/documents.js'
import {MAX_SERVICE_EVENTS, newEventId} from '../events.js'

/** Timers further away than this are "long": excluded from fingerprints, never skipped over. */
const SHORT_TIMER_MS = 3_600_000
/** Throttle failures beyond this no longer change the retry delay (10 s × 2^7 > 15 min). */
const THROTTLE_SATURATION = 8
/** Larger moving states are not fingerprinted (the cost would exceed the gain). */
const MAX_PRINTED_TASKS = 200
const MAX_REMEMBERED = 20_000
const UNSTOPPED = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING']
const INSTANCE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']

/** Switch (tests compare against full replay) and a count of skips performed, for tests and benchmarks. */
export const fastForwardOptions = {enabled: true, skips: 0, observations: 0, skippedMs: 0}

interface Counters {
  throttle: Map<string, number>
  failedTasks: Map<string, number>
}

interface Observation {
  at: number
  counters: Counters
}

const rel = (value: number | undefined, t: number): string => (value === undefined ? '-' : String(value - t))
const relDate = (value: Date | undefined, t: number): string =>
  value instanceof Date ? String(value.getTime() - t) : '-'

/** Attribute lists change rarely (PutAttributes): their sorted print is memoised by list identity. */
const attributePrints = new WeakMap<object, string>()
function attributesPrint(attributes: Array<{name?: string; value?: string}>): string {
  let print = attributePrints.get(attributes)
  if (print === undefined) {
    print = attributes
      .map((a) => `${a.name}=${a.value ?? ''}`)
      .sort()
      .join(',')
    attributePrints.set(attributes, print)
  }
  return print
}

function taskPrint(task: TaskDoc, t: number, instancePrints: Map<string, string>): string {
  const sim = task._sim
  const where = task.containerInstanceArn
    ? (instancePrints.get(task.containerInstanceArn) ?? task.containerInstanceArn)
    : (task.availabilityZone ?? '')
  const head =
    `${sim.serviceArn ?? ''}|${sim.deploymentId ?? ''}|${task.group}|${where}|` +
    `${task.lastStatus}|${task.desiredStatus}|${task.healthStatus}|${sim.reserved}`
  const containers = sim.containers
    .map(
      (c) =>
        `${rel(c.runningAt, t)},${rel(c.exitedAt, t)},${c.exitCode ?? ''},${rel(c.healthyAt, t)},${rel(c.unhealthyAt, t)}`,
    )
    .join(';')
  const phases = sim.stop?.phases.map((p) => `${p.status}@${rel(p.until, t)}`).join(',')
  const stop = sim.stop ? `${rel(sim.stop.at, t)},${sim.stop.code},${phases},${rel(sim.stop.stoppedAt, t)}` : '-'
  return (
    `T|${head}|${rel(sim.createdMs, t)}|${rel(sim.pendingMs, t)}|${rel(sim.activatedAt, t)}|${rel(sim.nextAt, t)}|` +
    `${relDate(task.startedAt, t)}|${containers}|${stop}`
  )
}

function deploymentPrint(d: Deployment): string {
  return `${d.id}:${d.status}:${d.rolloutState}:${d.taskDefinition}:${d.runningCount}:${d.pendingCount}:${d.desiredCount}`
}

/** The fingerprint of the state at `t`, or undefined when the state must not be skipped. */
export function fingerprint(ctx: EngineContext, t: number): string | undefined {
  const parts: string[] = []
  for (const doc of ctx.tx.list<ServiceDoc>('service', {statusIn: ['ACTIVE', 'DRAINING']})) {
    const service = doc.body
    if (service.status !== 'ACTIVE' || !service._engine) return undefined
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY')
    if (service.deploymentConfiguration?.deploymentCircuitBreaker?.enable && primary?.rolloutState === 'IN_PROGRESS')
      return undefined
    const e = service._engine
    const next = e.nextAt !== undefined && e.nextAt - t < SHORT_TIMER_MS ? rel(e.nextAt, t) : 'long'
    const deployments = (service.deployments ?? []).map(deploymentPrint).join(',')
    const failures = Math.min(e.throttle.failures, THROTTLE_SATURATION)
    parts.push(
      `S|${service.serviceArn}|${service.desiredCount}|${deployments}|${failures}|` +
        `${rel(e.throttle.nextLaunchAt, t)}|${e.waitingForCapacity}|${next}`,
    )
  }
  // Instances by state, not identity: instances with the same attributes are interchangeable, so states that differ
  // only by which of two identical instances holds a task (random tie-breaks in placement) count as repeats.
  const instancePrints = new Map<string, string>()
  const instances: string[] = []
  for (const doc of ctx.tx.list<StoredInstance>('instance', {statusIn: INSTANCE_STATUSES})) {
    const body = doc.body
    const attributes = attributesPrint(body.attributes ?? [])
    const remaining = (body.remainingResources ?? []).map((r) => `${r.name}=${r.integerValue ?? ''}`).join(',')
    const groups = Object.entries(body._engine?.taskGroups ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([g, n]) => `${g}:${n}`)
      .join(',')
    const print =
      `${attributes}|${body.status}|${body.agentConnected}|${remaining}|` +
      `${body._engine?.freeEniSlots}|${body._engine?.activeTasks}|${groups}`
    instancePrints.set(doc.id, print)
    instances.push(`I|${print}`)
  }
  instances.sort()
  parts.push(...instances)
  // Quiescent tasks (nothing scheduled) cannot change by themselves; what they hold shows in the service counts and
  // the instances' reservations below, so only tasks with pending timers are printed.
  const tasks: string[] = []
  for (const doc of ctx.tx.list<TaskDoc>('task', {statusIn: UNSTOPPED})) {
    const task = doc.body
    if (!task._sim) return undefined
    if (task._sim.nextAt === undefined) continue
    if (task._sim.nextAt - t >= SHORT_TIMER_MS) return undefined
    tasks.push(taskPrint(task, t, instancePrints))
    if (tasks.length > MAX_PRINTED_TASKS) return undefined
  }
  tasks.sort()
  parts.push(...tasks)
  return parts.join('\n')
}

function readCounters(ctx: EngineContext): Counters {
  const counters: Counters = {throttle: new Map(), failedTasks: new Map()}
  for (const doc of ctx.tx.list<ServiceDoc>('service', {status: 'ACTIVE'})) {
    counters.throttle.set(doc.id, doc.body._engine?.throttle.failures ?? 0)
    for (const d of doc.body.deployments ?? []) counters.failedTasks.set(`${doc.id}|${d.id}`, d.failedTasks ?? 0)
  }
  return counters
}

/** The earliest long timer (a skip must not jump over it). */
function longTimerLimit(ctx: EngineContext, t: number): number {
  let limit = Number.POSITIVE_INFINITY
  for (const doc of ctx.tx.list<ServiceDoc>('service', {status: 'ACTIVE'})) {
    const next = doc.body._engine?.nextAt
    if (next !== undefined && next - t >= SHORT_TIMER_MS) limit = Math.min(limit, next)
  }
  return limit
}

const shiftDate = (value: Date | undefined, delta: number): Date | undefined =>
  value instanceof Date ? new Date(value.getTime() + delta) : value

function shiftTask(task: TaskDoc, delta: number): void {
  task.createdAt = shiftDate(task.createdAt, delta)
  task.startedAt = shiftDate(task.startedAt, delta)
  task.stoppingAt = shiftDate(task.stoppingAt, delta)
  task.pullStartedAt = shiftDate(task.pullStartedAt, delta)
  task.pullStoppedAt = shiftDate(task.pullStoppedAt, delta)
  task.connectivityAt = shiftDate(task.connectivityAt, delta)
  const sim = task._sim
  sim.createdMs += delta
  sim.pendingMs += delta
  sim.appliedAt += delta
  if (sim.nextAt !== undefined) sim.nextAt += delta
  if (sim.activatedAt !== undefined) sim.activatedAt += delta
  for (const c of sim.containers) {
    if (c.runningAt !== undefined) c.runningAt += delta
    if (c.exitedAt !== undefined) c.exitedAt += delta
    if (c.healthyAt !== undefined) c.healthyAt += delta
    if (c.unhealthyAt !== undefined) c.unhealthyAt += delta
  }
  if (sim.stop) {
    sim.stop.at += delta
    sim.stop.stoppedAt += delta
    for (const phase of sim.stop.phases) phase.until += delta
  }
}

/**
 * The events of the skipped periods: the events of one period (after `from`, up to `to`) repeated k times with
 * their times moved by whole periods and fresh task ids in their texts (as the skipped tasks would have had), newest
 * first, only as many as the service keeps.
 */
function replicatedEvents(
  ctx: EngineContext,
  service: ServiceDoc,
  from: number,
  to: number,
  k: number,
): ServiceEvent[] {
  const period = to - from
  const inPeriod = (service.events ?? []).filter((e) => {
    const at = e.createdAt instanceof Date ? e.createdAt.getTime() : 0
    return at > from && at <= to
  })
  if (inPeriod.length === 0) return []
  const out: ServiceEvent[] = []
  for (let j = k; j >= 1 && out.length < MAX_SERVICE_EVENTS; j--) {
    for (const event of inPeriod) {
      if (out.length >= MAX_SERVICE_EVENTS) break
      out.push({
        id: newEventId(ctx),
        createdAt: new Date((event.createdAt as Date).getTime() + j * period),
        message: (event.message ?? '').replace(/\(task [0-9a-f]{32}\)/g, () => `(task ${newId(ctx)})`),
      })
    }
  }
  return out
}

/**
 * Remembers fingerprints during one reconcile pass and performs a skip when one repeats. `observe` returns the
 * time shift applied (0 = none); the caller then rebuilds its agenda from the documents.
 */
export class PeriodDetector {
  private readonly seen = new Map<string, Observation>()

  constructor(private readonly ctx: EngineContext) {}

  observe(t: number): number {
    if (!fastForwardOptions.enabled) return 0
    fastForwardOptions.observations++
    const print = fingerprint(this.ctx, t)
    if (print === undefined) {
      this.seen.clear()
      return 0
    }
    const before = this.seen.get(print)
    if (!before) {
      if (this.seen.size >= MAX_REMEMBERED) this.seen.clear()
      this.seen.set(print, {at: t, counters: readCounters(this.ctx)})
      return 0
    }
    const period = t - before.at
    const keepReal = this.ctx.settings.stoppedTaskRetentionMs + 2 * period
    const target = Math.min(this.ctx.now - keepReal, longTimerLimit(this.ctx, t) - period)
    const k = Math.floor((target - t) / period)
    if (period <= 0 || k < 1) {
      this.seen.set(print, {at: t, counters: readCounters(this.ctx)})
      return 0
    }
    const delta = k * period
    this.apply(t, delta, k, before)
    this.seen.clear()
    fastForwardOptions.skips++
    fastForwardOptions.skippedMs += delta
    return delta
  }

  private replayEvents(service: ServiceDoc, from: number, to: number, k: number): void {
    const replicas = replicatedEvents(this.ctx, service, from, to, k)
    if (replicas.length > 0) service.events = [...replicas, ...(service.events ?? [])].slice(0, MAX_SERVICE_EVENTS)
  }

  private apply(t: number, delta: number, k: number, before: Observation): void {
    const then = before.counters
    const now = readCounters(this.ctx)
    for (const doc of this.ctx.tx.list<TaskDoc>('task', {statusIn: UNSTOPPED})) {
      const task = doc.body
      if (task._sim.nextAt === undefined) continue
      shiftTask(task, delta)
      this.ctx.tx.put('task', doc.id, task, {
        cluster: doc.cluster,
        parent: doc.parent,
        status: doc.status,
        name: doc.name,
      })
    }
    for (const doc of this.ctx.tx.list<ServiceDoc>('service', {status: 'ACTIVE'})) {
      const service = doc.body
      const e = service._engine
      const throttleStep = (now.throttle.get(doc.id) ?? 0) - (then.throttle.get(doc.id) ?? 0)
      e.throttle.failures += k * throttleStep
      if (e.throttle.nextLaunchAt !== undefined) e.throttle.nextLaunchAt += delta
      // Short timers move with the period; long ones (never skipped over) stay where they are.
      if (e.nextAt !== undefined && e.nextAt - t < SHORT_TIMER_MS) e.nextAt += delta
      this.replayEvents(service, before.at, t, k)
      for (const d of service.deployments ?? []) {
        const key = `${doc.id}|${d.id}`
        const step = (now.failedTasks.get(key) ?? 0) - (then.failedTasks.get(key) ?? 0)
        if (step > 0) d.failedTasks = (d.failedTasks ?? 0) + k * step
      }
      this.ctx.tx.put('service', doc.id, service, {cluster: doc.cluster, status: doc.status, name: doc.name})
    }
  }
}
