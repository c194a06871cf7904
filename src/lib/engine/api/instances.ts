/**
 * Container instances and attributes (spec §3): RegisterContainerInstance, DeregisterContainerInstance,
 * DescribeContainerInstances, ListContainerInstances, UpdateContainerInstancesState, PutAttributes,
 * DeleteAttributes, ListAttributes — plus the resource accounting the task runtime uses
 * (`loadCandidates`, `reserveOnInstance`, `releaseFromInstance`, `getInstance`, `markInstanceInactive`).
 *
 * Stored body: the SDK `ContainerInstance` plus `_engine` (instance type, AZ, ENI slots, dynamic ports in use,
 * task-group counts, deregistration time). `remainingResources` holds CPU/MEMORY/GPU and the reserved
 * (static) PORTS/PORTS_UDP; dynamically assigned host ports are tracked in `_engine` only, as ECS does not list
 * them. `runningTasksCount`/`pendingTasksCount` are computed from the task documents when presented.
 */
import type {
  Attribute,
  ContainerInstance,
  ContainerInstanceHealthStatus,
  DeleteAttributesCommandInput,
  DeleteAttributesCommandOutput,
  DeregisterContainerInstanceCommandInput,
  DeregisterContainerInstanceCommandOutput,
  DescribeContainerInstancesCommandInput,
  DescribeContainerInstancesCommandOutput,
  Failure,
  ListAttributesCommandInput,
  ListAttributesCommandOutput,
  ListContainerInstancesCommandInput,
  ListContainerInstancesCommandOutput,
  PutAttributesCommandInput,
  PutAttributesCommandOutput,
  RegisterContainerInstanceCommandInput,
  RegisterContainerInstanceCommandOutput,
  Resource,
  UpdateContainerInstancesStateCommandInput,
  UpdateContainerInstancesStateCommandOutput,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../ecs/backend.js'
import {clusterNameOf, containerInstanceArn, isArn, lastSegment, parseEcsArn} from '../arns.js'
import {
  availabilityZones,
  builtInAttributes,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_RESERVED_TCP_PORTS,
  DEFAULT_RESERVED_TCP_PORTS_WINDOWS,
  DEFAULT_RESERVED_UDP_PORTS,
  instanceType as instanceTypeInfo,
} from '../capacity.js'
import type {EngineContext, StoredDoc} from '../context.js'
import {EcsApiError} from '../errors.js'
import {newEc2InstanceId, newId} from '../ids.js'
import {omitKeys} from '../objects.js'
import {paginate} from '../paging.js'
import type {PlacementCandidate, Protocol, TaskDemand} from '../placement/types.js'
import {compileQuery} from '../query/index.js'
import {DEFAULT_CLUSTER, findCluster, putNewCluster, requireActiveCluster} from './clusters.js'
import {ATTRIBUTE_SHAPES, checkEach, checkFields, request, TAG_SHAPES} from './input.js'
import {tagsForCreate} from './tags.js'
import {stopTasksOnInstance} from './tasks.js'

export const DEFAULT_AGENT_VERSION = '1.80.0'
export const FORCED_DEREGISTRATION_REASON = 'Container instance deregistration forced by user'
const MAX_CUSTOM_ATTRIBUTES = 10
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_./-]{1,128}$/
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.@/:\\ -]{1,128}$/
const LISTABLE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']
/** Task lastStatus values that count as pending / running on an instance. */
const PENDING_TASK_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING']
const RUNNING_TASK_STATUSES = ['RUNNING']

export interface InstanceEngineState {
  /** ARN of the cluster (ContainerInstance itself has no cluster field). */
  clusterArn: string
  instanceType: string
  availabilityZone: string
  osType: string
  /** awsvpc tasks this instance can still take (ENIs − 1 for the primary − awsvpc tasks placed). */
  freeEniSlots: number
  /** Non-stopped tasks placed here (the query language's runningTasksCount). */
  activeTasks: number
  /** Task group → number of non-stopped tasks of that group here. */
  taskGroups: Record<string, number>
  /** Dynamically assigned host ports in use (not listed in remainingResources, as in ECS). */
  dynamicTcpPorts: number[]
  dynamicUdpPorts: number[]
  /** Engine time the instance became INACTIVE (for the describable-for-1-hour rule). */
  deregisteredAt?: number
}

