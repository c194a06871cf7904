/** linuxParameters (capabilities, devices, init, shm_size, tmpfs), ulimits and sysctls. */
import type {Device, LinuxParameters, SystemControl, Tmpfs, Ulimit} from '@aws-sdk/client-ecs'

import type {Located} from '../load/model.js'
import {CAPABILITIES, ULIMIT_NAMES} from '../schema.js'
import {describe, parseInteger, parseSizeMiB} from '../units.js'
import {isDict, scalarString, type Dict} from '../values.js'
import type {ServiceScope} from './scope.js'

export function translateLinuxParameters(s: ServiceScope): void {
  const lp: LinuxParameters = {}
  const add = capabilities(s, 'cap_add')
  const drop = capabilities(s, 'cap_drop')
  if (add || drop) {
    lp.capabilities = {}
    if (add) {
      s.notOnFargate('cap_add', 'cap_add')
      lp.capabilities.add = add
    }
    if (drop) lp.capabilities.drop = drop
  }
  const devs = devices(s)
  if (devs) lp.devices = devs
  let init = s.bool('init')
  if (s.sp?.initProcessEnabled !== undefined) init = s.sp.initProcessEnabled
  if (init !== undefined) lp.initProcessEnabled = init
  if (s.has('shm_size')) {
    s.notOnFargate('shm_size', 'shm_size')
    lp.sharedMemorySize = s.unitAt('shm_size', () => parseSizeMiB(s.raw('shm_size')))
  }
  const tmpfs = composeTmpfs(s).concat(s.volumeTmpfs)
  if (tmpfs.length > 0) lp.tmpfs = tmpfs
  if (Object.keys(lp).length > 0) s.def.linuxParameters = lp
}

function capabilities(s: ServiceScope, key: 'cap_add' | 'cap_drop'): string[] | undefined {
  const items = s.svc.lists.get(key) ?? []
  if (items.length === 0) return undefined
  return items.map((item) => {
    const str = scalarString(item.v)
    const cap = (str ?? '').toUpperCase().replace(/^CAP_/, '')
    if (!CAPABILITIES.includes(cap))
      s.fail(key, `unknown capability ${describe(item.v)}; valid: ${CAPABILITIES.join(', ')}`, [], item.at)
    return cap
  })
}

const PERMISSION_LETTERS: Record<string, 'read' | 'write' | 'mknod'> = {r: 'read', w: 'write', m: 'mknod'}

function devices(s: ServiceScope): Device[] | undefined {
  const items = s.svc.lists.get('devices') ?? []
  if (items.length === 0) return undefined
  s.notOnFargate('devices', 'devices', [], items[0].at)
  return items.map((item) => device(s, item))
}

function device(s: ServiceScope, item: Located<unknown>): Device {
  const fail = (m: string): never => s.fail('devices', m, [], item.at)
  let hostPath: string
  let containerPath: string | undefined
  let perms: string | undefined
  if (typeof item.v === 'string') {
    const parts = item.v.split(':')
    if (parts.length > 3) fail(`invalid device ${JSON.stringify(item.v)}: expected HOST[:CONTAINER[:rwm]]`)
    ;[hostPath, containerPath, perms] = parts
    if (parts.length === 2 && /^[rwm]+$/.test(parts[1]) && !parts[1].startsWith('/')) {
      containerPath = undefined
      perms = parts[1]
    }
  } else if (isDict(item.v)) {
    hostPath = String(item.v.source ?? '')
    containerPath = item.v.target === undefined ? undefined : String(item.v.target)
    perms = item.v.permissions === undefined ? undefined : String(item.v.permissions)
  } else return fail(`devices items must be "HOST[:CONTAINER[:rwm]]", not ${describe(item.v)}`)
  if (!hostPath) fail('a device needs a host path')
  const d: Device = {hostPath}
  if (containerPath) d.containerPath = containerPath
  if (perms !== undefined) {
    if (!/^[rwm]+$/.test(perms)) fail(`invalid device permissions ${JSON.stringify(perms)}: use the letters r, w, m`)
    d.permissions = (['r', 'w', 'm'] as const).filter((l) => perms?.includes(l)).map((l) => PERMISSION_LETTERS[l])
  }
  return d
}

