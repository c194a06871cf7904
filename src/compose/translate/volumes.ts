/** Top-level volumes → task volumes; service volumes → mountPoints (or tmpfs); volumes_from → volumesFrom. */
import * as path from 'node:path'

import type {MountPoint, Volume, VolumeFrom} from '@aws-sdk/client-ecs'

import {ComposeError} from '../errors.js'
import type {Located, Origin} from '../load/model.js'
import {TOP_VOLUME_KEYS, VOLUME_LONG_KEYS} from '../schema.js'
import type {Path} from '../source.js'
import {describe, parseBoolean, parseSizeMiB} from '../units.js'
import {isDict, scalarString} from '../values.js'
import {labelMap, stringMap, unit, type TaskContext} from './context.js'
import type {ServiceScope} from './scope.js'

const NAMED_VOLUME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/
const IGNORED_MOUNT_MODES = new Set([
  'z',
  'Z',
  'cached',
  'delegated',
  'consistent',
  'nocopy',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
])

/** Declared top-level named volumes → task volumes (every declared volume, used or not, as ecs-cli does). */
export function declareNamedVolumes(ctx: TaskContext): void {
  const {project} = ctx
  for (const [name, {v: def, at}] of project.volumes) {
    const fail = (msg: string, p: Path = at.path): never => {
      throw new ComposeError(msg, {...at.src.locate(p), key: p.filter((s) => typeof s === 'string').join('.')})
    }
    if (!NAMED_VOLUME_RE.test(name)) fail(`invalid volume name "${name}": use letters, digits, "_", "." and "-"`)
    if (!def) {
      ctx.volumes.add({name})
      continue
    }
    for (const k of Object.keys(def)) {
      if (!TOP_VOLUME_KEYS.includes(k) && !k.startsWith('x-'))
        fail(`unknown key "${k}" in volume "${name}"; valid keys: ${TOP_VOLUME_KEYS.join(', ')}`, [...at.path, k])
    }
    if (def.name !== undefined) {
      project.diag.add('warning', `volumes.${name}.name is ignored: the task volume is called "${name}"`, {
        ...at.src.locate([...at.path, 'name']),
        key: `volumes.${name}.name`,
      })
    }
    const external =
      def.external === undefined
        ? false
        : unit(
            () => parseBoolean(def.external, 'external'),
            (m) => fail(m, [...at.path, 'external']),
          )
    if (def.driver === undefined && def.driver_opts === undefined && def.labels === undefined && !external) {
      ctx.volumes.add({name})
      continue
    }
    // A Docker volume that outlives the task, as a Compose named volume does.
    const cfg: NonNullable<Volume['dockerVolumeConfiguration']> = {scope: 'shared', autoprovision: !external}
    const driver = scalarString(def.driver)
    cfg.driver = driver || 'local'
    if (def.driver_opts !== undefined && def.driver_opts !== null)
      cfg.driverOpts = stringMap(def.driver_opts, (m) => fail(m, [...at.path, 'driver_opts']))
    if (def.labels !== undefined && def.labels !== null)
      cfg.labels = labelMap(def.labels, (m) => fail(m, [...at.path, 'labels']))
    ctx.volumes.add({name, dockerVolumeConfiguration: cfg})
  }
}

export function translateMounts(s: ServiceScope): void {
  const items = s.svc.lists.get('volumes') ?? []
  const out: MountPoint[] = []
  for (const item of items) {
    const m = parseMount(s, item)
    if (!m) continue
    out.push(m)
  }
  if (out.length > 0) s.def.mountPoints = out
}

interface MountSpec {
  source?: string
  target: string
  readOnly: boolean
  type?: string
}

/** "[SOURCE:]TARGET[:ro|rw,…]" (Windows drive letters kept together). */
function shortMount(s: ServiceScope, v: string, item: Located<unknown>, fail: (m: string) => never): MountSpec {
  let parts: string[]
  const drive = /^[A-Za-z]:[\\/]/.test(v)
  if (drive) {
    const rest = v.slice(2).split(':')
    parts = [v.slice(0, 2) + rest[0], ...rest.slice(1)]
  } else parts = v.split(':')
  const spec: MountSpec = {target: '', readOnly: false}
  if (parts.length === 1) spec.target = parts[0]
  else if (parts.length === 2 || parts.length === 3) {
    spec.source = parts[0]
    spec.target = parts[1]
    if (parts.length === 3) {
      for (const mode of parts[2].split(',')) {
        if (mode === 'ro') spec.readOnly = true
        else if (mode === 'rw') spec.readOnly = false
        else if (IGNORED_MOUNT_MODES.has(mode))
          s.warn('volumes', `mount option "${mode}" is ignored in ${JSON.stringify(v)}`, [], item.at)
        else fail(`invalid mount mode "${mode}" in ${JSON.stringify(v)}: expected ro or rw`)
      }
    }
  } else return fail(`invalid volume ${JSON.stringify(v)}: expected [SOURCE:]TARGET[:ro|rw]`)
  if (spec.source === '') fail(`invalid volume ${JSON.stringify(v)}: the source is empty`)
  return spec
}

