/**
 * Project (merged Compose services + ecs-params) → RegisterTaskDefinitionCommandInput, one container definition per
 * service in file order. Checks that need one service's context (ports in awsvpc, Fargate-invalid keys, units) are
 * made here, where the exact file/line/key is known; checks across containers live in validate.ts.
 */
import {existsSync} from 'node:fs'
import * as path from 'node:path'

import type {
  ContainerDefinition,
  ContainerDependency,
  Device,
  HealthCheck,
  KeyValuePair,
  LinuxParameters,
  LogConfiguration,
  MountPoint,
  PortMapping,
  Secret,
  SystemControl,
  Tmpfs,
  Ulimit,
  Volume,
  VolumeFrom,
} from '@aws-sdk/client-ecs'

import {ComposeError} from './errors.js'
import {healthcheckCommand, type EcsParams, type ServiceParams} from './ecs-params.js'
import {parseDotenv} from './dotenv.js'
import {scalarString, type Dict, type Located, type Origin, type Project, type ServiceDef} from './load.js'
import {
  CAPABILITIES,
  DEPLOY_KEYS,
  FARGATE_LOG_DRIVERS,
  HEALTHCHECK_KEYS,
  LOG_DRIVERS,
  PORT_LONG_KEYS,
  SERVICE_SECRET_LONG_KEYS,
  TOP_SECRET_KEYS,
  TOP_VOLUME_KEYS,
  ULIMIT_NAMES,
  VOLUME_LONG_KEYS,
  XECSX_KEYS,
} from './schema.js'
import {displayPath, readText, type Path} from './source.js'
import {
  UnitError,
  cpusToUnits,
  describe,
  durationToSeconds,
  formatDuration,
  parseBoolean,
  parseDurationMs,
  parseInteger,
  parsePortShort,
  parseSizeMiB,
  shellSplit,
  type ParsedPort,
} from './units.js'

export interface TaskContext {
  project: Project
  params?: EcsParams
  networkMode: string
  fargate: boolean
  /** Task memory is set: no default container memory. */
  taskMemory: boolean
  volumes: VolumeTable
}

const IMAGE_RE = /^[A-Za-z0-9\-_:./#@]{1,255}$/
const CONTAINER_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/
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

/** The task's volumes in order, with ecs-cli's `volume-N` naming for host paths and anonymous mounts. */
export class VolumeTable {
  readonly list: Volume[] = []
  private readonly byName = new Map<string, Volume>()
  private readonly byHostPath = new Map<string, string>()

  add(volume: Volume): void {
    const existing = this.byName.get(volume.name as string)
    if (existing) {
      const i = this.list.indexOf(existing)
      this.list[i] = volume
    } else {
      this.list.push(volume)
    }
    this.byName.set(volume.name as string, volume)
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }

  get(name: string): Volume | undefined {
    return this.byName.get(name)
  }

  /** A new `volume-N`, N = the number of task volumes known now (skipping names already taken). */
  generate(sourcePath?: string): string {
    if (sourcePath !== undefined) {
      const known = this.byHostPath.get(sourcePath)
      if (known) return known
    }
    let n = this.list.length
    while (this.byName.has(`volume-${n}`)) n++
    const name = `volume-${n}`
    this.add(sourcePath === undefined ? {name} : {name, host: {sourcePath}})
    if (sourcePath !== undefined) this.byHostPath.set(sourcePath, name)
    return name
  }
}

function isDict(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

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

function unit<T>(fn: () => T, onError: (message: string) => never): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof UnitError) return onError(error.message)
    throw error
  }
}

function stringMap(value: unknown, fail: (m: string) => never): Record<string, string> {
  if (!isDict(value)) return fail(`expected a mapping, not ${describe(value)}`)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    const s = scalarString(v)
    if (s === undefined) fail(`${k} must be a string, not ${describe(v)}`)
    out[k] = s as string
  }
  return out
}

function labelMap(value: unknown, fail: (m: string) => never): Record<string, string> {
  if (Array.isArray(value)) {
    const out: Record<string, string> = {}
    for (const item of value) {
      const s = scalarString(item)
      if (s === undefined) fail(`labels must be KEY=value strings, not ${describe(item)}`)
      const eq = (s as string).indexOf('=')
      out[eq < 0 ? (s as string) : (s as string).slice(0, eq)] = eq < 0 ? '' : (s as string).slice(eq + 1)
    }
    return out
  }
  return stringMap(value, fail)
}

export class ServiceTranslator {
  readonly def: ContainerDefinition
  hasHealthcheck = false
  desiredCount?: number
  readonly dependsOnAt = new Map<string, {origin: Origin} | {paramsPath: Path}>()

  constructor(
    private readonly ctx: TaskContext,
    readonly svc: ServiceDef,
    private readonly sp: ServiceParams | undefined,
  ) {
    const name = svc.name
    this.def = {name}
  }

  // -- locating -------------------------------------------------------------------------------------------------

  private pos(keyPath: Path, origin?: Origin): {file?: string; line?: number; column?: number} {
    if (origin) return origin.src.locate(origin.path)
    const keyAt = typeof keyPath[0] === 'string' ? this.svc.keys.get(keyPath[0]) : undefined
    if (keyAt) {
      const full = [...keyAt.path, ...keyPath.slice(1)]
      const found = keyAt.src.find(full)
      if (found.depth === full.length) return found.pos
    }
    return this.ctx.project.locate(['services', this.svc.name, ...keyPath])
  }

  fail(key: string, message: string, keyPath: Path = key.split('.'), origin?: Origin): never {
    throw new ComposeError(message, {...this.pos(keyPath, origin), service: this.svc.name, key})
  }

  failParams(p: Path, message: string): never {
    const src = this.ctx.params?.source
    throw new ComposeError(message, {
      ...(src ? src.locate(p) : {}),
      service: this.svc.name,
      key:
        p
          .slice(3)
          .filter((s) => typeof s === 'string')
          .join('.') || undefined,
    })
  }

  private warn(key: string, message: string, keyPath: Path = key.split('.'), origin?: Origin): void {
    this.ctx.project.diag.add('warning', message, {...this.pos(keyPath, origin), service: this.svc.name, key})
  }

  private info(key: string, message: string, keyPath: Path = key.split('.')): void {
    this.ctx.project.diag.add('info', message, {...this.pos(keyPath), service: this.svc.name, key})
  }

  private unitAt<T>(key: string, fn: () => T, keyPath?: Path, origin?: Origin): T {
    return unit(fn, (m) => this.fail(key, m, keyPath, origin))
  }

  private raw(key: string): unknown {
    return this.svc.raw[key]
  }

  private has(key: string): boolean {
    const v = this.svc.raw[key]
    return v !== undefined && v !== null
  }

