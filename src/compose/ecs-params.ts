/**
 * ecs-params.yml (schema version 1): ECS settings that Compose cannot express. Interpolated like Compose
 * (`$VAR`, `${VAR}`, `${VAR:-default}`, …) with an error for unset variables that have no default. Every unknown
 * key is an error naming the file, line and the valid keys (ecs-cli silently ignored typos, issue #982).
 */
import {existsSync} from 'node:fs'
import * as path from 'node:path'

import type {
  ContainerDependency,
  FirelensConfiguration,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  Secret,
  TaskDefinitionPlacementConstraint,
  Volume,
} from '@aws-sdk/client-ecs'

import {ComposeError} from './errors.js'
import {InterpolationError, interpolateTree, type Lookup} from './interpolate.js'
import {SourceFile, displayPath, parseYaml, readText, type Path} from './source.js'
import type {ServiceDiscoveryParams} from './types.js'
import {
  UnitError,
  describe,
  parseBoolean,
  parseDurationMs,
  parseInteger,
  parseSizeMiB,
  normalizeTaskCpu,
  normalizeTaskMemory,
} from './units.js'

type Dict = Record<string, unknown>

export interface HealthcheckParams {
  command?: string[]
  interval?: number
  timeout?: number
  retries?: number
  startPeriod?: number
  /** key → path, for messages */
  at: Path
}

export interface ServiceParams {
  at: Path
  essential?: {v: boolean; at: Path}
  cpuShares?: number
  memory?: number
  memoryReservation?: number
  initProcessEnabled?: boolean
  credentialsParameter?: string
  healthcheck?: HealthcheckParams
  secretOptions?: Secret[]
  secrets?: {v: Secret; at: Path}[]
  firelens?: FirelensConfiguration
  gpu?: string
  dependsOn?: {v: ContainerDependency; at: Path}[]
}

export interface EcsParams {
  source: SourceFile
  networkMode?: {v: string; at: Path}
  taskRoleArn?: string
  executionRoleArn?: string
  pidMode?: {v: string; at: Path}
  ipcMode?: {v: string; at: Path}
  cpu?: {v: string; at: Path}
  memory?: {v: string; at: Path}
  placementConstraints?: {v: TaskDefinitionPlacementConstraint[]; at: Path}
  volumes: {v: Volume; at: Path}[]
  services: Map<string, ServiceParams>
  run: {
    networkConfiguration?: {v: NetworkConfiguration; at: Path; assignPublicIpAt?: Path}
    placementConstraints?: {v: PlacementConstraint[]; at: Path}
    placementStrategy?: {v: PlacementStrategy[]; at: Path}
    serviceDiscovery?: ServiceDiscoveryParams
  }
}

const KEYS = {
  root: ['version', 'task_definition', 'run_params'],
  task: [
    'ecs_network_mode',
    'task_role_arn',
    'task_execution_role',
    'pid_mode',
    'ipc_mode',
    'task_size',
    'placement_constraints',
    'services',
    'docker_volumes',
    'efs_volumes',
  ],
  taskSize: ['cpu_limit', 'mem_limit'],
  service: [
    'essential',
    'cpu_shares',
    'mem_limit',
    'mem_reservation',
    'init_process_enabled',
    'repository_credentials',
    'healthcheck',
    'logging',
    'secrets',
    'firelens_configuration',
    'gpu',
    'depends_on',
  ],
  repoCreds: ['credentials_parameter'],
  healthcheck: ['test', 'command', 'interval', 'timeout', 'retries', 'start_period'],
  logging: ['secret_options'],
  secret: ['name', 'value_from'],
  firelens: ['type', 'options'],
  dependsOn: ['container_name', 'condition'],
  constraint: ['type', 'expression'],
  strategy: ['type', 'field'],
  dockerVolume: ['name', 'scope', 'autoprovision', 'driver', 'driver_opts', 'labels'],
  efsVolume: [
    'name',
    'filesystem_id',
    'root_directory',
    'transit_encryption',
    'transit_encryption_port',
    'access_point',
    'iam',
  ],
  run: ['network_configuration', 'task_placement', 'service_discovery'],
  network: ['awsvpc_configuration'],
  awsvpc: ['subnets', 'security_groups', 'assign_public_ip'],
  placement: ['strategy', 'constraints'],
  sd: [
    'container_name',
    'container_port',
    'private_dns_namespace',
    'public_dns_namespace',
    'service_discovery_service',
  ],
  privateNs: ['id', 'name', 'vpc', 'description'],
  publicNs: ['id', 'name'],
  sdService: ['name', 'description', 'dns_config', 'healthcheck_custom_config'],
  dnsConfig: ['type', 'ttl'],
  customHc: ['failure_threshold'],
}

