/**
 * Services (spec §6): CreateService, UpdateService, DeleteService, DescribeServices, ListServices, and
 * `countActiveServices` for DescribeClusters / DeleteCluster. The continuous behaviour (keeping the desired count,
 * deployments, draining) lives in ../scheduler.ts and runs from the reconciler; create and update run one
 * controller step at once so the response already shows the first tasks.
 */
import type {
  CreateServiceCommandInput,
  CreateServiceCommandOutput,
  DeleteServiceCommandInput,
  DeleteServiceCommandOutput,
  DeploymentConfiguration,
  DescribeServicesCommandInput,
  DescribeServicesCommandOutput,
  Failure,
  ListServicesCommandInput,
  ListServicesCommandOutput,
  NetworkConfiguration,
  Service,
  TaskDefinition,
  UpdateServiceCommandInput,
  UpdateServiceCommandOutput,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../ecs/backend.js'
import {isArn, lastSegment, serviceArn as buildServiceArn} from '../arns.js'
import type {EngineContext, StoredDoc} from '../context.js'
import {EcsApiError} from '../errors.js'
import {withDeploymentDefaults, startDeployment} from '../deployments.js'
import {clearSuppression} from '../events.js'
import {requireLaunchableTaskDefinition, resolvePlatformVersion, validateSimulation} from '../launch.js'
import {isLive, stopTaskAt} from '../lifecycle.js'
import {paginate} from '../paging.js'
import {omitKeys} from '../objects.js'
import {validatePlacementStrategies} from '../placement/index.js'
import {afterTransition, NO_WAKEUPS, saveService, type ServiceDoc} from '../runtime.js'
import {runServiceController, unstoppedServiceTasks} from '../scheduler.js'
import {requireActiveCluster} from './clusters.js'
import {presentTaskDefinition, resolveTaskDefinition} from './task-definitions.js'
import {tagsForCreate} from './tags.js'
import {combinedConstraints, validateLaunchType, validateNetworkConfiguration} from './tasks.js'

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/
export const MAX_DESIRED_COUNT = 1000
export const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647
export const MAX_LOAD_BALANCERS = 5

const invalid = (message: string): EcsApiError => new EcsApiError('InvalidParameterException', message)

/** The service as ECS returns it: no engine-private state; tags only when asked for. */
export function presentService(service: ServiceDoc, includeTags = false): Service {
  return includeTags ? omitKeys(service, '_engine') : omitKeys(service, '_engine', 'tags')
}

function serviceArnFor(ctx: EngineContext, clusterName: string, ref: string): string {
  return isArn(ref) ? ref : buildServiceArn(ctx.settings, clusterName, ref)
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

function requireService(ctx: EngineContext, clusterArn: string, ref: string | undefined): ServiceDoc {
  if (typeof ref !== 'string' || ref === '') throw invalid('service is required.')
  const service = findService(ctx, clusterArn, ref)
  if (!service) throw new EcsApiError('ServiceNotFoundException', 'Service not found.')
  return service
}

function validateDeploymentConfiguration(strategy: string, config: DeploymentConfiguration): void {
  const max = config.maximumPercent as number
  const min = config.minimumHealthyPercent as number
  if (!Number.isInteger(min) || min < 0 || min > 100)
    throw invalid('deploymentConfiguration.minimumHealthyPercent must be an integer from 0 to 100.')
  if (!Number.isInteger(max) || max < 0)
    throw invalid('deploymentConfiguration.maximumPercent must be a non-negative integer.')
  if (strategy === 'DAEMON' && max !== 100)
    throw invalid('The maximumPercent parameter must be 100 for services with the DAEMON scheduling strategy.')
  if (strategy !== 'DAEMON' && max < 100) throw invalid('deploymentConfiguration.maximumPercent must be at least 100.')
}

function validateDesiredCount(value: number | undefined): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < 0 || value > MAX_DESIRED_COUNT)
    throw invalid(`desiredCount must be an integer from 0 to ${MAX_DESIRED_COUNT}.`)
}

function validateGracePeriod(value: number | undefined): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < 0 || value > MAX_GRACE_PERIOD_SECONDS) {
    throw invalid(`healthCheckGracePeriodSeconds must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}.`)
  }
}