  private string(key: string): string | undefined {
    const v = this.raw(key)
    if (v === undefined || v === null) return undefined
    const s = scalarString(v)
    if (s === undefined) this.fail(key, `${key} must be a string, not ${describe(v)}`)
    return s
  }

  private bool(key: string): boolean | undefined {
    const v = this.raw(key)
    if (v === undefined || v === null) return undefined
    return this.unitAt(key, () => parseBoolean(v, key))
  }

  private notOnFargate(key: string, what: string, keyPath?: Path, origin?: Origin): void {
    if (this.ctx.fargate) this.fail(key, `${what} is not supported on Fargate (launch type FARGATE)`, keyPath, origin)
  }

  // -- the translation ------------------------------------------------------------------------------------------

  translate(): ContainerDefinition {
    const {svc} = this
    if (!CONTAINER_NAME_RE.test(svc.name)) {
      this.fail(
        '',
        `invalid service name "${svc.name}": ECS container names allow up to 255 letters, digits, "-" and "_"`,
        [],
      )
    }
    this.image()
    this.def.essential = true
    this.resources()
    this.commands()
    const workingDirectory = this.string('working_dir')
    if (workingDirectory) this.def.workingDirectory = workingDirectory
    this.environment()
    this.secrets()
    this.ports()
    this.links()
    this.mounts()
    this.volumesFrom()
    this.dependsOn()
    this.healthcheck()
    this.linuxParameters()
    this.simpleStrings()
    this.labels()
    this.logging()
    this.ulimits()
    this.sysctls()
    this.booleans()
    this.stopTimeout()
    this.deploy()
    this.paramsExtras()
    return this.def
  }

  private image(): void {
    const image = this.string('image')
    const build = this.svc.keys.get('build')
    if (image === undefined || image === '') {
      if (build)
        this.fail(
          'build',
          'the service has build but no image: ECS cannot build images. Build and push the image to a registry, then set image: <repository>:<tag>',
          ['build'],
        )
      if (image === '') this.fail('image', 'image is empty (after variable substitution)')
      this.fail('image', 'the service has no image: every ECS container needs one', [])
    }
    if (build) this.warn('build', 'build is ignored: ECS runs the image given in image', ['build'])
    if (!IMAGE_RE.test(image)) {
      this.fail(
        'image',
        `invalid image ${JSON.stringify(image)}: ECS allows up to 255 letters, digits, "-", "_", ":", ".", "/", "#" and "@"`,
      )
    }
    this.def.image = image
  }

  private deployDict(...keys: string[]): Dict | undefined {
    let cur: unknown = this.raw('deploy')
    for (const k of keys) {
      if (cur === undefined || cur === null) return undefined
      if (!isDict(cur))
        this.fail(['deploy', ...keys.slice(0, keys.indexOf(k))].join('.'), `expected a mapping, not ${describe(cur)}`)
      cur = (cur as Dict)[k]
    }
    if (cur === undefined || cur === null) return undefined
    if (!isDict(cur)) this.fail(['deploy', ...keys].join('.'), `expected a mapping, not ${describe(cur)}`)
    return cur as Dict
  }

  private resources(): void {
    const limits = this.deployDict('resources', 'limits')
    const reservations = this.deployDict('resources', 'reservations')
    const resources = this.deployDict('resources')
    if (resources) {
      for (const k of Object.keys(resources))
        if (k !== 'limits' && k !== 'reservations')
          this.fail(`deploy.resources.${k}`, `unknown key; valid keys: limits, reservations`)
    }
    for (const [which, d] of [
      ['limits', limits],
      ['reservations', reservations],
    ] as const) {
      if (!d) continue
      for (const k of Object.keys(d)) {
        const key = `deploy.resources.${which}.${k}`
        if (k === 'pids' || k === 'generic_resources') this.warn(key, `${key} has no ECS equivalent and is ignored`)
        else if (k === 'devices' && which === 'reservations') continue
        else if (k !== 'cpus' && k !== 'memory')
          this.fail(key, `unknown key; valid keys: cpus, memory${which === 'reservations' ? ', devices' : ''}`)
      }
    }

    // CPU units: ecs-params cpu_shares > cpu_shares > deploy reservations.cpus > deploy limits.cpus / cpus
    const cpuShares = this.has('cpu_shares')
      ? this.unitAt('cpu_shares', () => parseInteger(this.raw('cpu_shares'), 'cpu_shares'))
      : undefined
    const cpus = this.has('cpus') ? this.unitAt('cpus', () => cpusToUnits(this.raw('cpus'))) : undefined
    const limitCpus =
      limits?.cpus !== undefined && limits.cpus !== null
        ? this.unitAt('deploy.resources.limits.cpus', () => cpusToUnits(limits.cpus))
        : undefined
    const resCpus =
      reservations?.cpus !== undefined && reservations.cpus !== null
        ? this.unitAt('deploy.resources.reservations.cpus', () => cpusToUnits(reservations.cpus))
        : undefined
    if (cpus !== undefined && limitCpus !== undefined && cpus !== limitCpus) {
      this.fail(
        'deploy.resources.limits.cpus',
        `cpus (${this.raw('cpus')}) and deploy.resources.limits.cpus (${limits?.cpus}) are set to different values; keep one`,
      )
    }
    let cpu = cpuShares ?? resCpus ?? limitCpus ?? cpus ?? 0
    if (this.sp?.cpuShares !== undefined && this.sp.cpuShares > 0) {
      if (cpu !== 0 && cpu !== this.sp.cpuShares)
        this.info('cpu_shares', `using the ecs-params cpu_shares ${this.sp.cpuShares} instead of ${cpu}`, [])
      cpu = this.sp.cpuShares
    }
    this.def.cpu = cpu

    // Memory (MiB): ecs-params > mem_limit = deploy limits.memory; reservation never copied into memory
    const memLimit = this.has('mem_limit')
      ? this.unitAt('mem_limit', () => parseSizeMiB(this.raw('mem_limit')))
      : undefined
    const limitMem =
      limits?.memory !== undefined && limits.memory !== null
        ? this.unitAt('deploy.resources.limits.memory', () => parseSizeMiB(limits.memory))
        : undefined
    if (memLimit !== undefined && limitMem !== undefined && memLimit !== limitMem) {
      this.fail(
        'deploy.resources.limits.memory',
        `mem_limit (${memLimit} MiB) and deploy.resources.limits.memory (${limitMem} MiB) are set to different values; keep one`,
      )
    }
    const memRes = this.has('mem_reservation')
      ? this.unitAt('mem_reservation', () => parseSizeMiB(this.raw('mem_reservation')))
      : undefined
    const resMem =
      reservations?.memory !== undefined && reservations.memory !== null
        ? this.unitAt('deploy.resources.reservations.memory', () => parseSizeMiB(reservations.memory))
        : undefined
    if (memRes !== undefined && resMem !== undefined && memRes !== resMem) {
      this.fail(
        'deploy.resources.reservations.memory',
        `mem_reservation (${memRes} MiB) and deploy.resources.reservations.memory (${resMem} MiB) are set to different values; keep one`,
      )
    }
    let memory = memLimit ?? limitMem
    let reservation = memRes ?? resMem
    if (this.sp?.memory !== undefined) {
      if (memory !== undefined && memory !== this.sp.memory)
        this.info('mem_limit', `using the ecs-params mem_limit ${this.sp.memory} MiB instead of ${memory} MiB`, [])
      memory = this.sp.memory
    }
    if (this.sp?.memoryReservation !== undefined) {
      if (reservation !== undefined && reservation !== this.sp.memoryReservation) {
        this.info(
          'mem_reservation',
          `using the ecs-params mem_reservation ${this.sp.memoryReservation} MiB instead of ${reservation} MiB`,
          [],
        )
      }
      reservation = this.sp.memoryReservation
    }
    if (memory === undefined && reservation === undefined && !this.ctx.taskMemory) {
      memory = 512
      this.info(
        'mem_limit',
        'no memory limit or reservation and no task memory: using memory 512 MiB (the ecs-cli default); set mem_limit, mem_reservation or ecs-params task_size.mem_limit',
        [],
      )
    }
    const memKey =
      this.sp?.memory !== undefined
        ? undefined
        : memLimit !== undefined
          ? 'mem_limit'
          : 'deploy.resources.limits.memory'
    if (memory !== undefined) {
      if (memory < 4)
        this.failMemory(memKey, 'mem_limit', `memory ${memory} MiB is below the 4 MiB minimum ECS accepts`)
      this.def.memory = memory
    }
    if (reservation !== undefined) {
      const resKey =
        this.sp?.memoryReservation !== undefined
          ? undefined
          : memRes !== undefined
            ? 'mem_reservation'
            : 'deploy.resources.reservations.memory'
      if (reservation < 4)
        this.failMemory(
          resKey,
          'mem_reservation',
          `memory reservation ${reservation} MiB is below the 4 MiB minimum ECS accepts`,
        )
      if (memory !== undefined && memory <= reservation) {
        this.failMemory(
          resKey,
          'mem_reservation',
          `mem_limit must be greater than mem_reservation: the memory limit is ${memory} MiB but the reservation is ${reservation} MiB`,
        )
      }
      this.def.memoryReservation = reservation
    }
  }