/** Find and read the ecs-params file: the given path, else ./ecs-params.yml in cwd when present. */
export function loadEcsParams(file: string | undefined, cwd: string, lookup: Lookup): EcsParams | undefined {
  let abs: string
  if (file !== undefined) {
    abs = path.resolve(cwd, file)
  } else {
    abs = path.join(cwd, 'ecs-params.yml')
    if (!existsSync(abs)) return undefined
  }
  const display = displayPath(abs, cwd)
  const text = readText(abs, display, 'ECS params file')
  const {source, value} = parseYaml(text, abs, display)
  return parseEcsParams(source, value, lookup)
}

export function parseEcsParams(source: SourceFile, value: unknown, lookup: Lookup): EcsParams {
  const r = new Reader(source)
  const root = interpolateTree(
    value,
    lookup,
    (name, p) => r.fail(p, `variable ${name} is not set; set it or give a default with \${${name}:-default}`),
    (error: InterpolationError, p) => r.fail(p, error.message),
  )
  const top = r.dict(root, [], KEYS.root, 'the ECS params file')
  const params: EcsParams = {source, volumes: [], services: new Map(), run: {}}
  if (top.version !== undefined && String(top.version) !== '1')
    r.fail(['version'], `unsupported ECS params version ${describe(top.version)}; the only version is 1`)

  const td = r.dict(top.task_definition, ['task_definition'], KEYS.task)
  const p = (k: string): Path => ['task_definition', k]
  const enumOf = (k: string, allowed: string[]): {v: string; at: Path} | undefined => {
    const v = r.str(td[k], p(k))
    if (v === undefined || v === '') return undefined
    if (!allowed.includes(v)) r.fail(p(k), `invalid value ${JSON.stringify(v)}; valid: ${allowed.join(', ')}`)
    return {v, at: p(k)}
  }
  params.networkMode = enumOf('ecs_network_mode', ['bridge', 'host', 'awsvpc', 'none'])
  params.pidMode = enumOf('pid_mode', ['host', 'task'])
  params.ipcMode = enumOf('ipc_mode', ['host', 'task', 'none'])
  params.taskRoleArn = r.str(td.task_role_arn, p('task_role_arn')) || undefined
  params.executionRoleArn = r.str(td.task_execution_role, p('task_execution_role')) || undefined

  const size = r.dict(td.task_size, p('task_size'), KEYS.taskSize)
  const sp = (k: string): Path => ['task_definition', 'task_size', k]
  if (size.cpu_limit !== undefined && size.cpu_limit !== null && size.cpu_limit !== '')
    params.cpu = {v: r.unit(() => normalizeTaskCpu(size.cpu_limit), sp('cpu_limit')), at: sp('cpu_limit')}
  if (size.mem_limit !== undefined && size.mem_limit !== null && size.mem_limit !== '')
    params.memory = {v: r.unit(() => normalizeTaskMemory(size.mem_limit), sp('mem_limit')), at: sp('mem_limit')}

  if (td.placement_constraints !== undefined && td.placement_constraints !== null) {
    const list = r.list(td.placement_constraints, p('placement_constraints')).map((item, i) => {
      const ip = [...p('placement_constraints'), i]
      const c = r.dict(item, ip, KEYS.constraint)
      const type = r.str(c.type, [...ip, 'type'])
      if (type !== 'memberOf')
        r.fail(
          [...ip, 'type'],
          `invalid placement constraint type ${describe(c.type)}: a task definition only allows memberOf`,
        )
      const expression = r.str(c.expression, [...ip, 'expression'])
      if (!expression) r.fail(ip, 'memberOf constraints need an expression')
      return {type: 'memberOf', expression} as TaskDefinitionPlacementConstraint
    })
    params.placementConstraints = {v: list, at: p('placement_constraints')}
  }

  parseVolumes(r, td, params)

  const services = r.dict(td.services, p('services'), undefined)
  for (const [name, def] of Object.entries(services)) params.services.set(name, parseService(r, name, def))

  const run = r.dict(top.run_params, ['run_params'], KEYS.run)
  parseRunParams(r, run, params)
  return params
}

