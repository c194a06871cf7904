/**
 * Settings resolved from flags, environment and configuration files (ecs-cli precedence; spec ecs-cli.md §14).
 * Implemented in src/lib/config/resolve.ts: `resolveSettings(flags, env): Promise<ResolvedSettings>`.
 * The backend factory src/lib/backend/index.ts: `openBackend(settings): Promise<Backend>`.
 */
import type {BackendKind} from '../ecs/backend.js'

export interface ResolvedCredentials {
  /** Where they came from, for --verbose (never the secret itself). */
  source: 'flag-ecs-profile' | 'flag-aws-profile' | 'env' | 'ecs-profile' | 'aws-profile' | 'default-chain'
  accessKeyId?: string
  secretAccessKey?: string
  sessionToken?: string
  /** AWS shared-config profile name to hand to the SDK's chain (SSO, assume-role, MFA …). */
  awsProfile?: string
  /** The ecsx (ecs-cli) profile the keys were read from, when they were (for messages). */
  ecsProfile?: string
}

export interface ResolvedSettings {
  backend: BackendKind
  /** ECSX_HOME (default ~/.ecsx). */
  home: string
  cluster: string
  region: string
  /** Name of the cluster configuration used, when one was. */
  configName?: string
  /** From --launch-type, else the cluster configuration's default_launch_type. */
  defaultLaunchType?: 'EC2' | 'FARGATE'
  composeServiceNamePrefix: string
  composeProjectNamePrefix: string
  /** CloudFormation stack name for up/down/scale on AWS (default amazon-ecs-cli-setup-<cluster>). */
  cfnStackName: string
  endpointUrl?: string
  credentials: ResolvedCredentials
  verbose: boolean
}
