/**
 * ecsx's configuration files, in ecs-cli's v1 YAML format (spec ecs-cli.md §14), plus a `backend` field per cluster
 * configuration. ecsx reads and writes its own files under ECSX_HOME; when it has none, it reads ecs-cli's
 * `~/.ecs/config` / `~/.ecs/credentials` (never writes them). Legacy ecs-cli INI files (`[ecs]` section) are
 * understood as well. YAML is imported lazily: commands that never touch a config file do not pay for it.
 */
import {promises as fs} from 'node:fs'
import path from 'node:path'

import {InputError} from '../errors.js'
import {configPaths, type Env} from './paths.js'

export type LaunchTypeSetting = 'EC2' | 'FARGATE'
export type BackendSetting = 'local' | 'aws'

export interface ClusterConfigEntry {
  cluster: string
  region: string
  /** ecs-cli writes it even when empty. */
  default_launch_type?: LaunchTypeSetting | ''
  /** ecsx addition: which backend this cluster lives on. */
  backend?: BackendSetting
  'compose-service-name-prefix'?: string
  'compose-project-name-prefix'?: string
  'cfn-stack-name'?: string
}

export interface ClusterConfigFile {
  version: 'v1'
  default: string
  clusters: Record<string, ClusterConfigEntry>
}

export interface EcsProfileEntry {
  aws_access_key_id: string
  aws_secret_access_key: string
  aws_session_token?: string
}

export interface CredentialsFile {
  version: 'v1'
  default: string
  ecs_profiles: Record<string, EcsProfileEntry>
}

