/**
 * Fault injection for rehearsals (`ecsx engine kill-instance` / `fail-task`, through the local backend's
 * EngineControls). Both run inside one engine transaction after reconcile; services react on the next reconcile
 * (which runs their controllers at this call's time).
 */
import type {ContainerInstance, Task} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../context.js'
import {EcsApiError} from '../errors.js'
import {requireActiveCluster} from '../model/clusters.js'
import type {StoredInstance} from '../model/documents.js'
import {getInstance, markInstanceInactive, presentInstance, setAgentConnected} from '../model/instances.js'
import {findTask, presentTask, unstoppedTasksOn} from '../model/tasks.js'
import {failTaskAt, stopTaskImmediately} from './lifecycle.js'
import {afterTransition, NO_WAKEUPS} from './transitions.js'

export const hostTerminatedReason = (ec2InstanceId: string): string =>
  `Host EC2 (instance ${ec2InstanceId}) stopped/terminated`

/**
 * Terminate a container instance as if its EC2 instance were terminated: its tasks are STOPPED at once with
 * `Host EC2 (instance <id>) stopped/terminated`, and it is deregistered (INACTIVE, agent disconnected).
 * `ref` = container instance id, ARN, or EC2 instance id.
 */
export function killInstance(ctx: EngineContext, cluster: string, ref: string): ContainerInstance {
  const {arn, reason} = stopHostTasks(ctx, cluster, ref)
  const inactive = markInstanceInactive(ctx, arn, reason, {agentConnected: false})
  return presentInstance(ctx, inactive)
}

/** The host went away (stopped or terminated): every unstopped task on it stops at once with ECS's reason. */
function stopHostTasks(ctx: EngineContext, cluster: string, ref: string): {arn: string; reason: string} {
  const {instance} = requireLiveInstance(ctx, cluster, ref)
  const arn = instance.containerInstanceArn as string
  const reason = hostTerminatedReason(instance.ec2InstanceId ?? ref)
  for (const task of unstoppedTasksOn(ctx, arn)) {
    const report = stopTaskImmediately(task, ctx.now, {reason, code: 'TerminationNotice'})
    afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now)
  }
  return {arn, reason}
}

function requireLiveInstance(
  ctx: EngineContext,
  cluster: string,
  ref: string,
): {instance: StoredInstance; clusterName: string} {
  const clusterDoc = requireActiveCluster(ctx, cluster)
  const instance = getInstance(ctx, clusterDoc.id, ref)
  if (!instance)
    throw new EcsApiError(
      'InvalidParameterException',
      `Container instance '${ref}' was not found in cluster '${clusterDoc.name}'.`,
    )
  if (instance.status === 'INACTIVE') {
    throw new EcsApiError(
      'InvalidParameterException',
      `Container instance '${ref}' is already INACTIVE (deregistered or terminated).`,
    )
  }
  return {instance, clusterName: clusterDoc.name ?? cluster}
}

/**
 * Stop (not terminate) the EC2 instance behind a container instance (spec §3.4, §10.24): it stays ACTIVE with
 * `agentConnected` false, its tasks are STOPPED with `Host EC2 (instance <id>) stopped/terminated`, and nothing is
 * placed on it (failure AGENT) until `startInstance`.
 */
export function stopInstance(ctx: EngineContext, cluster: string, ref: string): ContainerInstance {
  const {arn} = stopHostTasks(ctx, cluster, ref)
  return presentInstance(ctx, setAgentConnected(ctx, arn, false))
}

/** Start a stopped EC2 instance again: its agent reconnects and it can receive tasks. */
export function startInstance(ctx: EngineContext, cluster: string, ref: string): ContainerInstance {
  const {instance} = requireLiveInstance(ctx, cluster, ref)
  return presentInstance(ctx, setAgentConnected(ctx, instance.containerInstanceArn as string, true))
}

/** Make a task's essential containers exit with `exitCode` (default 1): the task stops; services replace it. */
export function failTask(ctx: EngineContext, cluster: string, ref: string, exitCode = 1): Task {
  const clusterDoc = requireActiveCluster(ctx, cluster)
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)
    throw new EcsApiError('InvalidParameterException', 'exitCode must be an integer from 0 to 255.')
  const task = findTask(ctx, clusterDoc.id, ref)
  if (!task) throw new EcsApiError('InvalidParameterException', 'The referenced task was not found.')
  if (task.lastStatus === 'STOPPED' || task._sim.stop) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Task '${ref}' is already ${task.lastStatus === 'STOPPED' ? 'STOPPED' : 'stopping'}.`,
    )
  }
  const report = failTaskAt(task, ctx.now, exitCode)
  afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now)
  return presentTask(task, true)
}