  private failMemory(composeKey: string | undefined, paramsKey: string, message: string): never {
    if (composeKey === undefined) this.failParams([...(this.sp?.at ?? []), paramsKey], message)
    return this.fail(composeKey as string, message)
  }

  private commands(): void {
    for (const [key, field] of [
      ['entrypoint', 'entryPoint'],
      ['command', 'command'],
    ] as const) {
      const v = this.raw(key)
      if (v === undefined || v === null) continue
      let words: string[]
      if (typeof v === 'string') words = this.unitAt(key, () => shellSplit(v))
      else if (Array.isArray(v)) {
        words = v.map((w, i) => {
          const s = scalarString(w)
          if (s === undefined) this.fail(key, `${key} list items must be strings, not ${describe(w)}`, [key, i])
          return s as string
        })
      } else this.fail(key, `${key} must be a string or a list of strings, not ${describe(v)}`)
      if (words.length > 0) this.def[field] = words
    }
  }

  private environment(): void {
    const {project} = this.ctx
    const env = new Map<string, string>()
    for (const ef of this.svc.envFiles) {
      const display = displayPath(ef.v.path, project.cwd)
      if (!existsSync(ef.v.path)) {
        if (ef.v.required)
          this.fail(
            'env_file',
            `env file ${display} not found (mark it required: false if it is optional)`,
            ['env_file'],
            ef.at,
          )
        continue
      }
      for (const e of parseDotenv(readText(ef.v.path, display, 'env file'), display, project.lookup))
        env.set(e.name, e.value)
    }
    for (const [name, {v, at}] of this.svc.environment) {
      if (v !== null) {
        env.set(name, v)
        continue
      }
      const fromShell = project.lookup(name)
      if (fromShell === undefined) {
        env.delete(name)
        this.warn(
          'environment',
          `environment variable ${name} has no value and is not set in the shell or .env; it is left out`,
          ['environment', name],
          at,
        )
      } else env.set(name, fromShell)
    }
    if (env.size > 0) {
      const out: KeyValuePair[] = []
      for (const [name, value] of env) out.push({name, value})
      this.def.environment = out
    }
  }

  private secrets(): void {
    const items = this.svc.lists.get('secrets') ?? []
    const out = new Map<string, Secret>()
    for (const item of items) {
      let source: string
      let target: string | undefined
      if (typeof item.v === 'string') source = item.v
      else if (isDict(item.v)) {
        for (const k of Object.keys(item.v)) {
          if (!SERVICE_SECRET_LONG_KEYS.includes(k))
            this.fail('secrets', `unknown key "${k}"; valid keys: ${SERVICE_SECRET_LONG_KEYS.join(', ')}`, [], item.at)
          if (k === 'uid' || k === 'gid' || k === 'mode')
            this.warn('secrets', `secrets.${k} is ignored: ECS passes secrets as environment variables`, [], item.at)
        }
        if (typeof item.v.source !== 'string')
          this.fail('secrets', 'a secret needs a source (the name of a top-level secret)', [], item.at)
        source = item.v.source as string
        target = scalarString(item.v.target)
      } else
        this.fail('secrets', `secrets items must be names or {source, target}, not ${describe(item.v)}`, [], item.at)
      const top = this.ctx.project.secrets.get(source)
      if (!top) this.fail('secrets', `secret "${source}" is not defined in the top-level secrets`, [], item.at)
      const valueFrom = this.secretValueFrom(source, top as Located<Dict>)
      const name = target ?? source
      if (!ENV_NAME_RE.test(name)) {
        this.fail(
          'secrets',
          `secret "${source}" would become the environment variable ${JSON.stringify(name)}, which is not a valid name; set target: to a name like DB_PASSWORD`,
          [],
          item.at,
        )
      }
      out.set(name, {name, valueFrom})
    }
    for (const s of this.sp?.secrets ?? []) out.set(s.v.name as string, s.v)
    if (out.size > 0) this.def.secrets = [...out.values()]
  }

