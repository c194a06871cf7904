/**
 * Contract between the engine (store/api/reconcile) and the placement module.
 *
 * The engine loads the cluster's container instances into `PlacementCandidate`s, builds a `Placer` once per
 * batch (one RunTask call, one reconcile step of a service), and asks it to place tasks one at a time. The placer
 * reserves what it places on its own candidates, so the next placement in the same batch sees the updated
 * remaining resources, ports, ENIs, group counts and spread counts. The engine then persists the result.
 *
 * Everything here is plain data: no SQLite, no clock, no SDK runtime imports.
 */
import type {PlacementConstraint, PlacementStrategy} from '@aws-sdk/client-ecs'

export type Protocol = 'tcp' | 'udp'

export interface PlacementCandidate {
  containerInstanceArn: string
  /** Last segment of the container instance ARN (32 hex chars). */
  containerInstanceId: string
  ec2InstanceId: string
  /** ECS status: only ACTIVE instances receive tasks. */
  status: string
  agentConnected: boolean
  /** e.g. "1.80.0" */
  agentVersion: string
  /** epoch ms */
  registeredAt: number
  /**
   * All attributes, built-in and custom: `ecs.availability-zone`, `ecs.instance-type`, `ecs.os-type`, `ecs.ami-id`,
   * capability attributes (value undefined), custom `stack=prod`, …
   */
  attributes: Map<string, string | undefined>
  remainingCpu: number
  remainingMemory: number
  remainingGpu: number
  /** Reserved TCP / UDP host ports: agent defaults + static and dynamic host ports of non-stopped tasks. */
  tcpPortsInUse: Set<number>
  udpPortsInUse: Set<number>
  /** Free ENI attachment slots for awsvpc tasks (ENI limit − 1 for the primary − awsvpc tasks placed). */
  freeEniSlots: number
  /** Non-stopped tasks on the instance (the query language's runningTasksCount). */
  runningTasksCount: number
  /** Task group → number of non-stopped tasks of that group on this instance (for `task:group`). */
  taskGroups: Map<string, number>
}

export interface TaskDemand {
  /** CPU units reserved (task-level cpu if set, else Σ container cpu). */
  cpu: number
  /** MiB reserved (task-level memory if set, else Σ container memoryReservation ?? memory). */
  memory: number
  gpu: number
  /** Static host ports (bridge hostPort ≠ 0, host-mode ports). */
  staticPorts: Array<{port: number; protocol: Protocol}>
  /** Number of dynamic host ports to allocate from the ephemeral range (bridge mode, hostPort 0/absent). */
  dynamicPorts: Array<{protocol: Protocol}>
  /** awsvpc: the task needs a free ENI slot. */
  needsEni: boolean
  /** `requiresAttributes` of the task definition (name, optional value). */
  requiresAttributes: Array<{name: string; value?: string}>
  /** awsvpc on EC2: only instances in these AZs are eligible (AZs of the given subnets). Undefined = any AZ. */
  allowedAvailabilityZones?: string[]
}

export interface PlaceOptions {
  demand: TaskDemand
  /** Strategies in order (first = primary criterion). Empty = the API default the caller resolved. */
  strategies: PlacementStrategy[]
  /** Task-definition + request constraints (distinctInstance, memberOf). */
  constraints: PlacementConstraint[]
  /**
   * The group the new task joins (`family:x`, `service:<name>` for service tasks, or user-given). It is counted for
   * `task:group` expressions, and it is also the population for spread strategies, distinctInstance and the
   * service default (AZ balance): a service's tasks are exactly the tasks of group `service:<name>`.
   */
  group: string
}

export type PlaceResult =
  /**
   * hostPorts[i] for i < demand.staticPorts.length are the static ports; the rest are the dynamic ports assigned
   * from the ephemeral range (32768–61000), in the order of demand.dynamicPorts.
   */
  | {ok: true; candidate: PlacementCandidate; hostPorts: Array<{hostPort: number; protocol: Protocol}>}
  | {ok: false; reason: string; /** ARN the failure names (closest matching instance, or the cluster). */ arn: string}

export interface Placer {
  /** Place one task, reserving its resources on the chosen candidate. */
  place(options: PlaceOptions): PlaceResult
  /** Release a task's reservation (e.g. when the engine rolls back a batch). */
  release(
    candidateArn: string,
    demand: TaskDemand,
    hostPorts: Array<{hostPort: number; protocol: Protocol}>,
    group: string,
  ): void
}

export interface PlacerOptions {
  /** Deterministic random source in [0,1) for the random strategy and ties (the engine seeds it). */
  random: () => number
  /** Cluster ARN, named by the failure when the cluster has no usable instances. */
  clusterArn: string
}

/** Implemented in placement/index.ts: `export function createPlacer(candidates, options): Placer`. */
export type CreatePlacer = (candidates: PlacementCandidate[], options: PlacerOptions) => Placer

/** A running task as the scale-in chooser sees it. */
export interface RunningTaskRef {
  taskArn: string
  containerInstanceArn: string
}

/**
 * Implemented in placement/index.ts: choose `count` tasks to stop when a REPLICA service scales in (spec §5.4):
 * with strategies, keep the best distribution (e.g. spread by AZ → remove from the AZ with most tasks); without,
 * balance AZs (stop from the AZ with most of the service's tasks, then the instance with most).
 */
export type ChooseTasksToStop = (
  candidates: PlacementCandidate[],
  tasks: RunningTaskRef[],
  count: number,
  strategies: PlacementStrategy[],
  random: () => number,
) => string[]
