/**
 * Side effects of task transitions, shared by the operation handlers, the fault injectors and the reconciler:
 * persist the task, give back its reservation when it reaches STOPPED, feed the service's throttle, and tell the
 * reconciler what to look at next (wake-ups).
 */
import type {Service} from '@aws-sdk/client-ecs'

import {releaseFromInstance} from './api/instances.js'
import type {EngineContext} from './context.js'
import {addSuppressedEvent, clearSuppression, eventText, type EventState} from './events.js'
import {type LaunchSpec, saveTask} from './launch.js'
import type {Placer, TaskDemand} from './placement/types.js'
import type {TaskDoc, TransitionReport} from './lifecycle.js'
import {schedulePurge} from './purge-queue.js'

/** The reconciler's agenda. Outside a reconcile pass nothing is queued (the next pass scans every document). */
export interface Wakeups {
  /** The task's `_sim.nextAt` / `_sim.purgeAt` changed. */
  task(task: TaskDoc): void
  /** Run the service's controller at `at`. */
  service(serviceArn: string, at: number): void
  /** A task of `clusterArn` stopped at `at`: capacity was freed (services waiting for capacity retry). */
  capacityFreed(clusterArn: string, at: number): void
  /** State kept for the length of one reconcile pass (absent outside a pass). */
  pass?: PassState
}

/**
 * Per-pass caches: one placer per cluster kept in step with every reservation made (placements) and released
 * (tasks reaching STOPPED) during the pass, and each service deployment's launch spec + demand.
 */
export interface PassState {
  /** Set when a service launched tasks (cycle points: where the reconciler looks for repeating states). */
  launched: boolean
  placers: Map<string, Placer>
  launches: WeakMap<object, {key: unknown[]; spec: LaunchSpec; demand: TaskDemand}>
  /** Tests (reconcile's fullScan reference): controllers take a private copy of every task they read. */
  copyTasks?: boolean
}

export const newPassState = (): PassState => ({launched: false, placers: new Map(), launches: new WeakMap()})

export const NO_WAKEUPS: Wakeups = {task() {}, service() {}, capacityFreed() {}}

/** Retry spacing of the service throttle (spec §6.8): 10 s doubling per failed start, capped at 15 minutes. */
export const THROTTLE_BASE_MS = 10_000
export const THROTTLE_CAP_MS = 15 * 60_000

export function throttleDelayMs(failures: number): number {
  if (failures <= 0) return 0
  return Math.min(THROTTLE_CAP_MS, THROTTLE_BASE_MS * 2 ** Math.min(failures - 1, 20))
}

export interface ThrottleState {
  /** Consecutive service tasks that stopped without ever reaching RUNNING. */
  failures: number
  /** No new task is launched before this time. */
  nextLaunchAt?: number
}

/** Engine-private part of a stored service. */
export interface ServiceEngineState {
  events: EventState
  throttle: ThrottleState
  /** Next time the controller must run by itself (throttle end, grace period end, steady re-announcement). */
  nextAt?: number
  /** The last placement attempt left tasks unplaced: retry when capacity frees up. */
  waitingForCapacity: boolean
  /** CreateService idempotency token. */
  clientToken?: string
  /** INACTIVE services are purged at this time. */
  purgeAt?: number
  /** Task definition + network configuration of the last COMPLETED deployment (for circuit-breaker rollback). */
  lastCompleted?: {taskDefinition: string; networkConfiguration?: Service['networkConfiguration']}
}

export type ServiceDoc = Service & {_engine: ServiceEngineState}

export function saveService(ctx: EngineContext, service: ServiceDoc): void {
  ctx.tx.put('service', service.serviceArn as string, service, {
    cluster: service.clusterArn,
    status: service.status,
    name: service.serviceName,
  })
}

export function loadService(ctx: EngineContext, serviceArn: string): ServiceDoc | undefined {
  return ctx.tx.get<ServiceDoc>('service', serviceArn)?.body
}

/**
 * Persist a task after a transition and apply its side effects: release the instance reservation at STOPPED,
 * count failed starts / successful starts for the service throttle, and queue wake-ups.
 */
export function afterTransition(
  ctx: EngineContext,
  task: TaskDoc,
  report: TransitionReport,
  wake: Wakeups,
  at: number,
  /** The caller's copy of the task's service, if it holds one (it is updated in place and saved by the caller). */
  heldService?: ServiceDoc,
): void {
  const sim = task._sim
  if (report.becameStopped) {
    if (sim.reserved && task.containerInstanceArn) {
      releaseFromInstance(ctx, task.containerInstanceArn, {
        demand: sim.demand,
        hostPorts: sim.hostPorts,
        group: sim.group,
      })
      sim.reserved = false
      const cluster = task.clusterArn as string
      const placer = wake.pass?.placers.get(cluster)
      if (placer) {
        try {
          placer.release(task.containerInstanceArn, sim.demand, sim.hostPorts, sim.group)
        } catch {
          wake.pass?.placers.delete(cluster)
        }
      }
    }
    sim.purgeAt = (report.stoppedAt ?? at) + ctx.settings.stoppedTaskRetentionMs
    schedulePurge(ctx, task.taskArn as string, sim.purgeAt)
    if (task.clusterArn) wake.capacityFreed(task.clusterArn, at)
  }
  saveTask(ctx, task)
  wake.task(task)
  if (!sim.serviceArn) return
  const held = heldService?.serviceArn === sim.serviceArn ? heldService : undefined
  const service = held ?? loadService(ctx, sim.serviceArn)
  if (!service) return
  let serviceChanged = false
  if (report.becameRunning) {
    if (service._engine.throttle.failures > 0 || service._engine.throttle.nextLaunchAt !== undefined) {
      service._engine.throttle = {failures: 0}
      clearSuppression(service._engine.events, 'throttle')
      serviceChanged = true
    }
  }
  if (report.becameStopped && sim.stop) {
    const deployment = service.deployments?.find((d) => d.id === sim.deploymentId)
    const failedOnItsOwn = !sim.stop.byScheduler && sim.stop.code !== 'UserInitiated'
    if (deployment && failedOnItsOwn && (sim.stop.failedToStart || sim.stop.code === 'EssentialContainerExited')) {
      deployment.failedTasks = (deployment.failedTasks ?? 0) + 1
      serviceChanged = true
    }
    if (sim.stop.failedToStart && service.status === 'ACTIVE') {
      const throttle = service._engine.throttle
      throttle.failures += 1
      throttle.nextLaunchAt = (report.stoppedAt ?? at) + throttleDelayMs(throttle.failures)
      addSuppressedEvent(
        ctx,
        service,
        service._engine.events,
        'throttle',
        eventText.throttled(service.serviceName ?? ''),
        at,
      )
      serviceChanged = true
    }
  }
  if (serviceChanged && !held) saveService(ctx, service)
  if (report.changed || report.becameStopped) wake.service(sim.serviceArn, at)
}