  private secretValueFrom(name: string, top: Located<Dict>): string {
    const def = top.v
    const at = top.at
    const failTop = (m: string): never => {
      throw new ComposeError(m, {...at.src.locate(at.path), key: `secrets.${name}`})
    }
    for (const k of Object.keys(def))
      if (!TOP_SECRET_KEYS.includes(k) && !k.startsWith('x-'))
        failTop(`unknown key "${k}"; valid keys: ${TOP_SECRET_KEYS.join(', ')}, x-ecsx-value-from`)
    const explicit = def['x-ecsx-value-from']
    if (explicit !== undefined) {
      if (typeof explicit !== 'string' || explicit === '')
        failTop('x-ecsx-value-from must be a Secrets Manager ARN or an SSM parameter name/ARN')
      return explicit as string
    }
    const external = def.external === undefined ? false : unit(() => parseBoolean(def.external, 'external'), failTop)
    if (external) {
      const n = scalarString(def.name)
      return n && n !== '' ? n : name
    }
    const kind =
      def.file !== undefined
        ? 'file'
        : def.environment !== undefined
          ? 'environment'
          : def.content !== undefined
            ? 'content'
            : undefined
    return failTop(
      `secret "${name}" comes from ${kind ? `"${kind}"` : 'nowhere'}, which ECS cannot read: ECS takes secrets from Secrets Manager or SSM Parameter Store. ` +
        'Use external: true with name: <ARN or parameter name>, or add x-ecsx-value-from: <ARN> (keeping file: for local Docker)',
    )
  }

  private ports(): void {
    const items = this.svc.lists.get('ports') ?? []
    if (items.length === 0) return
    const mode = this.ctx.networkMode
    if (mode === 'none')
      this.fail(
        'ports',
        'ports cannot be published with network mode "none" (ecs-params ecs_network_mode)',
        ['ports'],
        items[0].at,
      )
    const out: PortMapping[] = []
    const seen = new Set<string>()
    const protocolOf = new Map<number, {protocol: string; at: Origin}>()
    for (const item of items) {
      const parsed = this.parsePort(item)
      for (const p of parsed) {
        if (p.hostIp !== undefined && p.hostIp !== '' && p.hostIp !== '0.0.0.0') {
          this.warn('ports', `host IP ${p.hostIp} is ignored: ECS binds published ports on all interfaces`, [], item.at)
        }
        let hostPort = p.hostPort
        if (mode === 'awsvpc' || mode === 'host') {
          if (hostPort === undefined || hostPort === 0) hostPort = p.containerPort
          else if (hostPort !== p.containerPort) {
            this.fail(
              'ports',
              `in ${mode} network mode the host port must equal the container port: ${describeItem(item.v)} maps ${hostPort} to ${p.containerPort}; write "${p.containerPort}"`,
              [],
              item.at,
            )
          }
        } else if (hostPort === undefined) hostPort = 0
        const prev = protocolOf.get(p.containerPort)
        if (prev && prev.protocol !== p.protocol) {
          this.fail(
            'ports',
            `container port ${p.containerPort} is published for both ${prev.protocol} and ${p.protocol}; ECS allows one protocol per container port`,
            [],
            item.at,
          )
        }
        protocolOf.set(p.containerPort, {protocol: p.protocol, at: item.at})
        const mapping: PortMapping = {containerPort: p.containerPort, hostPort, protocol: p.protocol}
        if (p.name) mapping.name = p.name
        if (p.appProtocol) mapping.appProtocol = p.appProtocol
        const id = `${mapping.containerPort}/${mapping.hostPort}/${mapping.protocol}`
        if (seen.has(id)) continue
        seen.add(id)
        const twice = out.find((m) => m.containerPort === mapping.containerPort && m.protocol === mapping.protocol)
        if (twice) {
          this.fail(
            'ports',
            `container port ${mapping.containerPort}/${mapping.protocol} is published twice (host ports ${twice.hostPort || 'dynamic'} and ${mapping.hostPort || 'dynamic'}); ECS maps each container port once`,
            [],
            item.at,
          )
        }
        out.push(mapping)
      }
    }
    this.def.portMappings = out
  }

  private parsePort(item: Located<unknown>): ParsedPort[] {
    const v = item.v
    if (!isDict(v)) return this.unitAt('ports', () => parsePortShort(v), [], item.at)
    for (const k of Object.keys(v))
      if (!PORT_LONG_KEYS.includes(k))
        this.fail('ports', `unknown key "${k}" in a port; valid keys: ${PORT_LONG_KEYS.join(', ')}`, [], item.at)
    if (v.target === undefined || v.target === null)
      this.fail('ports', 'a long-syntax port needs a target (the container port)', [], item.at)
    const protocol = v.protocol === undefined || v.protocol === null ? 'tcp' : String(v.protocol).toLowerCase()
    if (protocol !== 'tcp' && protocol !== 'udp')
      this.fail('ports', `invalid protocol ${describe(v.protocol)}: ECS supports tcp and udp`, [], item.at)
    const spec =
      v.published === undefined || v.published === null || v.published === ''
        ? `${v.target}`
        : `${v.published}:${v.target}`
    const parsed = this.unitAt('ports', () => parsePortShort(`${spec}/${protocol}`), [], item.at)
    const hostIp = scalarString(v.host_ip)
    let appProtocol: ParsedPort['appProtocol']
    if (v.app_protocol !== undefined && v.app_protocol !== null) {
      const ap = String(v.app_protocol).toLowerCase()
      if (ap !== 'http' && ap !== 'http2' && ap !== 'grpc')
        this.fail(
          'ports',
          `invalid app_protocol ${describe(v.app_protocol)}; ECS supports http, http2, grpc`,
          [],
          item.at,
        )
      appProtocol = ap as ParsedPort['appProtocol']
    }
    const name = scalarString(v.name)
    return parsed.map((p, i) => ({
      ...p,
      ...(hostIp ? {hostIp} : {}),
      ...(name ? {name: parsed.length > 1 ? `${name}-${i}` : name} : {}),
      ...(appProtocol ? {appProtocol} : {}),
    }))
  }

  private links(): void {
    const items = this.svc.lists.get('links') ?? []
    if (items.length === 0) return
    const mode = this.ctx.networkMode
    this.notOnFargate('links', 'links', [], items[0].at)
    if (mode !== 'bridge')
      this.fail(
        'links',
        `links only work in bridge network mode, not ${mode}: containers in one ${mode} task reach each other on localhost`,
        [],
        items[0].at,
      )
    const out: string[] = []
    for (const item of items) {
      const s = scalarString(item.v)
      if (!s)
        this.fail('links', `links items must be "service" or "service:alias", not ${describe(item.v)}`, [], item.at)
      const target = (s as string).split(':')[0]
      if (!this.ctx.project.services.some((x) => x.name === target))
        this.fail('links', `link to "${target}", which is not a service of this project`, [], item.at)
      out.push(s as string)
    }
    this.def.links = out
  }

  private tmpfs: Tmpfs[] = []

  private mounts(): void {
    const items = this.svc.lists.get('volumes') ?? []
    const out: MountPoint[] = []
    for (const item of items) {
      const m = this.parseMount(item)
      if (!m) continue
      out.push(m)
    }
    if (out.length > 0) this.def.mountPoints = out
  }