function parseService(r: Reader, name: string, def: unknown): ServiceParams {
  const base: Path = ['task_definition', 'services', name]
  const p = (...k: (string | number)[]): Path => [...base, ...k]
  const s = r.dict(def, base, KEYS.service)
  const out: ServiceParams = {at: base}
  if (s.essential !== undefined && s.essential !== null)
    out.essential = {v: r.unit(() => parseBoolean(s.essential, 'essential'), p('essential')), at: p('essential')}
  if (s.cpu_shares !== undefined && s.cpu_shares !== null)
    out.cpuShares = r.unit(() => parseInteger(s.cpu_shares, 'cpu_shares'), p('cpu_shares'))
  if (s.mem_limit !== undefined && s.mem_limit !== null)
    out.memory = r.unit(() => parseSizeMiB(s.mem_limit), p('mem_limit'))
  if (s.mem_reservation !== undefined && s.mem_reservation !== null)
    out.memoryReservation = r.unit(() => parseSizeMiB(s.mem_reservation), p('mem_reservation'))
  if (s.init_process_enabled !== undefined && s.init_process_enabled !== null)
    out.initProcessEnabled = r.unit(
      () => parseBoolean(s.init_process_enabled, 'init_process_enabled'),
      p('init_process_enabled'),
    )
  if (s.repository_credentials !== undefined) {
    const rc = r.dict(s.repository_credentials, p('repository_credentials'), KEYS.repoCreds)
    out.credentialsParameter =
      r.str(rc.credentials_parameter, p('repository_credentials', 'credentials_parameter')) || undefined
  }
  if (s.healthcheck !== undefined && s.healthcheck !== null)
    out.healthcheck = parseHealthcheck(r, s.healthcheck, p('healthcheck'))
  if (s.logging !== undefined && s.logging !== null) {
    const l = r.dict(s.logging, p('logging'), KEYS.logging)
    if (l.secret_options !== undefined && l.secret_options !== null)
      out.secretOptions = parseSecrets(r, l.secret_options, p('logging', 'secret_options')).map((x) => x.v)
  }
  if (s.secrets !== undefined && s.secrets !== null) out.secrets = parseSecrets(r, s.secrets, p('secrets'))
  if (s.firelens_configuration !== undefined && s.firelens_configuration !== null) {
    const f = r.dict(s.firelens_configuration, p('firelens_configuration'), KEYS.firelens)
    const type = r.str(f.type, p('firelens_configuration', 'type'))
    if (type !== 'fluentd' && type !== 'fluentbit')
      r.fail(
        p('firelens_configuration', 'type'),
        `invalid firelens type ${describe(f.type)}; valid: fluentd, fluentbit`,
      )
    const fc: FirelensConfiguration = {type}
    if (f.options !== undefined && f.options !== null)
      fc.options = r.stringMap(f.options, p('firelens_configuration', 'options'))
    out.firelens = fc
  }
  if (s.gpu !== undefined && s.gpu !== null) out.gpu = String(r.unit(() => parseInteger(s.gpu, 'gpu', 1), p('gpu')))
  if (s.depends_on !== undefined && s.depends_on !== null) {
    out.dependsOn = r.list(s.depends_on, p('depends_on')).map((item, i) => {
      const ip = p('depends_on', i)
      const d = r.dict(item, ip, KEYS.dependsOn)
      const containerName = r.str(d.container_name, [...ip, 'container_name'])
      if (!containerName) r.fail(ip, 'depends_on entries need a container_name')
      const condition = (r.str(d.condition, [...ip, 'condition']) ?? '').toUpperCase()
      if (!['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'].includes(condition))
        r.fail(
          [...ip, 'condition'],
          `invalid condition ${describe(d.condition)}; valid: START, COMPLETE, SUCCESS, HEALTHY`,
        )
      return {v: {containerName, condition} as ContainerDependency, at: ip}
    })
  }
  return out
}