function validatePlacement(
  strategy: string,
  launchType: string,
  service: Pick<Service, 'placementStrategy' | 'placementConstraints'>,
  taskDef: TaskDefinition,
): void {
  const strategies = service.placementStrategy ?? []
  const constraints = service.placementConstraints ?? []
  if (launchType === 'FARGATE' && (strategies.length > 0 || constraints.length > 0)) {
    throw invalid('Task placement constraints and strategies are not supported for the FARGATE launch type.')
  }
  if (strategy === 'DAEMON' && strategies.length > 0)
    throw invalid('Placement strategies are not supported for services with the DAEMON scheduling strategy.')
  validatePlacementStrategies(strategies)
  combinedConstraints(taskDef, constraints)
}

/** Same networking configuration? (a change starts a new deployment) */
const sameNetwork = (a: NetworkConfiguration | undefined, b: NetworkConfiguration | undefined): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

// ---------------------------------------------------------------------------------------------------------------
// operations

export function createService(ctx: EngineContext, input: CreateServiceCommandInput): Out<CreateServiceCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const clusterName = cluster.name ?? lastSegment(cluster.id)
  const name = input.serviceName
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw invalid(
      `serviceName '${String(name ?? '')}' is invalid: use 1 to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.`,
    )
  }
  if (input.clientToken !== undefined && (input.clientToken.length > 32 || !/^[\x20-\x7e]*$/.test(input.clientToken))) {
    throw invalid('clientToken must be at most 32 ASCII characters.')
  }
  const arn = buildServiceArn(ctx.settings, clusterName, name)
  const existing = ctx.tx.get<ServiceDoc>('service', arn)?.body
  if (existing?.status === 'ACTIVE') {
    if (input.clientToken !== undefined && existing._engine.clientToken === input.clientToken)
      return {service: presentService(existing, true)}
    throw invalid('Creation of service was not idempotent.')
  }
  if (existing?.status === 'DRAINING') throw invalid('Unable to Start a service that is still Draining.')

  const controller = input.deploymentController?.type ?? 'ECS'
  if (controller !== 'ECS') {
    throw invalid(
      `Deployment controller ${controller} is not supported by the local engine; use the ECS (rolling update) controller.`,
    )
  }
  const strategy = input.schedulingStrategy ?? 'REPLICA'
  if (strategy !== 'REPLICA' && strategy !== 'DAEMON')
    throw invalid(`Invalid schedulingStrategy '${String(strategy)}': use REPLICA or DAEMON.`)
  const taskDef = requireLaunchableTaskDefinition(ctx, input.taskDefinition)
  validateSimulation(taskDef)
  const launchType = validateLaunchType(taskDef, input.launchType)
  if (strategy === 'DAEMON' && launchType === 'FARGATE')
    throw invalid('The DAEMON scheduling strategy is not supported for the FARGATE launch type.')
  if (strategy === 'REPLICA') {
    if (input.desiredCount === undefined)
      throw invalid('desiredCount is required for services with the REPLICA scheduling strategy.')
    validateDesiredCount(input.desiredCount)
  } else if (input.desiredCount !== undefined && input.desiredCount !== 0) {
    throw invalid('The DAEMON scheduling strategy does not support a desired count for services.')
  }
  validateNetworkConfiguration(taskDef, launchType, input.networkConfiguration)
  validateGracePeriod(input.healthCheckGracePeriodSeconds)
  const deploymentConfiguration = withDeploymentDefaults(strategy, input.deploymentConfiguration)
  validateDeploymentConfiguration(strategy, deploymentConfiguration)
  validatePlacement(strategy, launchType, input, taskDef)
  const loadBalancers = input.loadBalancers ?? []
  if (loadBalancers.length > MAX_LOAD_BALANCERS)
    throw invalid(`A service can have at most ${MAX_LOAD_BALANCERS} load balancers (target groups).`)
  if (loadBalancers.filter((lb) => lb.loadBalancerName).length > 1)
    throw invalid('A service can use at most one Classic Load Balancer.')
  if (input.propagateTags !== undefined && !['TASK_DEFINITION', 'SERVICE', 'NONE'].includes(input.propagateTags)) {
    throw invalid(`Invalid propagateTags '${input.propagateTags}': use TASK_DEFINITION, SERVICE or NONE.`)
  }
  const tags = tagsForCreate(input.tags)

  const at = ctx.now
  const service: ServiceDoc = {
    serviceArn: arn,
    serviceName: name,
    clusterArn: cluster.id,
    loadBalancers,
    serviceRegistries: input.serviceRegistries ?? [],
    status: 'ACTIVE',
    desiredCount: strategy === 'DAEMON' ? 0 : input.desiredCount,
    runningCount: 0,
    pendingCount: 0,
    launchType,
    taskDefinition: taskDef.taskDefinitionArn,
    deploymentConfiguration,
    deployments: [],
    events: [],
    createdAt: new Date(at),
    placementConstraints: input.placementConstraints ?? [],
    placementStrategy: input.placementStrategy ?? [],
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
    schedulingStrategy: strategy,
    deploymentController: {type: 'ECS'},
    tags,
    createdBy: `arn:aws:iam::${ctx.settings.accountId}:root`,
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    propagateTags: input.propagateTags ?? 'NONE',
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    _engine: {
      events: {suppress: {}},
      throttle: {failures: 0},
      waitingForCapacity: false,
      clientToken: input.clientToken,
    },
  }
  if (input.role !== undefined) service.roleArn = input.role
  if (input.networkConfiguration !== undefined) service.networkConfiguration = input.networkConfiguration
  if (launchType === 'FARGATE') service.platformVersion = input.platformVersion ?? 'LATEST'
  startDeployment(
    ctx,
    service,
    {
      taskDefinition: taskDef.taskDefinitionArn as string,
      desiredCount: service.desiredCount ?? 0,
      launchType,
      platformVersion: launchType === 'FARGATE' ? resolvePlatformVersion(input.platformVersion) : undefined,
      networkConfiguration: input.networkConfiguration,
    },
    at,
  )
  saveService(ctx, service)
  runServiceController(ctx, service, at, NO_WAKEUPS)
  return {service: presentService(service, true)}
}

