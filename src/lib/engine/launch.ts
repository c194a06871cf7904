/**
 * Launching tasks: resolve the task definition, place on EC2 (through the placer) or on Fargate (AZ spread over the
 * subnets), reserve on the container instance, and build the Task document with its simulation state.
 * Used by RunTask, StartTask and the service scheduler.
 */
import type {
  Attachment,
  Cluster,
  Container,
  Failure,
  NetworkBinding,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  Tag,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs'

import {lastSegment, taskArn as buildTaskArn} from './arns.js'
import {availabilityZones, demandOf} from './capacity.js'
import type {EngineContext} from './context.js'
import {EcsApiError} from './errors.js'
import {newId} from './ids.js'
import {type ContainerSim, DEFAULT_START_TIMEOUT_MS, type HostPort, type TaskDoc, scheduleNext} from './lifecycle.js'
import type {PlacementCandidate, Placer, TaskDemand} from './placement/types.js'
import {containerBehaviour, SimulationLabelError} from './simulate.js'
import {reserveOnInstance} from './api/instances.js'
import {presentTaskDefinition, resolveTaskDefinition} from './api/task-definitions.js'

/** Fargate platform version LATEST resolves to (spec §2.2: known versions 1.0.0 … 1.3.0). */
export const FARGATE_LATEST_PLATFORM_VERSION = '1.3.0'

/** The task definition to launch from: it must exist and be ACTIVE (spec §1.4, §4.6). */
export function requireLaunchableTaskDefinition(ctx: EngineContext, ref: string | undefined): TaskDefinition {
  if (typeof ref !== 'string' || ref === '')
    throw new EcsApiError('InvalidParameterException', 'taskDefinition is required.')
  const doc = resolveTaskDefinition(ctx, ref)
  if (!doc) throw new EcsApiError('ClientException', 'Unable to describe task definition.')
  if (doc.body.status !== 'ACTIVE') {
    throw new EcsApiError(
      'ClientException',
      `The specified task definition ${doc.body.taskDefinitionArn ?? ref} is inactive. Specify an active task definition and try again.`,
    )
  }
  return presentTaskDefinition(doc.body)
}

/** Reject malformed `ecsx.simulate.*` docker labels with a message naming the container and the label. */
export function validateSimulation(taskDef: TaskDefinition): void {
  try {
    for (const container of taskDef.containerDefinitions ?? []) containerBehaviour(container, 0)
  } catch (error) {
    if (error instanceof SimulationLabelError) throw new EcsApiError('InvalidParameterException', error.message)
    throw error
  }
}

export interface LaunchSpec {
  cluster: Cluster
  taskDef: TaskDefinition
  launchType: 'EC2' | 'FARGATE'
  group: string
  startedBy?: string
  overrides?: TaskOverride
  networkConfiguration?: NetworkConfiguration
  platformVersion?: string
  tags?: Tag[]
  serviceArn?: string
  deploymentId?: string
  /** Load balancers or service discovery: ACTIVATING / DEACTIVATING phases. */
  hasLoadBalancer?: boolean
  strategies: PlacementStrategy[]
  constraints: PlacementConstraint[]
  /** Subnet → AZ, resolved once per launch spec (see `subnetZones`). */
  subnetZones?: Map<string, string>
}

/** Task demand for a launch, including the AZ restriction of awsvpc subnets. */
export function launchDemand(ctx: EngineContext, spec: LaunchSpec): TaskDemand {
  const demand = demandOf(spec.taskDef, spec.overrides)
  const subnets = spec.networkConfiguration?.awsvpcConfiguration?.subnets
  if (spec.taskDef.networkMode === 'awsvpc' && subnets?.length) {
    const zones = subnetZones(ctx, spec, subnets)
    if (spec.launchType === 'EC2') demand.allowedAvailabilityZones = [...new Set(zones.values())]
  }
  return demand
}

/**
 * The AZ of each subnet. The engine has no VPC model: a subnet id that names a zone (`subnet-us-east-1b-…`) is in
 * that zone; any other id is placed, by a stable hash, in one of the zones where the cluster has instances (EC2), or
 * of the region (Fargate, or no instances yet) — so awsvpc tasks can always find the cluster's instances.
 */
export function subnetZones(ctx: EngineContext, spec: LaunchSpec, subnets: string[]): Map<string, string> {
  if (spec.subnetZones) return spec.subnetZones
  const region = availabilityZones(ctx.settings.region)
  let pool = region
  if (spec.launchType === 'EC2') {
    const clusterZones = new Set<string>()
    for (const doc of ctx.tx.list<{attributes?: Array<{name?: string; value?: string}>}>('instance', {
      cluster: spec.cluster.clusterArn,
      statusIn: ['ACTIVE', 'DRAINING'],
    })) {
      const zone = doc.body.attributes?.find((a) => a.name === 'ecs.availability-zone')?.value
      if (zone) clusterZones.add(zone)
    }
    if (clusterZones.size > 0) pool = [...clusterZones].sort()
  }
  const zones = new Map<string, string>()
  for (const subnet of subnets) {
    const named = region.find((zone) => subnet.includes(zone))
    if (named) {
      zones.set(subnet, named)
      continue
    }
    let hash = 0
    for (const ch of subnet) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0
    zones.set(subnet, pool[hash % pool.length])
  }
  spec.subnetZones = zones
  return zones
}

/** Place one task through `placer` and create it; returns the task or the placement failure. */
export function launchOnPlacer(
  ctx: EngineContext,
  placer: Placer,
  spec: LaunchSpec,
  demand: TaskDemand,
  at: number,
): {task: TaskDoc} | {failure: Failure} {
  const result = placer.place({demand, strategies: spec.strategies, constraints: spec.constraints, group: spec.group})
  if (!result.ok) return {failure: {arn: result.arn, reason: result.reason}}
  const task = createTask(ctx, spec, demand, at, {candidate: result.candidate, hostPorts: result.hostPorts})
  return {task}
}

/** Launch a Fargate task (no instance): spread over the AZs of the subnets by the group's task counts. */
export function launchOnFargate(
  ctx: EngineContext,
  spec: LaunchSpec,
  demand: TaskDemand,
  at: number,
  azCounts: Map<string, number>,
): TaskDoc {
  const subnets = spec.networkConfiguration?.awsvpcConfiguration?.subnets ?? []
  const zones = subnetZones(ctx, spec, subnets)
  let chosen = subnets[0]
  let chosenCount = Number.POSITIVE_INFINITY
  for (const subnet of subnets) {
    const zone = zones.get(subnet) as string
    const count = azCounts.get(zone) ?? 0
    if (count < chosenCount) {
      chosen = subnet
      chosenCount = count
    }
  }
  const zone = zones.get(chosen) as string
  azCounts.set(zone, (azCounts.get(zone) ?? 0) + 1)
  return createTask(ctx, spec, demand, at, {subnet: chosen, availabilityZone: zone})
}

function hex(ctx: EngineContext, length: number): string {
  return newId(ctx).slice(0, length)
}

function uuid(ctx: EngineContext): string {
  return uuidOf(newId(ctx))
}

const uuidOf = (h: string): string =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`

/** A container's id: its task's id rotated by the container's position (unique per task, no random draw). */
function containerId(taskId: string, index: number): string {
  const shift = ((index + 1) * 5) % taskId.length
  return uuidOf(taskId.slice(shift) + taskId.slice(0, shift))
}

/**
 * Host ports per container mapping, in the demand's order: static ports first (bridge hostPort ≠ 0, host mode),
 * then dynamic ones, each walked container by container, mapping by mapping.
 */
function bindingsByContainer(taskDef: TaskDefinition, hostPorts: HostPort[], staticCount: number): NetworkBinding[][] {
  const mode = taskDef.networkMode ?? 'bridge'
  let nextStatic = 0
  let nextDynamic = staticCount
  return (taskDef.containerDefinitions ?? []).map((container) => {
    if (mode === 'awsvpc' || mode === 'none') return []
    const bindings: NetworkBinding[] = []
    for (const mapping of container.portMappings ?? []) {
      const protocol = mapping.protocol ?? 'tcp'
      const isStatic = mode === 'host' || (mapping.hostPort !== undefined && mapping.hostPort !== 0)
      const assigned = isStatic ? hostPorts[nextStatic++] : hostPorts[nextDynamic++]
      const hostPort = assigned?.hostPort ?? (mode === 'host' ? mapping.containerPort : mapping.hostPort)
      bindings.push({bindIP: '0.0.0.0', containerPort: mapping.containerPort, hostPort, protocol})
    }
    return bindings
  })
}

/** Build, persist and return a new task in its first state (PROVISIONING for awsvpc, else PENDING). */
export function createTask(
  ctx: EngineContext,
  spec: LaunchSpec,
  demand: TaskDemand,
  at: number,
  where: {candidate: PlacementCandidate; hostPorts: HostPort[]} | {subnet: string; availabilityZone: string},
): TaskDoc {
  const {taskDef, cluster} = spec
  const clusterName = cluster.clusterName ?? lastSegment(cluster.clusterArn ?? '')
  const id = newId(ctx)
  const arn = buildTaskArn(ctx.settings, clusterName, id)
  const awsvpc = taskDef.networkMode === 'awsvpc'
  const hostPorts = 'candidate' in where ? where.hostPorts : []
  const instanceArn = 'candidate' in where ? where.candidate.containerInstanceArn : undefined
  const availabilityZone =
    'candidate' in where ? where.candidate.attributes.get('ecs.availability-zone') : where.availabilityZone
  const provisionMs = awsvpc ? Math.floor(ctx.settings.taskStartDelayMs / 2) : 0

  let attachments: Attachment[] = []
  let privateIp: string | undefined
  let attachmentId: string | undefined
  if (awsvpc) {
    const subnets = spec.networkConfiguration?.awsvpcConfiguration?.subnets ?? []
    const subnet =
      'subnet' in where
        ? where.subnet
        : (subnets.find((s) => subnetZones(ctx, spec, subnets).get(s) === availabilityZone) ??
          subnets[0] ??
          'subnet-00000000')
    attachmentId = uuid(ctx)
    privateIp = `10.0.${Math.floor(ctx.random() * 254) + 1}.${Math.floor(ctx.random() * 254) + 1}`
    const mac = Array.from({length: 6}, () =>
      Math.floor(ctx.random() * 256)
        .toString(16)
        .padStart(2, '0'),
    ).join(':')
    attachments = [
      {
        id: attachmentId,
        type: 'ElasticNetworkInterface',
        status: 'PRECREATED',
        details: [
          {name: 'subnetId', value: subnet},
          {name: 'networkInterfaceId', value: `eni-${hex(ctx, 17)}`},
          {name: 'macAddress', value: mac},
          {name: 'privateDnsName', value: `ip-${privateIp.replaceAll('.', '-')}.ec2.internal`},
          {name: 'privateIPv4Address', value: privateIp},
        ],
      },
    ]
  }

  const bindings = bindingsByContainer(taskDef, hostPorts, demand.staticPorts.length)
  const overridesByName = new Map((spec.overrides?.containerOverrides ?? []).map((o) => [o.name, o]))
  const sims: ContainerSim[] = []
  const containers: Container[] = (taskDef.containerDefinitions ?? []).map((definition, index) => {
    const behaviour = containerBehaviour(definition, ctx.settings.taskStartDelayMs)
    sims.push({
      name: definition.name ?? `container-${index}`,
      essential: definition.essential ?? true,
      behaviour,
      healthCheck: definition.healthCheck,
      dependsOn: (definition.dependsOn ?? []).map((d) => ({
        containerName: d.containerName ?? '',
        condition: d.condition ?? 'START',
      })),
      startTimeoutMs: definition.startTimeout !== undefined ? definition.startTimeout * 1000 : DEFAULT_START_TIMEOUT_MS,
      bindings: bindings[index] ?? [],
    })
    const override = overridesByName.get(definition.name)
    const container: Container = {
      containerArn: `arn:aws:ecs:${ctx.settings.region}:${ctx.settings.accountId}:container/${clusterName}/${id}/${containerId(id, index)}`,
      taskArn: arn,
      name: definition.name,
      image: definition.image,
      lastStatus: 'PENDING',
      networkBindings: [],
      networkInterfaces: awsvpc && attachmentId ? [{attachmentId, privateIpv4Address: privateIp}] : [],
      healthStatus: 'UNKNOWN',
      cpu: String(override?.cpu ?? definition.cpu ?? 0),
    }
    const memory = override?.memory ?? definition.memory
    const memoryReservation = override?.memoryReservation ?? definition.memoryReservation
    if (memory !== undefined) container.memory = String(memory)
    if (memoryReservation !== undefined) container.memoryReservation = String(memoryReservation)
    return container
  })

  const containerOverrides = (taskDef.containerDefinitions ?? []).map((d) => ({
    ...(overridesByName.get(d.name) ?? {}),
    name: d.name,
  }))
  const task: TaskDoc = {
    taskArn: arn,
    clusterArn: cluster.clusterArn,
    taskDefinitionArn: taskDef.taskDefinitionArn,
    containerInstanceArn: instanceArn,
    overrides: {...(spec.overrides ?? {}), containerOverrides, inferenceAcceleratorOverrides: []},
    lastStatus: awsvpc ? 'PROVISIONING' : 'PENDING',
    desiredStatus: 'RUNNING',
    cpu: taskDef.cpu ?? String(demand.cpu),
    memory: taskDef.memory ?? String(demand.memory),
    containers,
    startedBy: spec.startedBy,
    group: spec.group,
    version: 1,
    createdAt: new Date(at),
    connectivity: 'CONNECTED',
    connectivityAt: new Date(at),
    launchType: spec.launchType,
    availabilityZone,
    attachments,
    attributes: [{name: 'ecs.cpu-architecture', value: 'x86_64'}],
    healthStatus: 'UNKNOWN',
    tags: spec.tags ?? [],
    enableExecuteCommand: false,
    _sim: {
      serviceArn: spec.serviceArn,
      deploymentId: spec.deploymentId,
      group: spec.group,
      demand,
      hostPorts,
      reserved: instanceArn !== undefined,
      awsvpc,
      hasLoadBalancer: spec.hasLoadBalancer ?? false,
      createdMs: at,
      pendingMs: at + provisionMs,
      stopDelayMs: ctx.settings.taskStopDelayMs,
      activationMs: spec.hasLoadBalancer ? Math.floor(ctx.settings.taskStartDelayMs / 2) : 0,
      containers: sims,
      appliedAt: at,
    },
  }
  if (!awsvpc) task.pullStartedAt = new Date(at)
  if (spec.launchType === 'FARGATE') task.platformVersion = resolvePlatformVersion(spec.platformVersion)
  if (spec.startedBy === undefined) delete task.startedBy
  if (instanceArn === undefined) delete task.containerInstanceArn
  if (instanceArn !== undefined) reserveOnInstance(ctx, instanceArn, {demand, hostPorts, group: spec.group})
  // Nothing has happened yet: the first transitions (possibly at `at` itself, for zero delays) are due from now on.
  task._sim.appliedAt = at - 1
  scheduleNext(task)
  saveTask(ctx, task)
  return task
}

export function resolvePlatformVersion(version: string | undefined): string {
  return version === undefined || version === 'LATEST' ? FARGATE_LATEST_PLATFORM_VERSION : version
}

/** Persist a task with its index columns (cluster, parent = container instance, status = lastStatus, name = group). */
export function saveTask(ctx: EngineContext, task: TaskDoc): void {
  ctx.tx.put('task', task.taskArn as string, task, {
    cluster: task.clusterArn,
    parent: task.containerInstanceArn,
    status: task.lastStatus,
    name: task.group,
  })
}
