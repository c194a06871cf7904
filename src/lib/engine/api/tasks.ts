/**
 * Tasks (spec §4): RunTask, StartTask, StopTask, DescribeTasks, ListTasks, and the task helpers other modules use
 * (`stopTasksOnInstance` for forced deregistration, `countTasks` for DescribeClusters).
 */
import type {
  DescribeTasksCommandInput,
  DescribeTasksCommandOutput,
  Failure,
  ListTasksCommandInput,
  ListTasksCommandOutput,
  NetworkConfiguration,
  PlacementConstraint,
  RunTaskCommandInput,
  RunTaskCommandOutput,
  StartTaskCommandInput,
  StartTaskCommandOutput,
  StopTaskCommandInput,
  StopTaskCommandOutput,
  Tag,
  Task,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../ecs/backend.js'
import {
  containerInstanceArn,
  isArn,
  lastSegment,
  serviceArn as buildServiceArn,
  taskArn as buildTaskArn,
} from '../arns.js'
import type {EngineContext} from '../context.js'
import {EcsApiError} from '../errors.js'
import {
  launchDemand,
  type LaunchSpec,
  launchOnFargate,
  launchOnPlacer,
  requireLaunchableTaskDefinition,
  validateSimulation,
} from '../launch.js'
import {STARTING_STATUSES, stopTaskAt, type TaskDoc} from '../lifecycle.js'
import {omitKeys} from '../objects.js'
import {paginate} from '../paging.js'
import {
  createPlacer,
  MAX_CONSTRAINTS,
  runTaskDefaultStrategies,
  validatePlacementConstraints,
  validatePlacementStrategies,
} from '../placement/index.js'
import {afterTransition, NO_WAKEUPS} from '../runtime.js'
import {requireActiveCluster} from './clusters.js'
import {getInstance, loadCandidates} from './instances.js'
import {resolveTaskDefinition} from './task-definitions.js'
import {tagsForCreate} from './tags.js'

export const MAX_TASKS_PER_RUN = 10
export const MAX_INSTANCES_PER_START = 10
export const DEFAULT_STOP_REASON = 'Task stopped by user'
const UNSTOPPED = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING']

const invalid = (message: string): EcsApiError => new EcsApiError('InvalidParameterException', message)

/** The task as ECS returns it: without engine-private state; tags only when asked for. */
export function presentTask(task: TaskDoc, includeTags = false): Task {
  return includeTags ? omitKeys(task, '_sim') : omitKeys(task, '_sim', 'tags')
}

// ---------------------------------------------------------------------------------------------------------------
// validation shared with services

/** awsvpc needs a network configuration; other modes must not have one (spec §2.1, §6.1). */
export function validateNetworkConfiguration(
  taskDef: TaskDefinition,
  launchType: 'EC2' | 'FARGATE',
  networkConfiguration: NetworkConfiguration | undefined,
): void {
  const awsvpc = networkConfiguration?.awsvpcConfiguration
  if (taskDef.networkMode === 'awsvpc') {
    if (!awsvpc) throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
    const subnets = awsvpc.subnets ?? []
    if (subnets.length === 0) throw invalid('subnets can not be empty.')
    if (subnets.length > 16) throw invalid('awsvpcConfiguration can name at most 16 subnets.')
    if ((awsvpc.securityGroups ?? []).length > 5)
      throw invalid('awsvpcConfiguration can name at most 5 security groups.')
    if (
      awsvpc.assignPublicIp !== undefined &&
      awsvpc.assignPublicIp !== 'ENABLED' &&
      awsvpc.assignPublicIp !== 'DISABLED'
    ) {
      throw invalid(`Invalid assignPublicIp '${String(awsvpc.assignPublicIp)}': use ENABLED or DISABLED.`)
    }
    if (awsvpc.assignPublicIp === 'ENABLED' && launchType !== 'FARGATE')
      throw invalid('Assign public IP is not supported for this launch type.')
  } else if (awsvpc) {
    throw invalid('Network Configuration is not valid for the given networkMode of this task definition.')
  }
}

/** The launch type is supported by the task definition (its `compatibilities`). */
export function validateLaunchType(taskDef: TaskDefinition, launchType: string | undefined): 'EC2' | 'FARGATE' {
  const type = launchType ?? 'EC2'
  if (type !== 'EC2' && type !== 'FARGATE') throw invalid(`Invalid launchType '${type}': use EC2 or FARGATE.`)
  const compatibilities = taskDef.compatibilities ?? ['EC2']
  if (!compatibilities.includes(type))
    throw new EcsApiError('ClientException', `Task definition does not support launch_type ${type}.`)
  return type
}

/** Task-definition + request constraints: valid and at most 10 together (spec §5.5). */
export function combinedConstraints(
  taskDef: TaskDefinition,
  requested: PlacementConstraint[] | undefined,
): PlacementConstraint[] {
  const request = requested ?? []
  validatePlacementConstraints(request)
  const all = [
    ...(taskDef.placementConstraints ?? []).map(
      (c) => ({type: c.type, expression: c.expression}) as PlacementConstraint,
    ),
    ...request,
  ]
  if (all.length > MAX_CONSTRAINTS) {
    throw invalid(
      `A task can have at most ${MAX_CONSTRAINTS} placement constraints (task definition and request together); ${all.length} were given.`,
    )
  }
  return all
}

function validateOverrides(taskDef: TaskDefinition, overrides: TaskOverride | undefined): void {
  const names = new Set((taskDef.containerDefinitions ?? []).map((c) => c.name))
  for (const override of overrides?.containerOverrides ?? []) {
    if (!override.name || !names.has(override.name)) {
      throw invalid(
        `Override for container named ${override.name ?? '(none)'} is not a container in the TaskDefinition.`,
      )
    }
    for (const variable of override.environment ?? []) {
      if (!variable.name)
        throw invalid(`Environment override of container ${override.name} has an entry without a name.`)
    }
    for (const field of ['cpu', 'memory', 'memoryReservation'] as const) {
      const value = override[field]
      if (value !== undefined && (!Number.isInteger(value) || value < 0))
        throw invalid(`Override ${field} of container ${override.name} must be a non-negative integer.`)
    }
  }
}

function launchTags(
  ctx: EngineContext,
  input: {tags?: Tag[]; propagateTags?: string; enableECSManagedTags?: boolean},
  taskDef: TaskDefinition,
  clusterName: string,
): Tag[] {
  const explicit = tagsForCreate(input.tags)
  const out: Tag[] = []
  if (input.propagateTags === 'TASK_DEFINITION') {
    const stored = resolveTaskDefinition(ctx, taskDef.taskDefinitionArn)?.body
    out.push(...(stored?._engine?.tags ?? []))
  }
  if (input.enableECSManagedTags) out.push({key: 'aws:ecs:clusterName', value: clusterName})
  const keys = new Set(explicit.map((t) => t.key))
  return [...out.filter((t) => !keys.has(t.key)), ...explicit]
}

// ---------------------------------------------------------------------------------------------------------------
// operations

export function runTask(ctx: EngineContext, input: RunTaskCommandInput): Out<RunTaskCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const count = input.count ?? 1
  if (!Number.isInteger(count) || count < 1 || count > MAX_TASKS_PER_RUN) {
    throw invalid(`count must be between 1 and ${MAX_TASKS_PER_RUN} (got ${String(input.count)}).`)
  }
  const taskDef = requireLaunchableTaskDefinition(ctx, input.taskDefinition)
  validateSimulation(taskDef)
  const launchType = validateLaunchType(taskDef, input.launchType)
  validateNetworkConfiguration(taskDef, launchType, input.networkConfiguration)
  validateOverrides(taskDef, input.overrides)
  if (input.group !== undefined && (input.group.length === 0 || input.group.length > 255))
    throw invalid('group must be 1 to 255 characters.')
  if (input.startedBy !== undefined && input.startedBy.length > 36)
    throw invalid('startedBy can be at most 36 characters.')
  if (
    launchType === 'FARGATE' &&
    ((input.placementConstraints?.length ?? 0) > 0 || (input.placementStrategy?.length ?? 0) > 0)
  ) {
    throw invalid('Task placement constraints and strategies are not supported for the FARGATE launch type.')
  }
  const constraints = combinedConstraints(taskDef, input.placementConstraints)
  const strategies = input.placementStrategy?.length ? input.placementStrategy : runTaskDefaultStrategies()
  validatePlacementStrategies(strategies)
  const family = taskDef.family ?? ''
  const spec: LaunchSpec = {
    cluster: cluster.body,
    taskDef,
    launchType,
    group: input.group ?? `family:${family}`,
    startedBy: input.startedBy,
    overrides: input.overrides,
    networkConfiguration: input.networkConfiguration,
    platformVersion: input.platformVersion,
    tags: launchTags(ctx, input, taskDef, cluster.name ?? lastSegment(cluster.id)),
    strategies,
    constraints,
  }
  const demand = launchDemand(ctx, spec)
  const tasks: Task[] = []
  const failures: Failure[] = []
  if (launchType === 'FARGATE') {
    const azCounts = new Map<string, number>()
    for (let i = 0; i < count; i++) tasks.push(presentTask(launchOnFargate(ctx, spec, demand, ctx.now, azCounts), true))
  } else {
    const placer = createPlacer(loadCandidates(ctx, cluster.id), {random: ctx.random, clusterArn: cluster.id})
    for (let i = 0; i < count; i++) {
      const result = launchOnPlacer(ctx, placer, spec, demand, ctx.now)
      if ('task' in result) tasks.push(presentTask(result.task, true))
      else failures.push(result.failure)
    }
  }
  return {tasks, failures}
}

