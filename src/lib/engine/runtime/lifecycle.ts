/**
 * The task lifecycle as a deterministic state machine over time (spec §4.2–4.4, §2.6). Pure: no store, no clock.
 *
 *   start:   [PROVISIONING (awsvpc)] → PENDING → [ACTIVATING (load balancer / service discovery)] → RUNNING
 *   stop:    [DEACTIVATING (load balancer)] → STOPPING → [DEPROVISIONING (awsvpc)] → STOPPED
 *   failure before running: PENDING → [DEPROVISIONING (awsvpc)] → STOPPED
 *
 * Each task carries its simulation state in `_sim`. `advanceTask(task, t)` applies, in time order, every transition
 * due at or before `t` (container starts honouring dependsOn, exits, health changes, stop phases) and records the next
 * due time in `_sim.nextAt`, so the reconciler can jump from event to event instead of stepping through time.
 */
import type {TaskStopCode} from '@aws-sdk/client-ecs'

import type {ContainerSim, StopPhase, TaskDoc, TaskSim, TaskStop} from '../model/documents.js'
import {STOPPED} from '../model/tasks.js'
import {healthTimeline} from './simulate.js'

export interface TransitionReport {
  changed: boolean
  becameRunning: boolean
  becameStopped: boolean
  healthChanged: boolean
  /** Time the task reached STOPPED (when becameStopped). */
  stoppedAt?: number
}

/** Container exit code recorded for containers stopped by the agent (SIGTERM). */
export const STOPPED_BY_AGENT_EXIT_CODE = 143
/** ECS_CONTAINER_START_TIMEOUT default: give up waiting for dependencies after 3 minutes. */
export const DEFAULT_START_TIMEOUT_MS = 180_000

function healthAt(container: ContainerSim, t: number): 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' {
  if (!container.healthCheck || container.runningAt === undefined) return 'UNKNOWN'
  if (container.unhealthyAt !== undefined && t >= container.unhealthyAt) return 'UNHEALTHY'
  if (container.healthyAt !== undefined && t >= container.healthyAt) return 'HEALTHY'
  return 'UNKNOWN'
}

/** Task health from the essential containers: any UNHEALTHY wins, then any UNKNOWN, else HEALTHY. */
function taskHealth(sim: TaskSim, t: number): 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' {
  const states = sim.containers.filter((c) => c.essential).map((c) => healthAt(c, t))
  if (states.includes('UNHEALTHY')) return 'UNHEALTHY'
  if (states.includes('UNKNOWN') || states.length === 0) return 'UNKNOWN'
  return 'HEALTHY'
}

/** Whether the dependencies of `container` are met at `t`: 'yes', 'no' (not yet) or 'never'. */
function dependenciesMet(sim: TaskSim, container: ContainerSim, t: number): 'yes' | 'no' | 'never' {
  let result: 'yes' | 'no' | 'never' = 'yes'
  for (const dep of container.dependsOn) {
    const other = sim.containers.find((c) => c.name === dep.containerName)
    if (!other) return 'never'
    const exited = other.exitedAt !== undefined && other.exitedAt <= t
    let met: 'yes' | 'no' | 'never'
    switch (dep.condition) {
      case 'START':
        met = other.runningAt !== undefined ? 'yes' : 'no'
        break
      case 'COMPLETE':
        met = exited ? 'yes' : 'no'
        break
      case 'SUCCESS':
        met = exited ? (other.exitCode === 0 ? 'yes' : 'never') : 'no'
        break
      case 'HEALTHY':
        if (!other.healthCheck) met = 'never'
        else if (healthAt(other, t) === 'HEALTHY') met = 'yes'
        else met = exited || healthAt(other, t) === 'UNHEALTHY' ? 'never' : 'no'
        break
      default:
        met = 'never'
    }
    if (met === 'never') return 'never'
    if (met === 'no') result = 'no'
  }
  return result
}

const earliestStart = (sim: TaskSim, c: ContainerSim): number => sim.pendingMs + c.behaviour.startDelayMs
const exitTime = (c: ContainerSim): number | undefined =>
  c.runningAt !== undefined && c.behaviour.exitAfterMs !== undefined ? c.runningAt + c.behaviour.exitAfterMs : undefined

