/**
 * The Backend contract: the subset of the Amazon ECS API that ecsx commands use, in the AWS SDK's own
 * input/output shapes. Two implementations exist:
 *   - `local.ts` — the in-process cluster engine (src/lib/engine), persisted in SQLite under ECSX_HOME;
 *   - `aws.ts`   — @aws-sdk/client-ecs against real ECS or any ECS-compatible endpoint (e.g. `ecsx engine serve`).
 *
 * Every method takes exactly the SDK's `<Op>CommandInput` and resolves to the SDK's `<Op>CommandOutput`
 * without `$metadata`. Errors are thrown as objects whose `name` is the ECS exception name
 * (`ClusterNotFoundException`, `InvalidParameterException`, `ClientException`, …) and whose `message` is ECS's
 * message — the SDK's own exception classes on the aws backend, `EcsApiError` (src/lib/engine/errors.ts) locally.
 *
 * This file must stay type-only at runtime (only `import type`), so importing it costs nothing at start-up.
 */
import type * as ecs from '@aws-sdk/client-ecs'

/** An SDK command output without the transport metadata. */
export type Out<T> = Omit<T, '$metadata'>

/** The ECS operations both backends implement. Names are the SDK client's method names. */
export interface EcsOperations {
  // clusters
  createCluster(input: ecs.CreateClusterCommandInput): Promise<Out<ecs.CreateClusterCommandOutput>>
  deleteCluster(input: ecs.DeleteClusterCommandInput): Promise<Out<ecs.DeleteClusterCommandOutput>>
  describeClusters(input: ecs.DescribeClustersCommandInput): Promise<Out<ecs.DescribeClustersCommandOutput>>
  listClusters(input: ecs.ListClustersCommandInput): Promise<Out<ecs.ListClustersCommandOutput>>

  // container instances and attributes
  registerContainerInstance(
    input: ecs.RegisterContainerInstanceCommandInput,
  ): Promise<Out<ecs.RegisterContainerInstanceCommandOutput>>
  deregisterContainerInstance(
    input: ecs.DeregisterContainerInstanceCommandInput,
  ): Promise<Out<ecs.DeregisterContainerInstanceCommandOutput>>
  describeContainerInstances(
    input: ecs.DescribeContainerInstancesCommandInput,
  ): Promise<Out<ecs.DescribeContainerInstancesCommandOutput>>
  listContainerInstances(
    input: ecs.ListContainerInstancesCommandInput,
  ): Promise<Out<ecs.ListContainerInstancesCommandOutput>>
  updateContainerInstancesState(
    input: ecs.UpdateContainerInstancesStateCommandInput,
  ): Promise<Out<ecs.UpdateContainerInstancesStateCommandOutput>>
  putAttributes(input: ecs.PutAttributesCommandInput): Promise<Out<ecs.PutAttributesCommandOutput>>
  deleteAttributes(input: ecs.DeleteAttributesCommandInput): Promise<Out<ecs.DeleteAttributesCommandOutput>>
  listAttributes(input: ecs.ListAttributesCommandInput): Promise<Out<ecs.ListAttributesCommandOutput>>

  // task definitions
  registerTaskDefinition(
    input: ecs.RegisterTaskDefinitionCommandInput,
  ): Promise<Out<ecs.RegisterTaskDefinitionCommandOutput>>
  deregisterTaskDefinition(
    input: ecs.DeregisterTaskDefinitionCommandInput,
  ): Promise<Out<ecs.DeregisterTaskDefinitionCommandOutput>>
  describeTaskDefinition(
    input: ecs.DescribeTaskDefinitionCommandInput,
  ): Promise<Out<ecs.DescribeTaskDefinitionCommandOutput>>
  listTaskDefinitions(input: ecs.ListTaskDefinitionsCommandInput): Promise<Out<ecs.ListTaskDefinitionsCommandOutput>>
  listTaskDefinitionFamilies(
    input: ecs.ListTaskDefinitionFamiliesCommandInput,
  ): Promise<Out<ecs.ListTaskDefinitionFamiliesCommandOutput>>

