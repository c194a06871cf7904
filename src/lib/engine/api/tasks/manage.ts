/**
 * Task operations on existing tasks (spec §4): StopTask, DescribeTasks, ListTasks.
 */
import type {
  DescribeTasksCommandInput,
  DescribeTasksCommandOutput,
  Failure,
  ListTasksCommandInput,
  ListTasksCommandOutput,
  StopTaskCommandInput,
  StopTaskCommandOutput,
  Task,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {
  containerInstanceArn,
  isArn,
  lastSegment,
  serviceArn as buildServiceArn,
  taskArn as buildTaskArn,
} from '../../arns.js'
import type {EngineContext} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {requireActiveCluster} from '../../model/clusters.js'
import type {TaskDoc} from '../../model/documents.js'
import {getInstance} from '../../model/instances.js'
import {findTask, presentTask} from '../../model/tasks.js'
import {paginate} from '../../paging.js'
import {stopTaskByUser} from '../../runtime/stops.js'

export const DEFAULT_STOP_REASON = 'Task stopped by user'

const invalid = (message: string): EcsApiError => new EcsApiError('InvalidParameterException', message)

export function stopTask(ctx: EngineContext, input: StopTaskCommandInput): Out<StopTaskCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (typeof input.task !== 'string' || input.task === '') throw invalid('task is required.')
  if (input.reason !== undefined && input.reason.length > 255) throw invalid('reason can be at most 255 characters.')
  const task = findTask(ctx, cluster.id, input.task)
  if (!task) throw invalid('The referenced task was not found.')
  stopTaskByUser(ctx, task, input.reason || DEFAULT_STOP_REASON)
  return {task: presentTask(task, true)}
}

export function describeTasks(ctx: EngineContext, input: DescribeTasksCommandInput): Out<DescribeTasksCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const refs = input.tasks
  if (!Array.isArray(refs) || refs.length === 0) throw invalid('tasks must name at least one task.')
  if (refs.length > 100) throw invalid('tasks can name at most 100 tasks.')
  const includeTags = input.include?.includes('TAGS') ?? false
  const tasks: Task[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    const task = findTask(ctx, cluster.id, ref)
    if (task) tasks.push(presentTask(task, includeTags))
    else
      failures.push({
        arn: isArn(ref) ? ref : buildTaskArn(ctx.settings, cluster.name ?? lastSegment(cluster.id), ref),
        reason: 'MISSING',
      })
  }
  return {tasks, failures}
}

const timeOf = (date: Date | undefined): number => (date instanceof Date ? date.getTime() : 0)

export function listTasks(ctx: EngineContext, input: ListTasksCommandInput): Out<ListTasksCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const clusterName = cluster.name ?? lastSegment(cluster.id)
  const desired = input.desiredStatus ?? 'RUNNING'
  if (desired !== 'RUNNING' && desired !== 'PENDING' && desired !== 'STOPPED')
    throw invalid(`Invalid desiredStatus '${String(desired)}': use RUNNING, PENDING or STOPPED.`)
  if (input.family !== undefined && input.serviceName !== undefined)
    throw invalid('family and serviceName cannot both be specified.')
  if (input.launchType !== undefined && !['EC2', 'FARGATE', 'EXTERNAL'].includes(input.launchType))
    throw invalid(`Invalid launchType '${input.launchType}'.`)
  let instanceArn: string | undefined
  if (input.containerInstance !== undefined) {
    const instance = getInstance(ctx, cluster.id, input.containerInstance)
    instanceArn =
      instance?.containerInstanceArn ??
      (isArn(input.containerInstance)
        ? input.containerInstance
        : containerInstanceArn(ctx.settings, clusterName, input.containerInstance))
  }
  const serviceArn =
    input.serviceName !== undefined
      ? isArn(input.serviceName)
        ? input.serviceName
        : buildServiceArn(ctx.settings, clusterName, input.serviceName)
      : undefined
  const query = instanceArn ? {cluster: cluster.id, parent: instanceArn} : {cluster: cluster.id}
  let tasks = ctx.tx
    .list<TaskDoc>('task', query)
    .map((doc) => doc.body)
    .filter((task) => task.desiredStatus === desired)
  if (input.family !== undefined) {
    tasks = tasks.filter((task) => {
      const family = lastSegment(task.taskDefinitionArn ?? '').split(':')[0]
      return family === input.family
    })
  }
  if (serviceArn !== undefined) tasks = tasks.filter((task) => task._sim?.serviceArn === serviceArn)
  if (input.startedBy !== undefined) tasks = tasks.filter((task) => task.startedBy === input.startedBy)
  if (input.launchType !== undefined) tasks = tasks.filter((task) => task.launchType === input.launchType)
  if (desired === 'STOPPED') {
    // Most recently stopped first (tasks still stopping: by the time they were asked to stop).
    tasks.sort((a, b) => (timeOf(b.stoppedAt) || timeOf(b.stoppingAt)) - (timeOf(a.stoppedAt) || timeOf(a.stoppingAt)))
  }
  const page = paginate(
    tasks.map((task) => task.taskArn as string),
    input,
  )
  return page.nextToken === undefined ? {taskArns: page.items} : {taskArns: page.items, nextToken: page.nextToken}
}