export function updateService(ctx: EngineContext, input: UpdateServiceCommandInput): Out<UpdateServiceCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const service = requireService(ctx, cluster.id, input.service)
  if (service.status !== 'ACTIVE') throw new EcsApiError('ServiceNotActiveException', 'Service was not ACTIVE.')
  const strategy = service.schedulingStrategy ?? 'REPLICA'
  const launchType = service.launchType === 'FARGATE' ? 'FARGATE' : 'EC2'
  const at = ctx.now

  let taskDef: TaskDefinition | undefined
  if (input.taskDefinition !== undefined) {
    taskDef = requireLaunchableTaskDefinition(ctx, input.taskDefinition)
    validateSimulation(taskDef)
    validateLaunchType(taskDef, launchType)
    for (const lb of service.loadBalancers ?? []) {
      const container = taskDef.containerDefinitions?.find((c) => c.name === lb.containerName)
      const hasPort = container?.portMappings?.some((p) => p.containerPort === lb.containerPort)
      if (lb.containerName && (!container || !hasPort)) {
        throw invalid(
          `Unable to update the service ${service.serviceName}: load balancer container name or port changed in task definition`,
        )
      }
    }
  }
  const current = taskDef ?? requireCurrentTaskDefinition(ctx, service)
  if (input.desiredCount !== undefined) {
    if (strategy === 'DAEMON')
      throw invalid('The DAEMON scheduling strategy does not support a desired count for services.')
    validateDesiredCount(input.desiredCount)
  }
  validateGracePeriod(input.healthCheckGracePeriodSeconds)
  const networkConfiguration = input.networkConfiguration ?? service.networkConfiguration
  if (input.networkConfiguration !== undefined || taskDef !== undefined)
    validateNetworkConfiguration(current, launchType, networkConfiguration)
  let deploymentConfiguration = service.deploymentConfiguration
  if (input.deploymentConfiguration !== undefined) {
    deploymentConfiguration = withDeploymentDefaults(strategy, {
      ...service.deploymentConfiguration,
      ...input.deploymentConfiguration,
    })
    validateDeploymentConfiguration(strategy, deploymentConfiguration)
  }
  const placement = {
    placementStrategy: input.placementStrategy ?? service.placementStrategy,
    placementConstraints: input.placementConstraints ?? service.placementConstraints,
  }
  if (input.placementStrategy !== undefined || input.placementConstraints !== undefined)
    validatePlacement(strategy, launchType, placement, current)
  if (
    input.loadBalancers !== undefined &&
    JSON.stringify(input.loadBalancers) !== JSON.stringify(service.loadBalancers ?? [])
  ) {
    throw invalid('Load balancers of a service cannot be changed after it is created.')
  }

  // Apply.
  if (input.desiredCount !== undefined && input.desiredCount !== service.desiredCount)
    clearSuppression(service._engine.events, 'steady')
  if (input.desiredCount !== undefined) service.desiredCount = input.desiredCount
  if (input.healthCheckGracePeriodSeconds !== undefined)
    service.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds
  if (deploymentConfiguration) service.deploymentConfiguration = deploymentConfiguration
  service.placementStrategy = placement.placementStrategy
  service.placementConstraints = placement.placementConstraints
  if (input.enableExecuteCommand !== undefined) service.enableExecuteCommand = input.enableExecuteCommand
  if (input.enableECSManagedTags !== undefined) service.enableECSManagedTags = input.enableECSManagedTags
  if (input.propagateTags !== undefined) service.propagateTags = input.propagateTags

  const newTaskDefinition = taskDef !== undefined && taskDef.taskDefinitionArn !== service.taskDefinition
  const newNetwork =
    input.networkConfiguration !== undefined && !sameNetwork(input.networkConfiguration, service.networkConfiguration)
  const newPlatform =
    input.platformVersion !== undefined && launchType === 'FARGATE' && input.platformVersion !== service.platformVersion
  if (newTaskDefinition || newNetwork || newPlatform || input.forceNewDeployment) {
    if (taskDef) service.taskDefinition = taskDef.taskDefinitionArn
    if (input.networkConfiguration !== undefined) service.networkConfiguration = input.networkConfiguration
    if (newPlatform) service.platformVersion = input.platformVersion
    startDeployment(
      ctx,
      service,
      {
        taskDefinition: service.taskDefinition as string,
        desiredCount: service.desiredCount ?? 0,
        launchType,
        platformVersion: launchType === 'FARGATE' ? resolvePlatformVersion(service.platformVersion) : undefined,
        networkConfiguration: service.networkConfiguration,
      },
      at,
    )
    // A new deployment resets the start throttle (spec §6.6, §6.8).
    service._engine.throttle = {failures: 0}
    clearSuppression(service._engine.events, 'throttle')
  }
  saveService(ctx, service)
  runServiceController(ctx, service, at, NO_WAKEUPS)
  return {service: presentService(service, true)}
}

