/**
 * ECS API errors as the engine raises them: `name` is the ECS exception name (the `__type` on the wire),
 * `message` is ECS's message. The wire server and the local backend pass them through unchanged.
 */
export type EcsErrorName =
  | 'ClientException'
  | 'ServerException'
  | 'InvalidParameterException'
  | 'ClusterNotFoundException'
  | 'ClusterContainsContainerInstancesException'
  | 'ClusterContainsServicesException'
  | 'ClusterContainsTasksException'
  | 'ServiceNotFoundException'
  | 'ServiceNotActiveException'
  | 'TargetNotFoundException'
  | 'AttributeLimitExceededException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'LimitExceededException'
  | 'AccessDeniedException'
  | 'PlatformUnknownException'
  | 'PlatformTaskDefinitionIncompatibilityException'
  | 'UnsupportedFeatureException'

export class EcsApiError extends Error {
  readonly $fault: 'client' | 'server'
  constructor(name: EcsErrorName, message: string) {
    super(message)
    this.name = name
    this.$fault = name === 'ServerException' ? 'server' : 'client'
  }
}

export const isEcsApiError = (e: unknown): e is EcsApiError => e instanceof EcsApiError
