import type {PlacementCandidate, TaskDemand} from '../../../../src/lib/engine/placement/types.js'

export const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:000000000000:cluster/default'
const DEFAULT_TCP_PORTS = [22, 2375, 2376, 51678, 51679, 51680]

let serial = 0

export interface CandidateSpec {
  cpu?: number
  memory?: number
  gpu?: number
  eni?: number
  az?: string
  instanceType?: string
  status?: string
  agentConnected?: boolean
  agentVersion?: string
  registeredAt?: number
  attributes?: Record<string, string | undefined>
  groups?: Record<string, number>
  tcpPorts?: number[]
  id?: string
  ec2InstanceId?: string
}

export function candidate(spec: CandidateSpec = {}): PlacementCandidate {
  serial++
  const id = spec.id ?? serial.toString(16).padStart(32, '0')
  const attributes = new Map<string, string | undefined>([
    ['ecs.availability-zone', spec.az ?? 'us-east-1a'],
    ['ecs.instance-type', spec.instanceType ?? 't2.medium'],
    ['ecs.os-type', 'linux'],
    ['ecs.capability.task-eni', undefined],
  ])
  for (const [name, value] of Object.entries(spec.attributes ?? {})) attributes.set(name, value)
  const groups = new Map(Object.entries(spec.groups ?? {}))
  let running = 0
  for (const count of groups.values()) running += count
  return {
    containerInstanceArn: `arn:aws:ecs:us-east-1:000000000000:container-instance/default/${id}`,
    containerInstanceId: id,
    ec2InstanceId: spec.ec2InstanceId ?? `i-${id.slice(-8)}`,
    status: spec.status ?? 'ACTIVE',
    agentConnected: spec.agentConnected ?? true,
    agentVersion: spec.agentVersion ?? '1.80.0',
    registeredAt: spec.registeredAt ?? Date.UTC(2020, 0, 1),
    attributes,
    remainingCpu: spec.cpu ?? 2048,
    remainingMemory: spec.memory ?? 3943,
    remainingGpu: spec.gpu ?? 0,
    tcpPortsInUse: new Set(spec.tcpPorts ?? DEFAULT_TCP_PORTS),
    udpPortsInUse: new Set(),
    freeEniSlots: spec.eni ?? 2,
    runningTasksCount: running,
    taskGroups: groups,
  }
}

export function demand(spec: Partial<TaskDemand> = {}): TaskDemand {
  return {
    cpu: 0,
    memory: 128,
    gpu: 0,
    staticPorts: [],
    dynamicPorts: [],
    needsEni: false,
    requiresAttributes: [],
    ...spec,
  }
}

/** Deterministic PRNG for tests: the engine's own (mulberry32). */
export {seededRandom} from '../../../../src/lib/engine/ids.js'
