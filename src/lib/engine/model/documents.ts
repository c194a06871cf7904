/**
 * Every document the engine stores, in one place. Each is the SDK shape ECS returns plus one engine-private field
 * (`_engine` or `_sim`, stripped before anything leaves the engine):
 *
 *   kind       body                     id                       index columns (context.ts DocIndex)
 *   cluster    Cluster                  cluster ARN              name, status
 *   instance   StoredInstance           container instance ARN   cluster, status, name = EC2 instance id
 *   taskdef    StoredTaskDefinition     family:revision          parent = family, status, name = family
 *   task       TaskDoc                  task ARN                 cluster, parent = instance ARN, status = lastStatus,
 *                                                                name = group (+ the store's due column, store/due.ts)
 *   service    ServiceDoc               service ARN              cluster, status, name = service name
 *
 * `meta` holds small bookkeeping singletons, each private to the module that owns it (clock.ts: the clock;
 * runtime/purge-queue.ts: purge times of stopped tasks; runtime/reconcile/: the cursor and the idle-pass due time).
 */
import type {
  Cluster,
  ContainerInstance,
  HealthCheck,
  NetworkBinding,
  Service,
  Tag,
  Task,
  TaskDefinition,
  TaskStopCode,
} from '@aws-sdk/client-ecs'

import type {TaskDemand} from '../placement/types.js'

/** Clusters are stored as ECS returns them (counts are computed when presented, model/counts.ts). */
export type StoredCluster = Cluster

// ---------------------------------------------------------------------------------------------------------------
// container instances

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

// ---------------------------------------------------------------------------------------------------------------
// task definitions

/** The stored body: the SDK shape plus engine-private tags (TaskDefinition has no `tags` field). */
export type StoredTaskDefinition = TaskDefinition & {_engine?: {tags?: Tag[]}}

// ---------------------------------------------------------------------------------------------------------------
// tasks and their simulation state (runtime/lifecycle.ts moves it through time)

/** Simulated health of a container with a healthCheck (runtime/simulate.ts reads it from docker labels). */
export type HealthMode = {kind: 'healthy'} | {kind: 'unhealthy'} | {kind: 'unhealthy-after'; afterMs: number}

/** How a simulated container behaves (engine defaults, overridable per container: runtime/simulate.ts). */
export interface ContainerBehaviour {
  /** Time from the task's PENDING start until the container can run (image pull + create). */
  startDelayMs: number
  /** Exit this long after reaching RUNNING; undefined = run until stopped. */
  exitAfterMs?: number
  exitCode: number
  health: HealthMode
  /** Failure text: the container never starts and the task stops before running. */
  failToStart?: string
}

export type HostPort = {hostPort: number; protocol: 'tcp' | 'udp'}

export interface ContainerSim {
  name: string
  essential: boolean
  behaviour: ContainerBehaviour
  healthCheck?: HealthCheck
  dependsOn: Array<{containerName: string; condition: string}>
  /** Give up resolving dependencies after this long from PENDING (startTimeout, default 3 min). */
  startTimeoutMs: number
  /** Network bindings that become visible once the task is RUNNING. */
  bindings: NetworkBinding[]
  runningAt?: number
  exitedAt?: number
  exitCode?: number
  healthyAt?: number
  unhealthyAt?: number
}

export interface StopPhase {
  status: string
  /** The phase lasts until this time (exclusive). */
  until: number
}

export interface TaskStop {
  at: number
  reason: string
  code: TaskStopCode
  /** Requested by the service scheduler (scale-in, deployment, draining, health). */
  byScheduler: boolean
  /** The task never reached RUNNING and failed (throttle trigger). */
  failedToStart: boolean
  phases: StopPhase[]
  /** Time the task reaches STOPPED. */
  stoppedAt: number
}

export interface TaskSim {
  serviceArn?: string
  deploymentId?: string
  group: string
  demand: TaskDemand
  hostPorts: HostPort[]
  /** The task holds a reservation on its container instance (released when it reaches STOPPED). */
  reserved: boolean
  awsvpc: boolean
  hasLoadBalancer: boolean
  createdMs: number
  /** PROVISIONING ends / PENDING begins. */
  pendingMs: number
  stopDelayMs: number
  /** Time spent in ACTIVATING (registering with load balancers / service discovery) once every container runs. */
  activationMs?: number
  /** ACTIVATING ends at this time. */
  activatedAt?: number
  containers: ContainerSim[]
  stop?: TaskStop
  /** Transitions up to and including this time have been applied. */
  appliedAt: number
  /** Next time something happens to this task (undefined = nothing scheduled). */
  nextAt?: number
  /** STOPPED tasks are purged at this time. */
  purgeAt?: number
}

export type TaskDoc = Task & {_sim: TaskSim}

// ---------------------------------------------------------------------------------------------------------------
// services

/** Kinds of event that repeat while a condition lasts, and therefore are suppressed (runtime/events.ts). */
export type SuppressedKind = 'steady' | 'unplaceable' | 'throttle'

export interface EventState {
  /** kind → last emitted message and when. */
  suppress: Partial<Record<SuppressedKind, {message: string; at: number}>>
}

export interface ThrottleState {
  /** Consecutive service tasks that stopped without ever reaching RUNNING. */
  failures: number
  /** No new task is launched before this time. */
  nextLaunchAt?: number
}

/** Engine-private part of a stored service. */
export interface ServiceEngineState {
  events: EventState
  throttle: ThrottleState
  /** Next time the controller must run by itself (throttle end, grace period end, steady re-announcement). */
  nextAt?: number
  /** The last placement attempt left tasks unplaced: retry when capacity frees up. */
  waitingForCapacity: boolean
  /** CreateService idempotency token. */
  clientToken?: string
  /** INACTIVE services are purged at this time. */
  purgeAt?: number
  /** Task definition + network configuration of the last COMPLETED deployment (for circuit-breaker rollback). */
  lastCompleted?: {taskDefinition: string; networkConfiguration?: Service['networkConfiguration']}
}

export type ServiceDoc = Service & {_engine: ServiceEngineState}