function parseHealthcheck(r: Reader, value: unknown, at: Path): HealthcheckParams {
  const h = r.dict(value, at, KEYS.healthcheck)
  const out: HealthcheckParams = {at}
  if (h.test !== undefined && h.command !== undefined)
    r.fail([...at, 'command'], 'healthcheck.test and healthcheck.command can not both be specified')
  const cmdKey = h.test !== undefined ? 'test' : 'command'
  const cmd = h[cmdKey]
  if (cmd !== undefined && cmd !== null) out.command = r.unit(() => healthcheckCommand(cmd), [...at, cmdKey])
  const dur = (k: string): number | undefined => {
    if (h[k] === undefined || h[k] === null) return undefined
    return r.unit(() => parseDurationMs(h[k]), [...at, k])
  }
  out.interval = dur('interval')
  out.timeout = dur('timeout')
  out.startPeriod = dur('start_period')
  if (h.retries !== undefined && h.retries !== null)
    out.retries = r.unit(() => parseInteger(h.retries, 'retries'), [...at, 'retries'])
  return out
}

/** Compose/ecs-params healthcheck test → ECS command (string → CMD-SHELL). */
export function healthcheckCommand(test: unknown): string[] {
  if (typeof test === 'string') {
    if (test.trim() === '') throw new UnitError('the health check command is empty')
    return ['CMD-SHELL', test]
  }
  if (Array.isArray(test) && test.length > 0 && test.every((t) => typeof t === 'string' || typeof t === 'number')) {
    const list = test.map(String)
    if (!['NONE', 'CMD', 'CMD-SHELL'].includes(list[0])) {
      throw new UnitError(
        `a health check test list must start with "CMD", "CMD-SHELL" or "NONE", not ${JSON.stringify(list[0])}`,
      )
    }
    if (list[0] !== 'NONE' && list.length < 2) throw new UnitError(`"${list[0]}" needs a command after it`)
    return list
  }
  throw new UnitError(
    `invalid health check test ${describe(test)}: expected a string or a list like ["CMD", "curl", "-f", "http://localhost"]`,
  )
}

function parseSecrets(r: Reader, value: unknown, at: Path): {v: Secret; at: Path}[] {
  return r.list(value, at).map((item, i) => {
    const ip = [...at, i]
    const s = r.dict(item, ip, KEYS.secret)
    const name = r.str(s.name, [...ip, 'name'])
    const valueFrom = r.str(s.value_from, [...ip, 'value_from'])
    if (!name) r.fail(ip, 'secrets need a name (the environment variable)')
    if (!valueFrom) r.fail(ip, 'secrets need a value_from (a Secrets Manager ARN or an SSM parameter name/ARN)')
    return {v: {name, valueFrom} as Secret, at: ip}
  })
}