export type StoredInstance = ContainerInstance & {_engine: InstanceEngineState}

export interface Reservation {
  demand: TaskDemand
  hostPorts: Array<{hostPort: number; protocol: Protocol}>
  group: string
}

// ---------------------------------------------------------------------------------------------------------------
// resources

function resourceValue(resources: Resource[] | undefined, name: string): Resource | undefined {
  return resources?.find((r) => r.name === name)
}

export function intResource(resources: Resource[] | undefined, name: string): number {
  return resourceValue(resources, name)?.integerValue ?? 0
}

function portsResource(resources: Resource[] | undefined, name: string): number[] {
  return (resourceValue(resources, name)?.stringSetValue ?? []).map(Number).filter((n) => Number.isInteger(n))
}

function setInt(resources: Resource[], name: string, value: number): void {
  const existing = resourceValue(resources, name)
  if (existing) existing.integerValue = value
  else resources.push({name, type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: value})
}

function setPorts(resources: Resource[], name: string, ports: number[]): void {
  const values = ports.map(String)
  const existing = resourceValue(resources, name)
  if (existing) existing.stringSetValue = values
  else resources.push({name, type: 'STRINGSET', doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: values})
}

function intRes(name: string, value: number): Resource {
  return {name, type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: value}
}

function portsRes(name: string, ports: readonly number[]): Resource {
  return {name, type: 'STRINGSET', doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: ports.map(String)}
}

function cloneResources(resources: Resource[]): Resource[] {
  return resources.map((r) => (r.stringSetValue ? {...r, stringSetValue: [...r.stringSetValue]} : {...r}))
}

/** Registered resources from the agent's `totalResources` (missing PORTS → the agent's default reserved ports). */
function registeredFrom(total: Resource[], gpus: number, osType: 'linux' | 'windows'): Resource[] {
  const defaultPorts = osType === 'windows' ? DEFAULT_RESERVED_TCP_PORTS_WINDOWS : DEFAULT_RESERVED_TCP_PORTS
  const byName = new Map(total.map((r) => [r.name, r]))
  for (const name of ['CPU', 'MEMORY']) {
    const value = byName.get(name)?.integerValue
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new EcsApiError(
        'InvalidParameterException',
        `totalResources must include ${name} as a non-negative integerValue.`,
      )
    }
  }
  const resources: Resource[] = [
    intRes('CPU', byName.get('CPU')?.integerValue as number),
    intRes('MEMORY', byName.get('MEMORY')?.integerValue as number),
    portsRes('PORTS', (byName.get('PORTS')?.stringSetValue ?? defaultPorts.map(String)).map(Number)),
    portsRes(
      'PORTS_UDP',
      (byName.get('PORTS_UDP')?.stringSetValue ?? DEFAULT_RESERVED_UDP_PORTS.map(String)).map(Number),
    ),
  ]
  const gpu = byName.get('GPU')?.integerValue ?? gpus
  if (gpu > 0) resources.push(intRes('GPU', gpu))
  return resources
}

// ---------------------------------------------------------------------------------------------------------------
// lookups

const indexOf = (body: StoredInstance) => ({
  cluster: body._engine.clusterArn,
  status: body.status,
  name: body.ec2InstanceId,
})

export function saveInstance(ctx: EngineContext, body: StoredInstance): void {
  ctx.tx.put('instance', body.containerInstanceArn as string, body, indexOf(body))
}

/**
 * A container instance of the cluster by reference: its 32-hex id, full ARN, or EC2 instance id. Returns the
 * stored body (with `_engine`), any status, or undefined.
 */
