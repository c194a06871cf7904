/**
 * A new task document in its first state (PROVISIONING for awsvpc, else PENDING): its ENI attachment (awsvpc), its
 * containers with their simulated behaviour, its reservation on the container instance, and its first due time.
 */
import type {Attachment, Container, NetworkBinding, TaskDefinition} from '@aws-sdk/client-ecs'

import {lastSegment, taskArn as buildTaskArn} from '../arns.js'
import type {EngineContext} from '../context.js'
import {newId} from '../ids.js'
import type {ContainerSim, HostPort, TaskDoc} from '../model/documents.js'
import {reserveOnInstance} from '../model/instance-resources.js'
import {saveTask} from '../model/tasks.js'
import type {PlacementCandidate, TaskDemand} from '../placement/types.js'
import {type LaunchSpec, resolvePlatformVersion, subnetZones} from './launch-spec.js'
import {DEFAULT_START_TIMEOUT_MS, scheduleNext} from './lifecycle.js'
import {containerBehaviour} from './simulate.js'

/** Where a task goes: a placed EC2 instance (with its host ports), or a Fargate subnet. */
export type TaskLocation =
  {candidate: PlacementCandidate; hostPorts: HostPort[]} | {subnet: string; availabilityZone: string}

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

interface Eni {
  attachments: Attachment[]
  attachmentId?: string
  privateIp?: string
}

/** The awsvpc task's elastic network interface (PRECREATED), in the subnet of its AZ. */
function eniOf(ctx: EngineContext, spec: LaunchSpec, where: TaskLocation, availabilityZone: string | undefined): Eni {
  const subnets = spec.networkConfiguration?.awsvpcConfiguration?.subnets ?? []
  const subnet =
    'subnet' in where
      ? where.subnet
      : (subnets.find((s) => subnetZones(ctx, spec, subnets).get(s) === availabilityZone) ??
        subnets[0] ??
        'subnet-00000000')
  const attachmentId = uuid(ctx)
  const privateIp = `10.0.${Math.floor(ctx.random() * 254) + 1}.${Math.floor(ctx.random() * 254) + 1}`
  const mac = Array.from({length: 6}, () =>
    Math.floor(ctx.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join(':')
  const attachments: Attachment[] = [
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
  return {attachments, attachmentId, privateIp}
}

/** The task's SDK containers and their simulation state, in definition order. */
function containersOf(
  ctx: EngineContext,
  spec: LaunchSpec,
  task: {id: string; arn: string; clusterName: string; eni: Eni; bindings: NetworkBinding[][]},
): {containers: Container[]; sims: ContainerSim[]} {
  const {taskDef} = spec
  const {id, arn, clusterName, eni, bindings} = task
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
    const {region, accountId} = ctx.settings
    const container: Container = {
      containerArn: `arn:aws:ecs:${region}:${accountId}:container/${clusterName}/${id}/${containerId(id, index)}`,
      taskArn: arn,
      name: definition.name,
      image: definition.image,
      lastStatus: 'PENDING',
      networkBindings: [],
      networkInterfaces: eni.attachmentId ? [{attachmentId: eni.attachmentId, privateIpv4Address: eni.privateIp}] : [],
      healthStatus: 'UNKNOWN',
      cpu: String(override?.cpu ?? definition.cpu ?? 0),
    }
    const memory = override?.memory ?? definition.memory
    const memoryReservation = override?.memoryReservation ?? definition.memoryReservation
    if (memory !== undefined) container.memory = String(memory)
    if (memoryReservation !== undefined) container.memoryReservation = String(memoryReservation)
    return container
  })
  return {containers, sims}
}

/** Build, persist and return a new task in its first state (PROVISIONING for awsvpc, else PENDING). */
export function createTask(
  ctx: EngineContext,
  spec: LaunchSpec,
  demand: TaskDemand,
  at: number,
  where: TaskLocation,
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
  const eni: Eni = awsvpc ? eniOf(ctx, spec, where, availabilityZone) : {attachments: []}
  const bindings = bindingsByContainer(taskDef, hostPorts, demand.staticPorts.length)
  const {containers, sims} = containersOf(ctx, spec, {id, arn, clusterName, eni, bindings})
  const overridesByName = new Map((spec.overrides?.containerOverrides ?? []).map((o) => [o.name, o]))
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
    attachments: eni.attachments,
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
