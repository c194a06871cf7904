/**
 * UpdateService (spec §6.2): desired count, task definition, network, placement, deployment configuration; a change
 * of what runs starts a new deployment. One controller step runs at once so the response shows the first tasks.
 */
import type {Service, TaskDefinition, UpdateServiceCommandInput, UpdateServiceCommandOutput} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import type {EngineContext} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {requireActiveCluster} from '../../model/clusters.js'
import {findService, presentService, saveService} from '../../model/services.js'
import type {ServiceDoc} from '../../model/documents.js'
import {
  presentTaskDefinition,
  requireLaunchableTaskDefinition,
  resolveTaskDefinition,
} from '../../model/task-definitions.js'
import {startDeployment, withDeploymentDefaults} from '../../runtime/deployments.js'
import {clearSuppression} from '../../runtime/events.js'
import {resolvePlatformVersion} from '../../runtime/launch-spec.js'
import {runServiceController} from '../../runtime/scheduler.js'
import {NO_WAKEUPS} from '../../runtime/transitions.js'
import {validateLaunchType, validateNetworkConfiguration, validateSimulation} from '../launch-checks.js'
import {
  invalid,
  sameNetwork,
  validateDeploymentConfiguration,
  validateDesiredCount,
  validateGracePeriod,
  validatePlacement,
} from './validate.js'

/** The stored service a request names (ServiceNotFoundException if none). */
export function requireService(ctx: EngineContext, clusterArn: string, ref: string | undefined): ServiceDoc {
  if (typeof ref !== 'string' || ref === '') throw invalid('service is required.')
  const service = findService(ctx, clusterArn, ref)
  if (!service) throw new EcsApiError('ServiceNotFoundException', 'Service not found.')
  return service
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