export function getInstance(ctx: EngineContext, clusterArn: string, ref: string): StoredInstance | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined
  const clusterName = lastSegment(clusterArn)
  if (isArn(ref)) {
    const parsed = parseEcsArn(ref)
    if (parsed?.resourceType !== 'container-instance') return undefined
    const doc = ctx.tx.get<StoredInstance>('instance', ref)
    if (doc) return doc.body._engine.clusterArn === clusterArn ? doc.body : undefined
    // Old-format ARN (…:container-instance/<id>): look the id up in this cluster.
    return parsed.path.length === 1
      ? ctx.tx.get<StoredInstance>('instance', containerInstanceArn(ctx.settings, clusterName, parsed.path[0]))?.body
      : undefined
  }
  if (ref.startsWith('i-')) {
    const docs = ctx.tx.list<StoredInstance>('instance', {cluster: clusterArn, name: ref})
    // Prefer a live registration over INACTIVE ones of the same EC2 instance.
    return (docs.find((d) => d.status !== 'INACTIVE') ?? docs[docs.length - 1])?.body
  }
  return ctx.tx.get<StoredInstance>('instance', containerInstanceArn(ctx.settings, clusterName, ref))?.body
}

function instanceByArn(ctx: EngineContext, instanceArn: string): StoredInstance {
  const doc = ctx.tx.get<StoredInstance>('instance', instanceArn)
  if (!doc) throw new EcsApiError('ServerException', `Container instance ${instanceArn} is not in the engine's store.`)
  return doc.body
}

function refArn(ctx: EngineContext, clusterArn: string, ref: string): string {
  return isArn(ref) ? ref : containerInstanceArn(ctx.settings, lastSegment(clusterArn), ref)
}

/** Task counts of an instance from the task documents. */
function taskCounts(ctx: EngineContext, instanceArn: string): {running: number; pending: number} {
  return {
    running: ctx.tx.count('task', {parent: instanceArn, statusIn: RUNNING_TASK_STATUSES}),
    pending: ctx.tx.count('task', {parent: instanceArn, statusIn: PENDING_TASK_STATUSES}),
  }
}

/** The instance as ECS returns it (no engine-private state; live task counts; tags only when asked). */
export function presentInstance(ctx: EngineContext, body: StoredInstance, includeTags = true): ContainerInstance {
  const counts = taskCounts(ctx, body.containerInstanceArn as string)
  const out: ContainerInstance = includeTags ? omitKeys(body, '_engine') : omitKeys(body, '_engine', 'tags')
  out.runningTasksCount = counts.running
  out.pendingTasksCount = counts.pending
  return out
}

/** The placement view of one instance. */
export function candidateOf(body: StoredInstance): PlacementCandidate {
  const remaining = body.remainingResources
  const attributes = new Map<string, string | undefined>()
  for (const attribute of body.attributes ?? []) if (attribute.name) attributes.set(attribute.name, attribute.value)
  const arn = body.containerInstanceArn as string
  return {
    containerInstanceArn: arn,
    containerInstanceId: lastSegment(arn),
    ec2InstanceId: body.ec2InstanceId ?? '',
    status: body.status ?? 'ACTIVE',
    agentConnected: body.agentConnected ?? false,
    agentVersion: body.versionInfo?.agentVersion ?? DEFAULT_AGENT_VERSION,
    registeredAt: body.registeredAt instanceof Date ? body.registeredAt.getTime() : Number(body.registeredAt ?? 0),
    attributes,
    remainingCpu: intResource(remaining, 'CPU'),
    remainingMemory: intResource(remaining, 'MEMORY'),
    remainingGpu: intResource(remaining, 'GPU'),
    tcpPortsInUse: new Set([...portsResource(remaining, 'PORTS'), ...body._engine.dynamicTcpPorts]),
    udpPortsInUse: new Set([...portsResource(remaining, 'PORTS_UDP'), ...body._engine.dynamicUdpPorts]),
    freeEniSlots: body._engine.freeEniSlots,
    runningTasksCount: body._engine.activeTasks,
    taskGroups: new Map(Object.entries(body._engine.taskGroups)),
  }
}

