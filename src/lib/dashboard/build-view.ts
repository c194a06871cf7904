/**
 * Snapshot (ECS API shapes) → DashboardView (what the page draws). Pure: no I/O, no clock.
 */
import type {ContainerInstance, Deployment, PlacementStrategy, Service, Task} from '@aws-sdk/client-ecs'

import type {ClusterSnapshot, Snapshot} from './collect.js'
import type {
  ClusterView,
  DashboardView,
  DeploymentView,
  InstanceView,
  LegendEntry,
  ServiceView,
  TaskView,
  ZoneView,
} from './view.js'

export interface ViewOptions {
  /** The cluster the CLI is configured for: listed first, and left out of suggested commands' flags. */
  currentCluster: string
  /** compose-service-name-prefix of the configuration (service name = prefix + project name). */
  composeServiceNamePrefix: string
  /** How the CLI is invoked in suggested commands (default `ecsx`). */
  bin?: string
}

/** Service events shown per service. */
export const EVENTS_SHOWN = 6
const UNPLACED = /was unable to place a task/
const STEADY = /has reached a steady state/

const lastPart = (arn: string | undefined): string => (arn ?? '').slice((arn ?? '').lastIndexOf('/') + 1)
const iso = (d: Date | string | undefined): string => (d ? new Date(d).toISOString() : '')

function attribute(ci: ContainerInstance, name: string): string | undefined {
  return ci.attributes?.find((a) => a.name === name)?.value
}

function resource(list: ContainerInstance['registeredResources'], name: string): number {
  return list?.find((r) => r.name === name)?.integerValue ?? 0
}

/** `family:revision` of a task definition ARN. */
export function shortTaskDefinition(arn: string | undefined): string {
  return lastPart(arn)
}

/** The task's reservation: task-level cpu/memory when set, else the sum over its containers (as ECS places it). */
export function taskReservation(task: Task): {cpu: number; memory: number} {
  const containers = task.containers ?? []
  const sum = (get: (c: (typeof containers)[number]) => string | undefined) =>
    containers.reduce((n, c) => n + (Number(get(c)) || 0), 0)
  const cpu = Number(task.cpu) || sum((c) => c.cpu)
  const memory = Number(task.memory) || sum((c) => c.memoryReservation ?? c.memory)
  return {cpu, memory}
}

export function strategyText(strategy: PlacementStrategy[] | undefined): string {
  if (!strategy || strategy.length === 0) return ''
  return strategy.map((s) => (s.field ? `${s.type}(${s.field})` : String(s.type))).join(' → ')
}

/**
 * Why the service cannot place tasks: the newest "unable to place a task" event since the service last reached a
 * steady state (events come newest first, as DescribeServices returns them), or ''.
 */
export function unplacedReason(service: Service): string {
  for (const e of service.events ?? []) {
    const message = e.message ?? ''
    if (STEADY.test(message)) return ''
    if (UNPLACED.test(message)) return message
  }
  return ''
}

/** Palette slots: services first (name order), then standalone task groups (name order). */
function colorsOf(snapshot: ClusterSnapshot): Map<string, number> {
  const services = snapshot.services.map((s) => `service:${s.serviceName}`).sort()
  const groups = [...new Set(snapshot.tasks.map((t) => t.group ?? ''))].filter((g) => !services.includes(g)).sort()
  return new Map([...services, ...groups].map((g, i) => [g, i]))
}

function legendOf(colors: Map<string, number>): LegendEntry[] {
  return [...colors].map(([group, color]) => ({
    label: group.startsWith('service:') ? group.slice('service:'.length) : `${group.replace(/^family:/, '')} (task)`,
    color,
  }))
}

