/**
 * Reads over any Backend that take more than one ECS call: every page of a List*, Describe* in the chunks ECS
 * allows, and the fields of a container instance that ECS keeps in its attributes and resources.
 * Shared by the workflows (ps, waits, engine status) and the local infrastructure (up/down/scale); imports only the
 * contract's types.
 */
import type {Cluster, ContainerInstance, DesiredStatus, Service, Task} from '@aws-sdk/client-ecs'

import type {Backend} from './backend.js'

/** DescribeTasks takes at most 100 tasks per call. */
export const DESCRIBE_TASKS_CHUNK = 100

/** The cluster as DescribeClusters has it, or undefined when it does not exist (or is INACTIVE). */
export async function describeCluster(backend: Backend, cluster: string): Promise<Cluster | undefined> {
  const out = await backend.describeClusters({clusters: [cluster]})
  const found = out.clusters?.find((c) => c.clusterName === cluster || c.clusterArn === cluster)
  return found && found.status !== 'INACTIVE' ? found : undefined
}

/** DescribeTasks in chunks of 100, in the order of `arns` (tasks ECS does not know are left out). */
export async function describeTasks(backend: Backend, cluster: string, arns: string[]): Promise<Task[]> {
  const tasks: Task[] = []
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_CHUNK) {
    const out = await backend.describeTasks({cluster, tasks: arns.slice(i, i + DESCRIBE_TASKS_CHUNK)})
    tasks.push(...(out.tasks ?? []))
  }
  const byArn = new Map(tasks.map((t) => [t.taskArn, t]))
  return arns.map((a) => byArn.get(a)).filter((t): t is Task => t !== undefined)
}

export interface TaskFilter {
  /** Default RUNNING (ecs-cli's filter); ALL = RUNNING and STOPPED. */
  desiredStatus?: 'RUNNING' | 'STOPPED' | 'ALL'
  family?: string
  serviceName?: string
  /** A task project's group (`task:<prefix><project>`); tasks started by `startedBy` match too (older ecs-cli). */
  group?: string
  startedBy?: string
}

async function listTaskArns(
  backend: Backend,
  cluster: string,
  desiredStatus: DesiredStatus,
  filter: TaskFilter,
): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const out = await backend.listTasks({
      cluster,
      desiredStatus,
      family: filter.family,
      serviceName: filter.serviceName,
      startedBy: filter.group ? undefined : filter.startedBy,
      nextToken,
    })
    arns.push(...(out.taskArns ?? []))
    nextToken = out.nextToken
  } while (nextToken)
  return arns
}

const time = (d: Date | string | undefined) => (d ? new Date(d).getTime() : 0)

/** ListTasks (every page, per desired status) + DescribeTasks; filtered by group/startedBy; oldest first. */
export async function findTasks(backend: Backend, cluster: string, filter: TaskFilter = {}): Promise<Task[]> {
  const statuses: DesiredStatus[] =
    filter.desiredStatus === 'ALL' ? ['RUNNING', 'STOPPED'] : [filter.desiredStatus ?? 'RUNNING']
  const arns: string[] = []
  for (const status of statuses) arns.push(...(await listTaskArns(backend, cluster, status, filter)))
  let tasks = await describeTasks(backend, cluster, [...new Set(arns)])
  if (filter.group) {
    tasks = tasks.filter(
      (t) => t.group === filter.group || (filter.startedBy !== undefined && t.startedBy === filter.startedBy),
    )
  }
  return tasks.sort((a, b) => time(a.createdAt) - time(b.createdAt) || (a.taskArn ?? '').localeCompare(b.taskArn ?? ''))
}

/** The cluster's ACTIVE and DRAINING services (ListServices, every page, then DescribeServices by ten). */
export async function listActiveServices(backend: Backend, cluster: string): Promise<Service[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const out = await backend.listServices({cluster, nextToken})
    arns.push(...(out.serviceArns ?? []))
    nextToken = out.nextToken
  } while (nextToken)
  const services: Service[] = []
  for (let i = 0; i < arns.length; i += 10) {
    const out = await backend.describeServices({cluster, services: arns.slice(i, i + 10)})
    services.push(...(out.services ?? []))
  }
  return services.filter((s) => s.status === 'ACTIVE' || s.status === 'DRAINING')
}

/** All container instances of the cluster with the given statuses (default ACTIVE and DRAINING), oldest first. */
export async function listInstances(
  backend: Backend,
  cluster: string,
  statuses: Array<'ACTIVE' | 'DRAINING'> = ['ACTIVE', 'DRAINING'],
): Promise<ContainerInstance[]> {
  const arns: string[] = []
  for (const status of statuses) {
    let nextToken: string | undefined
    do {
      const out = await backend.listContainerInstances({cluster, status, nextToken})
      arns.push(...(out.containerInstanceArns ?? []))
      nextToken = out.nextToken
    } while (nextToken)
  }
  const instances: ContainerInstance[] = []
  for (let i = 0; i < arns.length; i += 100) {
    const out = await backend.describeContainerInstances({cluster, containerInstances: arns.slice(i, i + 100)})
    instances.push(...(out.containerInstances ?? []))
  }
  // registration time first; ties (a manual engine clock) keep ListContainerInstances' order, which is registration order
  const listed = new Map(arns.map((arn, i) => [arn, i]))
  const pos = (ci: ContainerInstance) => listed.get(ci.containerInstanceArn ?? '') ?? 0
  return instances.sort((a, b) => time(a.registeredAt) - time(b.registeredAt) || pos(a) - pos(b))
}

function attributeOf(ci: ContainerInstance, name: string): string | undefined {
  return ci.attributes?.find((a) => a.name === name)?.value
}

export const instanceTypeOf = (ci: ContainerInstance) => attributeOf(ci, 'ecs.instance-type')
export const availabilityZoneOf = (ci: ContainerInstance) => attributeOf(ci, 'ecs.availability-zone')

/** The id part of a container instance ARN. */
export function containerInstanceId(ci: ContainerInstance): string {
  const arn = ci.containerInstanceArn ?? ''
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/** An integer resource (CPU, MEMORY) of a registered or remaining resource list; 0 when absent. */
export function resourceValue(list: ContainerInstance['registeredResources'], name: string): number {
  return list?.find((r) => r.name === name)?.integerValue ?? 0
}