/** A file read from disk, and whether it is ecsx's own or ecs-cli's fallback. */
export interface Loaded<T> {
  data: T
  path: string
  source: 'ecsx' | 'ecs-cli'
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`)
  }
}

async function parseYaml(text: string, file: string): Promise<unknown> {
  const {parseDocument} = await import('yaml')
  const doc = parseDocument(text, {prettyErrors: false})
  if (doc.errors.length > 0) {
    const err = doc.errors[0]
    const line = err.linePos?.[0]?.line ?? (err.pos ? text.slice(0, err.pos[0]).split('\n').length : undefined)
    throw new InputError(
      `${file}${line ? `:${line}` : ''}: invalid YAML: ${err.message.split('\n')[0]}`,
      'Fix the file or re-create it with `ecsx configure`.',
    )
  }
  return doc.toJS() ?? {}
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined
  return String(v)
}

/** Minimal INI reader for ecs-cli's legacy (v0.6.6 and earlier) config: `[section]` and `key = value`. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  let section = ''
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[(.+)]$/.exec(line)
    if (header) {
      section = header[1].trim()
      out[section] ??= {}
      continue
    }
    const eq = line.indexOf('=')
    if (eq < 0) continue
    out[section] ??= {}
    out[section][line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
  }
  return out
}

/** The legacy INI config as v1: one configuration named "default", with the old `ecscompose-` prefixes. */
export function legacyIniToV1(text: string): {config: ClusterConfigFile; credentials?: CredentialsFile} {
  const ecs = parseIni(text).ecs ?? {}
  const cluster = ecs.cluster ?? ''
  const entry: ClusterConfigEntry = {
    cluster,
    region: ecs.region ?? '',
    default_launch_type: '',
    'compose-project-name-prefix': ecs['compose-project-name-prefix'] ?? 'ecscompose-',
    'compose-service-name-prefix': ecs['compose-service-name-prefix'] ?? 'ecscompose-service-',
    'cfn-stack-name': `${ecs['cfn-stack-name-prefix'] ?? 'amazon-ecs-cli-setup-'}${cluster}`,
  }
  const config: ClusterConfigFile = {version: 'v1', default: 'default', clusters: {default: entry}}
  let credentials: CredentialsFile | undefined
  if (ecs.aws_access_key_id && ecs.aws_secret_access_key) {
    credentials = {
      version: 'v1',
      default: 'default',
      ecs_profiles: {
        default: {aws_access_key_id: ecs.aws_access_key_id, aws_secret_access_key: ecs.aws_secret_access_key},
      },
    }
  }
  return {config, credentials}
}

export function validateClusterConfig(raw: unknown, file: string): ClusterConfigFile {
  if (!isRecord(raw)) throw new InputError(`${file}: expected a mapping with version, default and clusters`)
  const clustersRaw = raw.clusters ?? {}
  if (!isRecord(clustersRaw)) throw new InputError(`${file}: key "clusters" must be a mapping of configuration names`)
  const clusters: Record<string, ClusterConfigEntry> = {}
  for (const [name, value] of Object.entries(clustersRaw)) {
    if (!isRecord(value)) throw new InputError(`${file}: clusters.${name} must be a mapping`)
    const launchType = str(value.default_launch_type) ?? ''
    if (launchType !== '' && launchType !== 'EC2' && launchType !== 'FARGATE') {
      throw new InputError(
        `${file}: clusters.${name}.default_launch_type is "${launchType}"; expected EC2, FARGATE or empty`,
      )
    }
    const backend = str(value.backend)
    if (backend !== undefined && backend !== 'local' && backend !== 'aws') {
      throw new InputError(`${file}: clusters.${name}.backend is "${backend}"; expected local or aws`)
    }
    const entry: ClusterConfigEntry = {
      cluster: str(value.cluster) ?? '',
      region: str(value.region) ?? '',
      default_launch_type: launchType as ClusterConfigEntry['default_launch_type'],
    }
    if (backend) entry.backend = backend as BackendSetting
    for (const key of ['compose-service-name-prefix', 'compose-project-name-prefix', 'cfn-stack-name'] as const) {
      const v = str(value[key])
      if (v !== undefined) entry[key] = v
    }
    clusters[name] = entry
  }
  return {version: 'v1', default: str(raw.default) ?? '', clusters}
}

export function validateCredentials(raw: unknown, file: string): CredentialsFile {
  if (!isRecord(raw)) throw new InputError(`${file}: expected a mapping with version, default and ecs_profiles`)
  const profilesRaw = raw.ecs_profiles ?? {}
  if (!isRecord(profilesRaw)) throw new InputError(`${file}: key "ecs_profiles" must be a mapping of profile names`)
  const ecsProfiles: Record<string, EcsProfileEntry> = {}
  for (const [name, value] of Object.entries(profilesRaw)) {
    if (!isRecord(value)) throw new InputError(`${file}: ecs_profiles.${name} must be a mapping`)
    const entry: EcsProfileEntry = {
      aws_access_key_id: str(value.aws_access_key_id) ?? '',
      aws_secret_access_key: str(value.aws_secret_access_key) ?? '',
    }
    const token = str(value.aws_session_token)
    if (token) entry.aws_session_token = token
    ecsProfiles[name] = entry
  }
  return {version: 'v1', default: str(raw.default) ?? '', ecs_profiles: ecsProfiles}
}

/** ecsx's cluster configurations, else ecs-cli's (read-only), else undefined. */
export async function loadClusterConfig(env: Env): Promise<Loaded<ClusterConfigFile> | undefined> {
  const paths = configPaths(env)
  const own = await readIfExists(paths.config)
  if (own !== undefined)
    return {
      data: validateClusterConfig(await parseYaml(own, paths.config), paths.config),
      path: paths.config,
      source: 'ecsx',
    }
  const theirs = await readIfExists(paths.ecsCliConfig)
  if (theirs === undefined) return undefined
  if (/^\s*\[/.test(theirs)) return {data: legacyIniToV1(theirs).config, path: paths.ecsCliConfig, source: 'ecs-cli'}
  return {
    data: validateClusterConfig(await parseYaml(theirs, paths.ecsCliConfig), paths.ecsCliConfig),
    path: paths.ecsCliConfig,
    source: 'ecs-cli',
  }
}

/** ecsx's credential profiles, else ecs-cli's (read-only; the legacy INI config's keys too), else undefined. */
export async function loadCredentials(env: Env): Promise<Loaded<CredentialsFile> | undefined> {
  const paths = configPaths(env)
  const own = await readIfExists(paths.credentials)
  if (own !== undefined)
    return {
      data: validateCredentials(await parseYaml(own, paths.credentials), paths.credentials),
      path: paths.credentials,
      source: 'ecsx',
    }
  const theirs = await readIfExists(paths.ecsCliCredentials)
  if (theirs !== undefined) {
    return {
      data: validateCredentials(await parseYaml(theirs, paths.ecsCliCredentials), paths.ecsCliCredentials),
      path: paths.ecsCliCredentials,
      source: 'ecs-cli',
    }
  }
  const legacy = await readIfExists(paths.ecsCliConfig)
  if (legacy !== undefined && /^\s*\[/.test(legacy)) {
    const {credentials} = legacyIniToV1(legacy)
    if (credentials) return {data: credentials, path: paths.ecsCliConfig, source: 'ecs-cli'}
  }
  return undefined
}

/** Write `content` to `file` atomically (temp file in the same directory + rename) with `mode`. */
export async function writeFileAtomic(file: string, content: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), {recursive: true, mode: 0o700})
  // node:crypto loads lazily: reading settings (every command) never needs it.
  const {randomBytes} = await import('node:crypto')
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await fs.writeFile(tmp, content, {mode})
    await fs.chmod(tmp, mode)
    await fs.rename(tmp, file)
  } catch (error) {
    await fs.rm(tmp, {force: true})
    throw error
  }
}

async function toYaml(data: unknown): Promise<string> {
  const {stringify} = await import('yaml')
  return stringify(data)
}

/** Save ecsx's cluster configurations (mode 0600, like ecs-cli). */
export async function saveClusterConfig(env: Env, data: ClusterConfigFile): Promise<string> {
  const file = configPaths(env).config
  await writeFileAtomic(file, await toYaml(data), 0o600)
  return file
}

/** Save ecsx's credential profiles (mode 0600). */
export async function saveCredentials(env: Env, data: CredentialsFile): Promise<string> {
  const file = configPaths(env).credentials
  await writeFileAtomic(file, await toYaml(data), 0o600)
  return file
}
