/**
 * Instance resource bookkeeping: registered and remaining resources (CPU, MEMORY, GPU, reserved PORTS/PORTS_UDP),
 * the dynamic host ports, ENI slots and task-group counts a placed task holds on its instance (`reserveOnInstance`
 * when it is launched, `releaseFromInstance` when it reaches STOPPED), and the placement view of an instance.
 */
import type {Resource} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../context.js'
import {EcsApiError} from '../errors.js'
import type {PlacementCandidate, Protocol, TaskDemand} from '../placement/types.js'
import {lastSegment} from '../arns.js'
import {DEFAULT_RESERVED_TCP_PORTS, DEFAULT_RESERVED_TCP_PORTS_WINDOWS, DEFAULT_RESERVED_UDP_PORTS} from './capacity.js'
import type {StoredInstance} from './documents.js'
import {DEFAULT_AGENT_VERSION, instanceByArn, LISTABLE_STATUSES, saveInstance, touchInstance} from './instances.js'

/** What a placed task holds on its instance. */
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

export function intRes(name: string, value: number): Resource {
  return {name, type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: value}
}

function portsRes(name: string, ports: readonly number[]): Resource {
  return {name, type: 'STRINGSET', doubleValue: 0, longValue: 0, integerValue: 0, stringSetValue: ports.map(String)}
}

export function cloneResources(resources: Resource[]): Resource[] {
  return resources.map((r) => (r.stringSetValue ? {...r, stringSetValue: [...r.stringSetValue]} : {...r}))
}

/** Registered resources from the agent's `totalResources` (missing PORTS → the agent's default reserved ports). */
export function registeredFrom(total: Resource[], gpus: number, osType: 'linux' | 'windows'): Resource[] {
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
// placement view

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
// reservations

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
  touchInstance(body)
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
  touchInstance(body)
  saveInstance(ctx, body)
}