  private parseMount(item: Located<unknown>): MountPoint | undefined {
    const fail = (m: string): never => this.fail('volumes', m, [], item.at)
    let source: string | undefined
    let target: string
    let readOnly = false
    let type: string | undefined
    const v = item.v
    if (typeof v === 'string') {
      let parts: string[]
      const drive = /^[A-Za-z]:[\\/]/.test(v)
      if (drive) {
        const rest = v.slice(2).split(':')
        parts = [v.slice(0, 2) + rest[0], ...rest.slice(1)]
      } else parts = v.split(':')
      if (parts.length === 1) target = parts[0]
      else if (parts.length === 2 || parts.length === 3) {
        source = parts[0]
        target = parts[1]
        if (parts.length === 3) {
          for (const mode of parts[2].split(',')) {
            if (mode === 'ro') readOnly = true
            else if (mode === 'rw') readOnly = false
            else if (IGNORED_MOUNT_MODES.has(mode))
              this.warn('volumes', `mount option "${mode}" is ignored in ${JSON.stringify(v)}`, [], item.at)
            else fail(`invalid mount mode "${mode}" in ${JSON.stringify(v)}: expected ro or rw`)
          }
        }
      } else return fail(`invalid volume ${JSON.stringify(v)}: expected [SOURCE:]TARGET[:ro|rw]`)
      if (source === '') fail(`invalid volume ${JSON.stringify(v)}: the source is empty`)
    } else if (isDict(v)) {
      for (const k of Object.keys(v))
        if (!VOLUME_LONG_KEYS.includes(k))
          fail(`unknown key "${k}" in a volume; valid keys: ${VOLUME_LONG_KEYS.join(', ')}`)
      type = scalarString(v.type) ?? 'volume'
      if (typeof v.target !== 'string' || v.target === '')
        return fail('a long-syntax volume needs a target (the container path)')
      target = v.target
      source = v.source === undefined || v.source === null || v.source === '' ? undefined : String(v.source)
      if (v.read_only !== undefined)
        readOnly = this.unitAt('volumes', () => parseBoolean(v.read_only, 'read_only'), [], item.at)
      if (type === 'tmpfs') {
        const t = isDict(v.tmpfs) ? v.tmpfs : {}
        if (t.size === undefined) fail('a tmpfs mount needs tmpfs.size: ECS requires a size')
        this.notOnFargate('volumes', 'tmpfs mounts', [], item.at)
        const tm: Tmpfs = {containerPath: target, size: this.unitAt('volumes', () => parseSizeMiB(t.size), [], item.at)}
        if (readOnly) tm.mountOptions = ['ro']
        this.tmpfs.push(tm)
        return undefined
      }
      if (type !== 'volume' && type !== 'bind')
        fail(`unsupported mount type "${type}": ECS supports volume, bind and tmpfs`)
      if (type === 'bind' && source === undefined) fail('a bind mount needs a source (the host path)')
    } else return fail(`volumes items must be strings like "data:/var/lib/data" or mappings, not ${describe(v)}`)

    if (!target.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(target))
      fail(`the container path ${JSON.stringify(target)} must be absolute`)
    const vt = this.ctx.volumes
    let sourceVolume: string
    if (source === undefined) {
      sourceVolume = vt.generate()
    } else if (type === 'bind' || isHostPath(source)) {
      this.notOnFargate(
        'volumes',
        `host path ${JSON.stringify(source)} (Fargate has no host.sourcePath volumes; use a named volume)`,
        [],
        item.at,
      )
      const abs = this.hostPath(source, item.at)
      sourceVolume = vt.generate(abs)
    } else {
      if (!NAMED_VOLUME_RE.test(source)) fail(`invalid volume name ${JSON.stringify(source)}`)
      if (!vt.has(source))
        fail(
          `named volume "${source}" is used but not declared in the top-level volumes (or ecs-params docker_volumes/efs_volumes)`,
        )
      sourceVolume = source
    }
    return {sourceVolume, containerPath: target, readOnly}
  }

  private hostPath(source: string, at: Origin): string {
    if (source.startsWith('~')) {
      const home = this.ctx.project.env.HOME
      if (!home) this.fail('volumes', `cannot expand "~" in ${JSON.stringify(source)}: HOME is not set`, [], at)
      return path.join(home as string, source.slice(1))
    }
    if (source.startsWith('/') || /^[A-Za-z]:[\\/]/.test(source)) return source
    const abs = path.resolve(path.dirname(at.src.absPath), source)
    this.warn(
      'volumes',
      `relative host path ${JSON.stringify(source)} resolved to ${abs}; it must exist on the container instance`,
      [],
      at,
    )
    return abs
  }

  private volumesFrom(): void {
    const items = this.svc.lists.get('volumes_from') ?? []
    if (items.length === 0) return
    const out: VolumeFrom[] = []
    for (const item of items) {
      const s = scalarString(item.v)
      const fail = (): never =>
        this.fail(
          'volumes_from',
          `invalid volumes_from ${describe(item.v)}: expected format [container:]SERVICE[:ro|rw]`,
          [],
          item.at,
        )
      if (!s) return fail()
      const parts = (s as string).split(':')
      if (parts[0] === 'container') parts.shift()
      if (parts.length < 1 || parts.length > 2 || parts[0] === '') fail()
      const mode = parts[1]
      if (mode !== undefined && mode !== 'ro' && mode !== 'rw') fail()
      const sourceContainer = parts[0]
      if (sourceContainer === this.svc.name)
        this.fail('volumes_from', 'a service cannot take volumes from itself', [], item.at)
      if (!this.ctx.project.services.some((x) => x.name === sourceContainer)) {
        this.fail(
          'volumes_from',
          `"${sourceContainer}" is not a service of this project: ECS volumesFrom must name another container in the task`,
          [],
          item.at,
        )
      }
      out.push({sourceContainer, readOnly: mode === 'ro'})
    }
    this.def.volumesFrom = out
  }

  private dependsOn(): void {
    const out: ContainerDependency[] = []
    if (this.sp?.dependsOn) {
      for (const d of this.sp.dependsOn) {
        out.push(d.v)
        this.dependsOnAt.set(d.v.containerName as string, {paramsPath: d.at})
      }
    } else {
      for (const [name, {v, at}] of this.svc.dependsOn) {
        out.push({containerName: name, condition: v.condition as ContainerDependency['condition']})
        this.dependsOnAt.set(name, {origin: at})
      }
    }
    if (out.length > 0) this.def.dependsOn = out
  }

