/**
 * The keys Compose lets users spell several ways (a mapping or a list of KEY=value, a string or a list, a name or
 * {path, required}), each brought to one shape with the path of every item kept for messages.
 */
import * as path from 'node:path'

import type {Path, SourceFile} from '../source.js'
import {describe} from '../units.js'
import {isDict, scalarString, type Dict} from '../values.js'
import type {Located, Origin} from './model.js'

export type Fail = (m: string, p?: Path) => never

export function listItems(value: unknown, at: Origin, fail: Fail, key: string, single = false): Located<unknown>[] {
  if (value === null || value === undefined) return []
  if (!Array.isArray(value)) fail(`${key} must be a list, not ${describe(value)}`)
  return (value as unknown[]).map((v, i) => ({v, at: {src: at.src, path: single ? at.path : [...at.path, i]}}))
}

/** environment / labels / sysctls: a mapping or a list of KEY=value. `null` = no value given. */
export function keyValues(value: unknown, p: Path, fail: Fail, key: string): [string, string | null, Path][] {
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

export function envFiles(
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
      // `format` is accepted: the default is dotenv; "raw" keeps values verbatim, which is not read separately
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

/** depends_on: a list of names or a mapping of names to {condition} → [service, ECS condition, path]. */
export function dependsOn(value: unknown, p: Path, fail: Fail): [string, string, Path][] {
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

const stripBrackets = (ip: string) => (ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip)

/** extra_hosts: a list of "host:ip" / "host=ip", or a mapping of host to one IP or a list of IPs. */
export function extraHosts(
  value: unknown,
  p: Path,
  source: SourceFile,
  fail: Fail,
): Located<{host: string; ip: string}>[] {
  const out: Located<{host: string; ip: string}>[] = []
  if (value === null || value === undefined) return out
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
        v: {host: s.slice(0, sep).trim(), ip: stripBrackets(s.slice(sep + 1).trim())},
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
      out.push({v: {host, ip: stripBrackets(s as string)}, at: {src: source, path: [...p, host]}})
    }
  }
  return out
}
