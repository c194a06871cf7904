/**
 * Cluster documents: resolution of a cluster reference (name or ARN, default `default`), creation, saving, and the
 * cluster as ECS returns it (live counts from model/counts.ts).
 */
import type {CreateClusterCommandInput, Tag} from '@aws-sdk/client-ecs'

import {clusterArn, clusterNameOf} from '../arns.js'
import type {EngineContext, StoredDoc} from '../context.js'
import {EcsApiError} from '../errors.js'
import {type ClusterCounts, clusterCounts, clusterStatistics} from './counts.js'
import type {StoredCluster} from './documents.js'

export const DEFAULT_CLUSTER = 'default'

/** The cluster document for a reference (name or ARN; default `default`), ACTIVE or INACTIVE; undefined if unknown. */
export function findCluster(ctx: EngineContext, ref: string | undefined): StoredDoc<StoredCluster> | undefined {
  const name = clusterNameOf(ref ?? DEFAULT_CLUSTER)
  return ctx.tx.get<StoredCluster>('cluster', clusterArn(ctx.settings, name))
}

/** The ACTIVE cluster for a reference, else `ClusterNotFoundException` (as ECS: also for INACTIVE clusters). */
export function requireActiveCluster(ctx: EngineContext, ref: string | undefined): StoredDoc<StoredCluster> {
  const doc = findCluster(ctx, ref)
  if (!doc || doc.body.status !== 'ACTIVE') throw new EcsApiError('ClusterNotFoundException', 'Cluster not found.')
  return doc
}

/** Persist a cluster with its index columns (name, status). */
export function saveCluster(ctx: EngineContext, body: StoredCluster): void {
  ctx.tx.put('cluster', body.clusterArn as string, body, {name: body.clusterName, status: body.status})
}

/**
 * Create the cluster document (used by CreateCluster and by the auto-creation of `default` at registration).
 * `extra.tags` must already be validated (api/tags.ts `tagsForCreate`).
 */
export function putNewCluster(
  ctx: EngineContext,
  name: string,
  extra: Pick<
    CreateClusterCommandInput,
    'settings' | 'configuration' | 'capacityProviders' | 'defaultCapacityProviderStrategy'
  > & {tags?: Tag[]} = {},
): StoredDoc<StoredCluster> {
  const arn = clusterArn(ctx.settings, name)
  const body: StoredCluster = {
    clusterArn: arn,
    clusterName: name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    activeServicesCount: 0,
    statistics: [],
    tags: extra.tags ?? [],
    settings: extra.settings?.length
      ? extra.settings.map((s) => ({...s}))
      : [{name: 'containerInsights', value: 'disabled'}],
    capacityProviders: [...(extra.capacityProviders ?? [])],
    defaultCapacityProviderStrategy: [...(extra.defaultCapacityProviderStrategy ?? [])],
  }
  if (extra.configuration) body.configuration = extra.configuration
  saveCluster(ctx, body)
  return {kind: 'cluster', id: arn, body, name, status: 'ACTIVE'}
}

/** The cluster as ECS returns it: live counts; tags and statistics only when asked for. */
export function presentCluster(
  ctx: EngineContext,
  doc: StoredDoc<StoredCluster>,
  include: {tags: boolean; statistics: boolean},
): StoredCluster {
  const counts: ClusterCounts =
    doc.body.status === 'ACTIVE'
      ? clusterCounts(ctx, doc.id)
      : {registeredContainerInstancesCount: 0, runningTasksCount: 0, pendingTasksCount: 0, activeServicesCount: 0}
  const cluster: StoredCluster = {
    ...doc.body,
    ...counts,
    statistics: include.statistics ? clusterStatistics(ctx, doc.id) : [],
  }
  if (include.tags) cluster.tags = doc.body.tags ?? []
  else delete cluster.tags
  return cluster
}