  private healthcheck(): void {
    const raw = this.raw('healthcheck')
    const p = this.sp?.healthcheck
    let command: string[] | undefined
    let disabled = false
    const hc: Dict = {}
    if (raw !== undefined && raw !== null) {
      if (!isDict(raw)) this.fail('healthcheck', `healthcheck must be a mapping, not ${describe(raw)}`)
      Object.assign(hc, raw)
      for (const k of Object.keys(hc))
        if (!HEALTHCHECK_KEYS.includes(k))
          this.fail(`healthcheck.${k}`, `unknown key; valid keys: ${HEALTHCHECK_KEYS.join(', ')}`)
      if (hc.disable !== undefined && this.unitAt('healthcheck.disable', () => parseBoolean(hc.disable, 'disable')))
        disabled = true
      if (hc.test !== undefined && hc.test !== null) {
        command = this.unitAt('healthcheck.test', () => healthcheckCommand(hc.test))
        if (command[0] === 'NONE') {
          disabled = true
          command = undefined
        }
      }
      if (hc.start_interval !== undefined)
        this.warn('healthcheck.start_interval', 'healthcheck.start_interval has no ECS equivalent and is ignored')
    }
    if (disabled && !p) return
    if (raw === undefined && !p) return
    type Field = {ms?: number; n?: number; key: string; fromParams: boolean}
    const field = (composeKey: string, paramsVal: number | undefined, isCount = false): Field | undefined => {
      if (paramsVal !== undefined)
        return isCount
          ? {n: paramsVal, key: composeKey, fromParams: true}
          : {ms: paramsVal, key: composeKey, fromParams: true}
      const v = hc[composeKey]
      if (v === undefined || v === null || disabled) return undefined
      const key = `healthcheck.${composeKey}`
      return isCount
        ? {n: this.unitAt(key, () => parseInteger(v, 'retries')), key: composeKey, fromParams: false}
        : {ms: this.unitAt(key, () => parseDurationMs(v)), key: composeKey, fromParams: false}
    }
    if (p?.command) command = p.command[0] === 'NONE' ? undefined : p.command
    if (!command) {
      if (p)
        this.failParams(
          p.at,
          `test/command is a required field for container healthcheck (neither the Compose file nor ecs-params gives one)`,
        )
      this.fail(
        'healthcheck',
        "healthcheck needs a test: ECS cannot reuse the image's HEALTHCHECK, so write the command (or disable: true)",
      )
    }
    const out: HealthCheck = {command}
    const check = (
      f: Field | undefined,
      ecsField: 'interval' | 'timeout' | 'startPeriod' | 'retries',
      min: number,
      max: number,
    ): void => {
      if (!f) return
      const failF = (m: string): never =>
        f.fromParams
          ? this.failParams([...(p as NonNullable<typeof p>).at, f.key], m)
          : this.fail(`healthcheck.${f.key}`, m)
      let value: number
      if (f.n !== undefined) value = f.n
      else {
        const {seconds, truncated} = durationToSeconds(f.ms as number)
        if (truncated) {
          if (f.fromParams)
            this.ctx.project.diag.add(
              'warning',
              `healthcheck.${f.key} ${formatDuration(f.ms as number)} rounded down to ${seconds}s (ECS counts whole seconds)`,
              {service: this.svc.name, key: `healthcheck.${f.key}`},
            )
          else
            this.warn(
              `healthcheck.${f.key}`,
              `${formatDuration(f.ms as number)} rounded down to ${seconds}s (ECS counts whole seconds)`,
            )
        }
        value = seconds
      }
      const unitName = ecsField === 'retries' ? '' : ' seconds'
      if (value < min || value > max)
        failF(`${ecsField} must be between ${min} and ${max}${unitName} for ECS, got ${value}`)
      out[ecsField] = value
    }
    check(field('interval', p?.interval), 'interval', 5, 300)
    check(field('timeout', p?.timeout), 'timeout', 2, 60)
    check(field('retries', p?.retries, true), 'retries', 1, 10)
    check(field('start_period', p?.startPeriod), 'startPeriod', 0, 300)
    this.def.healthCheck = out
    this.hasHealthcheck = true
  }

  private linuxParameters(): void {
    const lp: LinuxParameters = {}
    const add = this.capabilities('cap_add')
    const drop = this.capabilities('cap_drop')
    if (add || drop) {
      lp.capabilities = {}
      if (add) {
        this.notOnFargate('cap_add', 'cap_add')
        lp.capabilities.add = add
      }
      if (drop) lp.capabilities.drop = drop
    }
    const devices = this.devices()
    if (devices) lp.devices = devices
    let init = this.bool('init')
    if (this.sp?.initProcessEnabled !== undefined) init = this.sp.initProcessEnabled
    if (init !== undefined) lp.initProcessEnabled = init
    if (this.has('shm_size')) {
      this.notOnFargate('shm_size', 'shm_size')
      lp.sharedMemorySize = this.unitAt('shm_size', () => parseSizeMiB(this.raw('shm_size')))
    }
    const tmpfs = this.composeTmpfs().concat(this.tmpfs)
    if (tmpfs.length > 0) lp.tmpfs = tmpfs
    if (Object.keys(lp).length > 0) this.def.linuxParameters = lp
  }

  private capabilities(key: 'cap_add' | 'cap_drop'): string[] | undefined {
    const items = this.svc.lists.get(key) ?? []
    if (items.length === 0) return undefined
    return items.map((item) => {
      const s = scalarString(item.v)
      const cap = (s ?? '').toUpperCase().replace(/^CAP_/, '')
      if (!CAPABILITIES.includes(cap))
        this.fail(key, `unknown capability ${describe(item.v)}; valid: ${CAPABILITIES.join(', ')}`, [], item.at)
      return cap
    })
  }

