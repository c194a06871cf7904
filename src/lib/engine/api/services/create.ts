/**
 * CreateService (spec §6.1): the service document and its first deployment. The continuous behaviour (keeping the
 * desired count, deployments, draining) lives in runtime/scheduler.ts and runs from the reconciler; one controller
 * step runs at once so the response already shows the first tasks.
 */
import type {
  CreateServiceCommandInput,
  CreateServiceCommandOutput,
  DeploymentConfiguration,
  LoadBalancer,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {lastSegment, serviceArn as buildServiceArn} from '../../arns.js'
import type {EngineContext} from '../../context.js'
import {requireActiveCluster} from '../../model/clusters.js'
import type {ServiceDoc} from '../../model/documents.js'
import {presentService, saveService} from '../../model/services.js'
import {requireLaunchableTaskDefinition} from '../../model/task-definitions.js'
import {startDeployment, withDeploymentDefaults} from '../../runtime/deployments.js'
import {resolvePlatformVersion} from '../../runtime/launch-spec.js'
import {runServiceController} from '../../runtime/scheduler.js'
import {NO_WAKEUPS} from '../../runtime/transitions.js'
import {validateLaunchType, validateNetworkConfiguration, validateSimulation} from '../launch-checks.js'
import {tagsForCreate} from '../tags.js'
import {
  invalid,
  MAX_LOAD_BALANCERS,
  NAME_PATTERN,
  validateDeploymentConfiguration,
  validateDesiredCount,
  validateGracePeriod,
  validatePlacement,
} from './validate.js'

/** What the checks of a new service settle (everything else is taken from the input as is). */
interface CheckedService {
  strategy: 'REPLICA' | 'DAEMON'
  taskDef: TaskDefinition
  launchType: 'EC2' | 'FARGATE'
  deploymentConfiguration: DeploymentConfiguration
  loadBalancers: LoadBalancer[]
  tags: Tag[]
}

export function createService(ctx: EngineContext, input: CreateServiceCommandInput): Out<CreateServiceCommandOutput> {
  const cluster = requireActiveCluster(ctx, input.cluster)
  const clusterName = cluster.name ?? lastSegment(cluster.id)
  const name = input.serviceName
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw invalid(
      `serviceName '${String(name ?? '')}' is invalid: ` +
        'use 1 to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.',
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

  const checked = checkNewService(ctx, input)
  const {taskDef, launchType} = checked
  const at = ctx.now
  const service = newServiceDoc(ctx, input, {arn, name, clusterArn: cluster.id, at}, checked)
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

/** Every check of a new service after its name, in ECS's order. */
function checkNewService(ctx: EngineContext, input: CreateServiceCommandInput): CheckedService {
  const controller = input.deploymentController?.type ?? 'ECS'
  if (controller !== 'ECS') {
    throw invalid(
      `Deployment controller ${controller} is not supported by the local engine; ` +
        'use the ECS (rolling update) controller.',
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
  return {strategy, taskDef, launchType, deploymentConfiguration, loadBalancers, tags}
}

/** The new service document (ACTIVE, no deployment yet). */
function newServiceDoc(
  ctx: EngineContext,
  input: CreateServiceCommandInput,
  id: {arn: string; name: string; clusterArn: string; at: number},
  checked: CheckedService,
): ServiceDoc {
  const {strategy, taskDef, launchType} = checked
  const service: ServiceDoc = {
    serviceArn: id.arn,
    serviceName: id.name,
    clusterArn: id.clusterArn,
    loadBalancers: checked.loadBalancers,
    serviceRegistries: input.serviceRegistries ?? [],
    status: 'ACTIVE',
    desiredCount: strategy === 'DAEMON' ? 0 : input.desiredCount,
    runningCount: 0,
    pendingCount: 0,
    launchType,
    taskDefinition: taskDef.taskDefinitionArn,
    deploymentConfiguration: checked.deploymentConfiguration,
    deployments: [],
    events: [],
    createdAt: new Date(id.at),
    placementConstraints: input.placementConstraints ?? [],
    placementStrategy: input.placementStrategy ?? [],
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 0,
    schedulingStrategy: strategy,
    deploymentController: {type: 'ECS'},
    tags: checked.tags,
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
  return service
}
