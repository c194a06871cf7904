/**
 * Merging one file's definition of a service into the accumulated one, with Compose's rules: mappings merge key by
 * key (environment, labels, sysctls, depends_on, deploy, …), most lists append without duplicates (ports, dns,
 * cap_add, …), volumes merge by container path, scalars and other lists are replaced.
 */
import {ComposeError} from '../errors.js'
import {MISPLACED_KEY_HINTS, SUPPORTED_SERVICE_KEYS, UNSUPPORTED_SERVICE_KEYS, suggest} from '../schema.js'
import type {Path, SourceFile} from '../source.js'
import {isDict, type Dict} from '../values.js'
import type {Located, Origin, ServiceDef} from './model.js'
import {dependsOn, envFiles, extraHosts, keyValues, listItems, type Fail} from './shapes.js'

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

/** A service key ecsx neither reads nor knows to ignore is an error (usually a typo), with a hint. */
function checkServiceKey(svc: ServiceDef, key: string, source: SourceFile, at: Origin): void {
  if (SUPPORTED_SERVICE_KEYS.has(key) || key in UNSUPPORTED_SERVICE_KEYS) return
  const hint = MISPLACED_KEY_HINTS[key]
  const s = hint ? undefined : suggest(key, [...SUPPORTED_SERVICE_KEYS, ...Object.keys(UNSUPPORTED_SERVICE_KEYS)])
  const see = 'see docs/compose-mapping.md for the keys ecsx reads'
  throw new ComposeError(
    `unknown key "${key}"${hint ? `: ${hint}` : s ? ` (did you mean "${s}"?); ${see}` : `; ${see}`}`,
    {
      ...source.locate(at.path),
      service: svc.name,
      key,
    },
  )
}

export function mergeService(svc: ServiceDef, def: Dict, source: SourceFile, defName: string = svc.name): void {
  const base: Path = ['services', defName]
  for (const [key, value] of Object.entries(def)) {
    const at: Origin = {src: source, path: [...base, key]}
    // service-level x-* extensions other than x-ecsx are ignored, as Compose does
    if (key.startsWith('x-') && key !== 'x-ecsx') continue
    checkServiceKey(svc, key, source, at)
    svc.keys.set(key, at)
    const fail = (msg: string, p: Path = at.path): never => {
      throw new ComposeError(msg, {...source.locate(p), service: svc.name, key})
    }
    mergeKey(svc, key, value, at, fail)
  }
}

function mergeKey(svc: ServiceDef, key: string, value: unknown, at: Origin, fail: Fail): void {
  const source = at.src
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

export function appendUnique<T>(list: Located<T>[], add: Located<T>[]): Located<T>[] {
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
