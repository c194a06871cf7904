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

/**
 * A failure of the engine itself, not of an ECS call: a bad ECSX_ENGINE_* setting (`kind: 'input'`) or a database
 * that cannot be opened or written (`kind: 'failure'`). The engine knows nothing of exit codes; the local backend
 * (src/lib/backend/local.ts) turns these into the CLI's errors (input → exit 2, failure → exit 1).
 */
export class EngineError extends Error {
  readonly kind: 'input' | 'failure'
  /** What the user can do about it. */
  readonly hint?: string
  constructor(kind: 'input' | 'failure', message: string, hint?: string) {
    super(message)
    this.name = new.target.name
    this.kind = kind
    this.hint = hint
  }
}

/** A bad ECSX_ENGINE_* value (or clock mode). */
export class SettingsError extends EngineError {
  constructor(message: string, hint?: string) {
    super('input', message, hint)
  }
}

/** The engine database cannot be opened, read or written. */
export class EngineStoreError extends EngineError {
  constructor(message: string, hint?: string) {
    super('failure', message, hint)
  }
}
