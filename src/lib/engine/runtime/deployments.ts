/**
 * Service deployments (spec §6.2, §6.5): creation, the rolling-update bounds, per-deployment counts, dropping
 * drained deployments, and the rollout state (IN_PROGRESS → COMPLETED, or FAILED by the circuit breaker).
 */
import type {Deployment, DeploymentConfiguration, NetworkConfiguration, Service} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../context.js'
import {newDeploymentId} from '../ids.js'
import type {TaskDoc} from '../model/documents.js'
import {isLive, STARTING_STATUSES} from '../model/tasks.js'

export const REPLICA_DEFAULTS = {maximumPercent: 200, minimumHealthyPercent: 100} as const
export const DAEMON_DEFAULTS = {maximumPercent: 100, minimumHealthyPercent: 0} as const

/** Fill in the defaults of a deployment configuration for the scheduling strategy. */
export function withDeploymentDefaults(
  strategy: string | undefined,
  config: DeploymentConfiguration | undefined,
): DeploymentConfiguration {
  const defaults = strategy === 'DAEMON' ? DAEMON_DEFAULTS : REPLICA_DEFAULTS
  const out: DeploymentConfiguration = {
    ...config,
    maximumPercent: config?.maximumPercent ?? defaults.maximumPercent,
    minimumHealthyPercent: config?.minimumHealthyPercent ?? defaults.minimumHealthyPercent,
  }
  if (config?.deploymentCircuitBreaker) out.deploymentCircuitBreaker = {...config.deploymentCircuitBreaker}
  return out
}

export interface DeploymentBounds {
  /** Upper bound on RUNNING + PENDING tasks: floor(D × maximumPercent / 100). */
  maxTasks: number
  /** Lower bound on healthy RUNNING tasks: ceil(D × minimumHealthyPercent / 100). */
  minHealthy: number
}

export function deploymentBounds(desired: number, config: DeploymentConfiguration | undefined): DeploymentBounds {
  const max = config?.maximumPercent ?? REPLICA_DEFAULTS.maximumPercent
  const min = config?.minimumHealthyPercent ?? REPLICA_DEFAULTS.minimumHealthyPercent
  // Integer arithmetic first to avoid 0.1-style float surprises (e.g. 3 × 110 / 100).
  return {maxTasks: Math.floor((desired * max) / 100), minHealthy: Math.ceil((desired * min) / 100)}
}

/** Failed-task threshold of the deployment circuit breaker: clamp(ceil(0.5 × D), 10, 200). */
export function circuitBreakerThreshold(desired: number): number {
  return Math.min(200, Math.max(10, Math.ceil(desired / 2)))
}

export interface DeploymentSpec {
  taskDefinition: string
  desiredCount: number
  launchType?: Service['launchType']
  platformVersion?: string
  networkConfiguration?: NetworkConfiguration
}

/** A new PRIMARY deployment; the previous PRIMARY (if any) becomes ACTIVE. */
export function startDeployment(ctx: EngineContext, service: Service, spec: DeploymentSpec, at: number): Deployment {
  const id = newDeploymentId(ctx)
  const deployment: Deployment = {
    id,
    status: 'PRIMARY',
    taskDefinition: spec.taskDefinition,
    desiredCount: spec.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: new Date(at),
    updatedAt: new Date(at),
    launchType: spec.launchType,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
  }
  if (spec.platformVersion !== undefined) deployment.platformVersion = spec.platformVersion
  if (spec.networkConfiguration !== undefined) deployment.networkConfiguration = spec.networkConfiguration
  if (deployment.launchType === undefined) delete deployment.launchType
  for (const previous of service.deployments ?? []) {
    if (previous.status === 'PRIMARY') {
      previous.status = 'ACTIVE'
      previous.updatedAt = new Date(at)
    }
  }
  service.deployments = [deployment, ...(service.deployments ?? [])]
  return deployment
}

export const primaryOf = (service: Service): Deployment | undefined =>
  service.deployments?.find((d) => d.status === 'PRIMARY')

/**
 * Recompute running/pending counts per deployment and for the service from its non-stopped tasks, and drop
 * non-PRIMARY deployments that have no task left (they become INACTIVE and leave the list).
 */
export function refreshDeploymentCounts(service: Service, tasks: TaskDoc[], at: number): void {
  const byDeployment = new Map<string, {running: number; pending: number; live: number; any: number}>()
  let running = 0
  let pending = 0
  for (const task of tasks) {
    if (task.lastStatus === 'STOPPED') continue
    const id = task._sim.deploymentId ?? ''
    const entry = byDeployment.get(id) ?? {running: 0, pending: 0, live: 0, any: 0}
    entry.any++
    if (task.lastStatus === 'RUNNING') {
      entry.running++
      running++
    } else if (STARTING_STATUSES.has(task.lastStatus ?? '')) {
      entry.pending++
      pending++
    }
    if (isLive(task)) entry.live++
    byDeployment.set(id, entry)
  }
  const kept: Deployment[] = []
  for (const deployment of service.deployments ?? []) {
    const counts = byDeployment.get(deployment.id ?? '') ?? {running: 0, pending: 0, live: 0, any: 0}
    if (deployment.status !== 'PRIMARY' && counts.any === 0) continue
    if (deployment.runningCount !== counts.running || deployment.pendingCount !== counts.pending) {
      deployment.runningCount = counts.running
      deployment.pendingCount = counts.pending
      deployment.updatedAt = new Date(at)
    }
    if (deployment.status === 'PRIMARY') deployment.desiredCount = service.desiredCount
    else deployment.desiredCount = counts.live
    kept.push(deployment)
  }
  service.deployments = kept
  service.runningCount = running
  service.pendingCount = pending
}
