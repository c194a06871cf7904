/**
 * DeleteService, DescribeServices, ListServices (spec §6). A deleted service drains: the reconciler marks it
 * INACTIVE once every task has stopped.
 */
import type {
  DeleteServiceCommandInput,
  DeleteServiceCommandOutput,
  DescribeServicesCommandInput,
  DescribeServicesCommandOutput,
  Failure,
  ListServicesCommandInput,
  ListServicesCommandOutput,
  Service,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {lastSegment} from '../../arns.js'
import type {EngineContext, StoredDoc} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {requireActiveCluster} from '../../model/clusters.js'
import type {ServiceDoc} from '../../model/documents.js'
import {findService, presentService, saveService, serviceArnFor} from '../../model/services.js'
import {paginate} from '../../paging.js'
import {stopServiceTasks} from '../../runtime/stops.js'
import {requireService} from './update.js'
import {invalid} from './validate.js'

export function deleteService(ctx: EngineContext, input: DeleteServiceCommandInput): Out<DeleteServiceCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const service = requireService(ctx, cluster.id, input.service)
  if (service.status === 'INACTIVE') throw new EcsApiError('ServiceNotActiveException', 'Service was not ACTIVE.')
  if (service.status === 'DRAINING') return {service: presentService(service, true)}
  if ((service.schedulingStrategy ?? 'REPLICA') === 'REPLICA' && (service.desiredCount ?? 0) > 0 && !input.force) {
    throw invalid('The service cannot be stopped while it is scaled above 0.')
  }
  service.status = 'DRAINING'
  service.desiredCount = 0
  stopServiceTasks(ctx, service)
  // The reconciler marks it INACTIVE once every task has stopped.
  service._engine.nextAt = ctx.now
  for (const deployment of service.deployments ?? []) deployment.desiredCount = 0
  saveService(ctx, service)
  return {service: presentService(service, true)}
}

export function describeServices(
  ctx: EngineContext,
  input: DescribeServicesCommandInput,
): Out<DescribeServicesCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const refs = input.services
  if (!Array.isArray(refs) || refs.length === 0) throw invalid('services must name at least one service.')
  if (refs.length > 10) throw invalid('services can name at most 10 services.')
  const includeTags = input.include?.includes('TAGS') ?? false
  const services: Service[] = []
  const failures: Failure[] = []
  for (const ref of refs) {
    // Read shared: presentService copies the top level, and every caller of a handler copies its output deeply
    // (Engine.callSync / callWire / transaction) before it leaves the engine.
    const service = findService(ctx, cluster.id, ref, true)
    if (service) services.push(presentService(service, includeTags))
    else failures.push({arn: serviceArnFor(ctx, cluster.name ?? lastSegment(cluster.id), ref), reason: 'MISSING'})
  }
  return {services, failures}
}

export function listServices(ctx: EngineContext, input: ListServicesCommandInput): Out<ListServicesCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (input.launchType !== undefined && !['EC2', 'FARGATE', 'EXTERNAL'].includes(input.launchType))
    throw invalid(`Invalid launchType '${input.launchType}'.`)
  if (input.schedulingStrategy !== undefined && !['REPLICA', 'DAEMON'].includes(input.schedulingStrategy)) {
    throw invalid(`Invalid schedulingStrategy '${input.schedulingStrategy}'.`)
  }
  const arns = ctx.tx
    .list<ServiceDoc>('service', {cluster: cluster.id, status: 'ACTIVE'})
    .map((doc: StoredDoc<ServiceDoc>) => doc.body)
    .filter((s) => input.launchType === undefined || (s.launchType ?? 'EC2') === input.launchType)
    .filter(
      (s) => input.schedulingStrategy === undefined || (s.schedulingStrategy ?? 'REPLICA') === input.schedulingStrategy,
    )
    .map((s) => s.serviceArn as string)
  const page = paginate(arns, input, 100, 10)
  return page.nextToken === undefined ? {serviceArns: page.items} : {serviceArns: page.items, nextToken: page.nextToken}
}
