/**
 * Load a Compose project: find the files, read `.env`, parse every file (one parser for v1/v2/v3 and the Compose
 * Specification), interpolate, normalise the shapes that have several spellings (map or list), and merge the files
 * in order as Compose does. Positions stay available through `Project.locate`.
 */
import {existsSync} from 'node:fs'
import * as path from 'node:path'

import {ComposeError, Diagnostics} from './errors.js'
import {parseDotenv} from './dotenv.js'
import {InterpolationError, interpolateTree, type Lookup} from './interpolate.js'
import {
  MISPLACED_KEY_HINTS,
  SUPPORTED_SERVICE_KEYS,
  TOP_LEVEL_KEYS,
  UNSUPPORTED_SERVICE_KEYS,
  suggest,
} from './schema.js'
import {SourceFile, displayPath, parseYaml, readText, type Path, type Position} from './source.js'
import type {ComposeLoadOptions} from './types.js'
import {describe} from './units.js'

/** Where a value was written. */
export interface Origin {
  src: SourceFile
  path: Path
}
export interface Located<T> {
  v: T
  at: Origin
}

export type Dict = Record<string, unknown>

export interface ServiceDef {
  name: string
  /** Every key the user wrote for this service, with where it was (last) written. */
  keys: Map<string, Origin>
  /** Merged values of keys without special merge rules (image, command, healthcheck, deploy, …). */
  raw: Dict
  environment: Map<string, Located<string | null>>
  envFiles: Located<{path: string; required: boolean}>[]
  labels: Map<string, Located<string>>
  sysctls: Map<string, Located<string>>
  dependsOn: Map<string, Located<{condition: string}>>
  extraHosts: Located<{host: string; ip: string}>[]
  /** Items of list keys that Compose merges by appending (ports, volumes, dns, cap_add, …), with their origins. */
  lists: Map<string, Located<unknown>[]>
}

export interface Project {
  name: string
  /** Directory of the first compose file (.env, relative paths). */
  dir: string
  files: SourceFile[]
  services: ServiceDef[]
  volumes: Map<string, Located<Dict | null>>
  secrets: Map<string, Located<Dict>>
  /** Services left out because their profiles are not enabled. */
  skipped: Set<string>
  networksDeclared?: Origin
  configsDeclared?: Origin
  lookup: Lookup
  env: Record<string, string | undefined>
  diag: Diagnostics
  cwd: string
  locate(path: Path, origin?: Origin): Position
}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']
const OVERRIDES: Record<string, string[]> = {
  compose: ['compose.override.yaml', 'compose.override.yml'],
  'docker-compose': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
}

/** Keys whose lists are appended (and de-duplicated) across files. */
const APPEND_LIST_KEYS = new Set([
  'ports',
  'dns',
  'dns_search',
  'cap_add',
  'cap_drop',
  'links',
  'volumes_from',
  'security_opt',
  'devices',
  'tmpfs',
  'profiles',
  'secrets',
])

function findFiles(opts: ComposeLoadOptions): string[] {
  if (opts.files.length > 0) return opts.files.map((f) => path.resolve(opts.cwd, f))
  for (const name of DEFAULT_FILES) {
    const abs = path.join(opts.cwd, name)
    if (existsSync(abs)) {
      const base = name.startsWith('docker-compose') ? 'docker-compose' : 'compose'
      const override = OVERRIDES[base].map((o) => path.join(opts.cwd, o)).find((o) => existsSync(o))
      return override ? [abs, override] : [abs]
    }
  }
  throw new ComposeError(`no Compose file found in ${opts.cwd}: looked for ${DEFAULT_FILES.join(', ')}`, {
    hint: 'Pass the file with --file/-f, or run the command in the project directory.',
  })
}

function isDict(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Scalar → string as Compose does for environment values and labels. */
export function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return undefined
}

