/**
 * `ecsx configure migrate`: bring ecs-cli's configuration into ecsx. Reads ~/.ecs/config — the legacy INI file
 * (ecs-cli v0.6.6 and earlier, `[ecs]` section) or the v1 YAML — and ~/.ecs/credentials, and merges their cluster
 * configurations and profiles into ecsx's files under ECSX_HOME (entries of the same name are replaced). ecs-cli's
 * files are left untouched.
 */
import {promises as fs} from 'node:fs'

import {InputError} from '../errors.js'
import {
  type ClusterConfigFile,
  type CredentialsFile,
  legacyIniToV1,
  saveClusterConfig,
  saveCredentials,
  validateClusterConfig,
  validateCredentials,
} from './files.js'
import {configPaths, type Env} from './paths.js'

export interface MigrationPlan {
  /** Files read. */
  sources: string[]
  /** What ecsx's files will hold afterwards. */
  config?: ClusterConfigFile
  credentials?: CredentialsFile
  /** Names of ecsx entries that the migration replaces. */
  replaced: string[]
  /** Names added. */
  added: string[]
  legacyFormat: boolean
}

async function read(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`)
  }
}

async function yamlOf(text: string, file: string): Promise<unknown> {
  const {parseDocument} = await import('yaml')
  const doc = parseDocument(text)
  if (doc.errors.length > 0) throw new InputError(`${file}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`)
  return doc.toJS() ?? {}
}

function merge<T>(into: Record<string, T>, from: Record<string, T>, kind: string, plan: MigrationPlan): void {
  for (const [name, entry] of Object.entries(from)) {
    ;(name in into ? plan.replaced : plan.added).push(`${kind} ${name}`)
    into[name] = entry
  }
}

export async function planMigration(env: Env): Promise<MigrationPlan> {
  const paths = configPaths(env)
  const configText = await read(paths.ecsCliConfig)
  const credentialsText = await read(paths.ecsCliCredentials)
  if (configText === undefined && credentialsText === undefined) {
    throw new InputError(
      `Nothing to migrate: neither ${paths.ecsCliConfig} nor ${paths.ecsCliCredentials} exists.`,
      'Create a configuration with `ecsx configure` instead.',
    )
  }
  const plan: MigrationPlan = {sources: [], replaced: [], added: [], legacyFormat: false}
  let theirConfig: ClusterConfigFile | undefined
  let theirCredentials: CredentialsFile | undefined
  if (configText !== undefined) {
    plan.sources.push(paths.ecsCliConfig)
    if (/^\s*\[/.test(configText)) {
      plan.legacyFormat = true
      const legacy = legacyIniToV1(configText)
      theirConfig = legacy.config
      theirCredentials = legacy.credentials
    } else {
      theirConfig = validateClusterConfig(await yamlOf(configText, paths.ecsCliConfig), paths.ecsCliConfig)
    }
  }
  if (credentialsText !== undefined) {
    plan.sources.push(paths.ecsCliCredentials)
    theirCredentials = validateCredentials(
      await yamlOf(credentialsText, paths.ecsCliCredentials),
      paths.ecsCliCredentials,
    )
  }

  if (theirConfig && Object.keys(theirConfig.clusters).length > 0) {
    const ownText = await read(paths.config)
    const own =
      ownText === undefined
        ? {version: 'v1' as const, default: '', clusters: {}}
        : validateClusterConfig(await yamlOf(ownText, paths.config), paths.config)
    merge(own.clusters, theirConfig.clusters, 'cluster configuration', plan)
    if (!own.default || !own.clusters[own.default]) own.default = theirConfig.default || Object.keys(own.clusters)[0]
    plan.config = own
  }
  if (theirCredentials && Object.keys(theirCredentials.ecs_profiles).length > 0) {
    const ownText = await read(paths.credentials)
    const own =
      ownText === undefined
        ? {version: 'v1' as const, default: '', ecs_profiles: {}}
        : validateCredentials(await yamlOf(ownText, paths.credentials), paths.credentials)
    merge(own.ecs_profiles, theirCredentials.ecs_profiles, 'profile', plan)
    if (!own.default || !own.ecs_profiles[own.default])
      own.default = theirCredentials.default || Object.keys(own.ecs_profiles)[0]
    plan.credentials = own
  }
  return plan
}

/** The plan as text for the user, secrets masked. */
export async function describeMigration(plan: MigrationPlan): Promise<string[]> {
  const {stringify} = await import('yaml')
  const lines = [`Migrating ${plan.sources.join(' and ')}${plan.legacyFormat ? ' (legacy INI format)' : ''} into ecsx:`]
  for (const a of plan.added) lines.push(`  + ${a}`)
  for (const r of plan.replaced) lines.push(`  ~ ${r} (replaces ecsx's entry of that name)`)
  if (plan.config)
    lines.push(
      '',
      'config:',
      ...stringify(plan.config)
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    )
  if (plan.credentials) {
    const masked = structuredClone(plan.credentials)
    for (const p of Object.values(masked.ecs_profiles)) {
      p.aws_secret_access_key = '********'
      if (p.aws_session_token) p.aws_session_token = '********'
    }
    lines.push(
      '',
      'credentials:',
      ...stringify(masked)
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    )
  }
  return lines
}

export async function applyMigration(env: Env, plan: MigrationPlan): Promise<string[]> {
  const written: string[] = []
  if (plan.config) written.push(await saveClusterConfig(env, plan.config))
  if (plan.credentials) written.push(await saveCredentials(env, plan.credentials))
  return written
}
