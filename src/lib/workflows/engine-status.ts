/**
 * `ecsx engine status`: the cluster, its container instances and how its running tasks spread over zones.
 * Works on any backend's data, but the command only offers it for the local engine (engine-controls.ts).
 */
import type {Cluster, ContainerInstance} from '@aws-sdk/client-ecs'

import type {Backend, EngineControls} from '../ecs/backend.js'
import {
  availabilityZoneOf,
  containerInstanceId,
  describeCluster,
  findTasks,
  instanceTypeOf,
  listInstances,
  resourceValue,
} from '../ecs/lookups.js'
import {OperationError} from '../errors.js'
import {utilisationBar} from '../ui/bar.js'
import type {TableColumn} from '../ui/types.js'

export interface EngineStatus {
  cluster: Cluster
  /** ACTIVE and DRAINING container instances, as DescribeContainerInstances returns them. */
  containerInstances: ContainerInstance[]
  /** Running (and pending) tasks per availability zone. */
  tasksPerAvailabilityZone: Record<string, number>
  /** The engine clock (ISO 8601). */
  engineTime: string
}

export async function engineStatus(
  backend: Backend,
  engine: EngineControls,
  clusterName: string,
): Promise<EngineStatus> {
  const cluster = await describeCluster(backend, clusterName)
  if (!cluster) throw new OperationError(`Cluster ${clusterName} not found.`, 'Create it with `ecsx up`.')
  const containerInstances = await listInstances(backend, clusterName)
  const zoneOfInstance = new Map(containerInstances.map((ci) => [ci.containerInstanceArn, availabilityZoneOf(ci)]))
  const tasks = await findTasks(backend, clusterName, {desiredStatus: 'RUNNING'})
  const tasksPerAvailabilityZone: Record<string, number> = {}
  for (const ci of containerInstances) {
    const az = availabilityZoneOf(ci)
    if (az) tasksPerAvailabilityZone[az] ??= 0
  }
  for (const t of tasks) {
    const az = t.availabilityZone ?? zoneOfInstance.get(t.containerInstanceArn) ?? 'unknown'
    tasksPerAvailabilityZone[az] = (tasksPerAvailabilityZone[az] ?? 0) + 1
  }
  const sorted = Object.fromEntries(Object.entries(tasksPerAvailabilityZone).sort(([a], [b]) => a.localeCompare(b)))
  return {
    cluster,
    containerInstances,
    tasksPerAvailabilityZone: sorted,
    engineTime: new Date(await engine.now()).toISOString(),
  }
}

export interface InstanceRow {
  id: string
  ec2: string
  type: string
  az: string
  status: string
  cpu: string
  memory: string
  tasks: string
  /** Reserved share of the registered CPU and memory (0…1). */
  cpuUsed: number
  memoryUsed: number
}

const usedShare = (ci: ContainerInstance, name: string): number => {
  const total = resourceValue(ci.registeredResources, name)
  return total > 0 ? (total - resourceValue(ci.remainingResources, name)) / total : 0
}

export function instanceRows(instances: ContainerInstance[]): InstanceRow[] {
  return instances.map((ci) => ({
    id: containerInstanceId(ci),
    ec2: ci.ec2InstanceId ?? '',
    type: instanceTypeOf(ci) ?? '',
    az: availabilityZoneOf(ci) ?? '',
    status: ci.status ?? '',
    cpu: `${resourceValue(ci.remainingResources, 'CPU')}/${resourceValue(ci.registeredResources, 'CPU')}`,
    memory: `${resourceValue(ci.remainingResources, 'MEMORY')}/${resourceValue(ci.registeredResources, 'MEMORY')}`,
    tasks: `${ci.runningTasksCount ?? 0}${ci.pendingTasksCount ? ` (+${ci.pendingTasksCount} pending)` : ''}`,
    cpuUsed: usedShare(ci, 'CPU'),
    memoryUsed: usedShare(ci, 'MEMORY'),
  }))
}

export const INSTANCE_COLUMNS: Array<TableColumn<InstanceRow>> = [
  {header: 'ContainerInstance', get: (r) => r.id},
  {header: 'EC2Instance', get: (r) => r.ec2},
  {header: 'Type', get: (r) => r.type},
  {header: 'AZ', get: (r) => r.az},
  {header: 'Status', get: (r) => r.status},
  {header: 'CPU units free/total', get: (r) => r.cpu},
  {header: 'Memory MiB free/total', get: (r) => r.memory},
  {header: 'Tasks', get: (r) => r.tasks},
]

/**
 * The instance table's columns; with `bars` (a terminal) the CPU and memory columns lead with a utilisation bar of
 * what is reserved, e.g. `███▌░░░░░░ 1332/2048`, so the cluster's fill shows at a glance.
 */
export function instanceColumns(bars: boolean): Array<TableColumn<InstanceRow>> {
  if (!bars) return INSTANCE_COLUMNS
  return INSTANCE_COLUMNS.map((c) => {
    if (c.header.startsWith('CPU')) return {header: c.header, get: (r) => `${utilisationBar(r.cpuUsed)} ${r.cpu}`}
    if (c.header.startsWith('Memory'))
      return {header: c.header, get: (r) => `${utilisationBar(r.memoryUsed)} ${r.memory}`}
    return c
  })
}