export async function loadProject(opts: ComposeLoadOptions): Promise<Project> {
  const diag = new Diagnostics()
  const absFiles = findFiles(opts)
  const dir = path.dirname(absFiles[0])
  const shell = opts.env

  // .env in the project directory: only feeds interpolation (and COMPOSE_* settings); the shell wins.
  const dotenv = new Map<string, string>()
  const dotenvPath = path.join(dir, '.env')
  if (existsSync(dotenvPath)) {
    const display = displayPath(dotenvPath, opts.cwd)
    for (const e of parseDotenv(readText(dotenvPath, display, '.env file'), display, (n) => shell[n] ?? dotenv.get(n)))
      dotenv.set(e.name, e.value)
  }
  const lookup: Lookup = (name) => {
    const v = shell[name]
    return v !== undefined ? v : dotenv.get(name)
  }

  const files: SourceFile[] = []
  const services = new Map<string, ServiceDef>()
  const volumes = new Map<string, Located<Dict | null>>()
  const secrets = new Map<string, Located<Dict>>()
  let nameFromFile: {value: string; at: Origin} | undefined
  let networksDeclared: Origin | undefined
  let configsDeclared: Origin | undefined

  /** Read, parse and interpolate one Compose file (a -f file or an `extends` source). */
  const parsed = new Map<string, {source: SourceFile; root: Dict; versionText?: string}>()
  const readComposeFile = (abs: string): {source: SourceFile; root: Dict; versionText?: string} => {
    const cached = parsed.get(abs)
    if (cached) return cached
    const display = displayPath(abs, opts.cwd)
    const text = readText(abs, display, 'Compose file')
    const {source, value} = parseYaml(text, abs, display)
    if (value === null || value === undefined) throw new ComposeError('the Compose file is empty', {file: display})
    if (!isDict(value))
      throw new ComposeError(`the Compose file must be a mapping (services, volumes, …), not ${describe(value)}`, {
        file: display,
        line: 1,
      })
    const version = value.version
    const versionText = version === undefined || version === null ? undefined : String(version)
    source.servicesAtTop =
      value.services === undefined &&
      (versionText === undefined || /^1(\.\d+)?$/.test(versionText)) &&
      looksLikeV1(value)
    const root = interpolateTree(
      value,
      lookup,
      (name, p) => {
        const pos = source.locate(p)
        diag.add('warning', `variable ${name} is not set; substituting an empty string`, {
          ...pos,
          service: serviceOf(p, source),
          key: keyOf(p, source),
        })
      },
      (error: InterpolationError, p) => {
        const pos = source.locate(p)
        throw new ComposeError(error.message, {...pos, key: keyOf(p, source), service: serviceOf(p, source)})
      },
    ) as Dict
    const out = {source, root, versionText}
    parsed.set(abs, out)
    return out
  }
  const servicesOf = (source: SourceFile, root: Dict): Dict => {
    if (source.servicesAtTop) {
      const map: Dict = {}
      for (const [k, v] of Object.entries(root)) if (!k.startsWith('x-') && k !== 'version') map[k] = v
      return map
    }
    if (root.services === undefined || root.services === null) return {}
    if (!isDict(root.services))
      throw new ComposeError(
        `services must be a mapping of service names to definitions, not ${describe(root.services)}`,
        {...source.locate(['services']), key: 'services'},
      )
    return root.services
  }

  for (const abs of absFiles) {
    const {source, root, versionText} = readComposeFile(abs)
    const display = source.display
    files.push(source)
    const v1 = source.servicesAtTop

    if (versionText !== undefined && !/^[123](\.\d+)?$/.test(versionText)) {
      diag.add(
        'warning',
        `unknown Compose version ${JSON.stringify(versionText)}; reading the file as the Compose Specification`,
        {...source.locate(['version']), key: 'version'},
      )
    }

    const serviceMap = servicesOf(source, root)
    if (!v1) {
      for (const k of Object.keys(root)) {
        if (k.startsWith('x-') || TOP_LEVEL_KEYS.has(k)) continue
        const s = suggest(k, TOP_LEVEL_KEYS)
        throw new ComposeError(
          `unknown top-level key "${k}"${s ? ` (did you mean "${s}"?)` : ''}; valid keys: ${[...TOP_LEVEL_KEYS].join(', ')}, x-*`,
          {...source.locate([k]), key: k},
        )
      }
      if (root.include !== undefined) {
        throw new ComposeError('include is not supported; pass every file with --file/-f instead', {
          ...source.locate(['include']),
          key: 'include',
        })
      }
      if (root.name !== undefined && root.name !== null) {
        const n = scalarString(root.name)
        if (n === undefined || n === '')
          throw new ComposeError('name must be a non-empty string', {...source.locate(['name']), key: 'name'})
        nameFromFile = {value: n, at: {src: source, path: ['name']}}
      }
      if (root.networks !== undefined && root.networks !== null) networksDeclared = {src: source, path: ['networks']}
      if (root.configs !== undefined && root.configs !== null) configsDeclared = {src: source, path: ['configs']}
      collectNamed(root.volumes, 'volumes', source, volumes, true)
      collectNamed(root.secrets, 'secrets', source, secrets as Map<string, Located<Dict | null>>, false)
    }

    for (const [name, def] of Object.entries(serviceMap)) {
      const at: Origin = {src: source, path: ['services', name]}
      if (!isDict(def)) {
        throw new ComposeError(`a service must be a mapping of keys (image, ports, …), not ${describe(def)}`, {
          ...source.locate(at.path),
          service: name,
        })
      }
      let svc = services.get(name)
      if (!svc) {
        svc = {
          name,
          keys: new Map(),
          raw: {},
          environment: new Map(),
          envFiles: [],
          labels: new Map(),
          sysctls: new Map(),
          dependsOn: new Map(),
          extraHosts: [],
          lists: new Map(),
        }
        services.set(name, svc)
      }
      for (const [d, src, defName] of extendsChain(name, def, source, serviceMap, readComposeFile, servicesOf, []))
        mergeService(svc, d, src, defName)
    }
  }

  const project: Project = {
    name: '',
    dir,
    files,
    services: [...services.values()],
    volumes,
    secrets: secrets as Map<string, Located<Dict>>,
    skipped: new Set(),
    networksDeclared,
    configsDeclared,
    lookup,
    env: shell,
    diag,
    cwd: opts.cwd,
    locate(p: Path, origin?: Origin): Position {
      if (origin) return origin.src.locate(p)
      let best: {pos: Position; depth: number} | undefined
      for (let i = files.length - 1; i >= 0; i--) {
        const found = files[i].find(p)
        if (!best || found.depth > best.depth) best = found
      }
      return best ? best.pos : {file: files[0]?.display ?? ''}
    },
  }
  project.name = projectName(opts, lookup, nameFromFile, absFiles[0], project)
  applyProfiles(project)
  warnUnsupportedKeys(project)
  return project
}