/** Every time after `after` at which this task changes state by itself. */
function candidateTimes(task: TaskDoc, after: number): number[] {
  const sim = task._sim
  const times: number[] = []
  if (sim.stop) {
    times.push(sim.stop.at)
    for (const phase of sim.stop.phases) times.push(phase.until)
    times.push(sim.stop.stoppedAt)
  } else {
    if (task.lastStatus === 'PROVISIONING') times.push(sim.pendingMs)
    if (task.lastStatus === 'ACTIVATING' && sim.activatedAt !== undefined) times.push(sim.activatedAt)
    for (const c of sim.containers) {
      if (c.runningAt === undefined) {
        times.push(earliestStart(sim, c))
        if (c.dependsOn.length > 0) times.push(sim.pendingMs + c.startTimeoutMs)
      } else {
        const exit = exitTime(c)
        if (exit !== undefined && c.exitedAt === undefined) times.push(exit)
        if (c.exitedAt !== undefined) times.push(c.exitedAt)
        else {
          if (c.healthyAt !== undefined) times.push(c.healthyAt)
          if (c.unhealthyAt !== undefined) times.push(c.unhealthyAt)
        }
      }
    }
  }
  return times.filter((time) => time > after)
}

function computeNextAt(task: TaskDoc): number | undefined {
  const times = candidateTimes(task, task._sim.appliedAt)
  return times.length === 0 ? undefined : Math.min(...times)
}

/** Recompute `_sim.nextAt` from the task's state (after creating or editing a task). */
export function scheduleNext(task: TaskDoc): number | undefined {
  task._sim.nextAt = computeNextAt(task)
  return task._sim.nextAt
}

/** A cheap signature of everything a transition can change (to detect changes and bump `version`). */
function containerStatuses(task: TaskDoc): string {
  let out = `${task.lastStatus}|${task.healthStatus}|${task.desiredStatus}`
  for (const c of task.containers ?? []) out += `|${c.lastStatus},${c.exitCode},${c.healthStatus},${c.reason ?? ''}`
  return out
}

/** Begin the stop path at `at` (idempotent: the first stop wins). */
export function beginStop(
  task: TaskDoc,
  at: number,
  stop: {reason: string; code: TaskStopCode; byScheduler?: boolean; failedToStart?: boolean},
): boolean {
  const sim = task._sim
  if (sim.stop || task.lastStatus === STOPPED) return false
  const d = sim.stopDelayMs
  const phases: StopPhase[] = []
  let cursor = at
  const wasRunning = task.lastStatus === 'RUNNING'
  if (stop.failedToStart) {
    if (sim.awsvpc) phases.push({status: 'DEPROVISIONING', until: (cursor += Math.floor(d / 2))})
  } else {
    if (wasRunning && sim.hasLoadBalancer) phases.push({status: 'DEACTIVATING', until: (cursor += Math.floor(d / 2))})
    phases.push({status: 'STOPPING', until: (cursor += d)})
    if (sim.awsvpc) phases.push({status: 'DEPROVISIONING', until: (cursor += Math.floor(d / 2))})
  }
  sim.stop = {
    at,
    reason: stop.reason,
    code: stop.code,
    byScheduler: stop.byScheduler ?? false,
    failedToStart: stop.failedToStart ?? false,
    phases,
    stoppedAt: cursor,
  }
  task.desiredStatus = STOPPED
  task.stoppedReason = stop.reason
  task.stopCode = stop.code
  task.stoppingAt = new Date(at)
  return true
}

/** Make the task's running essential containers exit now with `exitCode` (engine fault injection). */
export function exitEssentialContainers(task: TaskDoc, at: number, exitCode: number): void {
  const sim = task._sim
  if (sim.stop) return
  for (const c of sim.containers) {
    if (!c.essential) continue
    if (c.runningAt !== undefined && c.exitedAt === undefined) {
      c.exitedAt = at
      c.exitCode = exitCode
    } else if (c.runningAt === undefined) {
      // Not started yet: the container "exits" as soon as it would have run.
      c.runningAt = at
      c.exitedAt = at
      c.exitCode = exitCode
    }
  }
}

/** Apply everything due exactly at `t` (all earlier transitions are already applied). */
function applyAt(task: TaskDoc, t: number): void {
  const sim = task._sim
  if (sim.stop) {
    applyStopPath(task, sim.stop, t)
    return
  }
  if (task.lastStatus === 'PROVISIONING' && t >= sim.pendingMs) {
    task.lastStatus = 'PENDING'
    task.pullStartedAt = new Date(sim.pendingMs)
    for (const attachment of task.attachments ?? []) attachment.status = 'ATTACHED'
  }
  applyExits(sim, t)
  if (task.lastStatus !== 'PROVISIONING' && startContainers(task, t) === 'failed') return
  applyContainerStatuses(task, t)
  applyTaskRunning(task, t)
  task.healthStatus = taskHealth(sim, t)

  // An essential container that exited stops the task.
  const exitedEssential = sim.containers.find((c) => c.essential && c.exitedAt !== undefined && c.exitedAt <= t)
  if (exitedEssential) {
    beginStop(task, exitedEssential.exitedAt ?? t, {
      reason: 'Essential container in task exited',
      code: 'EssentialContainerExited',
    })
    applyAt(task, t)
  }
}