function parseVolumes(r: Reader, td: Dict, params: EcsParams): void {
  if (td.docker_volumes !== undefined && td.docker_volumes !== null) {
    r.list(td.docker_volumes, ['task_definition', 'docker_volumes']).forEach((item, i) => {
      const ip: Path = ['task_definition', 'docker_volumes', i]
      const d = r.dict(item, ip, KEYS.dockerVolume)
      const name = r.str(d.name, [...ip, 'name'])
      if (!name) r.fail(ip, 'Name is required when specifying a docker volume')
      const cfg: NonNullable<Volume['dockerVolumeConfiguration']> = {}
      const scope = r.str(d.scope, [...ip, 'scope'])
      if (scope !== undefined && scope !== '') {
        if (scope !== 'task' && scope !== 'shared')
          r.fail([...ip, 'scope'], `invalid scope ${JSON.stringify(scope)}; valid: task, shared`)
        cfg.scope = scope
      }
      if (d.autoprovision !== undefined && d.autoprovision !== null) {
        cfg.autoprovision = r.unit(() => parseBoolean(d.autoprovision, 'autoprovision'), [...ip, 'autoprovision'])
        if (cfg.autoprovision && cfg.scope !== 'shared')
          r.fail([...ip, 'autoprovision'], 'autoprovision only applies to scope: shared')
      }
      const driver = r.str(d.driver, [...ip, 'driver'])
      if (driver) cfg.driver = driver
      if (d.driver_opts !== undefined && d.driver_opts !== null)
        cfg.driverOpts = r.stringMap(d.driver_opts, [...ip, 'driver_opts'])
      if (d.labels !== undefined && d.labels !== null) cfg.labels = r.stringMap(d.labels, [...ip, 'labels'])
      params.volumes.push({v: {name, dockerVolumeConfiguration: cfg}, at: ip})
    })
  }
  if (td.efs_volumes !== undefined && td.efs_volumes !== null) {
    r.list(td.efs_volumes, ['task_definition', 'efs_volumes']).forEach((item, i) => {
      const ip: Path = ['task_definition', 'efs_volumes', i]
      const e = r.dict(item, ip, KEYS.efsVolume)
      const name = r.str(e.name, [...ip, 'name'])
      if (!name) r.fail(ip, 'Name is required when specifying an EFS volume')
      const fileSystemId = r.str(e.filesystem_id, [...ip, 'filesystem_id'])
      if (!fileSystemId) r.fail(ip, 'filesystem_id is required when specifying an EFS volume')
      const cfg: NonNullable<Volume['efsVolumeConfiguration']> = {fileSystemId}
      const rootDirectory = r.str(e.root_directory, [...ip, 'root_directory'])
      if (rootDirectory) cfg.rootDirectory = rootDirectory
      const enabled = (k: string): 'ENABLED' | 'DISABLED' | undefined => {
        const v = r.str(e[k], [...ip, k])
        if (v === undefined || v === '') return undefined
        if (v !== 'ENABLED' && v !== 'DISABLED')
          r.fail([...ip, k], `invalid value ${JSON.stringify(v)}; valid: ENABLED, DISABLED`)
        return v as 'ENABLED' | 'DISABLED'
      }
      const transit = enabled('transit_encryption')
      if (transit) cfg.transitEncryption = transit
      if (e.transit_encryption_port !== undefined && e.transit_encryption_port !== null) {
        cfg.transitEncryptionPort = r.unit(
          () => parseInteger(e.transit_encryption_port, 'transit_encryption_port', 1, 65535),
          [...ip, 'transit_encryption_port'],
        )
      }
      const accessPointId = r.str(e.access_point, [...ip, 'access_point'])
      const iam = enabled('iam')
      if ((accessPointId || iam === 'ENABLED') && transit !== 'ENABLED') {
        r.fail(
          ip,
          'Transit encryption is required when using IAM access or an access point: set transit_encryption: ENABLED',
        )
      }
      if (accessPointId || iam) {
        cfg.authorizationConfig = {}
        if (accessPointId) cfg.authorizationConfig.accessPointId = accessPointId
        if (iam) cfg.authorizationConfig.iam = iam
      }
      params.volumes.push({v: {name, efsVolumeConfiguration: cfg}, at: ip})
    })
  }
}