/** Placement candidates of a cluster: every instance that is not INACTIVE (the placer filters DRAINING, AGENT …). */
export function loadCandidates(ctx: EngineContext, clusterArn: string): PlacementCandidate[] {
  // candidateOf only reads (and copies what it keeps): shared bodies, no per-call deep copy of every instance.
  return ctx.tx
    .list<StoredInstance>('instance', {cluster: clusterArn, statusIn: LISTABLE_STATUSES, shared: true})
    .map((doc) => candidateOf(doc.body))
}

// ---------------------------------------------------------------------------------------------------------------
// resource accounting (used by the task runtime)

function splitPorts(reservation: Reservation): {
  staticPorts: Array<{hostPort: number; protocol: Protocol}>
  dynamicPorts: Array<{hostPort: number; protocol: Protocol}>
} {
  const staticCount = reservation.demand.staticPorts.length
  return {
    staticPorts: reservation.hostPorts.slice(0, staticCount),
    dynamicPorts: reservation.hostPorts.slice(staticCount),
  }
}

function removeOne(list: number[], value: number): void {
  const index = list.indexOf(value)
  if (index >= 0) list.splice(index, 1)
}

/** Reserve a placed task's resources on its instance (CPU, memory, GPU, ports, ENI slot, group count). */
export function reserveOnInstance(ctx: EngineContext, instanceArn: string, reservation: Reservation): void {
  const body = instanceByArn(ctx, instanceArn)
  const remaining = body.remainingResources ?? (body.remainingResources = [])
  const {demand} = reservation
  setInt(remaining, 'CPU', intResource(remaining, 'CPU') - demand.cpu)
  setInt(remaining, 'MEMORY', intResource(remaining, 'MEMORY') - demand.memory)
  if (demand.gpu > 0) setInt(remaining, 'GPU', intResource(remaining, 'GPU') - demand.gpu)
  const {staticPorts, dynamicPorts} = splitPorts(reservation)
  const tcp = portsResource(remaining, 'PORTS')
  const udp = portsResource(remaining, 'PORTS_UDP')
  for (const port of staticPorts) (port.protocol === 'udp' ? udp : tcp).push(port.hostPort)
  setPorts(remaining, 'PORTS', tcp)
  setPorts(remaining, 'PORTS_UDP', udp)
  const state = body._engine
  for (const port of dynamicPorts)
    (port.protocol === 'udp' ? state.dynamicUdpPorts : state.dynamicTcpPorts).push(port.hostPort)
  if (demand.needsEni) state.freeEniSlots -= 1
  state.activeTasks += 1
  state.taskGroups[reservation.group] = (state.taskGroups[reservation.group] ?? 0) + 1
  touch(ctx, body)
  saveInstance(ctx, body)
}

/** Give a stopped task's resources back (the exact reverse of `reserveOnInstance`, never above registered). */
export function releaseFromInstance(ctx: EngineContext, instanceArn: string, reservation: Reservation): void {
  const body = instanceByArn(ctx, instanceArn)
  const remaining = body.remainingResources ?? (body.remainingResources = [])
  const registered = body.registeredResources
  const {demand} = reservation
  setInt(remaining, 'CPU', Math.min(intResource(registered, 'CPU'), intResource(remaining, 'CPU') + demand.cpu))
  setInt(
    remaining,
    'MEMORY',
    Math.min(intResource(registered, 'MEMORY'), intResource(remaining, 'MEMORY') + demand.memory),
  )
  if (demand.gpu > 0)
    setInt(remaining, 'GPU', Math.min(intResource(registered, 'GPU'), intResource(remaining, 'GPU') + demand.gpu))
  const {staticPorts, dynamicPorts} = splitPorts(reservation)
  const tcp = portsResource(remaining, 'PORTS')
  const udp = portsResource(remaining, 'PORTS_UDP')
  for (const port of staticPorts) removeOne(port.protocol === 'udp' ? udp : tcp, port.hostPort)
  setPorts(remaining, 'PORTS', tcp)
  setPorts(remaining, 'PORTS_UDP', udp)
  const state = body._engine
  for (const port of dynamicPorts)
    removeOne(port.protocol === 'udp' ? state.dynamicUdpPorts : state.dynamicTcpPorts, port.hostPort)
  if (demand.needsEni) state.freeEniSlots += 1
  state.activeTasks = Math.max(0, state.activeTasks - 1)
  const left = (state.taskGroups[reservation.group] ?? 0) - 1
  if (left > 0) state.taskGroups[reservation.group] = left
  else delete state.taskGroups[reservation.group]
  touch(ctx, body)
  saveInstance(ctx, body)
}

