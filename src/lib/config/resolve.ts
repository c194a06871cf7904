/**
 * Settings from flags, environment and configuration files, with ecs-cli's precedence (spec ecs-cli.md §14):
 *   cluster config: --cluster-config > the file's `default`
 *   backend:        --backend > ECSX_BACKEND > cluster config `backend` > local
 *   cluster:        --cluster > ECS_CLUSTER > cluster config > "default"
 *   region:         --region / cluster config > AWS_REGION > AWS_DEFAULT_REGION > AWS profile region > us-east-1 (local)
 *   launch type:    --launch-type > cluster config default_launch_type
 *   credentials:    (aws backend only) --ecs-profile / --aws-profile > ECS_PROFILE / AWS_PROFILE / AWS_ACCESS_KEY_ID+AWS_SECRET_ACCESS_KEY
 *                   > default ECS profile > default AWS profile > the SDK's default chain
 */
import type {GlobalFlags} from '../global-flags.js'
import type {BackendKind} from '../ecs/backend.js'
import {InputError} from '../errors.js'
import {awsProfileExists, awsProfileRegion} from './aws-shared.js'
import {
  type ClusterConfigEntry,
  type CredentialsFile,
  loadClusterConfig,
  loadCredentials,
  type Loaded,
} from './files.js'
import {ecsxHome, type Env} from './paths.js'
import type {ResolvedCredentials, ResolvedSettings} from './types.js'

export const LOCAL_DEFAULT_REGION = 'us-east-1'

export const REGION_MISSING_MESSAGE =
  'Set a region using `ecsx configure --region REGION`, the --region flag, the AWS_REGION environment variable, ' +
  'or an AWS profile that has a region (--aws-profile or AWS_PROFILE)'

export type SettingsFlags = Partial<GlobalFlags> & {'launch-type'?: string}

function pickBackend(flag: string | undefined, env: Env, entry?: ClusterConfigEntry): BackendKind {
  if (flag) return flag as BackendKind
  const fromEnv = env.ECSX_BACKEND
  if (fromEnv) {
    if (fromEnv !== 'local' && fromEnv !== 'aws')
      throw new InputError(`ECSX_BACKEND is "${fromEnv}"; expected local or aws`)
    return fromEnv
  }
  return entry?.backend ?? 'local'
}

function pickLaunchType(flag: string | undefined, entry?: ClusterConfigEntry): 'EC2' | 'FARGATE' | undefined {
  const value = flag || entry?.default_launch_type || undefined
  if (value === undefined) return undefined
  const upper = value.toUpperCase()
  if (upper !== 'EC2' && upper !== 'FARGATE')
    throw new InputError(`--launch-type is "${value}"; expected EC2 or FARGATE`)
  return upper
}

function selectClusterConfig(
  loaded: Loaded<{default: string; clusters: Record<string, ClusterConfigEntry>}> | undefined,
  name: string | undefined,
): {name?: string; entry?: ClusterConfigEntry} {
  if (name) {
    const entry = loaded?.data.clusters[name]
    if (!entry) {
      throw new InputError(
        `Cluster Configuration ${name} could not be found. Configure clusters using 'ecsx configure'.`,
        loaded
          ? `Configurations in ${loaded.path}: ${Object.keys(loaded.data.clusters).join(', ') || '(none)'}`
          : undefined,
      )
    }
    return {name, entry}
  }
  const def = loaded?.data.default
  if (def && loaded.data.clusters[def]) return {name: def, entry: loaded.data.clusters[def]}
  return {}
}

function profileCredentials(
  file: Loaded<CredentialsFile>,
  name: string,
  source: ResolvedCredentials['source'],
): ResolvedCredentials {
  const p = file.data.ecs_profiles[name]
  const creds: ResolvedCredentials = {
    source,
    ecsProfile: name,
    accessKeyId: p.aws_access_key_id,
    secretAccessKey: p.aws_secret_access_key,
  }
  if (p.aws_session_token) creds.sessionToken = p.aws_session_token
  return creds
}

