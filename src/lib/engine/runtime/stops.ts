/**
 * Stops asked for by an operation (outside the reconciler): StopTask, a forced DeregisterContainerInstance, and
 * DeleteService draining its tasks. Each task starts its stop path now; the reconciler takes it to STOPPED.
 */
import type {EngineContext} from '../context.js'
import type {ServiceDoc, TaskDoc} from '../model/documents.js'
import {unstoppedServiceTasks} from '../model/services.js'
import {isLive, unstoppedTasksOn} from '../model/tasks.js'
import {stopTaskAt} from './lifecycle.js'
import {afterTransition, NO_WAKEUPS} from './transitions.js'

/** StopTask: begin the stop path of a task that is not already stopping (a second stop keeps the first reason). */
export function stopTaskByUser(ctx: EngineContext, task: TaskDoc, reason: string): void {
  if (task.lastStatus === 'STOPPED' || task._sim.stop) return
  const report = stopTaskAt(task, ctx.now, {reason, code: 'UserInitiated'})
  afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now)
}

/** Stop every unstopped task on a container instance (forced deregistration). Returns how many were stopped. */
export function stopTasksOnInstance(ctx: EngineContext, instanceArn: string, stoppedReason: string): number {
  let stopped = 0
  for (const task of unstoppedTasksOn(ctx, instanceArn)) {
    if (task._sim.stop) continue
    const report = stopTaskAt(task, ctx.now, {reason: stoppedReason, code: 'UserInitiated'})
    afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now)
    stopped++
  }
  return stopped
}

/** DeleteService: the scheduler stops every live task of the service (the service is saved by the caller). */
export function stopServiceTasks(ctx: EngineContext, service: ServiceDoc): void {
  const primaryId = service.deployments?.find((d) => d.status === 'PRIMARY')?.id
  for (const task of unstoppedServiceTasks(ctx, service)) {
    if (!isLive(task)) continue
    const report = stopTaskAt(task, ctx.now, {
      reason: `Scaling activity initiated by (deployment ${primaryId ?? 'unknown'})`,
      code: 'ServiceSchedulerInitiated',
      byScheduler: true,
    })
    afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now, service)
  }
}