function touch(_ctx: EngineContext, body: StoredInstance): void {
  body.version = (body.version ?? 0) + 1
}

/** Deregister: status INACTIVE (describable for `inactiveInstanceRetentionMs`, then purged). */
export function markInstanceInactive(
  ctx: EngineContext,
  instanceArn: string,
  reason?: string,
  options: {agentConnected?: boolean} = {},
): StoredInstance {
  const body = instanceByArn(ctx, instanceArn)
  body.status = 'INACTIVE'
  if (reason) body.statusReason = reason
  if (options.agentConnected !== undefined) body.agentConnected = options.agentConnected
  body._engine.deregisteredAt = ctx.now
  touch(ctx, body)
  saveInstance(ctx, body)
  return body
}

/** Agent connection flips (an EC2 instance stopped/started): the status stays as it is. */
export function setAgentConnected(ctx: EngineContext, instanceArn: string, connected: boolean): StoredInstance {
  const body = instanceByArn(ctx, instanceArn)
  if (body.agentConnected !== connected) {
    body.agentConnected = connected
    touch(ctx, body)
    saveInstance(ctx, body)
  }
  return body
}

/** Drop INACTIVE instances older than the retention (lazily, on every engine call). */
export function purgeInactiveInstances(ctx: EngineContext): number {
  let purged = 0
  for (const doc of ctx.tx.list<StoredInstance>('instance', {status: 'INACTIVE'})) {
    const since = doc.body._engine.deregisteredAt ?? 0
    if (ctx.now - since >= ctx.settings.inactiveInstanceRetentionMs) {
      ctx.tx.delete('instance', doc.id)
      purged++
    }
  }
  return purged
}

// ---------------------------------------------------------------------------------------------------------------
// attributes

const isBuiltInName = (name: string): boolean => name.startsWith('ecs.') || name.startsWith('com.amazonaws.ecs.')

