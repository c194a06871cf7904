/**
 * `ecsx compose service create|start|up|scale|stop|rm|ps`: a Compose project as one ECS service (ecs-cli semantics).
 *
 *   create  register + CreateService with desiredCount 0
 *   start   desiredCount 1 unless it is already higher (+ --force-deployment)
 *   up      register; create the service (desired max(1, deploy.replicas)) or update it to the project's revision,
 *           keeping its desired count (1 if it was 0)
 *   scale   desiredCount n
 *   stop    desiredCount 0
 *   rm      desiredCount 0, wait, DeleteService
 * Every change waits (waitForService, until stable) unless the timeout is 0; on the local backend a service that
 * cannot place its tasks ends the wait at once with exit 1. A scale whose wait fails keeps its new desired count.
 */
import type {
  CreateServiceCommandInput,
  DeploymentConfiguration,
  LoadBalancer,
  Service,
  ServiceRegistry,
  Tag,
  TaskDefinition,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs'

import type {TranslationResult} from '../../compose/types.js'
import type {Backend} from '../ecs/backend.js'
import {InputError, OperationError} from '../errors.js'
import type {ServiceDiscovery} from '../infra/types.js'
import type {ProjectNames} from './project.js'
import type {Ui} from '../ui/types.js'
import {waitForService, waitForServiceInactive} from './wait/service.js'
import {primaryDeployment, shortTaskDefinition} from './wait/service-state.js'
import {backendNow} from './wait/timing.js'

export type RegisterFn = (
  backend: Backend,
  input: TranslationResult['taskDefinition'],
) => Promise<{taskDefinition: TaskDefinition; reused: boolean}>

/** Service-level options from the command's flags (all optional; ecs-cli defaults applied here). */
export interface ServiceOptions {
  maxPercent?: number
  minHealthyPercent?: number
  schedulingStrategy?: 'REPLICA' | 'DAEMON'
  healthCheckGracePeriod?: number
  forceDeployment?: boolean
  launchType?: 'EC2' | 'FARGATE'
  tags?: Tag[]
  disableEcsManagedTags?: boolean
  loadBalancers?: LoadBalancer[]
  role?: string
  serviceDiscovery?: ServiceDiscoveryOptions
}

export interface ServiceDiscoveryOptions {
  enable: boolean
  privateDnsNamespace?: string
  privateDnsNamespaceId?: string
  publicDnsNamespace?: string
  publicDnsNamespaceId?: string
  vpc?: string
  containerName?: string
  containerPort?: number
  dnsTtl?: number
  dnsType?: 'A' | 'SRV'
  failureThreshold?: number
}

export interface ServiceProject {
  backend: Backend
  ui: Ui
  cluster: string
  /** Where the service's tasks register for discovery (Cloud Map); from the infrastructure. */
  serviceDiscovery: ServiceDiscovery
  names: ProjectNames
  translation: TranslationResult
  options: ServiceOptions
  /** How long to wait (ms); 0 = do not wait. */
  timeoutMs: number
  register: RegisterFn
  pollMs?: number
}

/** The service as DescribeServices has it, or undefined when it does not exist (or is INACTIVE). */
export async function findService(backend: Backend, cluster: string, name: string): Promise<Service | undefined> {
  const out = await backend.describeServices({cluster, services: [name]})
  const s = out.services?.[0]
  if (!s || s.status === 'INACTIVE') return undefined
  return s
}

async function requireService(p: Pick<ServiceProject, 'backend' | 'cluster' | 'names'>): Promise<Service> {
  const s = await findService(p.backend, p.cluster, p.names.serviceName)
  if (!s) {
    throw new OperationError(
      `Service ${p.names.serviceName} does not exist in cluster ${p.cluster}.`,
      'Create it with `ecsx compose service create` or `ecsx compose service up`.',
    )
  }
  if (s.status === 'DRAINING')
    throw new OperationError(`Service ${p.names.serviceName} is being deleted (DRAINING) in cluster ${p.cluster}.`)
  return s
}

async function registerProject(p: ServiceProject): Promise<TaskDefinition> {
  const {taskDefinition, reused} = await p.register(p.backend, p.translation.taskDefinition)
  p.ui.info(
    `Using ECS task definition ${shortTaskDefinition(taskDefinition.taskDefinitionArn)}${reused ? ' (reused)' : ''}`,
  )
  return taskDefinition
}

/** Deployment configuration: the flags, else ecs-cli's defaults (REPLICA 200/100, DAEMON 100/0). Validated like ECS. */
export function deploymentConfiguration(o: ServiceOptions, onlyWhenGiven = false): DeploymentConfiguration | undefined {
  const daemon = o.schedulingStrategy === 'DAEMON'
  if (onlyWhenGiven && o.maxPercent === undefined && o.minHealthyPercent === undefined) return undefined
  const maximumPercent = o.maxPercent ?? (daemon ? 100 : 200)
  const minimumHealthyPercent = o.minHealthyPercent ?? (daemon ? 0 : 100)
  if (daemon && maximumPercent !== 100) {
    throw new InputError(`--deployment-max-percent ${maximumPercent}: a DAEMON service's maximum percent must be 100.`)
  }
  if (minimumHealthyPercent > maximumPercent) {
    throw new InputError(
      `--deployment-min-healthy-percent ${minimumHealthyPercent} is above --deployment-max-percent ${maximumPercent}.`,
    )
  }
  return {maximumPercent, minimumHealthyPercent}
}

function serviceRegistries(p: ServiceProject): ServiceRegistry[] | undefined {
  const sd = p.options.serviceDiscovery
  const fromParams = p.translation.run.serviceDiscovery
  if (!sd?.enable) return undefined
  p.serviceDiscovery.assertAvailable()
  const namespace =
    sd.privateDnsNamespace ??
    sd.privateDnsNamespaceId ??
    sd.publicDnsNamespace ??
    sd.publicDnsNamespaceId ??
    fromParams?.privateDnsNamespace?.name ??
    fromParams?.privateDnsNamespace?.id ??
    fromParams?.publicDnsNamespace?.name ??
    fromParams?.publicDnsNamespace?.id
  if (!namespace) {
    throw new InputError(
      '--enable-service-discovery needs a namespace: --private-dns-namespace (with --vpc), --private-dns-namespace-id, ' +
        '--public-dns-namespace or --public-dns-namespace-id, or run_params.service_discovery in ecs-params.',
    )
  }
  if (sd.privateDnsNamespace && !sd.vpc && !fromParams?.privateDnsNamespace?.vpc) {
    throw new InputError('--private-dns-namespace needs --vpc (the VPC the private namespace is attached to).')
  }
  const registry: ServiceRegistry = {registryArn: p.serviceDiscovery.registryArn(namespace, p.names.serviceName)}
  const containerName = sd.containerName ?? fromParams?.containerName
  const containerPort = sd.containerPort ?? fromParams?.containerPort
  if (containerName) registry.containerName = containerName
  if (containerPort !== undefined) registry.containerPort = containerPort
  const dnsType = sd.dnsType ?? fromParams?.serviceDiscoveryService?.dnsConfig?.type
  const networkMode = p.translation.taskDefinition.networkMode ?? 'bridge'
  if (
    (dnsType === 'SRV' || networkMode !== 'awsvpc') &&
    (!registry.containerName || registry.containerPort === undefined)
  ) {
    throw new InputError(
      'Service discovery with SRV records (required for bridge and host network modes) needs --sd-container-name and --sd-container-port.',
    )
  }
  return [registry]
}

/** The CreateService request for the project. */
export function createServiceInput(
  p: ServiceProject,
  td: TaskDefinition,
  desiredCount: number,
): CreateServiceCommandInput {
  const o = p.options
  const daemon = o.schedulingStrategy === 'DAEMON'
  if (o.role && !(o.loadBalancers && o.loadBalancers.length > 0)) {
    throw new InputError(
      '--role is only used with a load balancer: ' +
        'give --target-group-arn (or --load-balancer-name) with --container-name and --container-port.',
    )
  }
  return {
    cluster: p.cluster,
    serviceName: p.names.serviceName,
    taskDefinition: td.taskDefinitionArn,
    desiredCount: daemon ? undefined : desiredCount,
    launchType: o.launchType,
    schedulingStrategy: o.schedulingStrategy,
    deploymentConfiguration: deploymentConfiguration(o),
    networkConfiguration: p.translation.run.networkConfiguration,
    placementConstraints: p.translation.run.placementConstraints,
    placementStrategy: daemon ? undefined : p.translation.run.placementStrategy,
    loadBalancers: o.loadBalancers && o.loadBalancers.length > 0 ? o.loadBalancers : undefined,
    role: o.role,
    healthCheckGracePeriodSeconds: o.healthCheckGracePeriod,
    serviceRegistries: serviceRegistries(p),
    tags: o.tags && o.tags.length > 0 ? o.tags : undefined,
    propagateTags: o.tags && o.tags.length > 0 ? 'TASK_DEFINITION' : undefined,
    enableECSManagedTags: o.disableEcsManagedTags ? false : undefined,
  }
}

async function waitIfAsked(p: ServiceProject, since: number, service: Service, before?: Service): Promise<Service> {
  if (p.timeoutMs <= 0) return service
  return waitForService(p.backend, p.ui, {
    cluster: p.cluster,
    service: p.names.serviceName,
    timeoutMs: p.timeoutMs,
    until: 'stable',
    failFastOnUnplaceable: true,
    since,
    knownEvents: before?.events ?? [],
    pollMs: p.pollMs,
  })
}

/** UpdateService and wait; `before` is the service as described before the change (its events are history). */
async function update(
  p: ServiceProject,
  before: Service,
  input: Omit<UpdateServiceCommandInput, 'cluster' | 'service'>,
  what: string,
): Promise<Service> {
  const since = await backendNow(p.backend)
  const out = await p.backend.updateService({cluster: p.cluster, service: p.names.serviceName, ...input})
  if (!out.service) throw new OperationError(`UpdateService returned no service for ${p.names.serviceName}.`)
  p.ui.info(`Updated service ${p.names.serviceName}: ${what}`)
  return waitIfAsked(p, since, out.service, before)
}

/** `compose service create`: the service with desiredCount 0. */
export async function serviceCreate(p: ServiceProject): Promise<Service> {
  const existing = await findService(p.backend, p.cluster, p.names.serviceName)
  if (existing) {
    throw new OperationError(
      `Service ${p.names.serviceName} already exists in cluster ${p.cluster} (${existing.status}).`,
      'Use `ecsx compose service up` to update it.',
    )
  }
  const td = await registerProject(p)
  const out = await p.backend.createService(createServiceInput(p, td, 0))
  if (!out.service) throw new OperationError(`CreateService returned no service for ${p.names.serviceName}.`)
  p.ui.info(`Created service ${p.names.serviceName} (${shortTaskDefinition(td.taskDefinitionArn)}), desired count 0`)
  return out.service
}

/** `compose service start`: desiredCount 1 unless already higher. */
export async function serviceStart(p: ServiceProject): Promise<Service> {
  const s = await requireService(p)
  const desired = Math.max(s.desiredCount ?? 0, 1)
  if (s.schedulingStrategy === 'DAEMON')
    return update(p, s, {forceNewDeployment: p.options.forceDeployment || undefined}, 'started')
  return update(
    p,
    s,
    {desiredCount: desired, forceNewDeployment: p.options.forceDeployment || undefined},
    `desired count ${desired}`,
  )
}

/** `compose service up`: create or update to the project's current revision. */
export async function serviceUp(p: ServiceProject): Promise<Service> {
  const existing = await findService(p.backend, p.cluster, p.names.serviceName)
  if (existing?.status === 'DRAINING')
    throw new OperationError(
      `Service ${p.names.serviceName} is being deleted (DRAINING); wait until it is INACTIVE, then run up again.`,
    )
  const td = await registerProject(p)
  const initial = Math.max(1, p.translation.service.desiredCount ?? 1)
  if (!existing) {
    const since = await backendNow(p.backend)
    const out = await p.backend.createService(createServiceInput(p, td, initial))
    if (!out.service) throw new OperationError(`CreateService returned no service for ${p.names.serviceName}.`)
    const desired = p.options.schedulingStrategy === 'DAEMON' ? 'one per instance' : initial
    p.ui.info(
      `Created service ${p.names.serviceName} (${shortTaskDefinition(td.taskDefinitionArn)}), desired count ${desired}`,
    )
    return waitIfAsked(p, since, out.service)
  }
  const daemon = existing.schedulingStrategy === 'DAEMON'
  const desired = existing.desiredCount && existing.desiredCount > 0 ? existing.desiredCount : initial
  const changes: string[] = []
  if (existing.taskDefinition !== td.taskDefinitionArn)
    changes.push(`${shortTaskDefinition(existing.taskDefinition)} -> ${shortTaskDefinition(td.taskDefinitionArn)}`)
  if (!daemon && desired !== existing.desiredCount) changes.push(`desired count ${desired}`)
  if (p.options.forceDeployment) changes.push('forced new deployment')
  return update(
    p,
    existing,
    {
      taskDefinition: td.taskDefinitionArn,
      desiredCount: daemon ? undefined : desired,
      deploymentConfiguration: deploymentConfiguration(
        {...p.options, schedulingStrategy: existing.schedulingStrategy as 'REPLICA' | 'DAEMON' | undefined},
        true,
      ),
      healthCheckGracePeriodSeconds: p.options.healthCheckGracePeriod,
      networkConfiguration: p.translation.run.networkConfiguration,
      forceNewDeployment: p.options.forceDeployment || undefined,
    },
    changes.length > 0 ? changes.join(', ') : `already runs ${shortTaskDefinition(td.taskDefinitionArn)}`,
  )
}

/** `compose service scale n`. */
export async function serviceScale(p: ServiceProject, count: number): Promise<Service> {
  if (!Number.isInteger(count) || count < 0)
    throw new InputError(`compose service scale: the count must be a whole number ≥ 0; got ${count}.`)
  const s = await requireService(p)
  if (s.schedulingStrategy === 'DAEMON')
    throw new InputError(
      `Service ${p.names.serviceName} uses the DAEMON strategy: it runs one task per instance and cannot be scaled.`,
    )
  return update(
    p,
    s,
    {
      desiredCount: count,
      deploymentConfiguration: deploymentConfiguration({...p.options, schedulingStrategy: 'REPLICA'}, true),
    },
    `desired count ${count}`,
  )
}

/** `compose service stop`: desiredCount 0. */
export async function serviceStop(p: ServiceProject): Promise<Service> {
  const s = await requireService(p)
  if (s.schedulingStrategy === 'DAEMON')
    throw new InputError(
      `Service ${p.names.serviceName} uses the DAEMON strategy and cannot be stopped; remove it with \`ecsx compose service rm\`.`,
    )
  return update(p, s, {desiredCount: 0}, 'desired count 0')
}

/** `compose service rm|delete|down`: scale to 0, wait, delete, wait until INACTIVE. Returns the deleted service. */
export async function serviceRm(p: ServiceProject): Promise<Service> {
  const s = await requireService(p)
  if (s.schedulingStrategy !== 'DAEMON' && (s.desiredCount ?? 0) > 0)
    await update(p, s, {desiredCount: 0}, 'desired count 0')
  const out = await p.backend.deleteService({cluster: p.cluster, service: p.names.serviceName})
  p.ui.info(`Deleted service ${p.names.serviceName}`)
  return waitForServiceInactive(
    p.backend,
    p.ui,
    {cluster: p.cluster, service: p.names.serviceName, timeoutMs: p.timeoutMs, pollMs: p.pollMs},
    out.service ?? s,
  )
}

/** One summary line for human output. */
export function serviceSummary(s: Service): string {
  const primary = primaryDeployment(s)
  const counts = `desired ${s.desiredCount ?? 0}, running ${s.runningCount ?? 0}, pending ${s.pendingCount ?? 0}`
  const taskDefinition = shortTaskDefinition(primary?.taskDefinition ?? s.taskDefinition)
  return `Service ${s.serviceName}: ${s.status}, ${counts}, task definition ${taskDefinition}`
}
