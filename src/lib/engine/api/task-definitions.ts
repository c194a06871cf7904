/**
 * Task definitions (spec §1.4, §2): RegisterTaskDefinition with ECS's validation and normalisation,
 * DeregisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies, and
 * `resolveTaskDefinition` for RunTask/StartTask/CreateService/UpdateService.
 */
import type {
  Attribute,
  ContainerDefinition,
  DeregisterTaskDefinitionCommandInput,
  DeregisterTaskDefinitionCommandOutput,
  DescribeTaskDefinitionCommandInput,
  DescribeTaskDefinitionCommandOutput,
  ListTaskDefinitionFamiliesCommandInput,
  ListTaskDefinitionFamiliesCommandOutput,
  ListTaskDefinitionsCommandInput,
  ListTaskDefinitionsCommandOutput,
  PortMapping,
  RegisterTaskDefinitionCommandInput,
  RegisterTaskDefinitionCommandOutput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../ecs/backend.js'
import {parseEcsArn, taskDefinitionArn} from '../arns.js'
import {requiredAttributesFor} from '../capacity.js'
import type {EngineContext, StoredDoc} from '../context.js'
import {EcsApiError} from '../errors.js'
import {omitKeys} from '../objects.js'
import {paginate} from '../paging.js'
import {compileQuery} from '../query/index.js'
import {checkFields as checkFieldsOf, isPlainObject, request, type Shape} from './input.js'
import {tagsForCreate} from './tags.js'

/** The stored body: the SDK shape plus engine-private tags (TaskDefinition has no `tags` field). */
export type StoredTaskDefinition = TaskDefinition & {_engine?: {tags?: Tag[]}}

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/
const IMAGE_PATTERN = /^[a-zA-Z0-9\-_:./#@]{1,255}$/
const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none']
const LOG_DRIVERS = [
  'awslogs',
  'fluentd',
  'gelf',
  'json-file',
  'journald',
  'logentries',
  'splunk',
  'syslog',
  'awsfirelens',
]
const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
]
const DEPENDENCY_CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY']
const MAX_CONTAINERS = 10
const MAX_REVISIONS = 1_000_000
const MAX_DEFINITION_BYTES = 32 * 1024
const MIN_CONTAINER_MEMORY = 4

export const INVALID_CPU_MESSAGE =
  "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
export const INVALID_MEMORY_MESSAGE =
  "Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."

/** Valid Fargate (cpu units → memory MiB) pairs (spec §2.3). */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, [1024, 2048, 3072, 4096]],
  [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
])

function range(from: number, to: number, step: number): number[] {
  const values: number[] = []
  for (let v = from; v <= to; v += step) values.push(v)
  return values
}

const client = (message: string): EcsApiError => new EcsApiError('ClientException', message)

// ---------------------------------------------------------------------------------------------------------------
// task size

/** "1 vCPU" / "0.5 vcpu" / "1024" → CPU units; undefined when unparseable. */
export function parseTaskCpu(text: string): number | undefined {
  const t = String(text).trim()
  if (/^\d+$/.test(t)) return Number(t)
  const match = /^(\d+(?:\.\d+)?)\s*vcpus?$/i.exec(t)
  if (!match) return undefined
  const units = Number(match[1]) * 1024
  return Number.isInteger(units) ? units : undefined
}