export function startTask(ctx: EngineContext, input: StartTaskCommandInput): Out<StartTaskCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const refs = input.containerInstances
  if (!Array.isArray(refs) || refs.length === 0)
    throw invalid('containerInstances must name at least one container instance.')
  if (refs.length > MAX_INSTANCES_PER_START)
    throw invalid(`containerInstances can name at most ${MAX_INSTANCES_PER_START} container instances.`)
  const taskDef = requireLaunchableTaskDefinition(ctx, input.taskDefinition)
  validateSimulation(taskDef)
  if (!(taskDef.compatibilities ?? ['EC2']).includes('EC2'))
    throw new EcsApiError('ClientException', 'Task definition does not support launch_type EC2.')
  validateNetworkConfiguration(taskDef, 'EC2', input.networkConfiguration)
  validateOverrides(taskDef, input.overrides)
  if (input.group !== undefined && (input.group.length === 0 || input.group.length > 255))
    throw invalid('group must be 1 to 255 characters.')
  if (input.startedBy !== undefined && input.startedBy.length > 36)
    throw invalid('startedBy can be at most 36 characters.')
  const spec: LaunchSpec = {
    cluster: cluster.body,
    taskDef,
    launchType: 'EC2',
    group: input.group ?? `family:${taskDef.family ?? ''}`,
    startedBy: input.startedBy,
    overrides: input.overrides,
    networkConfiguration: input.networkConfiguration,
    tags: launchTags(ctx, input, taskDef, cluster.name ?? lastSegment(cluster.id)),
    strategies: [],
    constraints: [],
  }
  const demand = launchDemand(ctx, spec)
  const candidates = loadCandidates(ctx, cluster.id)
  const tasks: Task[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    const instance = getInstance(ctx, cluster.id, ref)
    const arn = isArn(ref) ? ref : containerInstanceArn(ctx.settings, cluster.name ?? lastSegment(cluster.id), ref)
    if (!instance) {
      failures.push({arn, reason: 'MISSING'})
      continue
    }
    if (instance.status === 'INACTIVE') {
      failures.push({arn: instance.containerInstanceArn, reason: 'INACTIVE'})
      continue
    }
    const candidate = candidates.find((c) => c.containerInstanceArn === instance.containerInstanceArn)
    if (!candidate) {
      failures.push({arn: instance.containerInstanceArn, reason: 'MISSING'})
      continue
    }
    const placer = createPlacer([candidate], {random: ctx.random, clusterArn: cluster.id})
    const result = launchOnPlacer(ctx, placer, spec, demand, ctx.now)
    if ('task' in result) tasks.push(presentTask(result.task, true))
    else failures.push({arn: instance.containerInstanceArn, reason: result.failure.reason})
  }
  return {tasks, failures}
}