function keyOf(p: Path, source: SourceFile): string | undefined {
  const strings = p.filter((s): s is string => typeof s === 'string')
  if (source.servicesAtTop) return strings.slice(1).join('.') || undefined
  if (strings[0] === 'services' && strings.length >= 2) return strings.slice(2).join('.') || undefined
  return strings.join('.') || undefined
}

function serviceOf(p: Path, source: SourceFile): string | undefined {
  if (source.servicesAtTop) return typeof p[0] === 'string' && !p[0].startsWith('x-') ? p[0] : undefined
  return p[0] === 'services' && typeof p[1] === 'string' ? p[1] : undefined
}

const SERVICEISH = new Set(['image', 'build', 'command', 'ports', 'environment', 'links', 'volumes'])
function looksLikeV1(root: Dict): boolean {
  for (const [k, v] of Object.entries(root)) {
    if (k.startsWith('x-') || k === 'version') continue
    if (TOP_LEVEL_KEYS.has(k)) return false
    if (!isDict(v) || !Object.keys(v).some((key) => SERVICEISH.has(key))) return false
  }
  return true
}

function collectNamed(
  value: unknown,
  key: 'volumes' | 'secrets',
  source: SourceFile,
  into: Map<string, Located<Dict | null>>,
  allowNull: boolean,
): void {
  if (value === undefined || value === null) return
  if (!isDict(value))
    throw new ComposeError(`top-level ${key} must be a mapping of names to definitions`, {...source.locate([key]), key})
  for (const [name, def] of Object.entries(value)) {
    if (def !== null && !isDict(def))
      throw new ComposeError(`${key}.${name} must be a mapping or empty`, {
        ...source.locate([key, name]),
        key: `${key}.${name}`,
      })
    if (def === null && !allowNull)
      throw new ComposeError(`secret "${name}" needs a definition (external: true with a name, or x-ecsx-value-from)`, {
        ...source.locate([key, name]),
        key: `${key}.${name}`,
      })
    const prev = into.get(name)
    const merged = prev && prev.v && def ? {...prev.v, ...def} : def
    into.set(name, {v: merged as Dict | null, at: {src: source, path: [key, name]}})
  }
}

