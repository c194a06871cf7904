/**
 * Public contract of src/compose (implemented in src/compose/index.ts):
 *
 *   export async function buildProject(load: ComposeLoadOptions, translate: TranslateOptions): Promise<TranslationResult>
 *
 * Pure: files in, data out. No backend, no network. Throws `ComposeError` (exit code 2) for bad input, with the
 * file, line, column, service and key; returns warnings as diagnostics (the caller prints them on stderr).
 */
import type {
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  RegisterTaskDefinitionCommandInput,
  Tag,
} from '@aws-sdk/client-ecs'

export type LaunchType = 'EC2' | 'FARGATE'

export interface ComposeLoadOptions {
  /**
   * Compose files from `--file/-f` (repeatable, in order; later override earlier). Empty = Compose's lookup in `cwd`:
   * compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml — plus docker-compose.override.yml /
   * compose.override.yaml beside it when present. The caller splits COMPOSE_FILE on the path separator.
   */
  files: string[]
  cwd: string
  /** `--project-name/-p`, else COMPOSE_PROJECT_NAME, else top-level `name:`, else the first file's directory name. */
  projectName?: string
  /** `--ecs-params`; when absent, `./ecs-params.yml` in cwd if it exists. */
  ecsParamsFile?: string
  /** The environment for interpolation (normally process.env). `.env` in the project directory fills gaps. */
  env: Record<string, string | undefined>
}

export interface TranslateOptions {
  /** `--launch-type` (or the cluster config's default_launch_type). Sets requiresCompatibilities. */
  launchType?: LaunchType
  /** `--task-role-arn`, wins over ecs-params task_role_arn. */
  taskRoleArn?: string
  /** `--tags k=v,k=v`, already parsed. */
  tags?: Tag[]
  /** `--registry-creds` output file (ecs-cli registry-creds up format). */
  registryCredsFile?: string
  /**
   * Containers allowed in one task definition (default 10, ECS's hard limit). Only raise it to exercise the
   * translator itself (bench/translate.mjs): ECS rejects more than 10. Raising it also lifts the 32 KiB request-size check.
   */
  maxContainers?: number
}

export interface Diagnostic {
  level: 'warning' | 'info'
  message: string
  file?: string
  line?: number
  column?: number
  service?: string
  key?: string
}

/** ecs-params `run_params.service_discovery`, kept as written (camel-cased) for `compose service`. */
export interface ServiceDiscoveryParams {
  containerName?: string
  containerPort?: number
  privateDnsNamespace?: {id?: string; name?: string; vpc?: string; description?: string}
  publicDnsNamespace?: {id?: string; name?: string}
  serviceDiscoveryService?: {
    name?: string
    description?: string
    dnsConfig?: {type?: string; ttl?: number}
    healthCheckCustomConfig?: {failureThreshold?: number}
  }
}

export interface TranslationResult {
  projectName: string
  /** Compose files actually read, in merge order. */
  files: string[]
  ecsParamsFile?: string
  /** Exactly what RegisterTaskDefinition gets (and `register --dry-run --json` prints). */
  taskDefinition: RegisterTaskDefinitionCommandInput
  /** RunTask / CreateService parameters from ecs-params `run_params`. */
  run: {
    networkConfiguration?: NetworkConfiguration
    placementConstraints?: PlacementConstraint[]
    placementStrategy?: PlacementStrategy[]
    serviceDiscovery?: ServiceDiscoveryParams
  }
  /** Service-level hints: desired count from `deploy.replicas` (max over services when several set it). */
  service: {desiredCount?: number}
  warnings: Diagnostic[]
}