/** The service's current definition, even if deregistered since (an existing service keeps using it, spec §1.4). */
function requireCurrentTaskDefinition(ctx: EngineContext, service: Service): TaskDefinition {
  const doc = resolveTaskDefinition(ctx, service.taskDefinition)
  if (!doc)
    throw new EcsApiError(
      'ServerException',
      `The task definition ${service.taskDefinition ?? ''} of service ${service.serviceName ?? ''} is missing from the engine's store.`,
    )
  return presentTaskDefinition(doc.body)
}

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
  const primaryId = service.deployments?.find((d) => d.status === 'PRIMARY')?.id
  for (const task of unstoppedServiceTasks(ctx, service)) {
    if (!isLive(task)) continue
    const report = stopTaskAt(task, ctx.now, {
      reason: `Scaling activity initiated by (deployment ${primaryId ?? 'unknown'})`,
      code: 'ServiceSchedulerInitiated',
      byScheduler: true,
    })
    afterTransition(ctx, task, report, NO_WAKEUPS, ctx.now, service)
  }
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

/** ACTIVE services of a cluster (DescribeClusters' activeServicesCount). */
export function countActiveServices(ctx: EngineContext, clusterArn: string): number {
  return ctx.tx.count('service', {cluster: clusterArn, status: 'ACTIVE'})
}

export const serviceHandlers = {createService, updateService, deleteService, describeServices, listServices}