/** A task of the cluster by id or ARN (any status), or undefined. */
export function findTask(ctx: EngineContext, clusterArn: string, ref: string): TaskDoc | undefined {
  const arn = isArn(ref) ? ref : buildTaskArn(ctx.settings, lastSegment(clusterArn), ref)
  const doc = ctx.tx.get<TaskDoc>('task', arn)
  if (!doc || doc.body.clusterArn !== clusterArn) return undefined
  return doc.body
}

export function stopTask(ctx: EngineContext, input: StopTaskCommandInput): Out<StopTaskCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (typeof input.task !== 'string' || input.task === '') throw invalid('task is required.')
  if (input.reason !== undefined && input.reason.length > 255) throw invalid('reason can be at most 255 characters.')
  const task = findTask(ctx, cluster.id, input.task)
  if (!task) throw invalid('The referenced task was not found.')
  if (task.lastStatus !== 'STOPPED' && !task._sim.stop) {
    const report = stopTaskAt(task, ctx.now, {reason: input.reason || DEFAULT_STOP_REASON, code: 'UserInitiated'})
    afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now)
  }
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

// ---------------------------------------------------------------------------------------------------------------
// helpers for other modules

/** Stop every unstopped task on a container instance (forced deregistration). Returns how many were stopped. */
export function stopTasksOnInstance(ctx: EngineContext, instanceArn: string, stoppedReason: string): number {
  let stopped = 0
  for (const doc of ctx.tx.list<TaskDoc>('task', {parent: instanceArn, statusIn: UNSTOPPED})) {
    const task = doc.body
    if (task._sim.stop) continue
    const report = stopTaskAt(task, ctx.now, {reason: stoppedReason, code: 'UserInitiated'})
    afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now)
    stopped++
  }
  return stopped
}

/** Running and pending task counts of a cluster (DescribeClusters). */
export function countTasks(ctx: EngineContext, clusterArn: string): {running: number; pending: number} {
  return {
    running: ctx.tx.count('task', {cluster: clusterArn, status: 'RUNNING'}),
    pending: ctx.tx.count('task', {cluster: clusterArn, statusIn: [...STARTING_STATUSES]}),
  }
}

export const taskHandlers = {runTask, startTask, stopTask, describeTasks, listTasks}