function taskView(task: Task, colors: Map<string, number>): TaskView {
  const group = task.group ?? ''
  const {cpu, memory} = taskReservation(task)
  return {
    id: lastPart(task.taskArn),
    taskDefinition: shortTaskDefinition(task.taskDefinitionArn),
    ...(group.startsWith('service:') ? {service: group.slice('service:'.length)} : {}),
    group,
    color: colors.get(group) ?? 0,
    lastStatus: task.lastStatus ?? 'PENDING',
    desiredStatus: task.desiredStatus ?? '',
    health: task.healthStatus ?? 'UNKNOWN',
    cpu,
    memory,
    launchType: task.launchType ?? '',
  }
}

/** Tasks in a stable order: by service colour, then by when they were created, then by id. */
function byGroupThenAge(a: {task: Task; view: TaskView}, b: {task: Task; view: TaskView}): number {
  const t = (x: Task) => (x.createdAt ? new Date(x.createdAt).getTime() : 0)
  return a.view.color - b.view.color || t(a.task) - t(b.task) || a.view.id.localeCompare(b.view.id)
}

function instanceView(ci: ContainerInstance, tasks: TaskView[], cluster: string, o: ViewOptions): InstanceView {
  const status = ci.status ?? 'ACTIVE'
  const registeredCpu = resource(ci.registeredResources, 'CPU')
  const registeredMemory = resource(ci.registeredResources, 'MEMORY')
  const inactive = status === 'INACTIVE'
  const sum = (key: 'cpu' | 'memory') => tasks.reduce((n, t) => n + t[key], 0)
  return {
    id: lastPart(ci.containerInstanceArn),
    ec2InstanceId: ci.ec2InstanceId ?? '',
    instanceType: attribute(ci, 'ecs.instance-type') ?? '',
    status,
    agentConnected: ci.agentConnected !== false,
    cpu: {
      registered: registeredCpu,
      used: inactive ? sum('cpu') : registeredCpu - resource(ci.remainingResources, 'CPU'),
    },
    memory: {
      registered: registeredMemory,
      used: inactive ? sum('memory') : registeredMemory - resource(ci.remainingResources, 'MEMORY'),
    },
    runningTasks: ci.runningTasksCount ?? 0,
    pendingTasks: ci.pendingTasksCount ?? 0,
    tasks,
    killCommand: inactive
      ? ''
      : command(o, ['engine', 'kill-instance', ci.ec2InstanceId || lastPart(ci.containerInstanceArn)], cluster),
  }
}

function command(o: ViewOptions, args: string[], cluster: string): string {
  const clusterFlag = cluster === o.currentCluster ? [] : ['--cluster', cluster]
  return [o.bin ?? 'ecsx', ...args, ...clusterFlag].join(' ')
}