/** The long syntax {type, source, target, read_only, tmpfs}; a tmpfs mount goes to the scope and returns undefined. */
function longMount(s: ServiceScope, v: Record<string, unknown>, item: Located<unknown>, fail: (m: string) => never) {
  for (const k of Object.keys(v))
    if (!VOLUME_LONG_KEYS.includes(k))
      fail(`unknown key "${k}" in a volume; valid keys: ${VOLUME_LONG_KEYS.join(', ')}`)
  const type = scalarString(v.type) ?? 'volume'
  if (typeof v.target !== 'string' || v.target === '')
    return fail('a long-syntax volume needs a target (the container path)')
  const spec: MountSpec = {target: v.target, readOnly: false, type}
  spec.source = v.source === undefined || v.source === null || v.source === '' ? undefined : String(v.source)
  if (v.read_only !== undefined)
    spec.readOnly = s.unitAt('volumes', () => parseBoolean(v.read_only, 'read_only'), [], item.at)
  if (type === 'tmpfs') {
    const t = isDict(v.tmpfs) ? v.tmpfs : {}
    if (t.size === undefined) fail('a tmpfs mount needs tmpfs.size: ECS requires a size')
    s.notOnFargate('volumes', 'tmpfs mounts', [], item.at)
    const size = s.unitAt('volumes', () => parseSizeMiB(t.size), [], item.at)
    s.volumeTmpfs.push(
      spec.readOnly ? {containerPath: spec.target, size, mountOptions: ['ro']} : {containerPath: spec.target, size},
    )
    return undefined
  }
  if (type !== 'volume' && type !== 'bind')
    fail(`unsupported mount type "${type}": ECS supports volume, bind and tmpfs`)
  if (type === 'bind' && spec.source === undefined) fail('a bind mount needs a source (the host path)')
  return spec
}

function parseMount(s: ServiceScope, item: Located<unknown>): MountPoint | undefined {
  const fail = (m: string): never => s.fail('volumes', m, [], item.at)
  const v = item.v
  let spec: MountSpec | undefined
  if (typeof v === 'string') spec = shortMount(s, v, item, fail)
  else if (isDict(v)) spec = longMount(s, v, item, fail)
  else return fail(`volumes items must be strings like "data:/var/lib/data" or mappings, not ${describe(v)}`)
  if (!spec) return undefined
  const {source, target, type} = spec

  if (!target.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(target))
    fail(`the container path ${JSON.stringify(target)} must be absolute`)
  const vt = s.ctx.volumes
  let sourceVolume: string
  if (source === undefined) {
    sourceVolume = vt.generate()
  } else if (type === 'bind' || isHostPath(source)) {
    s.notOnFargate(
      'volumes',
      `host path ${JSON.stringify(source)} (Fargate has no host.sourcePath volumes; use a named volume)`,
      [],
      item.at,
    )
    sourceVolume = vt.generate(hostPath(s, source, item.at))
  } else {
    if (!NAMED_VOLUME_RE.test(source)) fail(`invalid volume name ${JSON.stringify(source)}`)
    if (!vt.has(source))
      fail(
        `named volume "${source}" is used but not declared in the top-level volumes (or ecs-params docker_volumes/efs_volumes)`,
      )
    sourceVolume = source
  }
  return {sourceVolume, containerPath: target, readOnly: spec.readOnly}
}

function hostPath(s: ServiceScope, source: string, at: Origin): string {
  if (source.startsWith('~')) {
    const home = s.ctx.project.env.HOME
    if (!home) s.fail('volumes', `cannot expand "~" in ${JSON.stringify(source)}: HOME is not set`, [], at)
    return path.join(home as string, source.slice(1))
  }
  if (source.startsWith('/') || /^[A-Za-z]:[\\/]/.test(source)) return source
  const abs = path.resolve(path.dirname(at.src.absPath), source)
  s.warn(
    'volumes',
    `relative host path ${JSON.stringify(source)} resolved to ${abs}; it must exist on the container instance`,
    [],
    at,
  )
  return abs
}

function isHostPath(source: string): boolean {
  return (
    source.startsWith('/') ||
    source.startsWith('.') ||
    source.startsWith('~') ||
    /^[A-Za-z]:[\\/]/.test(source) ||
    source.startsWith('\\\\')
  )
}

export function translateVolumesFrom(s: ServiceScope): void {
  const items = s.svc.lists.get('volumes_from') ?? []
  if (items.length === 0) return
  const out: VolumeFrom[] = []
  for (const item of items) {
    const str = scalarString(item.v)
    const fail = (): never =>
      s.fail(
        'volumes_from',
        `invalid volumes_from ${describe(item.v)}: expected format [container:]SERVICE[:ro|rw]`,
        [],
        item.at,
      )
    if (!str) return fail()
    const parts = (str as string).split(':')
    if (parts[0] === 'container') parts.shift()
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') fail()
    const mode = parts[1]
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw') fail()
    const sourceContainer = parts[0]
    if (sourceContainer === s.svc.name) s.fail('volumes_from', 'a service cannot take volumes from itself', [], item.at)
    if (!s.ctx.project.services.some((x) => x.name === sourceContainer)) {
      s.fail(
        'volumes_from',
        `"${sourceContainer}" is not a service of this project: ECS volumesFrom must name another container in the task`,
        [],
        item.at,
      )
    }
    out.push({sourceContainer, readOnly: mode === 'ro'})
  }
  s.def.volumesFrom = out
}