/** Merge one file's definition of a service into the accumulated one (Compose's override rules). */
type ReadFile = (abs: string) => {source: SourceFile; root: Dict}
type ServicesOf = (source: SourceFile, root: Dict) => Dict

/**
 * `extends: {service, file}` (or `extends: name`): the definitions to merge, base first, each with its file. Merging
 * base then override into the accumulated service equals Compose's "resolve extends per file, then merge files".
 */
function extendsChain(
  name: string,
  def: Dict,
  source: SourceFile,
  serviceMap: Dict,
  read: ReadFile,
  servicesOf: ServicesOf,
  seen: string[],
): [Dict, SourceFile, string][] {
  const ext = def.extends
  if (ext === undefined || ext === null) return [[def, source, name]]
  const p: Path = ['services', name, 'extends']
  const fail = (msg: string): never => {
    throw new ComposeError(msg, {...source.locate(p), service: name, key: 'extends'})
  }
  let baseName: string
  let file: string | undefined
  if (typeof ext === 'string') baseName = ext
  else if (isDict(ext)) {
    for (const k of Object.keys(ext))
      if (k !== 'service' && k !== 'file') fail(`unknown key "${k}"; valid keys: service, file`)
    if (typeof ext.service !== 'string' || ext.service === '') fail('extends needs a service name')
    baseName = ext.service as string
    if (ext.file !== undefined && ext.file !== null) {
      if (typeof ext.file !== 'string') fail('extends.file must be a path')
      file = ext.file as string
    }
  } else return fail(`extends must be a service name or {service, file}, not ${describe(ext)}`)
  let baseSource = source
  let baseMap = serviceMap
  if (file !== undefined) {
    const other = read(path.resolve(path.dirname(source.absPath), file))
    baseSource = other.source
    baseMap = servicesOf(other.source, other.root)
  }
  const id = `${baseSource.absPath}#${baseName}`
  const here = `${source.absPath}#${name}`
  if (seen.includes(id) || id === here)
    fail(`extends cycle: ${[...seen, here, id].map((s) => s.split('#')[1]).join(' -> ')}`)
  const baseDef = baseMap[baseName]
  if (!isDict(baseDef))
    fail(`extends service "${baseName}", which is not defined${file ? ` in ${baseSource.display}` : ''}`)
  const rest: Dict = {...def}
  delete rest.extends
  return [
    ...extendsChain(baseName, baseDef as Dict, baseSource, baseMap, read, servicesOf, [...seen, here]),
    [rest, source, name],
  ]
}

