/**
 * Service documents: resolution of a service reference, loading and saving with the index columns, the service's
 * unstopped tasks, and the service as ECS returns it. The service scheduler (runtime/scheduler.ts) moves them.
 */
import type {Service} from '@aws-sdk/client-ecs'

import {isArn, lastSegment, serviceArn as buildServiceArn} from '../arns.js'
import type {EngineContext} from '../context.js'
import {omitKeys} from '../objects.js'
import type {ServiceDoc, TaskDoc} from './documents.js'
import {UNSTOPPED_STATUSES} from './tasks.js'

/** The task group of a service's tasks (the `name` index column of its task documents). */
export const serviceGroup = (serviceName: string): string => `service:${serviceName}`

/** The ARN a service reference (name or ARN) stands for in the cluster. */
export function serviceArnFor(ctx: EngineContext, clusterName: string, ref: string): string {
  return isArn(ref) ? ref : buildServiceArn(ctx.settings, clusterName, ref)
}

export function saveService(ctx: EngineContext, service: ServiceDoc): void {
  ctx.tx.put('service', service.serviceArn as string, service, {
    cluster: service.clusterArn,
    status: service.status,
    name: service.serviceName,
  })
}

export function loadService(ctx: EngineContext, serviceArn: string): ServiceDoc | undefined {
  return ctx.tx.get<ServiceDoc>('service', serviceArn)?.body
}

/**
 * The stored service for a reference (name or ARN) in the cluster, any status. `readOnly`: the body may be shared
 * with a cache (no copy) and must not be mutated.
 */
export function findService(
  ctx: EngineContext,
  clusterArn: string,
  ref: string,
  readOnly = false,
): ServiceDoc | undefined {
  const arn = serviceArnFor(ctx, lastSegment(clusterArn), ref)
  const doc = readOnly ? ctx.tx.peek<ServiceDoc>('service', arn) : ctx.tx.get<ServiceDoc>('service', arn)
  if (!doc || doc.body.clusterArn !== clusterArn) return undefined
  return doc.body
}

/** The service as ECS returns it: no engine-private state; tags only when asked for. */
export function presentService(service: ServiceDoc, includeTags = false): Service {
  return includeTags ? omitKeys(service, '_engine') : omitKeys(service, '_engine', 'tags')
}

/**
 * The service's tasks that have not reached STOPPED, in creation order. `readOnly`: the bodies may be shared with a
 * cache (no copy per task) and must not be mutated.
 */
export function unstoppedServiceTasks(ctx: EngineContext, service: Service, readOnly = false): TaskDoc[] {
  return ctx.tx
    .list<TaskDoc>('task', {
      cluster: service.clusterArn,
      name: serviceGroup(service.serviceName ?? ''),
      statusIn: UNSTOPPED_STATUSES,
      shared: readOnly,
    })
    .map((doc) => doc.body)
    .filter((task) => task._sim?.serviceArn === service.serviceArn)
}