function parseRunParams(r: Reader, run: Dict, params: EcsParams): void {
  const nc = r.dict(run.network_configuration, ['run_params', 'network_configuration'], KEYS.network)
  if (nc.awsvpc_configuration !== undefined && nc.awsvpc_configuration !== null) {
    const ap: Path = ['run_params', 'network_configuration', 'awsvpc_configuration']
    const a = r.dict(nc.awsvpc_configuration, ap, KEYS.awsvpc)
    const awsvpcConfiguration: NonNullable<NetworkConfiguration['awsvpcConfiguration']> = {
      subnets:
        a.subnets === undefined || a.subnets === null
          ? []
          : r.list(a.subnets, [...ap, 'subnets']).map((s, i) => r.str(s, [...ap, 'subnets', i]) ?? ''),
    }
    if (a.security_groups !== undefined && a.security_groups !== null) {
      awsvpcConfiguration.securityGroups = r
        .list(a.security_groups, [...ap, 'security_groups'])
        .map((s, i) => r.str(s, [...ap, 'security_groups', i]) ?? '')
    }
    let assignPublicIpAt: Path | undefined
    const ip = r.str(a.assign_public_ip, [...ap, 'assign_public_ip'])
    if (ip !== undefined && ip !== '') {
      if (ip !== 'ENABLED' && ip !== 'DISABLED')
        r.fail([...ap, 'assign_public_ip'], `invalid value ${JSON.stringify(ip)}; valid: ENABLED, DISABLED`)
      awsvpcConfiguration.assignPublicIp = ip as 'ENABLED' | 'DISABLED'
      assignPublicIpAt = [...ap, 'assign_public_ip']
    }
    params.run.networkConfiguration = {v: {awsvpcConfiguration}, at: ap, assignPublicIpAt}
  }
  const tp = r.dict(run.task_placement, ['run_params', 'task_placement'], KEYS.placement)
  if (tp.strategy !== undefined && tp.strategy !== null) {
    const sp: Path = ['run_params', 'task_placement', 'strategy']
    const list = r.list(tp.strategy, sp).map((item, i) => {
      const ip = [...sp, i]
      const s = r.dict(item, ip, KEYS.strategy)
      const type = r.str(s.type, [...ip, 'type'])
      const field = r.str(s.field, [...ip, 'field'])
      if (type !== 'random' && type !== 'binpack' && type !== 'spread')
        r.fail([...ip, 'type'], `invalid strategy type ${describe(s.type)}; valid: random, binpack, spread`)
      if (type === 'random' && field) r.fail([...ip, 'field'], 'the random strategy takes no field')
      if (type === 'binpack' && field !== 'cpu' && field !== 'memory')
        r.fail([...ip, 'field'], `binpack needs field cpu or memory, not ${describe(s.field)}`)
      if (type === 'spread' && !field) r.fail(ip, 'spread needs a field (instanceId, host, or attribute:<name>)')
      const out: PlacementStrategy = {type}
      if (field) out.field = field
      return out
    })
    params.run.placementStrategy = {v: list, at: sp}
  }
  if (tp.constraints !== undefined && tp.constraints !== null) {
    const cp: Path = ['run_params', 'task_placement', 'constraints']
    const list = r.list(tp.constraints, cp).map((item, i) => {
      const ip = [...cp, i]
      const c = r.dict(item, ip, KEYS.constraint)
      const type = r.str(c.type, [...ip, 'type'])
      const expression = r.str(c.expression, [...ip, 'expression'])
      if (type !== 'distinctInstance' && type !== 'memberOf')
        r.fail([...ip, 'type'], `invalid constraint type ${describe(c.type)}; valid: distinctInstance, memberOf`)
      if (type === 'distinctInstance' && expression)
        r.fail([...ip, 'expression'], 'distinctInstance takes no expression')
      if (type === 'memberOf' && !expression) r.fail(ip, 'memberOf needs an expression')
      const out: PlacementConstraint = {type}
      if (expression) out.expression = expression
      return out
    })
    params.run.placementConstraints = {v: list, at: cp}
  }
  if (run.service_discovery !== undefined && run.service_discovery !== null) {
    const b: Path = ['run_params', 'service_discovery']
    const sd = r.dict(run.service_discovery, b, KEYS.sd)
    const out: ServiceDiscoveryParams = {}
    const cn = r.str(sd.container_name, [...b, 'container_name'])
    if (cn) out.containerName = cn
    if (sd.container_port !== undefined && sd.container_port !== null)
      out.containerPort = r.unit(
        () => parseInteger(sd.container_port, 'container_port', 1, 65535),
        [...b, 'container_port'],
      )
    const strs = (d: Dict, keys: string[], at: Path): Record<string, string> => {
      const o: Record<string, string> = {}
      for (const k of keys) {
        const v = r.str(d[k], [...at, k])
        if (v) o[k] = v
      }
      return o
    }
    if (sd.private_dns_namespace !== undefined && sd.private_dns_namespace !== null) {
      out.privateDnsNamespace = strs(
        r.dict(sd.private_dns_namespace, [...b, 'private_dns_namespace'], KEYS.privateNs),
        KEYS.privateNs,
        [...b, 'private_dns_namespace'],
      )
    }
    if (sd.public_dns_namespace !== undefined && sd.public_dns_namespace !== null) {
      out.publicDnsNamespace = strs(
        r.dict(sd.public_dns_namespace, [...b, 'public_dns_namespace'], KEYS.publicNs),
        KEYS.publicNs,
        [...b, 'public_dns_namespace'],
      )
    }
    if (sd.service_discovery_service !== undefined && sd.service_discovery_service !== null) {
      const sp: Path = [...b, 'service_discovery_service']
      const s = r.dict(sd.service_discovery_service, sp, KEYS.sdService)
      const svc: NonNullable<ServiceDiscoveryParams['serviceDiscoveryService']> = strs(s, ['name', 'description'], sp)
      if (s.dns_config !== undefined && s.dns_config !== null) {
        const d = r.dict(s.dns_config, [...sp, 'dns_config'], KEYS.dnsConfig)
        svc.dnsConfig = {}
        const type = r.str(d.type, [...sp, 'dns_config', 'type'])
        if (type) {
          if (type !== 'A' && type !== 'SRV')
            r.fail([...sp, 'dns_config', 'type'], `invalid DNS record type ${JSON.stringify(type)}; valid: A, SRV`)
          svc.dnsConfig.type = type
        }
        if (d.ttl !== undefined && d.ttl !== null)
          svc.dnsConfig.ttl = r.unit(() => parseInteger(d.ttl, 'ttl'), [...sp, 'dns_config', 'ttl'])
      }
      if (s.healthcheck_custom_config !== undefined && s.healthcheck_custom_config !== null) {
        const h = r.dict(s.healthcheck_custom_config, [...sp, 'healthcheck_custom_config'], KEYS.customHc)
        svc.healthCheckCustomConfig = {}
        if (h.failure_threshold !== undefined && h.failure_threshold !== null) {
          svc.healthCheckCustomConfig.failureThreshold = r.unit(
            () => parseInteger(h.failure_threshold, 'failure_threshold', 1, 10),
            [...sp, 'healthcheck_custom_config', 'failure_threshold'],
          )
        }
      }
      out.serviceDiscoveryService = svc
    }
    params.run.serviceDiscovery = out
  }
}