function validateAttribute(attribute: Attribute, allowBuiltIn: boolean): void {
  const name = attribute?.name
  if (typeof name !== 'string' || !ATTRIBUTE_NAME.test(name)) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Invalid attribute name ${JSON.stringify(name ?? null)}: use 1 to 128 letters, numbers, hyphens, underscores, periods and forward slashes.`,
    )
  }
  if (!allowBuiltIn && isBuiltInName(name)) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Attribute '${name}' is a built-in attribute; built-in attributes cannot be changed or deleted.`,
    )
  }
  const value = attribute.value
  if (
    value !== undefined &&
    value !== null &&
    (typeof value !== 'string' || !ATTRIBUTE_VALUE.test(value) || value.trim() !== value)
  ) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Invalid value ${JSON.stringify(value)} for attribute '${name}': use 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, backslashes, colons or spaces (not leading or trailing).`,
    )
  }
}

function mergeAttributes(existing: Attribute[], added: Attribute[]): Attribute[] {
  const result = existing.map((a) => ({...a}))
  for (const attribute of added) {
    const clean: Attribute =
      attribute.value === undefined || attribute.value === null
        ? {name: attribute.name}
        : {name: attribute.name, value: attribute.value}
    const index = result.findIndex((a) => a.name === attribute.name)
    if (index >= 0) result[index] = clean
    else result.push(clean)
  }
  return result
}

function attributeTargets(
  ctx: EngineContext,
  clusterArn: string,
  attributes: Attribute[] | undefined,
  allowBuiltIn: boolean,
): Map<string, Attribute[]> {
  if (!Array.isArray(attributes) || attributes.length === 0)
    throw new EcsApiError('InvalidParameterException', 'attributes must contain at least one attribute.')
  if (attributes.length > MAX_CUSTOM_ATTRIBUTES) {
    throw new EcsApiError(
      'InvalidParameterException',
      `At most ${MAX_CUSTOM_ATTRIBUTES} attributes can be given in one call.`,
    )
  }
  const byTarget = new Map<string, Attribute[]>()
  for (const attribute of attributes) {
    validateAttribute(attribute, allowBuiltIn)
    if ((attribute.targetType ?? 'container-instance') !== 'container-instance') {
      throw new EcsApiError(
        'InvalidParameterException',
        `Invalid targetType '${attribute.targetType}': only 'container-instance' is supported.`,
      )
    }
    if (!attribute.targetId)
      throw new EcsApiError(
        'InvalidParameterException',
        `Attribute '${attribute.name}' needs a targetId (container instance id or ARN).`,
      )
    const target = getInstance(ctx, clusterArn, attribute.targetId)
    if (!target || target.status === 'INACTIVE') {
      throw new EcsApiError(
        'TargetNotFoundException',
        `Could not find the target '${attribute.targetId}' in cluster '${lastSegment(clusterArn)}'.`,
      )
    }
    const arn = target.containerInstanceArn as string
    byTarget.set(arn, [...(byTarget.get(arn) ?? []), attribute])
  }
  return byTarget
}

export function putAttributes(ctx: EngineContext, input: PutAttributesCommandInput): Out<PutAttributesCommandOutput> {
  input = request(input, {cluster: 'string', attributes: 'object[]'})
  checkEach(input.attributes, ATTRIBUTE_SHAPES, 'attributes')
  const cluster = requireActiveCluster(ctx, input.cluster)
  for (const [arn, attributes] of attributeTargets(ctx, cluster.id, input.attributes, false)) {
    const body = instanceByArn(ctx, arn)
    const merged = mergeAttributes(body.attributes ?? [], attributes)
    const custom = merged.filter((a) => !isBuiltInName(a.name ?? '')).length
    if (custom > MAX_CUSTOM_ATTRIBUTES) {
      throw new EcsApiError(
        'AttributeLimitExceededException',
        `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes per resource.`,
      )
    }
    body.attributes = merged
    touch(ctx, body)
    saveInstance(ctx, body)
  }
  return {attributes: input.attributes}
}

export function deleteAttributes(
  ctx: EngineContext,
  input: DeleteAttributesCommandInput,
): Out<DeleteAttributesCommandOutput> {
  input = request(input, {cluster: 'string', attributes: 'object[]'})
  checkEach(input.attributes, ATTRIBUTE_SHAPES, 'attributes')
  const cluster = requireActiveCluster(ctx, input.cluster)
  for (const [arn, attributes] of attributeTargets(ctx, cluster.id, input.attributes, false)) {
    const body = instanceByArn(ctx, arn)
    const names = new Set(attributes.map((a) => a.name))
    body.attributes = (body.attributes ?? []).filter((a) => !names.has(a.name))
    touch(ctx, body)
    saveInstance(ctx, body)
  }
  return {attributes: input.attributes}
}

export function listAttributes(
  ctx: EngineContext,
  input: ListAttributesCommandInput,
): Out<ListAttributesCommandOutput> {
  input = request(input, {
    cluster: 'string',
    targetType: 'string',
    attributeName: 'string',
    attributeValue: 'string',
    maxResults: 'integer',
    nextToken: 'string',
  })
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (input.targetType !== 'container-instance') {
    throw new EcsApiError('InvalidParameterException', `targetType is required and must be 'container-instance'.`)
  }
  if (input.attributeValue !== undefined && input.attributeName === undefined) {
    throw new EcsApiError('InvalidParameterException', 'attributeValue can only be used together with attributeName.')
  }
  const found: Attribute[] = []
  for (const doc of ctx.tx.list<StoredInstance>('instance', {cluster: cluster.id, statusIn: LISTABLE_STATUSES})) {
    for (const attribute of doc.body.attributes ?? []) {
      if (input.attributeName !== undefined && attribute.name !== input.attributeName) continue
      if (input.attributeValue !== undefined && attribute.value !== input.attributeValue) continue
      const out: Attribute = {name: attribute.name, targetType: 'container-instance', targetId: doc.id}
      if (attribute.value !== undefined) out.value = attribute.value
      found.push(out)
    }
  }
  const page = paginate(found, input)
  return page.nextToken === undefined ? {attributes: page.items} : {attributes: page.items, nextToken: page.nextToken}
}

// ---------------------------------------------------------------------------------------------------------------
// operations

interface IdentityDocument {
  instanceId?: string
  instanceType?: string
  availabilityZone?: string
  imageId?: string
  region?: string
}

function parseIdentityDocument(text: string | undefined): IdentityDocument {
  if (text === undefined || text === '') return {}
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    return parsed as IdentityDocument
  } catch {
    throw new EcsApiError(
      'InvalidParameterException',
      'instanceIdentityDocument must be a JSON object (the EC2 instance identity document).',
    )
  }
}

/** The AZ with the fewest registered instances of this cluster (ties: alphabetical), for documents without one. */
function leastUsedZone(ctx: EngineContext, clusterArn: string): string {
  const zones = availabilityZones(ctx.settings.region)
  const used = new Map<string, number>(zones.map((z) => [z, 0]))
  for (const doc of ctx.tx.list<StoredInstance>('instance', {cluster: clusterArn, statusIn: LISTABLE_STATUSES})) {
    const zone = doc.body._engine.availabilityZone
    if (used.has(zone)) used.set(zone, (used.get(zone) as number) + 1)
  }
  let best = zones[0]
  for (const zone of zones) if ((used.get(zone) as number) < (used.get(best) as number)) best = zone
  return best
}

export function registerContainerInstance(
  ctx: EngineContext,
  input: RegisterContainerInstanceCommandInput,
): Out<RegisterContainerInstanceCommandOutput> {
  input = request(input, {
    cluster: 'string',
    instanceIdentityDocument: 'string',
    instanceIdentityDocumentSignature: 'string',
    totalResources: 'object[]',
    versionInfo: 'object',
    containerInstanceArn: 'string',
    attributes: 'object[]',
    platformDevices: 'object[]',
    tags: 'object[]',
  })
  checkEach(
    input.totalResources,
    {
      name: 'string',
      type: 'string',
      integerValue: 'integer',
      longValue: 'integer',
      doubleValue: 'number',
      stringSetValue: 'string[]',
    },
    'totalResources',
  )
  checkEach(input.attributes, ATTRIBUTE_SHAPES, 'attributes')
  checkEach(input.tags, TAG_SHAPES, 'tags')
  if (input.versionInfo)
    checkFields(
      input.versionInfo as Record<string, unknown>,
      {agentVersion: 'string', agentHash: 'string', dockerVersion: 'string'},
      'versionInfo.',
    )
  const clusterRef = input.cluster ?? DEFAULT_CLUSTER
  let cluster = findCluster(ctx, clusterRef)
  if (!cluster || cluster.body.status !== 'ACTIVE') {
    // Only the `default` cluster is created on first registration (spec §3.1, guide p. 217).
    if (clusterNameOf(clusterRef) !== DEFAULT_CLUSTER)
      throw new EcsApiError('ClusterNotFoundException', 'Cluster not found.')
    cluster = putNewCluster(ctx, DEFAULT_CLUSTER)
  }
  const clusterArn = cluster.id
  const identity = parseIdentityDocument(input.instanceIdentityDocument)
  for (const attribute of input.attributes ?? []) validateAttribute(attribute, true)
  const customCount = (input.attributes ?? []).filter((a) => !isBuiltInName(a.name ?? '')).length
  if (customCount > MAX_CUSTOM_ATTRIBUTES) {
    throw new EcsApiError(
      'AttributeLimitExceededException',
      `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes per resource.`,
    )
  }
  const tags = tagsForCreate(input.tags)

  // Re-registration of a known instance (by ARN, or the same EC2 instance while still registered).
  const existing = input.containerInstanceArn
    ? getInstance(ctx, clusterArn, input.containerInstanceArn)
    : identity.instanceId
      ? getInstance(ctx, clusterArn, identity.instanceId)
      : undefined
  if (input.containerInstanceArn && !existing) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Container instance '${input.containerInstanceArn}' is not registered in cluster '${cluster.name}'.`,
    )
  }
  if (existing && existing.status !== 'INACTIVE') {
    existing.attributes = mergeAttributes(existing.attributes ?? [], input.attributes ?? [])
    if (input.versionInfo) existing.versionInfo = {...existing.versionInfo, ...input.versionInfo}
    existing.agentConnected = true
    if (tags.length > 0) existing.tags = tags
    touch(ctx, existing)
    saveInstance(ctx, existing)
    return {containerInstance: presentInstance(ctx, existing)}
  }

  const instanceType = identity.instanceType ?? DEFAULT_INSTANCE_TYPE
  const info = instanceTypeInfo(instanceType)
  if (!info && !input.totalResources?.length) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Unknown instance type '${instanceType}': pass totalResources (CPU, MEMORY) or use a known instance type such as t2.micro, m5.large or c5.large.`,
    )
  }
  const availabilityZone = identity.availabilityZone ?? leastUsedZone(ctx, clusterArn)
  const osType =
    (input.attributes ?? []).find((a) => a.name === 'ecs.os-type')?.value === 'windows' ? 'windows' : 'linux'
  const amiId = identity.imageId ?? 'ami-0ecsx000000000000'
  const registered = input.totalResources?.length
    ? registeredFrom(input.totalResources, info?.gpus ?? 0, osType)
    : registeredFrom([intRes('CPU', info?.cpu ?? 0), intRes('MEMORY', info?.memory ?? 0)], info?.gpus ?? 0, osType)
  const attributes = mergeAttributes(
    builtInAttributes({instanceType, availabilityZone, amiId, osType}),
    input.attributes ?? [],
  )
  const id = newId(ctx)
  const arn = containerInstanceArn(ctx.settings, cluster.name ?? lastSegment(clusterArn), id)
  const body: StoredInstance = {
    containerInstanceArn: arn,
    ec2InstanceId: identity.instanceId ?? newEc2InstanceId(ctx),
    version: 1,
    versionInfo: {
      agentVersion: DEFAULT_AGENT_VERSION,
      agentHash: 'ecsx',
      dockerVersion: 'DockerVersion: 20.10.25',
      ...input.versionInfo,
    },
    remainingResources: cloneResources(registered),
    registeredResources: registered,
    status: 'ACTIVE',
    agentConnected: true,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    attributes,
    registeredAt: new Date(ctx.now),
    attachments: [],
    tags,
    _engine: {
      clusterArn,
      instanceType,
      availabilityZone,
      osType,
      freeEniSlots: Math.max(0, (info?.maxEnis ?? 2) - 1),
      activeTasks: 0,
      taskGroups: {},
      dynamicTcpPorts: [],
      dynamicUdpPorts: [],
    },
  }
  saveInstance(ctx, body)
  return {containerInstance: presentInstance(ctx, body)}
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
  const unstopped = ctx.tx.count('task', {parent: arn}) - ctx.tx.count('task', {parent: arn, status: 'STOPPED'})
  if (unstopped > 0) {
    if (!input.force) {
      throw new EcsApiError(
        'InvalidParameterException',
        `Found ${unstopped} task(s) still running on container instance '${lastSegment(arn)}'. Stop them first, or deregister with force to stop them.`,
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
      touch(ctx, body)
      saveInstance(ctx, body)
    }
    containerInstances.push(presentInstance(ctx, body, false))
  }
  return {containerInstances, failures}
}

export const instanceHandlers = {
  registerContainerInstance,
  deregisterContainerInstance,
  describeContainerInstances,
  listContainerInstances,
  updateContainerInstancesState,
  putAttributes,
  deleteAttributes,
  listAttributes,
}
