/**
 * Container instances (spec §3): DeregisterContainerInstance, DescribeContainerInstances, ListContainerInstances,
 * UpdateContainerInstancesState.
 */
import type {
  ContainerInstance,
  ContainerInstanceHealthStatus,
  DeregisterContainerInstanceCommandInput,
  DeregisterContainerInstanceCommandOutput,
  DescribeContainerInstancesCommandInput,
  DescribeContainerInstancesCommandOutput,
  Failure,
  ListContainerInstancesCommandInput,
  ListContainerInstancesCommandOutput,
  UpdateContainerInstancesStateCommandInput,
  UpdateContainerInstancesStateCommandOutput,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {containerInstanceArn, isArn, lastSegment} from '../../arns.js'
import type {EngineContext} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {requireActiveCluster} from '../../model/clusters.js'
import {unstoppedTasksOnInstance} from '../../model/counts.js'
import type {StoredInstance} from '../../model/documents.js'
import {candidateOf} from '../../model/instance-resources.js'
import {
  getInstance,
  LISTABLE_STATUSES,
  markInstanceInactive,
  presentInstance,
  saveInstance,
  touchInstance,
} from '../../model/instances.js'
import {paginate} from '../../paging.js'
import {compileQuery} from '../../query/index.js'
import {stopTasksOnInstance} from '../../runtime/stops.js'
import {request} from '../input.js'

export const FORCED_DEREGISTRATION_REASON = 'Container instance deregistration forced by user'

function refArn(ctx: EngineContext, clusterArn: string, ref: string): string {
  return isArn(ref) ? ref : containerInstanceArn(ctx.settings, lastSegment(clusterArn), ref)
}

export function deregisterContainerInstance(
  ctx: EngineContext,
  input: DeregisterContainerInstanceCommandInput,
): Out<DeregisterContainerInstanceCommandOutput> {
  input = request(input, {cluster: 'string', containerInstance: 'string', force: 'boolean'})
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (typeof input.containerInstance !== 'string' || input.containerInstance === '') {
    throw new EcsApiError('InvalidParameterException', 'containerInstance is required.')
  }
  const body = getInstance(ctx, cluster.id, input.containerInstance)
  if (!body || body.status === 'INACTIVE') {
    throw new EcsApiError(
      'InvalidParameterException',
      `Container instance '${input.containerInstance}' is not registered in cluster '${cluster.name}'.`,
    )
  }
  const arn = body.containerInstanceArn as string
  const unstopped = unstoppedTasksOnInstance(ctx, arn)
  if (unstopped > 0) {
    if (!input.force) {
      throw new EcsApiError(
        'InvalidParameterException',
        `Found ${unstopped} task(s) still running on container instance '${lastSegment(arn)}'. ` +
          'Stop them first, or deregister with force to stop them.',
      )
    }
    stopTasksOnInstance(ctx, arn, FORCED_DEREGISTRATION_REASON)
  }
  const inactive = markInstanceInactive(ctx, arn)
  return {containerInstance: presentInstance(ctx, inactive)}
}

export function describeContainerInstances(
  ctx: EngineContext,
  input: DescribeContainerInstancesCommandInput,
): Out<DescribeContainerInstancesCommandOutput> {
  input = request(input, {cluster: 'string', containerInstances: 'string[]', include: 'string[]'})
  const cluster = requireActiveCluster(ctx, input.cluster)
  const refs = input.containerInstances
  if (!Array.isArray(refs) || refs.length === 0)
    throw new EcsApiError('InvalidParameterException', 'containerInstances must name at least one container instance.')
  if (refs.length > 100)
    throw new EcsApiError('InvalidParameterException', 'containerInstances can name at most 100 container instances.')
  const includeTags = input.include?.includes('TAGS') ?? false
  const includeHealth = input.include?.includes('CONTAINER_INSTANCE_HEALTH') ?? false
  const containerInstances: ContainerInstance[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    const body = getInstance(ctx, cluster.id, ref)
    if (body) {
      const instance = presentInstance(ctx, body, includeTags)
      if (includeHealth) instance.healthStatus = healthOf(body, ctx.now)
      containerInstances.push(instance)
    } else {
      failures.push({arn: refArn(ctx, cluster.id, ref), reason: 'MISSING'})
    }
  }
  return {containerInstances, failures}
}

/** Instance health as the agent reports it: the container runtime is OK while the agent is connected. */
function healthOf(body: StoredInstance, now: number): ContainerInstanceHealthStatus {
  const status = body.status !== 'INACTIVE' && body.agentConnected ? 'OK' : 'IMPAIRED'
  return {
    overallStatus: status,
    details: [{type: 'CONTAINER_RUNTIME', status, lastUpdated: new Date(now), lastStatusChange: body.registeredAt}],
  }
}

export function listContainerInstances(
  ctx: EngineContext,
  input: ListContainerInstancesCommandInput,
): Out<ListContainerInstancesCommandOutput> {
  input = request(input, {
    cluster: 'string',
    filter: 'string',
    status: 'string',
    maxResults: 'integer',
    nextToken: 'string',
  })
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (input.status !== undefined && !LISTABLE_STATUSES.includes(input.status)) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Invalid status '${input.status}': use ${LISTABLE_STATUSES.join(', ')}.`,
    )
  }
  const predicate =
    input.filter !== undefined && input.filter.trim() !== '' ? compileQuery(input.filter).test : undefined
  const docs = ctx.tx.list<StoredInstance>(
    'instance',
    input.status ? {cluster: cluster.id, status: input.status} : {cluster: cluster.id, statusIn: LISTABLE_STATUSES},
  )
  const arns = docs.filter((doc) => !predicate || predicate(candidateOf(doc.body))).map((doc) => doc.id)
  const page = paginate(arns, input)
  return page.nextToken === undefined
    ? {containerInstanceArns: page.items}
    : {containerInstanceArns: page.items, nextToken: page.nextToken}
}

export function updateContainerInstancesState(
  ctx: EngineContext,
  input: UpdateContainerInstancesStateCommandInput,
): Out<UpdateContainerInstancesStateCommandOutput> {
  input = request(input, {cluster: 'string', containerInstances: 'string[]', status: 'string'})
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (input.status !== 'ACTIVE' && input.status !== 'DRAINING') {
    throw new EcsApiError(
      'InvalidParameterException',
      `Invalid status '${input.status ?? ''}': container instances can be set to ACTIVE or DRAINING.`,
    )
  }
  const refs = input.containerInstances
  if (!Array.isArray(refs) || refs.length === 0)
    throw new EcsApiError('InvalidParameterException', 'containerInstances must name at least one container instance.')
  if (refs.length > 10)
    throw new EcsApiError('InvalidParameterException', 'containerInstances can name at most 10 container instances.')
  const containerInstances: ContainerInstance[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    const body = getInstance(ctx, cluster.id, ref)
    if (!body) {
      failures.push({arn: refArn(ctx, cluster.id, ref), reason: 'MISSING'})
      continue
    }
    if (body.status === 'INACTIVE') {
      failures.push({arn: body.containerInstanceArn, reason: 'INACTIVE'})
      continue
    }
    if (body.status !== input.status) {
      body.status = input.status
      touchInstance(body)
      saveInstance(ctx, body)
    }
    containerInstances.push(presentInstance(ctx, body, false))
  }
  return {containerInstances, failures}
}