function composeTmpfs(s: ServiceScope): Tmpfs[] {
  const items = s.svc.lists.get('tmpfs') ?? []
  if (items.length === 0) return []
  s.notOnFargate('tmpfs', 'tmpfs', [], items[0].at)
  return items.map((item) => {
    const fail = (m: string): never => s.fail('tmpfs', m, [], item.at)
    const str = scalarString(item.v)
    if (!str) return fail(`tmpfs items must be "PATH:size=64m[,options]", not ${describe(item.v)}`)
    const colon = str.indexOf(':')
    if (colon < 0)
      return fail(`Path and Size are required options for tmpfs: write ${JSON.stringify(`${str}:size=64m`)}`)
    const containerPath = str.slice(0, colon)
    let size: number | undefined
    const mountOptions: string[] = []
    for (const opt of str.slice(colon + 1).split(',')) {
      if (opt.startsWith('size=')) size = s.unitAt('tmpfs', () => parseSizeMiB(opt.slice(5)), [], item.at)
      else if (opt !== '') mountOptions.push(opt)
    }
    if (size === undefined)
      return fail(`You must specify the size option for tmpfs: ${JSON.stringify(str)} has no size=`)
    const t: Tmpfs = {containerPath, size}
    if (mountOptions.length > 0) t.mountOptions = mountOptions
    return t
  })
}

export function translateUlimits(s: ServiceScope): void {
  const raw = s.raw('ulimits')
  if (raw === undefined || raw === null) return
  if (!isDict(raw))
    s.fail('ulimits', `ulimits must be a mapping of name to a number or {soft, hard}, not ${describe(raw)}`)
  const out: Ulimit[] = []
  for (const [name, v] of Object.entries(raw as Dict)) {
    const key = `ulimits.${name}`
    if (!ULIMIT_NAMES.includes(name)) s.fail(key, `unknown ulimit "${name}"; valid: ${ULIMIT_NAMES.join(', ')}`)
    let soft: number
    let hard: number
    if (isDict(v)) {
      for (const k of Object.keys(v))
        if (k !== 'soft' && k !== 'hard') s.fail(key, `unknown key "${k}"; valid keys: soft, hard`)
      if (v.soft === undefined || v.hard === undefined) s.fail(key, 'a ulimit mapping needs both soft and hard')
      soft = s.unitAt(key, () => parseInteger(v.soft, 'soft limit', -1))
      hard = s.unitAt(key, () => parseInteger(v.hard, 'hard limit', -1))
      if (hard !== -1 && (soft === -1 || soft > hard))
        s.fail(key, `the soft limit ${soft} is above the hard limit ${hard}`)
    } else {
      soft = hard = s.unitAt(key, () => parseInteger(v, 'ulimit', -1))
    }
    out.push({name: name as Ulimit['name'], softLimit: soft, hardLimit: hard})
  }
  if (out.length > 0) s.def.ulimits = out
}

export function translateSysctls(s: ServiceScope): void {
  if (s.svc.sysctls.size === 0) return
  const first = s.svc.sysctls.values().next().value as Located<string>
  s.notOnFargate('sysctls', 'sysctls (systemControls)', [], first.at)
  const out: SystemControl[] = []
  for (const [namespace, {v, at}] of s.svc.sysctls) {
    if (s.ctx.networkMode === 'host' && namespace.startsWith('net.')) {
      s.fail('sysctls', `network sysctl ${namespace} is not supported in host network mode`, [], at)
    }
    if (
      s.ctx.params?.ipcMode?.v === 'host' &&
      (namespace.startsWith('kernel.') || namespace.startsWith('fs.mqueue.'))
    ) {
      s.fail('sysctls', `IPC sysctl ${namespace} is not supported with ipc_mode host`, [], at)
    }
    out.push({namespace, value: v})
  }
  s.def.systemControls = out
}