/** "1GB" / "1 gb" / "0.5GB" / "512" → MiB; undefined when unparseable. */
export function parseTaskMemory(text: string): number | undefined {
  const t = String(text).trim()
  if (/^\d+$/.test(t)) return Number(t)
  const match = /^(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)$/i.exec(t)
  if (!match) return undefined
  const mib = /^g/i.test(match[2]) ? Number(match[1]) * 1024 : Number(match[1])
  return Number.isInteger(mib) ? mib : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// shape checks: wrong JSON types are a ClientException naming the parameter, never a crash

const checkFields = (record: Record<string, unknown>, shapes: Record<string, Shape>, prefix: string): void =>
  checkFieldsOf(record, shapes, prefix, 'ClientException')
const isObject = isPlainObject

const CONTAINER_SHAPES: Record<string, Shape> = {
  name: 'string',
  image: 'string',
  cpu: 'integer',
  memory: 'integer',
  memoryReservation: 'integer',
  essential: 'boolean',
  portMappings: 'object[]',
  links: 'string[]',
  entryPoint: 'string[]',
  command: 'string[]',
  environment: 'object[]',
  mountPoints: 'object[]',
  volumesFrom: 'object[]',
  dependsOn: 'object[]',
  secrets: 'object[]',
  healthCheck: 'object',
  logConfiguration: 'object',
  ulimits: 'object[]',
  linuxParameters: 'object',
  resourceRequirements: 'object[]',
  dnsServers: 'string[]',
  dnsSearchDomains: 'string[]',
  dockerSecurityOptions: 'string[]',
  extraHosts: 'object[]',
  systemControls: 'object[]',
  dockerLabels: 'object',
  startTimeout: 'integer',
  stopTimeout: 'integer',
  hostname: 'string',
  user: 'string',
  workingDirectory: 'string',
  disableNetworking: 'boolean',
  privileged: 'boolean',
  readonlyRootFilesystem: 'boolean',
  interactive: 'boolean',
  pseudoTerminal: 'boolean',
}

/** Reject values of the wrong JSON type before any rule looks at them. */
function checkInputShape(input: RegisterTaskDefinitionCommandInput): void {
  if (!isObject(input)) throw client('The request must be a JSON object.')
  const top = input as unknown as Record<string, unknown>
  checkFields(
    top,
    {
      family: 'string',
      taskRoleArn: 'string',
      executionRoleArn: 'string',
      networkMode: 'string',
      containerDefinitions: 'array',
      volumes: 'object[]',
      placementConstraints: 'object[]',
      requiresCompatibilities: 'string[]',
      cpu: 'string|integer',
      memory: 'string|integer',
      tags: 'object[]',
      pidMode: 'string',
      ipcMode: 'string',
      proxyConfiguration: 'object',
    },
    '',
  )
  for (const [i, c] of ((top.containerDefinitions as unknown[] | undefined) ?? []).entries()) {
    if (!isObject(c)) throw client('Each entry of containerDefinitions must be a container definition object.')
    const prefix = `containerDefinitions[${i}].`
    checkFields(c, CONTAINER_SHAPES, prefix)
    for (const [j, m] of ((c.portMappings as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
      checkFields(
        m,
        {containerPort: 'integer', hostPort: 'integer', protocol: 'string'},
        `${prefix}portMappings[${j}].`,
      )
    }
    for (const [j, m] of ((c.mountPoints as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
      checkFields(
        m,
        {sourceVolume: 'string', containerPath: 'string', readOnly: 'boolean'},
        `${prefix}mountPoints[${j}].`,
      )
    }
    for (const [j, v] of ((c.volumesFrom as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
      checkFields(v, {sourceContainer: 'string', readOnly: 'boolean'}, `${prefix}volumesFrom[${j}].`)
    }
    for (const [j, d] of ((c.dependsOn as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
      checkFields(d, {containerName: 'string', condition: 'string'}, `${prefix}dependsOn[${j}].`)
    }
    for (const [j, u] of ((c.ulimits as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
      checkFields(u, {name: 'string', softLimit: 'integer', hardLimit: 'integer'}, `${prefix}ulimits[${j}].`)
    }
    for (const [j, r] of ((c.resourceRequirements as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
      checkFields(r, {type: 'string', value: 'string'}, `${prefix}resourceRequirements[${j}].`)
    }
    if (c.healthCheck) {
      checkFields(
        c.healthCheck as Record<string, unknown>,
        {command: 'string[]', interval: 'integer', timeout: 'integer', retries: 'integer', startPeriod: 'integer'},
        `${prefix}healthCheck.`,
      )
    }
    if (c.logConfiguration)
      checkFields(
        c.logConfiguration as Record<string, unknown>,
        {logDriver: 'string', options: 'object'},
        `${prefix}logConfiguration.`,
      )
    if (c.linuxParameters) {
      const lp = c.linuxParameters as Record<string, unknown>
      checkFields(
        lp,
        {
          capabilities: 'object',
          devices: 'object[]',
          tmpfs: 'object[]',
          sharedMemorySize: 'integer',
          initProcessEnabled: 'boolean',
        },
        `${prefix}linuxParameters.`,
      )
      if (lp.capabilities)
        checkFields(
          lp.capabilities as Record<string, unknown>,
          {add: 'string[]', drop: 'string[]'},
          `${prefix}linuxParameters.capabilities.`,
        )
    }
  }
  for (const [i, v] of ((top.volumes as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(v, {name: 'string', host: 'object', dockerVolumeConfiguration: 'object'}, `volumes[${i}].`)
    if (v.host) checkFields(v.host as Record<string, unknown>, {sourcePath: 'string'}, `volumes[${i}].host.`)
    if (v.dockerVolumeConfiguration)
      checkFields(
        v.dockerVolumeConfiguration as Record<string, unknown>,
        {scope: 'string', autoprovision: 'boolean', driver: 'string'},
        `volumes[${i}].dockerVolumeConfiguration.`,
      )
  }
  for (const [i, p] of ((top.placementConstraints as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(p, {type: 'string', expression: 'string'}, `placementConstraints[${i}].`)
  }
  for (const [i, tag] of ((top.tags as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(tag, {key: 'string', value: 'string'}, `tags[${i}].`)
  }
  if (top.proxyConfiguration)
    checkFields(
      top.proxyConfiguration as Record<string, unknown>,
      {type: 'string', containerName: 'string', properties: 'object[]'},
      'proxyConfiguration.',
    )
}

// ---------------------------------------------------------------------------------------------------------------
// validation

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

function validateName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw client(
      `Invalid ${kind} name ${JSON.stringify(name ?? null)}: use 1 to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.`,
    )
  }
  return name
}

interface TaskSize {
  cpu?: number
  memory?: number
}

function validateTaskSize(input: RegisterTaskDefinitionCommandInput): TaskSize {
  const size: TaskSize = {}
  if (input.cpu !== undefined && input.cpu !== null && String(input.cpu).trim() !== '') {
    size.cpu = parseTaskCpu(String(input.cpu))
    if (size.cpu === undefined) throw client(INVALID_CPU_MESSAGE)
  }
  if (input.memory !== undefined && input.memory !== null && String(input.memory).trim() !== '') {
    size.memory = parseTaskMemory(String(input.memory))
    if (size.memory === undefined || size.memory <= 0) throw client(INVALID_MEMORY_MESSAGE)
  }
  return size
}

/** Reasons the definition cannot run on Fargate (empty = Fargate-compatible). */
export function fargateProblems(def: RegisterTaskDefinitionCommandInput, size: TaskSize): string[] {
  const problems: string[] = []
  if ((def.networkMode ?? 'bridge') !== 'awsvpc') problems.push("Fargate only supports network mode 'awsvpc'.")
  if (size.cpu === undefined) problems.push("Fargate requires that 'cpu' be defined at the task level.")
  if (size.memory === undefined) problems.push("Fargate requires that 'memory' be defined at the task level.")
  if (size.cpu !== undefined && size.memory !== undefined) {
    const memories = FARGATE_SIZES.get(size.cpu)
    if (!memories || !memories.includes(size.memory)) problems.push(INVALID_CPU_MESSAGE)
  }
  if (def.pidMode) problems.push("Fargate does not support the task parameter 'pidMode'.")
  if (def.ipcMode) problems.push("Fargate does not support the task parameter 'ipcMode'.")
  if (def.placementConstraints?.length)
    problems.push("Fargate does not support the task parameter 'placementConstraints'.")
  for (const volume of def.volumes ?? []) {
    if (volume.dockerVolumeConfiguration)
      problems.push(`Fargate does not support 'dockerVolumeConfiguration' (volume '${volume.name}').`)
    if (volume.host?.sourcePath) problems.push(`Fargate does not support 'host.sourcePath' (volume '${volume.name}').`)
  }
  const unsupported = [
    'disableNetworking',
    'dnsSearchDomains',
    'dnsServers',
    'dockerSecurityOptions',
    'extraHosts',
    'links',
    'privileged',
    'systemControls',
  ] as const
  for (const c of def.containerDefinitions ?? []) {
    for (const key of unsupported) {
      const value = c[key]
      if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue
      problems.push(`Fargate does not support the container parameter '${key}' (container '${c.name}').`)
    }
    if (c.resourceRequirements?.some((r) => r.type === 'GPU'))
      problems.push(`Fargate does not support GPUs (container '${c.name}').`)
    const lp = c.linuxParameters
    if (lp?.capabilities?.add?.length)
      problems.push(`Fargate does not support 'linuxParameters.capabilities.add' (container '${c.name}').`)
    if (lp?.devices?.length)
      problems.push(`Fargate does not support 'linuxParameters.devices' (container '${c.name}').`)
    if (lp?.sharedMemorySize !== undefined)
      problems.push(`Fargate does not support 'linuxParameters.sharedMemorySize' (container '${c.name}').`)
    if (lp?.tmpfs?.length) problems.push(`Fargate does not support 'linuxParameters.tmpfs' (container '${c.name}').`)
    const log = c.logConfiguration
    if (log?.logDriver && !['awslogs', 'splunk', 'awsfirelens'].includes(log.logDriver)) {
      problems.push(
        `Fargate supports only the awslogs, splunk and awsfirelens log drivers (container '${c.name}' uses '${log.logDriver}').`,
      )
    }
    if (log?.logDriver === 'awslogs' && !log.options?.['awslogs-stream-prefix']) {
      problems.push(`Fargate requires the 'awslogs-stream-prefix' log option (container '${c.name}').`)
    }
    if (c.stopTimeout !== undefined && c.stopTimeout > 120)
      problems.push(`Fargate allows a stopTimeout of at most 120 seconds (container '${c.name}').`)
  }
  return problems
}

function validatePortMappings(c: ContainerDefinition, networkMode: string): PortMapping[] {
  const mappings = c.portMappings ?? []
  if (mappings.length > 0 && networkMode === 'none') {
    throw client(`Port mappings are not supported with network mode 'none' (container '${c.name}').`)
  }
  const seen = new Map<number, string>()
  return mappings.map((m) => {
    if (!isInt(m.containerPort) || m.containerPort < 1 || m.containerPort > 65535) {
      throw client(
        `Invalid containerPort ${JSON.stringify(m.containerPort ?? null)} in container '${c.name}': use an integer from 1 to 65535.`,
      )
    }
    const protocol = m.protocol ?? 'tcp'
    if (protocol !== 'tcp' && protocol !== 'udp')
      throw client(`Invalid protocol '${protocol}' in container '${c.name}': use tcp or udp.`)
    if (
      m.hostPort !== undefined &&
      m.hostPort !== null &&
      (!isInt(m.hostPort) || m.hostPort < 0 || m.hostPort > 65535)
    ) {
      throw client(
        `Invalid hostPort ${JSON.stringify(m.hostPort)} in container '${c.name}': use an integer from 0 to 65535.`,
      )
    }
    if (
      (networkMode === 'awsvpc' || networkMode === 'host') &&
      m.hostPort !== undefined &&
      m.hostPort !== null &&
      m.hostPort !== m.containerPort
    ) {
      throw client(`When networkMode=${networkMode}, the host ports and container ports in port mappings must match.`)
    }
    const previous = seen.get(m.containerPort)
    if (previous !== undefined) {
      throw client(
        previous === protocol
          ? `Container '${c.name}' maps containerPort ${m.containerPort}/${protocol} more than once.`
          : `Container '${c.name}' exposes containerPort ${m.containerPort} for both ${previous} and ${protocol}; a container port can use only one protocol.`,
      )
    }
    seen.set(m.containerPort, protocol)
    const out: PortMapping = {...m, containerPort: m.containerPort, protocol}
    if (networkMode === 'awsvpc' || networkMode === 'host') out.hostPort = m.containerPort
    return out
  })
}

function validateContainerMemory(c: ContainerDefinition, taskMemory: number | undefined): void {
  const {memory, memoryReservation} = c
  for (const [key, value] of [
    ['memory', memory],
    ['memoryReservation', memoryReservation],
  ] as const) {
    if (value === undefined || value === null) continue
    if (!isInt(value) || value < MIN_CONTAINER_MEMORY) {
      throw client(
        `Invalid '${key}' setting for container '${c.name}': use an integer number of MiB, at least ${MIN_CONTAINER_MEMORY}.`,
      )
    }
  }
  if (taskMemory === undefined && memory == null && memoryReservation == null) {
    throw client(
      `Invalid setting for container '${c.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    )
  }
  if (memory != null && memoryReservation != null && memory <= memoryReservation) {
    throw client(
      `Invalid setting for container '${c.name}': 'memory' (${memory} MiB) must be greater than 'memoryReservation' (${memoryReservation} MiB).`,
    )
  }
  if (taskMemory !== undefined && memory != null && memory > taskMemory) {
    throw client(
      `Invalid setting for container '${c.name}': 'memory' (${memory} MiB) is greater than the task memory (${taskMemory} MiB).`,
    )
  }
}

function validateHealthCheck(c: ContainerDefinition): ContainerDefinition['healthCheck'] {
  const hc = c.healthCheck
  if (!hc) return undefined
  if (!Array.isArray(hc.command) || hc.command.length === 0)
    throw client(`healthCheck.command is required (container '${c.name}').`)
  const limits = [
    ['interval', 5, 300],
    ['timeout', 2, 60],
    ['retries', 1, 10],
    ['startPeriod', 0, 300],
  ] as const
  for (const [key, min, max] of limits) {
    const value = hc[key]
    if (value === undefined || value === null) continue
    if (!isInt(value) || value < min || value > max) {
      throw client(
        `Invalid healthCheck.${key} ${JSON.stringify(value)} (container '${c.name}'): use an integer from ${min} to ${max}.`,
      )
    }
  }
  return {...hc, interval: hc.interval ?? 30, timeout: hc.timeout ?? 5, retries: hc.retries ?? 3}
}

function findDependencyCycle(containers: ContainerDefinition[]): string[] | undefined {
  const edges = new Map(
    containers.map((c) => [c.name as string, (c.dependsOn ?? []).map((d) => d.containerName as string)]),
  )
  const state = new Map<string, 'visiting' | 'done'>()
  const stack: string[] = []
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name]
    state.set(name, 'visiting')
    stack.push(name)
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    stack.pop()
    state.set(name, 'done')
    return undefined
  }
  for (const name of edges.keys()) {
    const cycle = visit(name)
    if (cycle) return cycle
  }
  return undefined
}

function validateContainers(
  input: RegisterTaskDefinitionCommandInput,
  networkMode: string,
  size: TaskSize,
  volumeNames: Set<string>,
): ContainerDefinition[] {
  const defs = input.containerDefinitions
  if (!Array.isArray(defs) || defs.length === 0)
    throw client('containerDefinitions must contain at least one container definition.')
  if (defs.length > MAX_CONTAINERS)
    throw client(`A task definition can have at most ${MAX_CONTAINERS} containers; this one has ${defs.length}.`)
  const names = new Set<string>()
  for (const c of defs) {
    if (c === null || typeof c !== 'object' || Array.isArray(c))
      throw client('Each entry of containerDefinitions must be a container definition object.')
    const name = validateName('container', c.name)
    if (names.has(name))
      throw client(`Duplicate container name '${name}': container names must be unique within a task definition.`)
    names.add(name)
  }
  const containers = defs.map((c) => {
    if (typeof c.image !== 'string' || c.image.trim() === '')
      throw client(`Container.image should not be null or empty (container '${c.name}').`)
    if (!IMAGE_PATTERN.test(c.image)) {
      throw client(
        `Invalid image '${c.image}' (container '${c.name}'): up to 255 letters, numbers, hyphens, underscores, colons, periods, slashes, at signs and number signs.`,
      )
    }
    if (c.cpu !== undefined && c.cpu !== null && (!isInt(c.cpu) || c.cpu < 0)) {
      throw client(`Invalid 'cpu' setting for container '${c.name}': use a non-negative integer number of CPU units.`)
    }
    validateContainerMemory(c, size.memory)
    const portMappings = validatePortMappings(c, networkMode)
    if (c.links?.length) {
      if (networkMode !== 'bridge')
        throw client(`Links are not supported with network mode '${networkMode}' (container '${c.name}'); use bridge.`)
      for (const link of c.links) {
        const target = link.split(':')[0]
        if (!names.has(target) || target === c.name)
          throw client(
            `Container '${c.name}' links to '${target}', which is not another container of this task definition.`,
          )
      }
    }
    if (c.hostname && networkMode === 'awsvpc')
      throw client(`The 'hostname' parameter is not supported with network mode 'awsvpc' (container '${c.name}').`)
    for (const mount of c.mountPoints ?? []) {
      if (!mount.sourceVolume || !mount.containerPath)
        throw client(`mountPoints in container '${c.name}' need both sourceVolume and containerPath.`)
      if (!volumeNames.has(mount.sourceVolume)) {
        throw client(
          `Invalid 'mountPoints' in container '${c.name}': sourceVolume '${mount.sourceVolume}' is not a volume of this task definition.`,
        )
      }
    }
    for (const from of c.volumesFrom ?? []) {
      if (!from.sourceContainer || !names.has(from.sourceContainer) || from.sourceContainer === c.name) {
        throw client(
          `Invalid 'volumesFrom' in container '${c.name}': sourceContainer '${from.sourceContainer ?? ''}' is not another container of this task definition.`,
        )
      }
    }
    for (const dep of c.dependsOn ?? []) {
      if (!dep.containerName || !names.has(dep.containerName) || dep.containerName === c.name) {
        throw client(
          `Invalid 'dependsOn' in container '${c.name}': '${dep.containerName ?? ''}' is not another container of this task definition.`,
        )
      }
      if (!dep.condition || !DEPENDENCY_CONDITIONS.includes(dep.condition)) {
        throw client(
          `Invalid dependsOn condition '${dep.condition ?? ''}' in container '${c.name}': use START, COMPLETE, SUCCESS or HEALTHY.`,
        )
      }
      if (dep.condition === 'HEALTHY' && !defs.find((d) => d.name === dep.containerName)?.healthCheck) {
        throw client(
          `Container '${c.name}' depends on '${dep.containerName}' being HEALTHY, but '${dep.containerName}' has no healthCheck.`,
        )
      }
    }
    const driver = c.logConfiguration?.logDriver
    if (c.logConfiguration && (!driver || !LOG_DRIVERS.includes(driver))) {
      throw client(`Invalid logDriver '${driver ?? ''}' (container '${c.name}'): use one of ${LOG_DRIVERS.join(', ')}.`)
    }
    for (const u of c.ulimits ?? []) {
      if (!u.name || !ULIMIT_NAMES.includes(u.name) || !isInt(u.softLimit) || !isInt(u.hardLimit)) {
        throw client(
          `Invalid ulimit ${JSON.stringify(u)} (container '${c.name}'): name (one of ${ULIMIT_NAMES.join(', ')}), softLimit and hardLimit are required.`,
        )
      }
    }
    const normalised: ContainerDefinition = {
      ...c,
      cpu: c.cpu ?? 0,
      essential: c.essential ?? true,
      portMappings,
      environment: c.environment ?? [],
      mountPoints: (c.mountPoints ?? []).map((m) => ({...m, readOnly: m.readOnly ?? false})),
      volumesFrom: (c.volumesFrom ?? []).map((v) => ({...v, readOnly: v.readOnly ?? false})),
    }
    const healthCheck = validateHealthCheck(c)
    if (healthCheck) normalised.healthCheck = healthCheck
    return normalised
  })
  if (!containers.some((c) => c.essential))
    throw client('A task definition must have at least one essential container.')
  const cycle = findDependencyCycle(containers)
  if (cycle) throw client(`Container dependencies form a cycle: ${cycle.join(' -> ')}.`)
  if (size.cpu !== undefined) {
    const total = containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0)
    if (total > size.cpu)
      throw client(`The containers' cpu (${total} units in total) exceeds the task cpu (${size.cpu} units).`)
  }
  if (size.memory !== undefined) {
    const total = containers.reduce((sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0), 0)
    if (total > size.memory)
      throw client(
        `The containers' memory reservations (${total} MiB in total) exceed the task memory (${size.memory} MiB).`,
      )
  }
  return containers
}

function validateVolumes(input: RegisterTaskDefinitionCommandInput): Set<string> {
  const names = new Set<string>()
  for (const volume of input.volumes ?? []) {
    const name = validateName('volume', volume?.name)
    if (names.has(name)) throw client(`Duplicate volume name '${name}'.`)
    names.add(name)
    const docker = volume.dockerVolumeConfiguration
    if (docker) {
      if (docker.scope !== undefined && docker.scope !== 'task' && docker.scope !== 'shared') {
        throw client(
          `Invalid dockerVolumeConfiguration.scope '${docker.scope}' (volume '${name}'): use task or shared.`,
        )
      }
      if (docker.autoprovision && docker.scope !== 'shared') {
        throw client(`dockerVolumeConfiguration.autoprovision is only allowed with scope 'shared' (volume '${name}').`)
      }
    }
  }
  return names
}

function validatePlacementConstraints(input: RegisterTaskDefinitionCommandInput): void {
  const constraints = input.placementConstraints ?? []
  if (constraints.length > 10) throw client('A task definition can have at most 10 placement constraints.')
  for (const constraint of constraints) {
    if (constraint.type !== 'memberOf') {
      throw client(
        `Invalid placement constraint type '${constraint.type ?? ''}': task definitions support only 'memberOf'.`,
      )
    }
    if (!constraint.expression) throw client("A 'memberOf' placement constraint needs an expression.")
    compileQuery(constraint.expression)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// lookups

const docId = (family: string, revision: number): string => `${family}:${revision}`

/**
 * Latest ACTIVE revision of a family: the newest stored ACTIVE row of the family. Revisions are stored in the order
 * they are numbered and never deleted (deregistering and tagging update in place), so the newest row is the highest
 * revision — one indexed row read, however many revisions the family has.
 */
function latestActive(ctx: EngineContext, family: string): StoredDoc<StoredTaskDefinition> | undefined {
  const [newest] = ctx.tx.list('taskdef', {
    parent: family,
    status: 'ACTIVE',
    keysOnly: true,
    newestFirst: true,
    limit: 1,
  })
  return newest === undefined ? undefined : ctx.tx.get<StoredTaskDefinition>('taskdef', newest.id)
}

/**
 * A task definition by reference: `family` (latest ACTIVE revision), `family:revision` or ARN (any status).
 * Undefined when there is no such definition.
 */
export function resolveTaskDefinition(
  ctx: EngineContext,
  ref: string | undefined,
): StoredDoc<StoredTaskDefinition> | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined
  let text = ref
  if (ref.startsWith('arn:')) {
    const parsed = parseEcsArn(ref)
    if (parsed?.resourceType !== 'task-definition') return undefined
    text = parsed.path.join('/')
  }
  const match = /^([a-zA-Z0-9_-]{1,255})(?::(\d+))?$/.exec(text)
  if (!match) return undefined
  if (match[2] === undefined) return latestActive(ctx, match[1])
  return ctx.tx.get<StoredTaskDefinition>('taskdef', docId(match[1], Number(match[2])))
}

/** The definition without engine-private fields. */
export function presentTaskDefinition(body: StoredTaskDefinition): TaskDefinition {
  return omitKeys(body, '_engine')
}

// ---------------------------------------------------------------------------------------------------------------
// operations

export function registerTaskDefinition(
  ctx: EngineContext,
  input: RegisterTaskDefinitionCommandInput,
): Out<RegisterTaskDefinitionCommandOutput> {
  checkInputShape(input)
  input = request(input, {}, 'ClientException')
  const family = validateName('family', input.family)
  const bytes = Buffer.byteLength(JSON.stringify(input))
  if (bytes > MAX_DEFINITION_BYTES)
    throw client(`The task definition is ${bytes} bytes; the limit is ${MAX_DEFINITION_BYTES} bytes (32 KiB).`)
  const networkMode = input.networkMode ?? 'bridge'
  if (!NETWORK_MODES.includes(networkMode))
    throw client(`Invalid networkMode '${networkMode}': use bridge, host, awsvpc or none.`)
  for (const compatibility of input.requiresCompatibilities ?? []) {
    if (!['EC2', 'FARGATE', 'EXTERNAL'].includes(compatibility)) {
      throw client(`Invalid requiresCompatibilities value '${compatibility}': use EC2, FARGATE or EXTERNAL.`)
    }
  }
  if (input.pidMode && !['host', 'task'].includes(input.pidMode))
    throw client(`Invalid pidMode '${input.pidMode}': use host or task.`)
  if (input.ipcMode && !['host', 'task', 'none'].includes(input.ipcMode))
    throw client(`Invalid ipcMode '${input.ipcMode}': use host, task or none.`)
  if (input.proxyConfiguration) {
    if ((input.proxyConfiguration.type ?? 'APPMESH') !== 'APPMESH' || !input.proxyConfiguration.containerName) {
      throw client("proxyConfiguration needs type 'APPMESH' and a containerName.")
    }
  }
  const size = validateTaskSize(input)
  const wantsFargate = input.requiresCompatibilities?.includes('FARGATE') ?? false
  if (wantsFargate) {
    const problems = fargateProblems(input, size)
    if (problems.length > 0) throw client(problems[0])
  } else if (size.cpu !== undefined && (size.cpu < 128 || size.cpu > 10240)) {
    throw client(INVALID_CPU_MESSAGE)
  }
  const volumeNames = validateVolumes(input)
  const containerDefinitions = validateContainers(input, networkMode, size, volumeNames)
  if (
    input.proxyConfiguration &&
    !containerDefinitions.some((c) => c.name === input.proxyConfiguration?.containerName)
  ) {
    throw client(
      `proxyConfiguration.containerName '${input.proxyConfiguration.containerName}' is not a container of this task definition.`,
    )
  }
  validatePlacementConstraints(input)
  const tags = tagsForCreate(input.tags)

  const revision = ctx.tx.nextSequence(`taskdef:${family}`)
  if (revision > MAX_REVISIONS)
    throw client(`The family '${family}' has reached the limit of ${MAX_REVISIONS} revisions.`)

  const {tags: _tags, cpu: _cpu, memory: _memory, ...rest} = input
  const definition: TaskDefinition = {
    ...rest,
    taskDefinitionArn: taskDefinitionArn(ctx.settings, family, revision),
    containerDefinitions,
    family,
    networkMode,
    revision,
    volumes: input.volumes ?? [],
    status: 'ACTIVE',
    placementConstraints: input.placementConstraints ?? [],
    compatibilities: fargateProblems(input, size).length === 0 ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: new Date(ctx.now),
    registeredBy: `arn:aws:iam::${ctx.settings.accountId}:root`,
  }
  if (size.cpu !== undefined) definition.cpu = String(size.cpu)
  if (size.memory !== undefined) definition.memory = String(size.memory)
  definition.requiresAttributes = requiredAttributesFor(definition).map((a: Attribute) =>
    a.value === undefined ? {name: a.name} : {name: a.name, value: a.value},
  )

  const body: StoredTaskDefinition = {...definition, _engine: {tags}}
  ctx.tx.put('taskdef', docId(family, revision), body, {parent: family, status: 'ACTIVE', name: family})
  return tags.length > 0 ? {taskDefinition: definition, tags} : {taskDefinition: definition}
}

export function deregisterTaskDefinition(
  ctx: EngineContext,
  input: DeregisterTaskDefinitionCommandInput,
): Out<DeregisterTaskDefinitionCommandOutput> {
  input = request(input, {taskDefinition: 'string'}, 'ClientException')
  const ref = input.taskDefinition
  const text =
    typeof ref === 'string' && ref.startsWith('arn:') ? (parseEcsArn(ref)?.path.join('/') ?? '') : (ref ?? '')
  if (!/^[a-zA-Z0-9_-]{1,255}:\d+$/.test(text)) {
    throw client(
      `Invalid task definition '${ref ?? ''}': give family:revision or the full ARN (a revision is required to deregister).`,
    )
  }
  const doc = resolveTaskDefinition(ctx, text)
  if (!doc) throw client('The specified task definition does not exist.')
  if (doc.body.status !== 'INACTIVE') {
    doc.body.status = 'INACTIVE'
    doc.body.deregisteredAt = new Date(ctx.now)
    ctx.tx.put('taskdef', doc.id, doc.body, {parent: doc.parent, status: 'INACTIVE', name: doc.name})
  }
  return {taskDefinition: presentTaskDefinition(doc.body)}
}

export function describeTaskDefinition(
  ctx: EngineContext,
  input: DescribeTaskDefinitionCommandInput,
): Out<DescribeTaskDefinitionCommandOutput> {
  input = request(input, {taskDefinition: 'string', include: 'string[]'}, 'ClientException')
  const doc = resolveTaskDefinition(ctx, input.taskDefinition)
  if (!doc) throw client('Unable to describe task definition.')
  const out: Out<DescribeTaskDefinitionCommandOutput> = {taskDefinition: presentTaskDefinition(doc.body)}
  if (input.include?.includes('TAGS')) out.tags = doc.body._engine?.tags ?? []
  return out
}

const familyOf = (id: string): string => id.slice(0, id.lastIndexOf(':'))
const revisionOf = (id: string): number => Number(id.slice(id.lastIndexOf(':') + 1))

function compareIds(a: string, b: string): number {
  const fa = familyOf(a)
  const fb = familyOf(b)
  if (fa !== fb) return fa < fb ? -1 : 1
  return revisionOf(a) - revisionOf(b)
}

export function listTaskDefinitions(
  ctx: EngineContext,
  input: ListTaskDefinitionsCommandInput,
): Out<ListTaskDefinitionsCommandOutput> {
  input = request(input, {
    familyPrefix: 'string',
    status: 'string',
    sort: 'string',
    maxResults: 'integer',
    nextToken: 'string',
  })
  const status = input.status ?? 'ACTIVE'
  if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status))
    throw new EcsApiError('InvalidParameterException', `Invalid status '${status}'.`)
  const sort = input.sort ?? 'ASC'
  if (sort !== 'ASC' && sort !== 'DESC')
    throw new EcsApiError('InvalidParameterException', `Invalid sort '${sort}': use ASC or DESC.`)
  const prefix = input.familyPrefix
  const docs = ctx.tx.list('taskdef', prefix ? {parent: prefix, status, keysOnly: true} : {status, keysOnly: true})
  const ids = docs.map((d) => d.id).sort(compareIds)
  if (sort === 'DESC') ids.reverse()
  const arns = ids.map((id) => taskDefinitionArn(ctx.settings, familyOf(id), revisionOf(id)))
  const page = paginate(arns, input)
  return page.nextToken === undefined
    ? {taskDefinitionArns: page.items}
    : {taskDefinitionArns: page.items, nextToken: page.nextToken}
}

export function listTaskDefinitionFamilies(
  ctx: EngineContext,
  input: ListTaskDefinitionFamiliesCommandInput,
): Out<ListTaskDefinitionFamiliesCommandOutput> {
  input = request(input, {familyPrefix: 'string', status: 'string', maxResults: 'integer', nextToken: 'string'})
  const status = input.status ?? 'ACTIVE'
  if (!['ACTIVE', 'INACTIVE', 'ALL'].includes(status))
    throw new EcsApiError('InvalidParameterException', `Invalid status '${status}': use ACTIVE, INACTIVE or ALL.`)
  const active = new Set<string>()
  const all = new Set<string>()
  for (const doc of ctx.tx.list('taskdef', {keysOnly: true})) {
    const family = doc.parent ?? familyOf(doc.id)
    if (input.familyPrefix && !family.startsWith(input.familyPrefix)) continue
    all.add(family)
    if (doc.status === 'ACTIVE') active.add(family)
  }
  const families = [...all]
    .filter((f) => (status === 'ALL' ? true : status === 'ACTIVE' ? active.has(f) : !active.has(f)))
    .sort()
  const page = paginate(families, input)
  return page.nextToken === undefined ? {families: page.items} : {families: page.items, nextToken: page.nextToken}
}

export const taskDefinitionHandlers = {
  registerTaskDefinition,
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitions,
  listTaskDefinitionFamilies,
}
