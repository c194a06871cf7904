/**
 * What the dashboard page shows: one plain-JSON document, built on the server from ECS API reads
 * (src/lib/dashboard/build-view.ts) and rendered as it is by the page (src/web/dashboard). The page imports these
 * types only, so this file must stay free of runtime code and of Node or SDK imports.
 */

/** One resource as registered on an instance vs what the placed tasks reserve. */
export interface ResourceUse {
  registered: number
  used: number
}

export type TaskState = 'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | string

export interface TaskView {
  /** Task id (last part of the ARN). */
  id: string
  /** `family:revision` of its task definition. */
  taskDefinition: string
  /** Service name, or undefined for a standalone task (RunTask/StartTask). */
  service?: string
  /** The task's group (`service:web`, `family:job`). */
  group: string
  /** Index into the page's palette (per cluster; services first, in name order). */
  color: number
  lastStatus: TaskState
  desiredStatus: string
  /** HEALTHY, UNHEALTHY or UNKNOWN. */
  health: string
  /** Reserved CPU units and MiB. */
  cpu: number
  memory: number
  launchType: string
}

export interface InstanceView {
  /** Container instance id (last part of the ARN). */
  id: string
  ec2InstanceId: string
  instanceType: string
  /** ACTIVE, DRAINING, INACTIVE, … */
  status: string
  agentConnected: boolean
  cpu: ResourceUse
  memory: ResourceUse
  runningTasks: number
  pendingTasks: number
  /** Tasks placed here that have not stopped yet (RUNNING, PENDING and STOPPING ones). */
  tasks: TaskView[]
  /** The CLI command that terminates this instance (empty once it is INACTIVE). */
  killCommand: string
}

export interface ZoneView {
  name: string
  instances: InstanceView[]
  /** Fargate (awsvpc, no container instance) tasks of this zone. */
  fargate: TaskView[]
}

export interface DeploymentView {
  id: string
  /** PRIMARY or ACTIVE. */
  status: string
  taskDefinition: string
  desired: number
  running: number
  pending: number
  failed: number
  /** COMPLETED, IN_PROGRESS, FAILED (or empty). */
  rolloutState: string
  rolloutStateReason: string
}

export interface EventView {
  /** Engine time, ISO 8601. */
  at: string
  message: string
}

export interface ServiceView {
  name: string
  status: string
  color: number
  launchType: string
  /** Placement strategy as text: `spread(attribute:ecs.availability-zone) → binpack(memory)`, or '' for none. */
  strategy: string
  desired: number
  running: number
  pending: number
  /** The deployment bounds in tasks: floor(desired × minimumHealthy%) and floor(desired × maximum%). */
  minHealthy: number
  maxTasks: number
  minHealthyPercent: number
  maximumPercent: number
  deployments: DeploymentView[]
  /** Newest first. */
  events: EventView[]
  /**
   * Why tasks could not be placed: the newest "unable to place a task" event of the service since it last reached a
   * steady state (the engine's closest-matching explanation), or empty.
   */
  unplaced: string
  /** The CLI command that scales this service by one task. */
  scaleCommand: string
}

export interface LegendEntry {
  label: string
  color: number
}

export interface ClusterView {
  name: string
  status: string
  instanceCount: number
  runningTasks: number
  pendingTasks: number
  zones: ZoneView[]
  services: ServiceView[]
  legend: LegendEntry[]
}

export interface DashboardView {
  region: string
  /** Engine time, ISO 8601 (the local engine's clock), or undefined when the backend has none. */
  engineTime?: string
  /** The cluster the CLI is configured for (shown first). */
  currentCluster: string
  clusters: ClusterView[]
  /** The CLI command that moves the engine clock (useful with the manual clock). */
  advanceCommand: string
  /** Set when the last read of the backend failed; the rest of the view is the last good one. */
  error?: string
}
