/**
 * Clusters (spec §7): CreateCluster, DeleteCluster, DescribeClusters, ListClusters.
 */
import type {
  Cluster,
  CreateClusterCommandInput,
  CreateClusterCommandOutput,
  DeleteClusterCommandInput,
  DeleteClusterCommandOutput,
  DescribeClustersCommandInput,
  DescribeClustersCommandOutput,
  Failure,
  ListClustersCommandInput,
  ListClustersCommandOutput,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../ecs/backend.js'
import {clusterArn, clusterNameOf} from '../arns.js'
import type {EngineContext} from '../context.js'
import {EcsApiError} from '../errors.js'
import {
  DEFAULT_CLUSTER,
  findCluster,
  presentCluster,
  putNewCluster,
  requireActiveCluster,
  saveCluster,
} from '../model/clusters.js'
import {clusterCounts, countDrainingServices, hasUnstoppedTasks} from '../model/counts.js'
import {paginate} from '../paging.js'
import type {HandlerTable} from './handler.js'
import {checkEach, request, TAG_SHAPES} from './input.js'
import {tagsForCreate} from './tags.js'

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/

export function validateClusterName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Cluster name '${name}' is invalid: use 1 to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.`,
    )
  }
}

export function createCluster(ctx: EngineContext, input: CreateClusterCommandInput): Out<CreateClusterCommandOutput> {
  input = request(input, {
    clusterName: 'string',
    tags: 'object[]',
    settings: 'object[]',
    configuration: 'object',
    capacityProviders: 'string[]',
    defaultCapacityProviderStrategy: 'object[]',
  })
  checkEach(input.tags, TAG_SHAPES, 'tags')
  checkEach(input.settings, {name: 'string', value: 'string'}, 'settings')
  for (const setting of input.settings ?? []) {
    if (setting.name !== 'containerInsights' || !['enabled', 'disabled', 'enhanced'].includes(setting.value ?? '')) {
      throw new EcsApiError(
        'InvalidParameterException',
        `Invalid cluster setting ${JSON.stringify(setting)}: ` +
          'the only setting is containerInsights with value enabled, disabled or enhanced.',
      )
    }
  }
  const name = input.clusterName ?? DEFAULT_CLUSTER
  validateClusterName(name)
  const existing = findCluster(ctx, name)
  // Idempotent for an ACTIVE name: the existing cluster is returned unchanged.
  if (existing?.body.status === 'ACTIVE')
    return {cluster: presentCluster(ctx, existing, {tags: true, statistics: false})}
  const created = putNewCluster(ctx, name, {...input, tags: tagsForCreate(input.tags)})
  return {cluster: presentCluster(ctx, created, {tags: true, statistics: false})}
}

export function deleteCluster(ctx: EngineContext, input: DeleteClusterCommandInput): Out<DeleteClusterCommandOutput> {
  input = request(input, {cluster: 'string'})
  if (typeof input.cluster !== 'string' || input.cluster === '')
    throw new EcsApiError('InvalidParameterException', 'cluster is required.')
  const doc = requireActiveCluster(ctx, input.cluster)
  const counts = clusterCounts(ctx, doc.id)
  if (counts.registeredContainerInstancesCount > 0) {
    throw new EcsApiError(
      'ClusterContainsContainerInstancesException',
      'The Cluster cannot be deleted while Container Instances are active or draining.',
    )
  }
  if (counts.activeServicesCount > 0 || countDrainingServices(ctx, doc.id) > 0) {
    throw new EcsApiError(
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    )
  }
  if (counts.runningTasksCount + counts.pendingTasksCount > 0 || hasUnstoppedTasks(ctx, doc.id)) {
    throw new EcsApiError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.')
  }
  const body: Cluster = {...doc.body, status: 'INACTIVE'}
  saveCluster(ctx, body)
  return {cluster: presentCluster(ctx, {...doc, body, status: 'INACTIVE'}, {tags: true, statistics: false})}
}

export function describeClusters(
  ctx: EngineContext,
  input: DescribeClustersCommandInput,
): Out<DescribeClustersCommandOutput> {
  input = request(input, {clusters: 'string[]', include: 'string[]'})
  const refs = input.clusters?.length ? input.clusters : [DEFAULT_CLUSTER]
  if (refs.length > 100) throw new EcsApiError('InvalidParameterException', 'clusters can name at most 100 clusters.')
  const include = {
    tags: input.include?.includes('TAGS') ?? false,
    statistics: input.include?.includes('STATISTICS') ?? false,
  }
  const clusters: Cluster[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    const doc = findCluster(ctx, ref)
    if (doc) clusters.push(presentCluster(ctx, doc, include))
    else failures.push({arn: clusterArn(ctx.settings, clusterNameOf(ref)), reason: 'MISSING'})
  }
  return {clusters, failures}
}

export function listClusters(ctx: EngineContext, input: ListClustersCommandInput): Out<ListClustersCommandOutput> {
  input = request(input, {maxResults: 'integer', nextToken: 'string'})
  const prefix = clusterArn(ctx.settings, '')
  const arns = ctx.tx
    .list<Cluster>('cluster', {status: 'ACTIVE'})
    .map((doc) => doc.id)
    .filter((arn) => arn.startsWith(prefix))
  const page = paginate(arns, input)
  return page.nextToken === undefined ? {clusterArns: page.items} : {clusterArns: page.items, nextToken: page.nextToken}
}

export const clusterHandlers = {createCluster, deleteCluster, describeClusters, listClusters} satisfies HandlerTable