/** The stop path at `t`: STOPPED once its time has come (containers stopped, attachments deleted), else its phase. */
function applyStopPath(task: TaskDoc, stop: TaskStop, t: number): void {
  const sim = task._sim
  const containers = task.containers ?? []
  if (t >= stop.stoppedAt) {
    task.lastStatus = STOPPED
    task.stoppedAt = new Date(stop.stoppedAt)
    task.executionStoppedAt = task.executionStoppedAt ?? new Date(stop.stoppedAt)
    task.connectivity = 'DISCONNECTED'
    task.connectivityAt = new Date(stop.stoppedAt)
    for (const [i, c] of sim.containers.entries()) {
      const out = containers[i]
      if (!out) continue
      if (c.runningAt !== undefined && c.exitedAt === undefined) {
        c.exitedAt = stop.stoppedAt
        c.exitCode = STOPPED_BY_AGENT_EXIT_CODE
      }
      out.lastStatus = STOPPED
      if (c.exitCode !== undefined) out.exitCode = c.exitCode
      out.networkBindings = []
    }
    for (const attachment of task.attachments ?? []) attachment.status = 'DELETED'
    sim.purgeAt = stop.stoppedAt
  } else {
    const phase = stop.phases.find((p) => t < p.until)
    if (phase) task.lastStatus = phase.status
    if (phase?.status === 'DEPROVISIONING')
      for (const attachment of task.attachments ?? []) attachment.status = 'DETACHING'
  }
}

/** Container exits due at or before `t`. */
function applyExits(sim: TaskSim, t: number): void {
  for (const c of sim.containers) {
    const exit = exitTime(c)
    if (exit !== undefined && c.exitedAt === undefined && exit <= t) {
      c.exitedAt = exit
      c.exitCode = c.behaviour.exitCode
    }
  }
}

/**
 * Container starts at `t` (fixpoint: a start or health change can satisfy another container's dependency at the same
 * instant). 'failed': a container failed to start or gave up on its dependencies, and the task is stopping.
 */
function startContainers(task: TaskDoc, t: number): 'failed' | undefined {
  const sim = task._sim
  let progress = true
  while (progress) {
    progress = false
    for (const c of sim.containers) {
      if (c.runningAt !== undefined) continue
      const earliest = earliestStart(sim, c)
      if (c.behaviour.failToStart !== undefined) {
        if (t >= earliest) {
          failBeforeRunning(task, t, c, c.behaviour.failToStart)
          return 'failed'
        }
        continue
      }
      const met = dependenciesMet(sim, c, t)
      if (met === 'yes' && t >= earliest) {
        startContainer(c, t)
        progress = true
      } else if (met === 'never' || (c.dependsOn.length > 0 && t >= sim.pendingMs + c.startTimeoutMs)) {
        const deps = c.dependsOn.map((d) => `${d.containerName} (${d.condition})`).join(', ')
        failBeforeRunning(
          task,
          t,
          c,
          `CannotStartContainerError: container ${c.name} gave up waiting for its dependencies: ${deps}`,
        )
        return 'failed'
      }
    }
  }
  return undefined
}

/** The SDK containers' statuses at `t` from their simulation state. */
function applyContainerStatuses(task: TaskDoc, t: number): void {
  const containers = task.containers ?? []
  for (const [i, c] of task._sim.containers.entries()) {
    const out = containers[i]
    if (!out) continue
    if (c.exitedAt !== undefined && c.exitedAt <= t) {
      out.lastStatus = STOPPED
      out.exitCode = c.exitCode
      out.networkBindings = []
    } else if (c.runningAt !== undefined) out.lastStatus = 'RUNNING'
    if (c.healthCheck) out.healthStatus = healthAt(c, t)
  }
}

/** Once every container has started: ACTIVATING first when there is registration work, then RUNNING. */
function applyTaskRunning(task: TaskDoc, t: number): void {
  const sim = task._sim
  const containers = task.containers ?? []
  if (
    task.lastStatus === 'PENDING' &&
    sim.containers.every((c) => c.runningAt !== undefined) &&
    (sim.activationMs ?? 0) > 0
  ) {
    task.lastStatus = 'ACTIVATING'
    sim.activatedAt = t + (sim.activationMs ?? 0)
  }
  const activated = task.lastStatus === 'ACTIVATING' && sim.activatedAt !== undefined && t >= sim.activatedAt
  if ((task.lastStatus === 'PENDING' && sim.containers.every((c) => c.runningAt !== undefined)) || activated) {
    task.lastStatus = 'RUNNING'
    task.startedAt = new Date(t)
    task.pullStoppedAt = new Date(Math.max(...sim.containers.map((c) => Math.min(t, earliestStart(sim, c)))))
    task.connectivity = 'CONNECTED'
    task.connectivityAt = new Date(t)
    for (const [i, c] of sim.containers.entries()) {
      const out = containers[i]
      if (!out) continue
      if (c.exitedAt === undefined || c.exitedAt > t) {
        out.lastStatus = 'RUNNING'
        out.networkBindings = c.bindings
      }
    }
  }
}

