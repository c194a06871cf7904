/**
 * Task documents: status predicates, resolution of a task reference, saving with the index columns, and the task
 * as ECS returns it. Tasks are created by runtime/launch.ts and moved through time by runtime/lifecycle.ts.
 */
import type {Task} from '@aws-sdk/client-ecs'

import {isArn, lastSegment, taskArn as buildTaskArn} from '../arns.js'
import type {EngineContext} from '../context.js'
import {omitKeys} from '../objects.js'
import {UNSTOPPED_TASK_STATUSES} from '../store/due.js'
import type {TaskDoc} from './documents.js'

export const STOPPED = 'STOPPED'

/** lastStatus values that count as "pending" (started but not yet running). */
export const STARTING_STATUSES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING'])

/** Task lastStatus values other than STOPPED. */
export const UNSTOPPED_STATUSES: string[] = [...UNSTOPPED_TASK_STATUSES]

export const isStopped = (task: Task): boolean => task.lastStatus === STOPPED
/** RUNNING or on its way there, and not asked to stop. */
export const isLive = (task: Task): boolean =>
  task.desiredStatus !== STOPPED && (task.lastStatus === 'RUNNING' || STARTING_STATUSES.has(task.lastStatus ?? ''))

/** Persist a task with its index columns (cluster, parent = container instance, status = lastStatus, name = group). */
export function saveTask(ctx: EngineContext, task: TaskDoc): void {
  ctx.tx.put('task', task.taskArn as string, task, {
    cluster: task.clusterArn,
    parent: task.containerInstanceArn,
    status: task.lastStatus,
    name: task.group,
  })
}

/** A task of the cluster by id or ARN (any status), or undefined. */
export function findTask(ctx: EngineContext, clusterArn: string, ref: string): TaskDoc | undefined {
  const arn = isArn(ref) ? ref : buildTaskArn(ctx.settings, lastSegment(clusterArn), ref)
  const doc = ctx.tx.get<TaskDoc>('task', arn)
  if (!doc || doc.body.clusterArn !== clusterArn) return undefined
  return doc.body
}

/** The task as ECS returns it: without engine-private state; tags only when asked for. */
export function presentTask(task: TaskDoc, includeTags = false): Task {
  return includeTags ? omitKeys(task, '_sim') : omitKeys(task, '_sim', 'tags')
}

/** Unstopped tasks placed on a container instance. */
export function unstoppedTasksOn(ctx: EngineContext, instanceArn: string): TaskDoc[] {
  return ctx.tx.list<TaskDoc>('task', {parent: instanceArn, statusIn: UNSTOPPED_STATUSES}).map((doc) => doc.body)
}