function mergeService(svc: ServiceDef, def: Dict, source: SourceFile, defName: string = svc.name): void {
  const base: Path = ['services', defName]
  for (const [key, value] of Object.entries(def)) {
    const at: Origin = {src: source, path: [...base, key]}
    if (!key.startsWith('x-') || key === 'x-ecsx') {
      if (!SUPPORTED_SERVICE_KEYS.has(key) && !(key in UNSUPPORTED_SERVICE_KEYS)) {
        const hint = MISPLACED_KEY_HINTS[key]
        const s = hint ? undefined : suggest(key, [...SUPPORTED_SERVICE_KEYS, ...Object.keys(UNSUPPORTED_SERVICE_KEYS)])
        throw new ComposeError(
          `unknown key "${key}"${hint ? `: ${hint}` : s ? ` (did you mean "${s}"?); see docs/compose-mapping.md for the keys ecsx reads` : '; see docs/compose-mapping.md for the keys ecsx reads'}`,
          {
            ...source.locate(at.path),
            service: svc.name,
            key,
          },
        )
      }
    } else {
      continue // service-level x-* extensions other than x-ecsx are ignored, as Compose does
    }
    svc.keys.set(key, at)
    const fail = (msg: string, p: Path = at.path): never => {
      throw new ComposeError(msg, {...source.locate(p), service: svc.name, key})
    }
    switch (key) {
      case 'environment':
        for (const [k, v, p] of keyValues(value, at.path, fail, 'environment'))
          svc.environment.set(k, {v, at: {src: source, path: p}})
        break
      case 'labels':
        for (const [k, v, p] of keyValues(value, at.path, fail, 'labels'))
          svc.labels.set(k, {v: v ?? '', at: {src: source, path: p}})
        break
      case 'sysctls':
        for (const [k, v, p] of keyValues(value, at.path, fail, 'sysctls')) {
          if (v === null) fail(`sysctl "${k}" needs a value (name=value)`, p)
          svc.sysctls.set(k, {v: v as string, at: {src: source, path: p}})
        }
        break
      case 'env_file':
        svc.envFiles = svc.envFiles.concat(envFiles(value, at.path, source, fail))
        break
      case 'depends_on':
        for (const [k, cond, p] of dependsOn(value, at.path, fail))
          svc.dependsOn.set(k, {v: {condition: cond}, at: {src: source, path: p}})
        break
      case 'extra_hosts':
        svc.extraHosts = appendUnique(svc.extraHosts, extraHosts(value, at.path, source, fail))
        break
      case 'volumes': {
        // merged by container path: a later file's mount for the same target replaces the earlier one
        const items = listItems(value, at, fail, 'volumes')
        const prev = svc.lists.get('volumes') ?? []
        const targets = new Set(items.map((i) => volumeTarget(i.v)).filter((t): t is string => t !== undefined))
        svc.lists.set('volumes', prev.filter((i) => !targets.has(volumeTarget(i.v) ?? '')).concat(items))
        break
      }
      default:
        if (APPEND_LIST_KEYS.has(key)) {
          const items =
            key === 'dns' || key === 'dns_search' || key === 'tmpfs'
              ? listItems(typeof value === 'string' ? [value] : value, at, fail, key, typeof value === 'string')
              : listItems(value, at, fail, key)
          svc.lists.set(key, appendUnique(svc.lists.get(key) ?? [], items))
        } else {
          svc.raw[key] = mergeValue(svc.raw[key], value, key)
        }
    }
  }
}

function volumeTarget(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const parts = v.split(':')
    if (parts.length === 1) return parts[0]
    if (/^[A-Za-z]$/.test(parts[0]) && parts.length >= 3) return parts[2]
    return parts[1]
  }
  if (isDict(v) && typeof v.target === 'string') return v.target
  return undefined
}

function mergeValue(base: unknown, over: unknown, key: string): unknown {
  if (isDict(base) && isDict(over)) {
    if (key === 'logging' && over.driver !== undefined && base.driver !== undefined && over.driver !== base.driver)
      return over
    const out: Dict = {...base}
    for (const [k, v] of Object.entries(over)) out[k] = mergeValue(base[k], v, `${key}.${k}`)
    return out
  }
  return over
}

function appendUnique<T>(list: Located<T>[], add: Located<T>[]): Located<T>[] {
  const seen = new Set(list.map((i) => JSON.stringify(i.v)))
  const out = list.slice()
  for (const item of add) {
    const id = JSON.stringify(item.v)
    if (seen.has(id)) continue
    seen.add(id)
    out.push(item)
  }
  return out
}

function listItems(
  value: unknown,
  at: Origin,
  fail: (m: string, p?: Path) => never,
  key: string,
  single = false,
): Located<unknown>[] {
  if (value === null || value === undefined) return []
  if (!Array.isArray(value)) fail(`${key} must be a list, not ${describe(value)}`)
  return (value as unknown[]).map((v, i) => ({v, at: {src: at.src, path: single ? at.path : [...at.path, i]}}))
}

type Fail = (m: string, p?: Path) => never

/** environment / labels / sysctls: a mapping or a list of KEY=value. `null` = no value given. */
function keyValues(value: unknown, p: Path, fail: Fail, key: string): [string, string | null, Path][] {
  const out: [string, string | null, Path][] = []
  if (value === null || value === undefined) return out
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const s = scalarString(item)
      if (s === undefined) fail(`${key} list items must be strings like KEY=value, not ${describe(item)}`, [...p, i])
      const eq = (s as string).indexOf('=')
      const k = eq < 0 ? (s as string) : (s as string).slice(0, eq)
      if (k === '') fail(`${key} entry ${JSON.stringify(s)} has no name`, [...p, i])
      out.push([k, eq < 0 ? null : (s as string).slice(eq + 1), [...p, i]])
    })
    return out
  }
  if (!isDict(value)) fail(`${key} must be a mapping or a list of KEY=value, not ${describe(value)}`)
  for (const [k, v] of Object.entries(value as Dict)) {
    if (v === null || v === undefined) {
      out.push([k, null, [...p, k]])
      continue
    }
    const s = scalarString(v)
    if (s === undefined) fail(`${key}.${k} must be a string, number or boolean, not ${describe(v)}`, [...p, k])
    out.push([k, s as string, [...p, k]])
  }
  return out
}