function startContainer(c: ContainerSim, t: number): void {
  c.runningAt = t
  if (c.healthCheck) {
    const timeline = healthTimeline(c.healthCheck, c.behaviour.health, t)
    c.healthyAt = timeline.healthyAt
    c.unhealthyAt = timeline.unhealthyAt
  }
}

function failBeforeRunning(task: TaskDoc, t: number, container: ContainerSim, reason: string): void {
  const out = task.containers?.find((c) => c.name === container.name)
  if (out) out.reason = reason
  beginStop(task, t, {reason, code: 'TaskFailedToStart', failedToStart: true})
  applyAt(task, t)
}

/**
 * Apply every transition due at or before `t`, in time order. Returns what changed so the caller can release
 * resources (STOPPED), wake the task's service, and persist.
 */
export function advanceTask(task: TaskDoc, t: number): TransitionReport {
  const before = containerStatuses(task)
  const wasRunning = task.lastStatus === 'RUNNING'
  const wasStopped = task.lastStatus === STOPPED
  const healthBefore = task.healthStatus
  const sim = task._sim
  for (;;) {
    const times = candidateTimes(task, sim.appliedAt)
    const next = times.length === 0 ? undefined : Math.min(...times)
    if (next === undefined || next > t) break
    applyAt(task, next)
    sim.appliedAt = next
  }
  if (sim.appliedAt < t) sim.appliedAt = t
  sim.nextAt = computeNextAt(task)
  const changed = containerStatuses(task) !== before
  if (changed) task.version = (task.version ?? 0) + 1
  const becameStopped = !wasStopped && task.lastStatus === STOPPED
  return {
    changed,
    becameRunning: !wasRunning && task.lastStatus === 'RUNNING',
    becameStopped,
    healthChanged: healthBefore !== task.healthStatus,
    stoppedAt: becameStopped ? sim.stop?.stoppedAt : undefined,
  }
}

/** Stop the task now (after catching it up to `t`); returns the transition report of the catch-up + stop. */
export function stopTaskAt(
  task: TaskDoc,
  t: number,
  stop: {reason: string; code: TaskStopCode; byScheduler?: boolean},
): TransitionReport {
  const first = advanceTask(task, t)
  if (task.lastStatus === STOPPED || task._sim.stop) return first
  beginStop(task, t, stop)
  // The stop path starts now: apply its first phase.
  task._sim.appliedAt = t - 1
  const second = advanceTask(task, t)
  return {
    changed: true,
    becameRunning: first.becameRunning,
    becameStopped: first.becameStopped || second.becameStopped,
    healthChanged: first.healthChanged || second.healthChanged,
    stoppedAt: second.stoppedAt ?? first.stoppedAt,
  }
}

/** Stop the task immediately (host gone): STOPPED at `t`, no stop phases; an earlier stop keeps its reason. */
export function stopTaskImmediately(
  task: TaskDoc,
  t: number,
  stop: {reason: string; code: TaskStopCode},
): TransitionReport {
  const first = advanceTask(task, t)
  if (task.lastStatus === STOPPED) return first
  if (!task._sim.stop) beginStop(task, t, stop)
  const current = task._sim.stop as TaskStop
  current.phases = []
  current.stoppedAt = t
  task._sim.appliedAt = t - 1
  const second = advanceTask(task, t)
  return {
    changed: true,
    becameRunning: first.becameRunning,
    becameStopped: second.becameStopped,
    healthChanged: first.healthChanged || second.healthChanged,
    stoppedAt: t,
  }
}

/** Make the running essential containers exit with `exitCode` at `t` and apply the consequences. */
export function failTaskAt(task: TaskDoc, t: number, exitCode: number): TransitionReport {
  const first = advanceTask(task, t)
  if (task.lastStatus === STOPPED || task._sim.stop) return first
  exitEssentialContainers(task, t, exitCode)
  task._sim.appliedAt = t - 1
  const second = advanceTask(task, t)
  return {
    changed: true,
    becameRunning: first.becameRunning || second.becameRunning,
    becameStopped: first.becameStopped || second.becameStopped,
    healthChanged: first.healthChanged || second.healthChanged,
    stoppedAt: second.stoppedAt ?? first.stoppedAt,
  }
}
