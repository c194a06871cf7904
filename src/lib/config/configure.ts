/**
 * Changes to ecsx's configuration files (`ecsx configure …`). The first cluster configuration and the first profile
 * saved become the defaults, as in ecs-cli. When ecsx has no file of its own yet, the first save starts from a copy
 * of ecs-cli's file (if there is one) so existing configurations stay usable.
 */
import {InputError} from '../errors.js'
import {
  type BackendSetting,
  type ClusterConfigEntry,
  type ClusterConfigFile,
  type CredentialsFile,
  type LaunchTypeSetting,
  loadClusterConfig,
  loadCredentials,
  saveClusterConfig,
  saveCredentials,
} from './files.js'
import type {Env} from './paths.js'

export interface ClusterConfigInput {
  configName: string
  cluster: string
  region?: string
  defaultLaunchType?: LaunchTypeSetting
  backend?: BackendSetting
  cfnStackName?: string
  composeServiceNamePrefix?: string
}

export interface SaveResult {
  path: string
  /** The saved entry is now the default. */
  isDefault: boolean
  /** Set when the existing entries were copied from ecs-cli's file on this first save. */
  importedFrom?: string
}

async function currentClusterConfig(env: Env): Promise<{data: ClusterConfigFile; importedFrom?: string}> {
  const loaded = await loadClusterConfig(env)
  if (!loaded) return {data: {version: 'v1', default: '', clusters: {}}}
  return {data: structuredClone(loaded.data), importedFrom: loaded.source === 'ecs-cli' ? loaded.path : undefined}
}

async function currentCredentials(env: Env): Promise<{data: CredentialsFile; importedFrom?: string}> {
  const loaded = await loadCredentials(env)
  if (!loaded) return {data: {version: 'v1', default: '', ecs_profiles: {}}}
  return {data: structuredClone(loaded.data), importedFrom: loaded.source === 'ecs-cli' ? loaded.path : undefined}
}

export async function saveClusterConfiguration(env: Env, input: ClusterConfigInput): Promise<SaveResult> {
  if (!input.configName) throw new InputError('--config-name must not be empty')
  if (!input.cluster)
    throw new InputError(
      'Missing --cluster: the cluster this configuration uses',
      'Example: ecsx configure --cluster my-cluster --region us-east-1',
    )
  const {data, importedFrom} = await currentClusterConfig(env)
  const entry: ClusterConfigEntry = {
    cluster: input.cluster,
    region: input.region ?? '',
    default_launch_type: input.defaultLaunchType ?? '',
  }
  if (input.backend) entry.backend = input.backend
  if (input.composeServiceNamePrefix !== undefined)
    entry['compose-service-name-prefix'] = input.composeServiceNamePrefix
  if (input.cfnStackName !== undefined) entry['cfn-stack-name'] = input.cfnStackName
  data.clusters[input.configName] = entry
  if (!data.default || !data.clusters[data.default]) data.default = input.configName
  const path = await saveClusterConfig(env, data)
  return {path, isDefault: data.default === input.configName, importedFrom}
}

export async function setDefaultClusterConfiguration(env: Env, configName: string): Promise<SaveResult> {
  const {data, importedFrom} = await currentClusterConfig(env)
  if (!data.clusters[configName]) {
    throw new InputError(
      `Cluster Configuration ${configName} could not be found. Configure clusters using 'ecsx configure'.`,
      `Known configurations: ${Object.keys(data.clusters).join(', ') || '(none)'}`,
    )
  }
  data.default = configName
  return {path: await saveClusterConfig(env, data), isDefault: true, importedFrom}
}

export interface ProfileInput {
  profileName: string
  accessKey: string
  secretKey: string
  sessionToken?: string
}

export async function saveProfile(env: Env, input: ProfileInput): Promise<SaveResult> {
  if (!input.profileName) throw new InputError('--profile-name must not be empty')
  const {data, importedFrom} = await currentCredentials(env)
  const entry = {
    aws_access_key_id: input.accessKey,
    aws_secret_access_key: input.secretKey,
  } as CredentialsFile['ecs_profiles'][string]
  if (input.sessionToken) entry.aws_session_token = input.sessionToken
  data.ecs_profiles[input.profileName] = entry
  if (!data.default || !data.ecs_profiles[data.default]) data.default = input.profileName
  const path = await saveCredentials(env, data)
  return {path, isDefault: data.default === input.profileName, importedFrom}
}

export async function setDefaultProfile(env: Env, profileName: string): Promise<SaveResult> {
  const {data, importedFrom} = await currentCredentials(env)
  if (!data.ecs_profiles[profileName]) {
    throw new InputError(
      `ECS profile ${profileName} could not be found.`,
      `Known profiles: ${Object.keys(data.ecs_profiles).join(', ') || '(none)'}`,
    )
  }
  data.default = profileName
  return {path: await saveCredentials(env, data), isDefault: true, importedFrom}
}