function zonesOf(snapshot: ClusterSnapshot, colors: Map<string, number>, o: ViewOptions): ZoneView[] {
  const cluster = snapshot.cluster.clusterName ?? ''
  const tasksByInstance = new Map<string, Array<{task: Task; view: TaskView}>>()
  const lane: Array<{task: Task; view: TaskView}> = []
  const instanceArns = new Set(snapshot.instances.map((ci) => ci.containerInstanceArn))
  for (const task of snapshot.tasks) {
    const entry = {task, view: taskView(task, colors)}
    const arn = task.containerInstanceArn
    if (arn && instanceArns.has(arn)) tasksByInstance.set(arn, [...(tasksByInstance.get(arn) ?? []), entry])
    else lane.push(entry)
  }
  const zones = new Map<string, ZoneView>()
  const zone = (name: string): ZoneView => {
    let z = zones.get(name)
    if (!z) zones.set(name, (z = {name, instances: [], fargate: []}))
    return z
  }
  const registered = (ci: ContainerInstance) => (ci.registeredAt ? new Date(ci.registeredAt).getTime() : 0)
  const instances = [...snapshot.instances].sort(
    (a, b) => registered(a) - registered(b) || String(a.ec2InstanceId).localeCompare(String(b.ec2InstanceId)),
  )
  for (const ci of instances) {
    const tasks = (tasksByInstance.get(ci.containerInstanceArn ?? '') ?? []).sort(byGroupThenAge).map((e) => e.view)
    zone(attribute(ci, 'ecs.availability-zone') ?? 'unknown').instances.push(instanceView(ci, tasks, cluster, o))
  }
  for (const e of lane.sort(byGroupThenAge)) zone(e.task.availabilityZone ?? 'unknown').fargate.push(e.view)
  return [...zones.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function deploymentView(d: Deployment): DeploymentView {
  return {
    id: d.id ?? '',
    status: d.status ?? '',
    taskDefinition: shortTaskDefinition(d.taskDefinition),
    desired: d.desiredCount ?? 0,
    running: d.runningCount ?? 0,
    pending: d.pendingCount ?? 0,
    failed: d.failedTasks ?? 0,
    rolloutState: d.rolloutState ?? '',
    rolloutStateReason: d.rolloutStateReason ?? '',
  }
}

function serviceView(s: Service, colors: Map<string, number>, cluster: string, o: ViewOptions): ServiceView {
  const name = s.serviceName ?? ''
  const desired = s.desiredCount ?? 0
  const minPercent = s.deploymentConfiguration?.minimumHealthyPercent ?? 100
  const maxPercent = s.deploymentConfiguration?.maximumPercent ?? 200
  const project = name.startsWith(o.composeServiceNamePrefix) ? name.slice(o.composeServiceNamePrefix.length) : name
  const order = (d: Deployment) => (d.status === 'PRIMARY' ? 0 : 1)
  return {
    name,
    status: s.status ?? '',
    color: colors.get(`service:${name}`) ?? 0,
    launchType: s.launchType ?? (s.capacityProviderStrategy?.length ? 'capacity provider' : 'EC2'),
    strategy: strategyText(s.placementStrategy),
    desired,
    running: s.runningCount ?? 0,
    pending: s.pendingCount ?? 0,
    minHealthy: Math.ceil((desired * minPercent) / 100),
    maxTasks: Math.floor((desired * maxPercent) / 100),
    minHealthyPercent: minPercent,
    maximumPercent: maxPercent,
    deployments: [...(s.deployments ?? [])].sort((a, b) => order(a) - order(b)).map(deploymentView),
    events: (s.events ?? []).slice(0, EVENTS_SHOWN).map((e) => ({at: iso(e.createdAt), message: e.message ?? ''})),
    unplaced: unplacedReason(s),
    scaleCommand: command(o, ['compose', '--project-name', project, 'service', 'scale', String(desired + 1)], cluster),
  }
}

export function clusterView(snapshot: ClusterSnapshot, o: ViewOptions): ClusterView {
  const colors = colorsOf(snapshot)
  const name = snapshot.cluster.clusterName ?? ''
  const services = [...snapshot.services].sort((a, b) => String(a.serviceName).localeCompare(String(b.serviceName)))
  return {
    name,
    status: snapshot.cluster.status ?? '',
    instanceCount: snapshot.cluster.registeredContainerInstancesCount ?? 0,
    runningTasks: snapshot.cluster.runningTasksCount ?? 0,
    pendingTasks: snapshot.cluster.pendingTasksCount ?? 0,
    zones: zonesOf(snapshot, colors, o),
    services: services.map((s) => serviceView(s, colors, name, o)),
    legend: legendOf(colors),
  }
}

export function buildView(snapshot: Snapshot, o: ViewOptions): DashboardView {
  const rank = (c: ClusterSnapshot) => (c.cluster.clusterName === o.currentCluster ? 0 : 1)
  const clusters = [...snapshot.clusters].sort(
    (a, b) => rank(a) - rank(b) || String(a.cluster.clusterName).localeCompare(String(b.cluster.clusterName)),
  )
  return {
    region: snapshot.region,
    ...(snapshot.engineTime === undefined ? {} : {engineTime: new Date(snapshot.engineTime).toISOString()}),
    currentCluster: o.currentCluster,
    clusters: clusters.map((c) => clusterView(c, o)),
    advanceCommand: `${o.bin ?? 'ecsx'} engine advance 30s`,
  }
}
