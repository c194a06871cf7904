/**
 * Launching tasks: place on EC2 through a placer (or on Fargate, spread over the AZs of the subnets), then create
 * the task (runtime/new-task.ts), which reserves its resources on the container instance. RunTask and StartTask
 * launch through `runTasks` / `startTasksOn`; the service scheduler through `launchOnPlacer` / `launchOnFargate`.
 */
import type {Failure} from '@aws-sdk/client-ecs'

import {containerInstanceArn, isArn, lastSegment} from '../arns.js'
import type {EngineContext} from '../context.js'
import type {TaskDoc} from '../model/documents.js'
import {loadCandidates} from '../model/instance-resources.js'
import {getInstance} from '../model/instances.js'
import {createPlacer} from '../placement/index.js'
import type {Placer, TaskDemand} from '../placement/types.js'
import {type LaunchSpec, subnetZones} from './launch-spec.js'
import {createTask} from './new-task.js'

/** Tasks launched by one call, and the placement failures of those that could not be. */
export interface Launched {
  tasks: TaskDoc[]
  failures: Failure[]
}

/** Place one task through `placer` and create it; returns the task or the placement failure. */
export function launchOnPlacer(
  ctx: EngineContext,
  placer: Placer,
  spec: LaunchSpec,
  demand: TaskDemand,
  at: number,
): {task: TaskDoc} | {failure: Failure} {
  const result = placer.place({demand, strategies: spec.strategies, constraints: spec.constraints, group: spec.group})
  if (!result.ok) return {failure: {arn: result.arn, reason: result.reason}}
  const task = createTask(ctx, spec, demand, at, {candidate: result.candidate, hostPorts: result.hostPorts})
  return {task}
}

/** Launch a Fargate task (no instance): spread over the AZs of the subnets by the group's task counts. */
export function launchOnFargate(
  ctx: EngineContext,
  spec: LaunchSpec,
  demand: TaskDemand,
  at: number,
  azCounts: Map<string, number>,
): TaskDoc {
  const subnets = spec.networkConfiguration?.awsvpcConfiguration?.subnets ?? []
  const zones = subnetZones(ctx, spec, subnets)
  let chosen = subnets[0]
  let chosenCount = Number.POSITIVE_INFINITY
  for (const subnet of subnets) {
    const zone = zones.get(subnet) as string
    const count = azCounts.get(zone) ?? 0
    if (count < chosenCount) {
      chosen = subnet
      chosenCount = count
    }
  }
  const zone = zones.get(chosen) as string
  azCounts.set(zone, (azCounts.get(zone) ?? 0) + 1)
  return createTask(ctx, spec, demand, at, {subnet: chosen, availabilityZone: zone})
}

/** RunTask: `count` tasks, through one placer over the cluster's instances (EC2) or spread over subnets (Fargate). */
export function runTasks(ctx: EngineContext, spec: LaunchSpec, demand: TaskDemand, count: number): Launched {
  const tasks: TaskDoc[] = []
  const failures: Failure[] = []
  const clusterArn = spec.cluster.clusterArn as string
  if (spec.launchType === 'FARGATE') {
    const azCounts = new Map<string, number>()
    for (let i = 0; i < count; i++) tasks.push(launchOnFargate(ctx, spec, demand, ctx.now, azCounts))
  } else {
    const placer = createPlacer(loadCandidates(ctx, clusterArn), {random: ctx.random, clusterArn})
    for (let i = 0; i < count; i++) {
      const result = launchOnPlacer(ctx, placer, spec, demand, ctx.now)
      if ('task' in result) tasks.push(result.task)
      else failures.push(result.failure)
    }
  }
  return {tasks, failures}
}

/**
 * StartTask: one task on each named container instance (id, ARN or EC2 instance id), placed by a placer over that
 * instance alone (its checks, no strategy). Unknown instances fail MISSING, deregistered ones INACTIVE.
 */
export function startTasksOn(ctx: EngineContext, spec: LaunchSpec, demand: TaskDemand, refs: string[]): Launched {
  const clusterArn = spec.cluster.clusterArn as string
  const clusterName = spec.cluster.clusterName ?? lastSegment(clusterArn)
  const candidates = loadCandidates(ctx, clusterArn)
  const tasks: TaskDoc[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    const instance = getInstance(ctx, clusterArn, ref)
    const arn = isArn(ref) ? ref : containerInstanceArn(ctx.settings, clusterName, ref)
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
    const placer = createPlacer([candidate], {random: ctx.random, clusterArn})
    const result = launchOnPlacer(ctx, placer, spec, demand, ctx.now)
    if ('task' in result) tasks.push(result.task)
    else failures.push({arn: instance.containerInstanceArn, reason: result.failure.reason})
  }
  return {tasks, failures}
}