/** Credentials by ecs-cli's order. Only throws for a named profile that does not exist, and only on the aws backend. */
export async function resolveCredentials(
  flags: SettingsFlags,
  env: Env,
  backend: BackendKind,
): Promise<ResolvedCredentials> {
  const strict = backend === 'aws'
  const ecsProfileFlag = flags['ecs-profile']
  const awsProfileFlag = flags['aws-profile']
  const needsFile = ecsProfileFlag || env.ECS_PROFILE || !(awsProfileFlag || env.AWS_PROFILE || env.AWS_ACCESS_KEY_ID)
  const file = needsFile ? await loadCredentials(env) : undefined

  if (ecsProfileFlag) {
    if (file?.data.ecs_profiles[ecsProfileFlag]) return profileCredentials(file, ecsProfileFlag, 'flag-ecs-profile')
    if (strict) {
      throw new InputError(
        `ECS profile ${ecsProfileFlag} could not be found.`,
        "Add it with 'ecsx configure profile --profile-name " + ecsProfileFlag + " --access-key … --secret-key …'.",
      )
    }
  }
  if (awsProfileFlag) return {source: 'flag-aws-profile', awsProfile: awsProfileFlag}
  if (env.ECS_PROFILE) {
    if (file?.data.ecs_profiles[env.ECS_PROFILE]) return profileCredentials(file, env.ECS_PROFILE, 'env')
    if (strict) throw new InputError(`ECS profile ${env.ECS_PROFILE} (from ECS_PROFILE) could not be found.`)
  }
  if (env.AWS_PROFILE) return {source: 'env', awsProfile: env.AWS_PROFILE}
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const creds: ResolvedCredentials = {
      source: 'env',
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    }
    if (env.AWS_SESSION_TOKEN) creds.sessionToken = env.AWS_SESSION_TOKEN
    return creds
  }
  const def = file?.data.default
  if (file && def && file.data.ecs_profiles[def]) return profileCredentials(file, def, 'ecs-profile')
  if (await awsProfileExists(env, 'default')) return {source: 'aws-profile', awsProfile: 'default'}
  return {source: 'default-chain'}
}

async function resolveRegion(
  flag: string | undefined,
  entry: ClusterConfigEntry | undefined,
  env: Env,
  creds: ResolvedCredentials,
  backend: BackendKind,
): Promise<string> {
  const direct = flag || entry?.region || env.AWS_REGION || env.AWS_DEFAULT_REGION
  if (direct) return direct
  const fromProfile = await awsProfileRegion(env, creds.awsProfile ?? 'default')
  if (fromProfile) return fromProfile
  if (backend === 'local') return LOCAL_DEFAULT_REGION
  throw new InputError(REGION_MISSING_MESSAGE)
}

export async function resolveSettings(flags: SettingsFlags, env: Env = process.env): Promise<ResolvedSettings> {
  const loaded = await loadClusterConfig(env)
  const {name: configName, entry} = selectClusterConfig(loaded, flags['cluster-config'])
  const backend = pickBackend(flags.backend, env, entry)
  const cluster = flags.cluster || env.ECS_CLUSTER || entry?.cluster || 'default'
  // the local engine needs no credentials: secrets are read only for the aws backend
  const credentials: ResolvedCredentials =
    backend === 'aws' ? await resolveCredentials(flags, env, backend) : {source: 'default-chain'}
  const region = await resolveRegion(flags.region, entry, env, credentials, backend)
  const settings: ResolvedSettings = {
    backend,
    home: ecsxHome(env),
    cluster,
    region,
    composeServiceNamePrefix: entry?.['compose-service-name-prefix'] ?? '',
    composeProjectNamePrefix: entry?.['compose-project-name-prefix'] ?? '',
    cfnStackName: entry?.['cfn-stack-name'] || `amazon-ecs-cli-setup-${cluster}`,
    credentials,
    verbose: Boolean(flags.verbose),
  }
  if (configName) settings.configName = configName
  const launchType = pickLaunchType(flags['launch-type'], entry)
  if (launchType) settings.defaultLaunchType = launchType
  const endpointUrl = flags['endpoint-url'] || env.AWS_ENDPOINT_URL_ECS || env.AWS_ENDPOINT_URL
  if (endpointUrl) settings.endpointUrl = endpointUrl
  return settings
}