/** Typed access to the parsed tree with errors that point at the file and line. */
class Reader {
  constructor(readonly source: SourceFile) {}

  fail(p: Path, message: string): never {
    const pos = this.source.locate(p)
    const svc = p[0] === 'task_definition' && p[1] === 'services' && typeof p[2] === 'string' ? p[2] : undefined
    const key = p.filter((s) => typeof s === 'string').join('.') || undefined
    throw new ComposeError(message, {...pos, service: svc, key})
  }

  dict(value: unknown, p: Path, allowed: string[] | undefined, what?: string): Dict {
    if (value === undefined || value === null) return {}
    if (typeof value !== 'object' || Array.isArray(value))
      this.fail(p, `${what ?? p.join('.')} must be a mapping, not ${describe(value)}`)
    const d = value as Dict
    if (allowed) {
      for (const k of Object.keys(d)) {
        if (!allowed.includes(k))
          this.fail(
            [...p, k],
            `unknown key "${k}"${p.length ? ` in ${p.filter((s) => typeof s === 'string').join('.')}` : ''}; valid keys: ${allowed.join(', ')}`,
          )
      }
    }
    return d
  }

  list(value: unknown, p: Path): unknown[] {
    if (!Array.isArray(value))
      this.fail(p, `${p.filter((s) => typeof s === 'string').join('.')} must be a list, not ${describe(value)}`)
    return value as unknown[]
  }

  str(value: unknown, p: Path): string | undefined {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    return this.fail(p, `expected a string, not ${describe(value)}`)
  }

  stringMap(value: unknown, p: Path): Record<string, string> {
    const d = this.dict(value, p, undefined)
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(d)) out[k] = this.str(v, [...p, k]) ?? ''
    return out
  }

  unit<T>(fn: () => T, p: Path): T {
    try {
      return fn()
    } catch (error) {
      if (error instanceof UnitError) this.fail(p, error.message)
      throw error
    }
  }
}
