/**
 * RegisterTaskDefinition's container rules (spec §2.4–2.6): names, images, cpu and memory, port mappings by network
 * mode, references between containers and volumes (links, mountPoints, volumesFrom, dependsOn without cycles), log
 * drivers, ulimits, health checks; and the normalised definitions ECS stores (defaults filled in).
 */
import type {ContainerDefinition, PortMapping, RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {client, isInt, validateName} from './rules.js'
import type {TaskSize} from './size.js'

const IMAGE_PATTERN = /^[a-zA-Z0-9\-_:./#@]{1,255}$/
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
const MIN_CONTAINER_MEMORY = 4

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
          : `Container '${c.name}' exposes containerPort ${m.containerPort} for both ${previous} and ${protocol}; ` +
              'a container port can use only one protocol.',
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
      `Invalid setting for container '${c.name}': ` +
        `'memory' (${memory} MiB) must be greater than 'memoryReservation' (${memoryReservation} MiB).`,
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

/** What a container's references are checked against. */
interface ContainerScope {
  defs: ContainerDefinition[]
  names: Set<string>
  networkMode: string
  size: TaskSize
  volumeNames: Set<string>
}

export function validateContainers(
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
  const scope: ContainerScope = {defs, names, networkMode, size, volumeNames}
  const containers = defs.map((c) => validateContainer(c, scope))
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

/** One container: its own settings, its references, then the normalised definition. */
function validateContainer(c: ContainerDefinition, scope: ContainerScope): ContainerDefinition {
  const {networkMode} = scope
  if (typeof c.image !== 'string' || c.image.trim() === '')
    throw client(`Container.image should not be null or empty (container '${c.name}').`)
  if (!IMAGE_PATTERN.test(c.image)) {
    throw client(
      `Invalid image '${c.image}' (container '${c.name}'): up to 255 letters, numbers, hyphens, underscores, ` +
        'colons, periods, slashes, at signs and number signs.',
    )
  }
  if (c.cpu !== undefined && c.cpu !== null && (!isInt(c.cpu) || c.cpu < 0)) {
    throw client(`Invalid 'cpu' setting for container '${c.name}': use a non-negative integer number of CPU units.`)
  }
  validateContainerMemory(c, scope.size.memory)
  const portMappings = validatePortMappings(c, networkMode)
  validateReferences(c, scope)
  const driver = c.logConfiguration?.logDriver
  if (c.logConfiguration && (!driver || !LOG_DRIVERS.includes(driver))) {
    throw client(`Invalid logDriver '${driver ?? ''}' (container '${c.name}'): use one of ${LOG_DRIVERS.join(', ')}.`)
  }
  for (const u of c.ulimits ?? []) {
    if (!u.name || !ULIMIT_NAMES.includes(u.name) || !isInt(u.softLimit) || !isInt(u.hardLimit)) {
      throw client(
        `Invalid ulimit ${JSON.stringify(u)} (container '${c.name}'): ` +
          `name (one of ${ULIMIT_NAMES.join(', ')}), softLimit and hardLimit are required.`,
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
}

/** Links (bridge only), hostname (not awsvpc), mountPoints, volumesFrom and dependsOn name what exists. */
function validateReferences(c: ContainerDefinition, scope: ContainerScope): void {
  const {defs, names, networkMode, volumeNames} = scope
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
        `Invalid 'mountPoints' in container '${c.name}': ` +
          `sourceVolume '${mount.sourceVolume}' is not a volume of this task definition.`,
      )
    }
  }
  for (const from of c.volumesFrom ?? []) {
    if (!from.sourceContainer || !names.has(from.sourceContainer) || from.sourceContainer === c.name) {
      throw client(
        `Invalid 'volumesFrom' in container '${c.name}': ` +
          `sourceContainer '${from.sourceContainer ?? ''}' is not another container of this task definition.`,
      )
    }
  }
  for (const dep of c.dependsOn ?? []) {
    if (!dep.containerName || !names.has(dep.containerName) || dep.containerName === c.name) {
      throw client(
        `Invalid 'dependsOn' in container '${c.name}': ` +
          `'${dep.containerName ?? ''}' is not another container of this task definition.`,
      )
    }
    if (!dep.condition || !DEPENDENCY_CONDITIONS.includes(dep.condition)) {
      throw client(
        `Invalid dependsOn condition '${dep.condition ?? ''}' in container '${c.name}': ` +
          'use START, COMPLETE, SUCCESS or HEALTHY.',
      )
    }
    if (dep.condition === 'HEALTHY' && !defs.find((d) => d.name === dep.containerName)?.healthCheck) {
      throw client(
        `Container '${c.name}' depends on '${dep.containerName}' being HEALTHY, ` +
          `but '${dep.containerName}' has no healthCheck.`,
      )
    }
  }
}
