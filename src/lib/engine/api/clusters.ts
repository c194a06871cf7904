/**
 * Clusters (spec §7): CreateCluster, DeleteCluster, DescribeClusters, ListClusters, and the cluster lookups the
 * other operation modules share.
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
  KeyValuePair,
  ListClustersCommandInput,
  ListClustersCommandOutput,
  Task,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../ecs/backend.js'
import {clusterArn, clusterNameOf} from '../arns.js'
import type {EngineContext, StoredDoc} from '../context.js'
import {EcsApiError} from '../errors.js'
import {paginate} from '../paging.js'
import {checkEach, request, TAG_SHAPES} from './input.js'
import {countActiveServices} from './services.js'
import {tagsForCreate} from './tags.js'
import {countTasks} from './tasks.js'

export const DEFAULT_CLUSTER = 'default'
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/

/** Instance statuses that count as "registered" (and that block DeleteCluster). */
export const REGISTERED_INSTANCE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING']

export function validateClusterName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Cluster name '${name}' is invalid: use 1 to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.`,
    )
  }
}

/** The cluster document for a reference (name or ARN; default `default`), ACTIVE or INACTIVE; undefined if unknown. */
export function findCluster(ctx: EngineContext, ref: string | undefined): StoredDoc<Cluster> | undefined {
  const name = clusterNameOf(ref ?? DEFAULT_CLUSTER)
  return ctx.tx.get<Cluster>('cluster', clusterArn(ctx.settings, name))
}

/** The ACTIVE cluster for a reference, else `ClusterNotFoundException` (as ECS: also for INACTIVE clusters). */
export function requireActiveCluster(ctx: EngineContext, ref: string | undefined): StoredDoc<Cluster> {
  const doc = findCluster(ctx, ref)
  if (!doc || doc.body.status !== 'ACTIVE') throw new EcsApiError('ClusterNotFoundException', 'Cluster not found.')
  return doc
}

/** Create the cluster document (used by CreateCluster and by the auto-creation of `default` at registration). */
export function putNewCluster(
  ctx: EngineContext,
  name: string,
  extra: Pick<
    CreateClusterCommandInput,
    'tags' | 'settings' | 'configuration' | 'capacityProviders' | 'defaultCapacityProviderStrategy'
  > = {},
): StoredDoc<Cluster> {
  const arn = clusterArn(ctx.settings, name)
  const body: Cluster = {
    clusterArn: arn,
    clusterName: name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    activeServicesCount: 0,
    statistics: [],
    tags: tagsForCreate(extra.tags),
    settings: extra.settings?.length
      ? extra.settings.map((s) => ({...s}))
      : [{name: 'containerInsights', value: 'disabled'}],
    capacityProviders: [...(extra.capacityProviders ?? [])],
    defaultCapacityProviderStrategy: [...(extra.defaultCapacityProviderStrategy ?? [])],
  }
  if (extra.configuration) body.configuration = extra.configuration
  ctx.tx.put('cluster', arn, body, {name, status: 'ACTIVE'})
  return {kind: 'cluster', id: arn, body, name, status: 'ACTIVE'}
}

interface ClusterCounts {
  registeredContainerInstancesCount: number
  runningTasksCount: number
  pendingTasksCount: number
  activeServicesCount: number
}

function countsOf(ctx: EngineContext, arn: string): ClusterCounts {
  const tasks = countTasks(ctx, arn)
  return {
    registeredContainerInstancesCount: ctx.tx.count('instance', {cluster: arn, statusIn: REGISTERED_INSTANCE_STATUSES}),
    runningTasksCount: tasks.running,
    pendingTasksCount: tasks.pending,
    activeServicesCount: countActiveServices(ctx, arn),
  }
}

function statisticsOf(ctx: EngineContext, arn: string): KeyValuePair[] {
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

/** The cluster as ECS returns it: live counts; tags and statistics only when asked for. */
export function presentCluster(
  ctx: EngineContext,
  doc: StoredDoc<Cluster>,
  include: {tags: boolean; statistics: boolean},
): Cluster {
  const counts: ClusterCounts =
    doc.body.status === 'ACTIVE'
      ? countsOf(ctx, doc.id)
      : {registeredContainerInstancesCount: 0, runningTasksCount: 0, pendingTasksCount: 0, activeServicesCount: 0}
  const cluster: Cluster = {...doc.body, ...counts, statistics: include.statistics ? statisticsOf(ctx, doc.id) : []}
  if (include.tags) cluster.tags = doc.body.tags ?? []
  else delete cluster.tags
  return cluster
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
        `Invalid cluster setting ${JSON.stringify(setting)}: the only setting is containerInsights with value enabled, disabled or enhanced.`,
      )
    }
  }
  const name = input.clusterName ?? DEFAULT_CLUSTER
  validateClusterName(name)
  const existing = findCluster(ctx, name)
  // Idempotent for an ACTIVE name: the existing cluster is returned unchanged.
  if (existing?.body.status === 'ACTIVE')
    return {cluster: presentCluster(ctx, existing, {tags: true, statistics: false})}
  const created = putNewCluster(ctx, name, input)
  return {cluster: presentCluster(ctx, created, {tags: true, statistics: false})}
}

export function deleteCluster(ctx: EngineContext, input: DeleteClusterCommandInput): Out<DeleteClusterCommandOutput> {
  input = request(input, {cluster: 'string'})
  if (typeof input.cluster !== 'string' || input.cluster === '')
    throw new EcsApiError('InvalidParameterException', 'cluster is required.')
  const doc = requireActiveCluster(ctx, input.cluster)
  const counts = countsOf(ctx, doc.id)
  if (counts.registeredContainerInstancesCount > 0) {
    throw new EcsApiError(
      'ClusterContainsContainerInstancesException',
      'The Cluster cannot be deleted while Container Instances are active or draining.',
    )
  }
  if (counts.activeServicesCount > 0 || ctx.tx.count('service', {cluster: doc.id, status: 'DRAINING'}) > 0) {
    throw new EcsApiError(
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    )
  }
  if (counts.runningTasksCount + counts.pendingTasksCount > 0 || hasUnstoppedTasks(ctx, doc.id)) {
    throw new EcsApiError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.')
  }
  const body: Cluster = {...doc.body, status: 'INACTIVE'}
  ctx.tx.put('cluster', doc.id, body, {name: doc.name, status: 'INACTIVE'})
  return {cluster: presentCluster(ctx, {...doc, body, status: 'INACTIVE'}, {tags: true, statistics: false})}
}

function hasUnstoppedTasks(ctx: EngineContext, arn: string): boolean {
  return ctx.tx.count('task', {cluster: arn}) > ctx.tx.count('task', {cluster: arn, status: 'STOPPED'})
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

export const clusterHandlers = {createCluster, deleteCluster, describeClusters, listClusters}
