/**
 * Side effects of task transitions, shared by the operation handlers, the fault injectors and the reconciler:
 * persist the task, give back its reservation when it reaches STOPPED, feed the service's throttle, and tell the
 * reconciler what to look at next (wake-ups).
 */
import type {EngineContext} from '../context.js'
import type {ServiceDoc, TaskDoc} from '../model/documents.js'
import {releaseFromInstance} from '../model/instance-resources.js'
import {loadService, saveService} from '../model/services.js'
import {saveTask} from '../model/tasks.js'
import type {Placer, TaskDemand} from '../placement/types.js'
import {addSuppressedEvent, clearSuppression, eventText} from './events.js'
import type {LaunchSpec} from './launch-spec.js'
import type {TransitionReport} from './lifecycle.js'
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
