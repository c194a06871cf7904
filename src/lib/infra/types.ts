/**
 * Infrastructure: what the commands need besides the ECS API — the cluster's capacity (`up`, `down`, `scale`), the
 * tasks' logs, container images (`images`, `push`, `pull`) and Cloud Map service discovery. One interface, two
 * implementations, chosen by `openInfra` (index.ts) from the resolved settings, never by the commands:
 *   local/   simulated EC2 container instances registered in the local engine (the local twin of the aws stack);
 *            no logs and no image registry (one answer for both: local-only.ts)
 *   aws.ts   the CloudFormation stack of ecs-cli (lib/aws/cluster-stack.ts), CloudWatch Logs (lib/aws/logs.ts),
 *            Amazon ECR and the local docker (lib/aws/ecr.ts, image-transfer.ts)
 *
 * Type-only at runtime, like the ECS contract.
 */
import type {ImageDetail} from '@aws-sdk/client-ecr'
import type {Cluster, ContainerInstance, RegisterTaskDefinitionCommandInput, Tag} from '@aws-sdk/client-ecs'

import type {AwsClusterDownResult, AwsClusterScaleResult, AwsClusterUpResult} from '../aws/cluster-stack.js'
import type {FollowOptions, LogEventLine, LogQuery} from '../aws/logs.js'
import type {ListImagesOptions} from '../aws/ecr.js'
import type {PullResult, PushResult} from '../aws/image-transfer.js'

export type {ImageDetail, LogEventLine, PullResult, PushResult}

export interface Infrastructure {
  readonly capacity: ClusterCapacity
  readonly logs: TaskLogs
  readonly images: ImageRegistry
  readonly serviceDiscovery: ServiceDiscovery
  /**
   * Flags that only shape AWS resources: on the local backend each given one of `names` is noted (under --verbose)
   * as having no effect; on aws they are used, and nothing is said.
   */
  noteAwsOnlyFlags(flags: object, names: readonly string[]): void
}

// ---------------------------------------------------------------------------------------------------------------
// capacity: `ecsx up | down | scale`

/** The cluster's container instances: simulated ones in the engine (local), an Auto Scaling group (aws). */
export interface ClusterCapacity {
  /** Create the cluster if missing, and its capacity unless `empty` or FARGATE. */
  up(options: ClusterUpOptions): Promise<ClusterUpResult>
  /** Delete the capacity, then the cluster. Asks first (exit 2 without a terminal) unless `force`. */
  down(options: {force: boolean}): Promise<ClusterDownResult>
  /** Change the number of container instances to `size`. */
  scale(options: ClusterScaleOptions): Promise<ClusterScaleResult>
}

export interface ClusterUpOptions {
  size: number
  instanceType: string
  launchType: 'EC2' | 'FARGATE'
  empty: boolean
  /** `--azs a,b`: the availability zones to spread instances over. */
  azs?: string
  tags?: Tag[]
  force: boolean
  /** What only the aws stack uses (VPC, security group, AMI, IAM, key pair, user data). */
  aws: AwsStackOptions
}

export interface AwsStackOptions {
  keypair?: string
  capabilityIam?: boolean
  instanceRole?: string
  vpc?: string
  subnets?: string
  securityGroup?: string
  port?: number
  cidr?: string
  imageId?: string
  extraUserData?: string[]
  noAssociatePublicIp?: boolean
}

export interface ClusterScaleOptions {
  size: number
  /** Acknowledges that the aws stack update may touch IAM resources. */
  capabilityIam?: boolean
}

/** The local backend's `up` result. */
export interface LocalClusterUpResult {
  cluster: Cluster
  containerInstances: ContainerInstance[]
}

/** The local backend's `down` result. */
export interface LocalClusterDownResult {
  cluster: Cluster
  terminatedInstances: string[]
}

/** The local backend's `scale` result. */
export interface LocalClusterScaleResult {
  cluster: Cluster
  containerInstances: ContainerInstance[]
  added: ContainerInstance[]
  removed: string[]
}

export type ClusterUpResult = LocalClusterUpResult | AwsClusterUpResult
export type ClusterDownResult = LocalClusterDownResult | AwsClusterDownResult
export type ClusterScaleResult = LocalClusterScaleResult | AwsClusterScaleResult

// ---------------------------------------------------------------------------------------------------------------
// logs: `ecsx logs`, `--create-log-groups`

export interface TaskLogQuery {
  /** Task id or ARN. */
  taskId: string
  /** family:revision or ARN; needed once ECS no longer lists the stopped task. */
  taskDef?: string
  containerName?: string
}

export type LogRange = LogQuery

export interface TaskLogs {
  /** The task's container logs, ready to read; exit 2 on the local backend (its containers write no output). */
  open(query: TaskLogQuery): Promise<OpenedTaskLogs>
  /** `--create-log-groups`: the awslogs groups of the task definition (locally: says that none are created). */
  createLogGroups(taskDefinition: RegisterTaskDefinitionCommandInput): Promise<void>
}

export interface OpenedTaskLogs {
  /** How many containers' logs are read (their names prefix the lines when more than one). */
  readonly containers: number
  /** Every event in the range, oldest first. */
  fetch(range: LogRange): Promise<LogEventLine[]>
  /** What exists, then new events as they come, until `options.signal` aborts. */
  follow(
    range: LogRange,
    emit: (events: LogEventLine[]) => void,
    options: Pick<FollowOptions, 'signal' | 'onWaiting'>,
  ): Promise<void>
  close(): void
}

// ---------------------------------------------------------------------------------------------------------------
// images: `ecsx images | push | pull`

export interface ImageRegistryOptions {
  /** The registry's AWS account id (default: the caller's). */
  registryId?: string
  /** Call the registry through its FIPS endpoint. */
  useFips?: boolean
}

/** A container image registry (Amazon ECR) and the local docker. Exit 2 on the local backend. */
export interface ImageRegistry {
  list(options: ListImagesOptions & ImageRegistryOptions): Promise<ImageDetail[]>
  /** Push a local image (REPOSITORY[:TAG]) to the repository of the same name, created (with `tags`) if missing. */
  push(image: string, options: ImageRegistryOptions & {tags?: Tag[]}): Promise<PushResult>
  pull(image: string, options: ImageRegistryOptions): Promise<PullResult>
}

// ---------------------------------------------------------------------------------------------------------------
// service discovery: `compose service create|up --enable-service-discovery`, `compose service rm --delete-namespace`

export interface ServiceDiscovery {
  /** Throws (exit 1) where ecsx cannot attach a Cloud Map registry to a service (aws: it creates no Cloud Map). */
  assertAvailable(): void
  /** The Cloud Map service ARN a service's tasks register under (local: a stable made-up ARN). */
  registryArn(namespace: string, service: string): string
  /** `--delete-namespace`: says what becomes of the namespace (ecsx deletes none). */
  deleteNamespace(): void
}