function envFiles(
  value: unknown,
  p: Path,
  source: SourceFile,
  fail: Fail,
): Located<{path: string; required: boolean}>[] {
  const dir = path.dirname(source.absPath)
  const one = (item: unknown, ip: Path): Located<{path: string; required: boolean}> => {
    if (typeof item === 'string')
      return {v: {path: path.resolve(dir, item), required: true}, at: {src: source, path: ip}}
    if (isDict(item)) {
      for (const k of Object.keys(item))
        if (!['path', 'required', 'format'].includes(k))
          fail(`unknown env_file key "${k}"; valid keys: path, required`, [...ip, k])
      if (typeof item.path !== 'string') fail('env_file entries need a path', ip)
      if (item.format !== undefined && item.format !== 'raw') {
        // the default format is dotenv; "raw" keeps values verbatim, which we do not support separately
      }
      const required = item.required === undefined ? true : item.required === true || item.required === 'true'
      return {v: {path: path.resolve(dir, item.path as string), required}, at: {src: source, path: ip}}
    }
    return fail(`env_file entries must be paths or {path, required}, not ${describe(item)}`, ip)
  }
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) return value.map((item, i) => one(item, [...p, i]))
  return [one(value, p)]
}

const CONDITIONS: Record<string, string> = {
  service_started: 'START',
  service_healthy: 'HEALTHY',
  service_completed_successfully: 'SUCCESS',
}

function dependsOn(value: unknown, p: Path, fail: Fail): [string, string, Path][] {
  const out: [string, string, Path][] = []
  if (value === null || value === undefined) return out
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item !== 'string')
        fail(`depends_on list items must be service names, not ${describe(item)}`, [...p, i])
      out.push([item as string, 'START', [...p, i]])
    })
    return out
  }
  if (!isDict(value))
    fail(`depends_on must be a list of services or a mapping of services to {condition}, not ${describe(value)}`)
  for (const [dep, spec] of Object.entries(value as Dict)) {
    if (spec === null) {
      out.push([dep, 'START', [...p, dep]])
      continue
    }
    if (!isDict(spec)) fail(`depends_on.${dep} must be a mapping like {condition: service_healthy}`, [...p, dep])
    for (const k of Object.keys(spec as Dict)) {
      if (!['condition', 'required', 'restart'].includes(k))
        fail(`unknown depends_on key "${k}"; valid keys: condition, required, restart`, [...p, dep, k])
    }
    const c = (spec as Dict).condition ?? 'service_started'
    const mapped = typeof c === 'string' ? CONDITIONS[c] : undefined
    if (!mapped)
      fail(`invalid condition ${describe(c)}; valid: ${Object.keys(CONDITIONS).join(', ')}`, [...p, dep, 'condition'])
    out.push([dep, mapped as string, [...p, dep]])
  }
  return out
}

function extraHosts(value: unknown, p: Path, source: SourceFile, fail: Fail): Located<{host: string; ip: string}>[] {
  const out: Located<{host: string; ip: string}>[] = []
  if (value === null || value === undefined) return out
  const strip = (ip: string) => (ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip)
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item !== 'string')
        fail(`extra_hosts items must be "hostname:ip" strings, not ${describe(item)}`, [...p, i])
      const s = item as string
      const eq = s.indexOf('=')
      const colon = s.indexOf(':')
      const sep = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon
      if (sep <= 0 || sep === s.length - 1)
        fail(
          `invalid extra host ${JSON.stringify(s)}: expected "hostname:ip" or "hostname=ip" (IPv6 is fine: "h6:fd00::1")`,
          [...p, i],
        )
      out.push({
        v: {host: s.slice(0, sep).trim(), ip: strip(s.slice(sep + 1).trim())},
        at: {src: source, path: [...p, i]},
      })
    })
    return out
  }
  if (!isDict(value))
    fail(`extra_hosts must be a list of "hostname:ip" or a mapping of hostname to ip, not ${describe(value)}`)
  for (const [host, ip] of Object.entries(value as Dict)) {
    const ips = Array.isArray(ip) ? ip : [ip]
    for (const one of ips) {
      const s = scalarString(one)
      if (s === undefined || s === '') fail(`extra_hosts.${host} needs an IP address`, [...p, host])
      out.push({v: {host, ip: strip(s as string)}, at: {src: source, path: [...p, host]}})
    }
  }
  return out
}

