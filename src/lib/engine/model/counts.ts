/**
 * Live counts from the index columns (no bodies read, except for the statistics split by launch type): what
 * DescribeClusters and DescribeContainerInstances report, and what DeleteCluster / DeregisterContainerInstance check.
 */
import type {KeyValuePair, Task} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../context.js'
import {STARTING_STATUSES} from './tasks.js'

/** Instance statuses that count as "registered" (and that block DeleteCluster). */
export const REGISTERED_INSTANCE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING']
/** Task lastStatus values that count as pending / running on an instance. */
const PENDING_TASK_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING']
const RUNNING_TASK_STATUSES = ['RUNNING']

export interface ClusterCounts {
  registeredContainerInstancesCount: number
  runningTasksCount: number
  pendingTasksCount: number
  activeServicesCount: number
}

/** Running and pending task counts of a cluster (DescribeClusters). */
export function countTasks(ctx: EngineContext, clusterArn: string): {running: number; pending: number} {
  return {
    running: ctx.tx.count('task', {cluster: clusterArn, status: 'RUNNING'}),
    pending: ctx.tx.count('task', {cluster: clusterArn, statusIn: [...STARTING_STATUSES]}),
  }
}

/** ACTIVE services of a cluster (DescribeClusters' activeServicesCount). */
export function countActiveServices(ctx: EngineContext, clusterArn: string): number {
  return ctx.tx.count('service', {cluster: clusterArn, status: 'ACTIVE'})
}

export function clusterCounts(ctx: EngineContext, arn: string): ClusterCounts {
  const tasks = countTasks(ctx, arn)
  return {
    registeredContainerInstancesCount: ctx.tx.count('instance', {cluster: arn, statusIn: REGISTERED_INSTANCE_STATUSES}),
    runningTasksCount: tasks.running,
    pendingTasksCount: tasks.pending,
    activeServicesCount: countActiveServices(ctx, arn),
  }
}

/** DescribeClusters' `statistics` (include STATISTICS): tasks and services by launch type. */
export function clusterStatistics(ctx: EngineContext, arn: string): KeyValuePair[] {
  const counts: Record<string, number> = {
    runningEC2TasksCount: 0,
    runningFargateTasksCount: 0,
    pendingEC2TasksCount: 0,
    pendingFargateTasksCount: 0,
    activeEC2ServiceCount: 0,
    activeFargateServiceCount: 0,
    drainingEC2ServiceCount: 0,
    drainingFargateServiceCount: 0,
  }
  for (const task of ctx.tx.list<Task>('task', {cluster: arn, statusIn: ['RUNNING', 'PENDING']})) {
    const launch = task.body.launchType === 'FARGATE' ? 'Fargate' : 'EC2'
    counts[`${task.status === 'RUNNING' ? 'running' : 'pending'}${launch}TasksCount`]++
  }
  for (const service of ctx.tx.list<{launchType?: string}>('service', {
    cluster: arn,
    statusIn: ['ACTIVE', 'DRAINING'],
  })) {
    const launch = service.body.launchType === 'FARGATE' ? 'Fargate' : 'EC2'
    counts[`${service.status === 'ACTIVE' ? 'active' : 'draining'}${launch}ServiceCount`]++
  }
  return Object.entries(counts).map(([name, value]) => ({name, value: String(value)}))
}

/** DRAINING services of a cluster (they block DeleteCluster too). */
export function countDrainingServices(ctx: EngineContext, clusterArn: string): number {
  return ctx.tx.count('service', {cluster: clusterArn, status: 'DRAINING'})
}

/** Whether any task of the cluster has not reached STOPPED. */
export function hasUnstoppedTasks(ctx: EngineContext, arn: string): boolean {
  return ctx.tx.count('task', {cluster: arn}) > ctx.tx.count('task', {cluster: arn, status: 'STOPPED'})
}

/** Task counts of an instance from the task documents. */
export function instanceTaskCounts(ctx: EngineContext, instanceArn: string): {running: number; pending: number} {
  return {
    running: ctx.tx.count('task', {parent: instanceArn, statusIn: RUNNING_TASK_STATUSES}),
    pending: ctx.tx.count('task', {parent: instanceArn, statusIn: PENDING_TASK_STATUSES}),
  }
}

/** Tasks on an instance that have not reached STOPPED (they block a deregistration without force). */
export function unstoppedTasksOnInstance(ctx: EngineContext, instanceArn: string): number {
  return ctx.tx.count('task', {parent: instanceArn}) - ctx.tx.count('task', {parent: instanceArn, status: 'STOPPED'})
}