  // tasks
  runTask(input: ecs.RunTaskCommandInput): Promise<Out<ecs.RunTaskCommandOutput>>
  startTask(input: ecs.StartTaskCommandInput): Promise<Out<ecs.StartTaskCommandOutput>>
  stopTask(input: ecs.StopTaskCommandInput): Promise<Out<ecs.StopTaskCommandOutput>>
  describeTasks(input: ecs.DescribeTasksCommandInput): Promise<Out<ecs.DescribeTasksCommandOutput>>
  listTasks(input: ecs.ListTasksCommandInput): Promise<Out<ecs.ListTasksCommandOutput>>

  // services
  createService(input: ecs.CreateServiceCommandInput): Promise<Out<ecs.CreateServiceCommandOutput>>
  updateService(input: ecs.UpdateServiceCommandInput): Promise<Out<ecs.UpdateServiceCommandOutput>>
  deleteService(input: ecs.DeleteServiceCommandInput): Promise<Out<ecs.DeleteServiceCommandOutput>>
  describeServices(input: ecs.DescribeServicesCommandInput): Promise<Out<ecs.DescribeServicesCommandOutput>>
  listServices(input: ecs.ListServicesCommandInput): Promise<Out<ecs.ListServicesCommandOutput>>

  // tags
  tagResource(input: ecs.TagResourceCommandInput): Promise<Out<ecs.TagResourceCommandOutput>>
  untagResource(input: ecs.UntagResourceCommandInput): Promise<Out<ecs.UntagResourceCommandOutput>>
  listTagsForResource(input: ecs.ListTagsForResourceCommandInput): Promise<Out<ecs.ListTagsForResourceCommandOutput>>
}

/** The ECS operation names, for the wire-protocol server and the conformance suite. */
export type EcsOperationName = keyof EcsOperations

export type BackendKind = 'local' | 'aws'

/**
 * Controls only the local engine has (for `ecsx engine …` and for rehearsal). Absent on the aws backend.
 */
export interface EngineControls {
  /** Move the engine clock forward by `ms` and reconcile. Returns the new engine time (epoch ms). */
  advance(ms: number): Promise<number>
  /** The engine's current time (epoch ms). */
  now(): Promise<number>
  /**
   * Terminate a container instance as if its EC2 instance were terminated: it is deregistered (INACTIVE), its
   * tasks stop with `Host EC2 (instance <id>) stopped/terminated`, and services re-place them.
   * `ref` = container instance id, full ARN, or EC2 instance id.
   */
  killInstance(cluster: string, ref: string): Promise<ecs.ContainerInstance>
  /** Make a task's essential container(s) exit with `exitCode` (default 1). `ref` = task id or ARN. */
  failTask(cluster: string, ref: string, exitCode?: number): Promise<ecs.Task>
}

/**
 * Optional capability: answer an ECS operation with its response as wire JSON text (AWS JSON 1.1, timestamps as
 * epoch seconds), synchronously. The local backend has it (one walk from the engine's documents to the text);
 * `engine serve` uses it when present. Throws ECS errors exactly like the corresponding operation.
 */
export interface WireCapability {
  callWire(operation: EcsOperationName, input: unknown): string
}

export interface Backend extends EcsOperations {
  readonly kind: BackendKind
  /** Region the backend talks to (local default `us-east-1`). */
  readonly region: string
  /** Present on the local backend only. */
  readonly engine?: EngineControls
  /** Present when the backend can answer with wire JSON directly (the local backend). */
  readonly wire?: WireCapability
  /**
   * Wait `ms` between polls. On the aws backend, and on the local engine with its wall clock, this really sleeps;
   * on the local engine with a manual clock it advances the engine clock instead, so waits are instant and
   * deterministic in tests.
   */
  sleep(ms: number): Promise<void>
  /** Release resources (database handle, HTTP agents). Idempotent. */
  close(): Promise<void>
}
