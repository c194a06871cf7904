/**
 * Launching operations (spec §4): RunTask and StartTask. Input checks, the launch spec, then runtime/launch.ts.
 */
import type {
  RunTaskCommandInput,
  RunTaskCommandOutput,
  StartTaskCommandInput,
  StartTaskCommandOutput,
  Tag,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {lastSegment} from '../../arns.js'
import type {EngineContext} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {requireActiveCluster} from '../../model/clusters.js'
import {requireLaunchableTaskDefinition, resolveTaskDefinition} from '../../model/task-definitions.js'
import {presentTask} from '../../model/tasks.js'
import {runTaskDefaultStrategies, validatePlacementStrategies} from '../../placement/index.js'
import {runTasks, startTasksOn} from '../../runtime/launch.js'
import {launchDemand, type LaunchSpec} from '../../runtime/launch-spec.js'
import {
  combinedConstraints,
  validateLaunchType,
  validateNetworkConfiguration,
  validateSimulation,
} from '../launch-checks.js'
import {tagsForCreate} from '../tags.js'

export const MAX_TASKS_PER_RUN = 10
export const MAX_INSTANCES_PER_START = 10

const invalid = (message: string): EcsApiError => new EcsApiError('InvalidParameterException', message)

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
  const launched = runTasks(ctx, spec, launchDemand(ctx, spec), count)
  return {tasks: launched.tasks.map((task) => presentTask(task, true)), failures: launched.failures}
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
  const launched = startTasksOn(ctx, spec, launchDemand(ctx, spec), refs)
  return {tasks: launched.tasks.map((task) => presentTask(task, true)), failures: launched.failures}
}