const FAMILY_RE = /^[A-Za-z0-9_-]{1,255}$/

function projectName(
  opts: ComposeLoadOptions,
  lookup: Lookup,
  fromFile: {value: string; at: Origin} | undefined,
  firstFile: string,
  project: Project,
): string {
  const explicit: [string | undefined, string][] = [
    [opts.projectName, '--project-name'],
    [lookup('COMPOSE_PROJECT_NAME'), 'COMPOSE_PROJECT_NAME'],
  ]
  for (const [value, source] of explicit) {
    if (value === undefined || value === '') continue
    if (!FAMILY_RE.test(value)) {
      throw new ComposeError(
        `invalid project name ${JSON.stringify(value)} from ${source}: the task definition family allows up to 255 letters, digits, "-" and "_"`,
      )
    }
    return value
  }
  if (fromFile) {
    if (!FAMILY_RE.test(fromFile.value)) {
      throw new ComposeError(
        `invalid project name ${JSON.stringify(fromFile.value)}: the task definition family allows up to 255 letters, digits, "-" and "_"`,
        {
          ...project.locate(fromFile.at.path, fromFile.at),
          key: 'name',
        },
      )
    }
    return fromFile.value
  }
  const base = path.basename(path.dirname(firstFile))
  const cleaned = base.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255) || 'default'
  if (cleaned !== base) {
    project.diag.add(
      'info',
      `project name "${cleaned}" derived from directory "${base}" (characters ECS does not allow in a family were replaced by "-"); set it with -p or top-level name:`,
    )
  }
  return cleaned
}

function applyProfiles(project: Project): void {
  const active = new Set(
    (project.lookup('COMPOSE_PROFILES') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  project.services = project.services.filter((svc) => {
    const profiles = svc.lists.get('profiles')
    if (!profiles || profiles.length === 0) return true
    if (active.has('*') || profiles.some((p) => active.has(String(p.v)))) return true
    const at = svc.keys.get('profiles')
    project.skipped.add(svc.name)
    project.diag.add(
      'info',
      `skipped: its profiles (${profiles.map((p) => String(p.v)).join(', ')}) are not enabled in COMPOSE_PROFILES`,
      {
        ...(at ? project.locate(at.path, at) : {}),
        service: svc.name,
      },
    )
    return false
  })
}

function warnUnsupportedKeys(project: Project): void {
  for (const svc of project.services) {
    for (const [key, at] of svc.keys) {
      if (key in UNSUPPORTED_SERVICE_KEYS) {
        const why = UNSUPPORTED_SERVICE_KEYS[key]
        project.diag.add('warning', `"${key}" has no ECS equivalent and is ignored${why ? `: ${why}` : ''}`, {
          ...project.locate(at.path, at),
          service: svc.name,
          key,
        })
      } else if (key === 'container_name') {
        project.diag.add('warning', '"container_name" is ignored: the container is named after the service', {
          ...project.locate(at.path, at),
          service: svc.name,
          key,
        })
      }
    }
  }
  if (project.networksDeclared) {
    const at = project.networksDeclared
    project.diag.add(
      'warning',
      'top-level "networks" are ignored: the containers of a task share one network (see ecs-params ecs_network_mode)',
      {...project.locate(at.path, at), key: 'networks'},
    )
  }
  if (project.configsDeclared) {
    const at = project.configsDeclared
    project.diag.add(
      'warning',
      'top-level "configs" are ignored: ECS has no config files; use environment, secrets or volumes',
      {...project.locate(at.path, at), key: 'configs'},
    )
  }
}