  private devices(): Device[] | undefined {
    const items = this.svc.lists.get('devices') ?? []
    if (items.length === 0) return undefined
    this.notOnFargate('devices', 'devices', [], items[0].at)
    const letters: Record<string, 'read' | 'write' | 'mknod'> = {r: 'read', w: 'write', m: 'mknod'}
    return items.map((item) => {
      const fail = (m: string): never => this.fail('devices', m, [], item.at)
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
        if (!/^[rwm]+$/.test(perms))
          fail(`invalid device permissions ${JSON.stringify(perms)}: use the letters r, w, m`)
        d.permissions = (['r', 'w', 'm'] as const).filter((l) => perms?.includes(l)).map((l) => letters[l])
      }
      return d
    })
  }

  private composeTmpfs(): Tmpfs[] {
    const items = this.svc.lists.get('tmpfs') ?? []
    if (items.length === 0) return []
    this.notOnFargate('tmpfs', 'tmpfs', [], items[0].at)
    return items.map((item) => {
      const fail = (m: string): never => this.fail('tmpfs', m, [], item.at)
      const s = scalarString(item.v)
      if (!s) return fail(`tmpfs items must be "PATH:size=64m[,options]", not ${describe(item.v)}`)
      const colon = s.indexOf(':')
      if (colon < 0)
        return fail(`Path and Size are required options for tmpfs: write ${JSON.stringify(`${s}:size=64m`)}`)
      const containerPath = s.slice(0, colon)
      let size: number | undefined
      const mountOptions: string[] = []
      for (const opt of s.slice(colon + 1).split(',')) {
        if (opt.startsWith('size=')) size = this.unitAt('tmpfs', () => parseSizeMiB(opt.slice(5)), [], item.at)
        else if (opt !== '') mountOptions.push(opt)
      }
      if (size === undefined)
        return fail(`You must specify the size option for tmpfs: ${JSON.stringify(s)} has no size=`)
      const t: Tmpfs = {containerPath, size}
      if (mountOptions.length > 0) t.mountOptions = mountOptions
      return t
    })
  }

  private simpleStrings(): void {
    const hostname = this.string('hostname')
    if (hostname) {
      if (this.ctx.networkMode === 'awsvpc') this.fail('hostname', 'hostname is not supported in awsvpc network mode')
      this.def.hostname = hostname
    }
    const user = this.string('user')
    if (user) this.def.user = user
    for (const [key, field, fargate] of [
      ['dns', 'dnsServers', true],
      ['dns_search', 'dnsSearchDomains', true],
      ['security_opt', 'dockerSecurityOptions', true],
    ] as const) {
      const items = this.svc.lists.get(key) ?? []
      if (items.length === 0) continue
      if (fargate) this.notOnFargate(key, key, [], items[0].at)
      this.def[field] = items.map((item) => {
        const s = scalarString(item.v)
        if (s === undefined || s === '')
          this.fail(key, `${key} items must be strings, not ${describe(item.v)}`, [], item.at)
        if (key === 'dns_search' && !/^[a-zA-Z0-9-.]{0,253}[a-zA-Z0-9]$/.test(s as string))
          this.fail(key, `invalid DNS search domain ${JSON.stringify(s)}`, [], item.at)
        return s as string
      })
    }
    if (this.svc.extraHosts.length > 0) {
      this.notOnFargate('extra_hosts', 'extra_hosts', [], this.svc.extraHosts[0].at)
      if (this.ctx.networkMode === 'awsvpc')
        this.fail('extra_hosts', 'extra_hosts is not supported in awsvpc network mode', [], this.svc.extraHosts[0].at)
      this.def.extraHosts = this.svc.extraHosts.map((h) => ({hostname: h.v.host, ipAddress: h.v.ip}))
    }
  }

  private labels(): void {
    const labels: Record<string, string> = {}
    for (const [k, {v}] of this.svc.labels) labels[k] = v
    const x = this.raw('x-ecsx')
    if (x !== undefined && x !== null) {
      if (!isDict(x)) this.fail('x-ecsx', `x-ecsx must be a mapping with ${XECSX_KEYS.join(', ')}`)
      for (const k of Object.keys(x))
        if (!XECSX_KEYS.includes(k)) this.fail(`x-ecsx.${k}`, `unknown key; valid keys: ${XECSX_KEYS.join(', ')}`)
      const dur = (k: string): string => formatDuration(this.unitAt(`x-ecsx.${k}`, () => parseDurationMs(x[k])))
      if (x.start_delay !== undefined) labels['ecsx.simulate.start-delay'] = dur('start_delay')
      if (x.exit_after !== undefined) labels['ecsx.simulate.exit-after'] = dur('exit_after')
      if (x.exit_code !== undefined)
        labels['ecsx.simulate.exit-code'] = String(
          this.unitAt('x-ecsx.exit_code', () => parseInteger(x.exit_code, 'exit_code', 0, 255)),
        )
      if (x.health !== undefined) {
        const h = scalarString(x.health) ?? ''
        if (h === 'healthy' || h === 'unhealthy') labels['ecsx.simulate.health'] = h
        else if (h.startsWith('unhealthy-after:')) {
          labels['ecsx.simulate.health'] =
            `unhealthy-after:${formatDuration(this.unitAt('x-ecsx.health', () => parseDurationMs(h.slice('unhealthy-after:'.length))))}`
        } else
          this.fail(
            'x-ecsx.health',
            `invalid health ${describe(x.health)}; valid: healthy, unhealthy, unhealthy-after:<duration> (e.g. unhealthy-after:30s)`,
          )
      }
      if (x.fail_to_start !== undefined) {
        const reason = scalarString(x.fail_to_start)
        if (!reason)
          this.fail(
            'x-ecsx.fail_to_start',
            'fail_to_start needs the failure text, e.g. "CannotPullContainerError: pull access denied"',
          )
        labels['ecsx.simulate.fail-to-start'] = reason as string
      }
    }
    if (Object.keys(labels).length > 0) this.def.dockerLabels = labels
  }

  private logging(): void {
    const raw = this.raw('logging')
    let driver: string | undefined
    let options: Record<string, string> | undefined
    let key = 'logging'
    if (raw !== undefined && raw !== null) {
      if (!isDict(raw)) this.fail('logging', `logging must be a mapping {driver, options}, not ${describe(raw)}`)
      for (const k of Object.keys(raw))
        if (k !== 'driver' && k !== 'options') this.fail(`logging.${k}`, 'unknown key; valid keys: driver, options')
      driver = scalarString(raw.driver)
      if (raw.options !== undefined && raw.options !== null)
        options = stringMap(raw.options, (m) => this.fail('logging.options', m))
    }
    if (driver === undefined && this.has('log_driver')) {
      driver = this.string('log_driver')
      key = 'log_driver'
    }
    if (options === undefined && this.has('log_opt'))
      options = stringMap(this.raw('log_opt'), (m) => this.fail('log_opt', m))
    if (driver === undefined && options === undefined) {
      if (this.sp?.secretOptions)
        this.failParams(
          [...this.sp.at, 'logging'],
          'logging.secret_options needs a log driver: set logging.driver in the Compose file',
        )
      return
    }
    const driverKey = key === 'logging' ? 'logging.driver' : 'log_driver'
    if (driver === undefined) this.fail('logging', `logging needs a driver; valid: ${LOG_DRIVERS.join(', ')}`)
    if (!LOG_DRIVERS.includes(driver as string))
      this.fail(driverKey, `unsupported log driver ${JSON.stringify(driver)}; ECS supports ${LOG_DRIVERS.join(', ')}`)
    if (this.ctx.fargate) {
      if (!FARGATE_LOG_DRIVERS.includes(driver as string))
        this.fail(
          driverKey,
          `log driver ${JSON.stringify(driver)} is not supported on Fargate; use ${FARGATE_LOG_DRIVERS.join(', ')}`,
        )
      if (driver === 'awslogs' && !options?.['awslogs-stream-prefix'])
        this.fail('logging.options', 'Fargate needs the awslogs-stream-prefix option for the awslogs driver')
    }
    const lc: LogConfiguration = {logDriver: driver as LogConfiguration['logDriver']}
    if (options && Object.keys(options).length > 0) lc.options = options
    if (this.sp?.secretOptions) lc.secretOptions = this.sp.secretOptions
    this.def.logConfiguration = lc
  }

  private ulimits(): void {
    const raw = this.raw('ulimits')
    if (raw === undefined || raw === null) return
    if (!isDict(raw))
      this.fail('ulimits', `ulimits must be a mapping of name to a number or {soft, hard}, not ${describe(raw)}`)
    const out: Ulimit[] = []
    for (const [name, v] of Object.entries(raw as Dict)) {
      const key = `ulimits.${name}`
      if (!ULIMIT_NAMES.includes(name)) this.fail(key, `unknown ulimit "${name}"; valid: ${ULIMIT_NAMES.join(', ')}`)
      let soft: number
      let hard: number
      if (isDict(v)) {
        for (const k of Object.keys(v))
          if (k !== 'soft' && k !== 'hard') this.fail(key, `unknown key "${k}"; valid keys: soft, hard`)
        if (v.soft === undefined || v.hard === undefined) this.fail(key, 'a ulimit mapping needs both soft and hard')
        soft = this.unitAt(key, () => parseInteger(v.soft, 'soft limit', -1))
        hard = this.unitAt(key, () => parseInteger(v.hard, 'hard limit', -1))
        if (hard !== -1 && (soft === -1 || soft > hard))
          this.fail(key, `the soft limit ${soft} is above the hard limit ${hard}`)
      } else {
        soft = hard = this.unitAt(key, () => parseInteger(v, 'ulimit', -1))
      }
      out.push({name: name as Ulimit['name'], softLimit: soft, hardLimit: hard})
    }
    if (out.length > 0) this.def.ulimits = out
  }

  private sysctls(): void {
    if (this.svc.sysctls.size === 0) return
    const first = this.svc.sysctls.values().next().value as Located<string>
    this.notOnFargate('sysctls', 'sysctls (systemControls)', [], first.at)
    const out: SystemControl[] = []
    for (const [namespace, {v, at}] of this.svc.sysctls) {
      if (this.ctx.networkMode === 'host' && namespace.startsWith('net.')) {
        this.fail('sysctls', `network sysctl ${namespace} is not supported in host network mode`, [], at)
      }
      if (
        this.ctx.params?.ipcMode?.v === 'host' &&
        (namespace.startsWith('kernel.') || namespace.startsWith('fs.mqueue.'))
      ) {
        this.fail('sysctls', `IPC sysctl ${namespace} is not supported with ipc_mode host`, [], at)
      }
      out.push({namespace, value: v})
    }
    this.def.systemControls = out
  }

  private booleans(): void {
    const privileged = this.bool('privileged')
    if (privileged !== undefined) {
      if (privileged) this.notOnFargate('privileged', 'privileged')
      this.def.privileged = privileged
    }
    const ro = this.bool('read_only')
    if (ro !== undefined) this.def.readonlyRootFilesystem = ro
    const tty = this.bool('tty')
    if (tty !== undefined) this.def.pseudoTerminal = tty
    const stdin = this.bool('stdin_open')
    if (stdin !== undefined) this.def.interactive = stdin
  }

  private stopTimeout(): void {
    if (!this.has('stop_grace_period')) return
    const ms = this.unitAt('stop_grace_period', () => parseDurationMs(this.raw('stop_grace_period')))
    const {seconds, truncated} = durationToSeconds(ms)
    if (truncated)
      this.warn('stop_grace_period', `${formatDuration(ms)} rounded down to ${seconds}s (ECS counts whole seconds)`)
    if (this.ctx.fargate && seconds > 120)
      this.fail('stop_grace_period', `Fargate allows at most 120 seconds, got ${seconds}`)
    this.def.stopTimeout = seconds
  }

  private deploy(): void {
    if (this.has('scale')) this.desiredCount = this.unitAt('scale', () => parseInteger(this.raw('scale'), 'scale'))
    const deploy = this.raw('deploy')
    if (deploy === undefined || deploy === null) return
    if (!isDict(deploy)) this.fail('deploy', `deploy must be a mapping, not ${describe(deploy)}`)
    for (const k of Object.keys(deploy)) {
      const key = `deploy.${k}`
      if (!DEPLOY_KEYS.has(k)) this.fail(key, `unknown key; valid keys: ${[...DEPLOY_KEYS].join(', ')}`)
      if (k === 'replicas') {
        const replicas = this.unitAt(key, () => parseInteger(deploy.replicas, 'replicas'))
        if (this.desiredCount !== undefined && this.desiredCount !== replicas)
          this.fail(
            key,
            `scale (${this.desiredCount}) and deploy.replicas (${replicas}) are set to different values; keep one`,
          )
        this.desiredCount = replicas
      } else if (k === 'mode') {
        const mode = scalarString(deploy.mode)
        if (mode !== 'replicated')
          this.warn(
            key,
            `deploy.mode ${describe(deploy.mode)} is ignored: ecsx runs replicated tasks (a DAEMON service is not created from Compose)`,
          )
      } else if (k !== 'resources') {
        this.warn(key, `${key} has no ECS task-definition equivalent and is ignored`)
      }
    }
    const devices = (this.deployDict('resources', 'reservations') ?? {}).devices
    if (devices !== undefined && devices !== null) {
      const key = 'deploy.resources.reservations.devices'
      if (!Array.isArray(devices)) this.fail(key, 'devices must be a list')
      let gpus = 0
      for (const d of devices as unknown[]) {
        if (!isDict(d)) this.fail(key, 'device reservations must be mappings {capabilities, count}')
        const caps = Array.isArray(d.capabilities) ? d.capabilities.map(String) : []
        if (!caps.includes('gpu')) {
          this.warn(key, `device reservations without the gpu capability are ignored`)
          continue
        }
        if (d.count === 'all') this.fail(key, 'count: all is not supported: ECS needs a number of GPUs')
        if (d.count !== undefined) gpus += this.unitAt(key, () => parseInteger(d.count, 'count', 1))
        else if (Array.isArray(d.device_ids)) gpus += d.device_ids.length
        else gpus += 1
      }
      if (gpus > 0) {
        this.notOnFargate(key, 'GPUs')
        this.def.resourceRequirements = [{type: 'GPU', value: String(gpus)}]
      }
    }
  }

  private paramsExtras(): void {
    const sp = this.sp
    if (!sp) return
    if (sp.essential) this.def.essential = sp.essential.v
    if (sp.credentialsParameter) this.def.repositoryCredentials = {credentialsParameter: sp.credentialsParameter}
    if (sp.firelens) this.def.firelensConfiguration = sp.firelens
    if (sp.gpu) {
      if (this.ctx.fargate) this.failParams([...sp.at, 'gpu'], 'GPUs are not supported on Fargate')
      this.def.resourceRequirements = [{type: 'GPU', value: sp.gpu}]
    }
  }
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

function describeItem(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' ? String(v) : 'the port'
}
