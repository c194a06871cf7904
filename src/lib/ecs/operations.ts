/**
 * The runtime list of `EcsOperations` method names (src/lib/ecs/backend.ts), with their wire names.
 * Used by the aws backend (method → SDK `<Op>Command`) and the ECS JSON server (`X-Amz-Target` → method).
 * The `Record<EcsOperationName, …>` type makes the compiler insist that every Backend operation is listed here.
 */
import type {EcsOperationName} from './backend.js'

/** Method name → ECS API operation name (the `X-Amz-Target` suffix, the SDK's `<Op>Command`). */
export const ECS_OPERATIONS: Readonly<Record<EcsOperationName, string>> = {
  createCluster: 'CreateCluster',
  deleteCluster: 'DeleteCluster',
  describeClusters: 'DescribeClusters',
  listClusters: 'ListClusters',
  registerContainerInstance: 'RegisterContainerInstance',
  deregisterContainerInstance: 'DeregisterContainerInstance',
  describeContainerInstances: 'DescribeContainerInstances',
  listContainerInstances: 'ListContainerInstances',
  updateContainerInstancesState: 'UpdateContainerInstancesState',
  putAttributes: 'PutAttributes',
  deleteAttributes: 'DeleteAttributes',
  listAttributes: 'ListAttributes',
  registerTaskDefinition: 'RegisterTaskDefinition',
  deregisterTaskDefinition: 'DeregisterTaskDefinition',
  describeTaskDefinition: 'DescribeTaskDefinition',
  listTaskDefinitions: 'ListTaskDefinitions',
  listTaskDefinitionFamilies: 'ListTaskDefinitionFamilies',
  runTask: 'RunTask',
  startTask: 'StartTask',
  stopTask: 'StopTask',
  describeTasks: 'DescribeTasks',
  listTasks: 'ListTasks',
  createService: 'CreateService',
  updateService: 'UpdateService',
  deleteService: 'DeleteService',
  describeServices: 'DescribeServices',
  listServices: 'ListServices',
  tagResource: 'TagResource',
  untagResource: 'UntagResource',
  listTagsForResource: 'ListTagsForResource',
}

export const ECS_OPERATION_NAMES = Object.keys(ECS_OPERATIONS) as EcsOperationName[]

/** Wire operation name (`CreateCluster`) → method name (`createCluster`). */
export const ECS_METHOD_BY_WIRE_NAME: ReadonlyMap<string, EcsOperationName> = new Map(
  ECS_OPERATION_NAMES.map((method) => [ECS_OPERATIONS[method], method]),
)

/** The `X-Amz-Target` prefix of the ECS API (JSON 1.1 protocol). */
export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.'
