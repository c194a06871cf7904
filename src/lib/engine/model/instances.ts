/**
 * Container instance documents: resolution of an instance reference (id, ARN, old-format ARN, EC2 instance id),
 * saving with the index columns, the instance as ECS returns it, and its status changes outside the handlers
 * (deregistration, agent disconnects, purge of INACTIVE instances after their retention).
 *
 * `remainingResources` holds CPU/MEMORY/GPU and the reserved (static) PORTS/PORTS_UDP; dynamically assigned host
 * ports are tracked in `_engine` only, as ECS does not list them (model/instance-resources.ts keeps both).
 * `runningTasksCount`/`pendingTasksCount` are computed from the task documents when presented.
 */
import type {ContainerInstance} from '@aws-sdk/client-ecs'

import {containerInstanceArn, isArn, lastSegment, parseEcsArn} from '../arns.js'
import type {EngineContext} from '../context.js'
import {EcsApiError} from '../errors.js'
import {omitKeys} from '../objects.js'
import {instanceTaskCounts} from './counts.js'
import type {StoredInstance} from './documents.js'

export const DEFAULT_AGENT_VERSION = '1.80.0'
/** Statuses ListContainerInstances can filter on (and that placement and attributes consider). */
export const LISTABLE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']

const indexOf = (body: StoredInstance) => ({
  cluster: body._engine.clusterArn,
  status: body.status,
  name: body.ec2InstanceId,
})

export function saveInstance(ctx: EngineContext, body: StoredInstance): void {
  ctx.tx.put('instance', body.containerInstanceArn as string, body, indexOf(body))
}

/** Bump the instance's `version` (every change the agent would report). */
export function touchInstance(body: StoredInstance): void {
  body.version = (body.version ?? 0) + 1
}

/**
 * A container instance of the cluster by reference: its 32-hex id, full ARN, or EC2 instance id. Returns the
 * stored body (with `_engine`), any status, or undefined.
 */
export function getInstance(ctx: EngineContext, clusterArn: string, ref: string): StoredInstance | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined
  const clusterName = lastSegment(clusterArn)
  if (isArn(ref)) {
    const parsed = parseEcsArn(ref)
    if (parsed?.resourceType !== 'container-instance') return undefined
    const doc = ctx.tx.get<StoredInstance>('instance', ref)
    if (doc) return doc.body._engine.clusterArn === clusterArn ? doc.body : undefined
    // Old-format ARN (…:container-instance/<id>): look the id up in this cluster.
    return parsed.path.length === 1
      ? ctx.tx.get<StoredInstance>('instance', containerInstanceArn(ctx.settings, clusterName, parsed.path[0]))?.body
      : undefined
  }
  if (ref.startsWith('i-')) {
    const docs = ctx.tx.list<StoredInstance>('instance', {cluster: clusterArn, name: ref})
    // Prefer a live registration over INACTIVE ones of the same EC2 instance.
    return (docs.find((d) => d.status !== 'INACTIVE') ?? docs[docs.length - 1])?.body
  }
  return ctx.tx.get<StoredInstance>('instance', containerInstanceArn(ctx.settings, clusterName, ref))?.body
}

/** A stored instance that must exist (an ARN the engine itself recorded), else ServerException. */
export function instanceByArn(ctx: EngineContext, instanceArn: string): StoredInstance {
  const doc = ctx.tx.get<StoredInstance>('instance', instanceArn)
  if (!doc) throw new EcsApiError('ServerException', `Container instance ${instanceArn} is not in the engine's store.`)
  return doc.body
}

/** The instance as ECS returns it (no engine-private state; live task counts; tags only when asked). */
export function presentInstance(ctx: EngineContext, body: StoredInstance, includeTags = true): ContainerInstance {
  const counts = instanceTaskCounts(ctx, body.containerInstanceArn as string)
  const out: ContainerInstance = includeTags ? omitKeys(body, '_engine') : omitKeys(body, '_engine', 'tags')
  out.runningTasksCount = counts.running
  out.pendingTasksCount = counts.pending
  return out
}

/** Deregister: status INACTIVE (describable for `inactiveInstanceRetentionMs`, then purged). */
export function markInstanceInactive(
  ctx: EngineContext,
  instanceArn: string,
  reason?: string,
  options: {agentConnected?: boolean} = {},
): StoredInstance {
  const body = instanceByArn(ctx, instanceArn)
  body.status = 'INACTIVE'
  if (reason) body.statusReason = reason
  if (options.agentConnected !== undefined) body.agentConnected = options.agentConnected
  body._engine.deregisteredAt = ctx.now
  touchInstance(body)
  saveInstance(ctx, body)
  return body
}

/** Agent connection flips (an EC2 instance stopped/started): the status stays as it is. */
export function setAgentConnected(ctx: EngineContext, instanceArn: string, connected: boolean): StoredInstance {
  const body = instanceByArn(ctx, instanceArn)
  if (body.agentConnected !== connected) {
    body.agentConnected = connected
    touchInstance(body)
    saveInstance(ctx, body)
  }
  return body
}

/** Drop INACTIVE instances older than the retention (lazily, on every engine call). */
export function purgeInactiveInstances(ctx: EngineContext): number {
  let purged = 0
  for (const doc of ctx.tx.list<StoredInstance>('instance', {status: 'INACTIVE'})) {
    const since = doc.body._engine.deregisteredAt ?? 0
    if (ctx.now - since >= ctx.settings.inactiveInstanceRetentionMs) {
      ctx.tx.delete('instance', doc.id)
      purged++
    }
  }
  return purged
}
