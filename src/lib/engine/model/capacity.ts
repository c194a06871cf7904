/**
 * What a container instance brings to the cluster: EC2 instance types → registered CPU/MEMORY/GPU and ENI limits,
 * the built-in and capability attributes the agent reports, default reserved ports and the ephemeral port range,
 * Availability Zone names, and what a task definition demands (resources and required attributes).
 *
 * Registered MEMORY is what the agent reports: floor(OS-visible bytes / 1 MiB) − ECS_RESERVED_MEMORY. The guide
 * quotes t2.micro 995, t2.medium 3943, m4.large 7985, c4.large 3768 (3767 in another sample), c4.4xlarge 30158;
 * those are used as is. For other types the OS-visible memory is not in the seeds, so it is derived as
 * floor(GiB × 1024 × 0.98) − 8 (the kernel and firmware keep ≈2 %), which reproduces t2.micro exactly and the other
 * quoted values within 2 %.
 */
import type {Attribute, ContainerDefinition, TaskDefinition, TaskOverride} from '@aws-sdk/client-ecs'
import type {Protocol, TaskDemand} from '../placement/types.js'

export interface InstanceType {
  name: string
  vcpu: number
  /** Marketing memory in GiB. */
  memoryGiB: number
  /** CPU units the agent registers (vCPU × 1024). */
  cpu: number
  /** MiB the agent registers (see the module comment). */
  memory: number
  /** Maximum network interfaces (the primary included): awsvpc tasks = maxEnis − 1. */
  maxEnis: number
  gpus: number
  architecture: 'x86_64' | 'arm64'
}

/** Registered memory quoted by the guide (MiB). */
const QUOTED_MEMORY: Record<string, number> = {
  't2.micro': 995,
  't2.medium': 3943,
  'm4.large': 7985,
  'c4.large': 3768,
  'c4.4xlarge': 30158,
}

export const derivedRegisteredMemory = (memoryGiB: number): number => Math.floor(memoryGiB * 1024 * 0.98) - 8

/** name, vCPU, GiB, max ENIs, GPUs */
type Row = [string, number, number, number, number?]

const ROWS: Row[] = [
  ['t2.nano', 1, 0.5, 2],
  ['t2.micro', 1, 1, 2],
  ['t2.small', 1, 2, 3],
  ['t2.medium', 2, 4, 3],
  ['t2.large', 2, 8, 3],
  ['t2.xlarge', 4, 16, 3],
  ['t2.2xlarge', 8, 32, 3],
  ['t3.nano', 2, 0.5, 2],
  ['t3.micro', 2, 1, 2],
  ['t3.small', 2, 2, 3],
  ['t3.medium', 2, 4, 3],
  ['t3.large', 2, 8, 3],
  ['t3.xlarge', 4, 16, 4],
  ['t3.2xlarge', 8, 32, 4],
  ['t3a.nano', 2, 0.5, 2],
  ['t3a.micro', 2, 1, 2],
  ['t3a.small', 2, 2, 2],
  ['t3a.medium', 2, 4, 3],
  ['t3a.large', 2, 8, 3],
  ['t3a.xlarge', 4, 16, 4],
  ['t3a.2xlarge', 8, 32, 4],
  ['m4.large', 2, 8, 2],
  ['m4.xlarge', 4, 16, 4],
  ['m4.2xlarge', 8, 32, 4],
  ['m4.4xlarge', 16, 64, 8],
  ['m4.10xlarge', 40, 160, 8],
  ['m4.16xlarge', 64, 256, 8],
  ['m5.large', 2, 8, 3],
  ['m5.xlarge', 4, 16, 4],
  ['m5.2xlarge', 8, 32, 4],
  ['m5.4xlarge', 16, 64, 8],
  ['m5.8xlarge', 32, 128, 8],
  ['m5.12xlarge', 48, 192, 8],
  ['m5.16xlarge', 64, 256, 15],
  ['m5.24xlarge', 96, 384, 15],
  ['c4.large', 2, 3.75, 3],
  ['c4.xlarge', 4, 7.5, 4],
  ['c4.2xlarge', 8, 15, 4],
  ['c4.4xlarge', 16, 30, 8],
  ['c4.8xlarge', 36, 60, 8],
  ['c5.large', 2, 4, 3],
  ['c5.xlarge', 4, 8, 4],
  ['c5.2xlarge', 8, 16, 4],
  ['c5.4xlarge', 16, 32, 8],
  ['c5.9xlarge', 36, 72, 8],
  ['c5.12xlarge', 48, 96, 8],
  ['c5.18xlarge', 72, 144, 15],
  ['c5.24xlarge', 96, 192, 15],
  ['r5.large', 2, 16, 3],
  ['r5.xlarge', 4, 32, 4],
  ['r5.2xlarge', 8, 64, 4],
  ['r5.4xlarge', 16, 128, 8],
  ['r5.8xlarge', 32, 256, 8],
  ['r5.12xlarge', 48, 384, 8],
  ['r5.16xlarge', 64, 512, 15],
  ['r5.24xlarge', 96, 768, 15],
  ['a1.medium', 1, 2, 2],
  ['a1.large', 2, 4, 3],
  ['a1.xlarge', 4, 8, 4],
  ['a1.2xlarge', 8, 16, 4],
  ['a1.4xlarge', 16, 32, 8],
  ['p2.xlarge', 4, 61, 4, 1],
  ['p2.8xlarge', 32, 488, 8, 8],
  ['p2.16xlarge', 64, 732, 8, 16],
  ['p3.2xlarge', 8, 61, 4, 1],
  ['p3.8xlarge', 32, 244, 8, 4],
  ['p3.16xlarge', 64, 488, 8, 8],
  ['g2.2xlarge', 8, 15, 4, 1],
  ['g2.8xlarge', 32, 60, 8, 4],
  ['g3s.xlarge', 4, 30.5, 4, 1],
  ['g3.4xlarge', 16, 122, 8, 1],
  ['g3.8xlarge', 32, 244, 8, 2],
  ['g3.16xlarge', 64, 488, 15, 4],
]

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceType> = new Map(
  ROWS.map(([name, vcpu, memoryGiB, maxEnis, gpus]) => [
    name,
    {
      name,
      vcpu,
      memoryGiB,
      cpu: vcpu * 1024,
      memory: QUOTED_MEMORY[name] ?? derivedRegisteredMemory(memoryGiB),
      maxEnis,
      gpus: gpus ?? 0,
      architecture: name.startsWith('a1.') ? 'arm64' : 'x86_64',
    },
  ]),
)

export const instanceType = (name: string): InstanceType | undefined => INSTANCE_TYPES.get(name)

/** Default instance type of simulated instances. */
export const DEFAULT_INSTANCE_TYPE = 't2.medium'

/** ECS_RESERVED_PORTS default on Linux (spec §3.8, §11.1) and Windows. */
export const DEFAULT_RESERVED_TCP_PORTS: readonly number[] = [22, 2375, 2376, 51678, 51679, 51680]
export const DEFAULT_RESERVED_TCP_PORTS_WINDOWS: readonly number[] = [
  53, 135, 139, 445, 2375, 2376, 3389, 5985, 51678, 51679,
]
/** ECS_RESERVED_PORTS_UDP default. */
export const DEFAULT_RESERVED_UDP_PORTS: readonly number[] = []
/** At most this many reserved ports per instance, defaults included (dynamic ports do not count). */
export const MAX_RESERVED_PORTS = 100
/** Dynamic host ports come from here: the placer assigns them (placement stays free of the model). */
export {EPHEMERAL_PORT_RANGE} from '../placement/state.js'

/** Availability Zones of a region: us-east-1 has a…f, every other region a, b, c. */
export function availabilityZones(region: string): string[] {
  const letters = region === 'us-east-1' ? ['a', 'b', 'c', 'd', 'e', 'f'] : ['a', 'b', 'c']
  return letters.map((letter) => `${region}${letter}`)
}

/** The Docker Remote API versions a current agent advertises. */
export const DOCKER_REMOTE_API_VERSIONS: readonly string[] = Array.from({length: 44 - 17 + 1}, (_, i) => `1.${17 + i}`)

/** ECS_AVAILABLE_LOGGING_DRIVERS as ecs-init configures it. */
export const DEFAULT_LOGGING_DRIVERS: readonly string[] = ['json-file', 'syslog', 'awslogs', 'none']

const CAP = 'com.amazonaws.ecs.capability.'

export interface InstanceDescription {
  instanceType: string
  availabilityZone: string
  amiId: string
  osType?: 'linux' | 'windows'
  /** ECS_AVAILABLE_LOGGING_DRIVERS (default json-file, syslog, awslogs, none). */
  loggingDrivers?: readonly string[]
  /** ECS_DISABLE_PRIVILEGED */
  disablePrivileged?: boolean
}

/** The built-in and capability attributes an agent registers (spec §3.3). Capability attributes have no value. */
export function builtInAttributes(instance: InstanceDescription): Attribute[] {
  const osType = instance.osType ?? 'linux'
  const architecture = instanceType(instance.instanceType)?.architecture ?? 'x86_64'
  const gpus = instanceType(instance.instanceType)?.gpus ?? 0
  const attributes: Attribute[] = [
    {name: 'ecs.ami-id', value: instance.amiId},
    {name: 'ecs.availability-zone', value: instance.availabilityZone},
    {name: 'ecs.instance-type', value: instance.instanceType},
    {name: 'ecs.os-type', value: osType},
    {name: 'ecs.cpu-architecture', value: architecture},
  ]
  const capabilities: string[] = [
    ...DOCKER_REMOTE_API_VERSIONS.map((v) => `${CAP}docker-remote-api.${v}`),
    ...(instance.loggingDrivers ?? DEFAULT_LOGGING_DRIVERS).map((d) => `${CAP}logging-driver.${d}`),
    `${CAP}ecr-auth`,
    `${CAP}task-iam-role`,
    `${CAP}private-registry-authentication.secretsmanager`,
    'ecs.capability.execution-role-ecr-pull',
    'ecs.capability.execution-role-awslogs',
    'ecs.capability.container-health-check',
    'ecs.capability.container-ordering',
    'ecs.capability.secrets.asm.environment-variables',
    'ecs.capability.secrets.ssm.environment-variables',
    'ecs.capability.task-cpu-mem-limit',
  ]
  if (osType === 'linux') {
    capabilities.push(`${CAP}task-iam-role-network-host`, 'ecs.capability.task-eni')
    if (!instance.disablePrivileged) capabilities.push(`${CAP}privileged-container`)
  }
  if (gpus > 0) capabilities.push('ecs.capability.gpu-driver')
  return [...attributes, ...capabilities.sort().map((name) => ({name}))]
}

/** What registration reports as registeredResources' scalar values for a type (ECS_RESERVED_MEMORY subtracted). */
export function registeredCapacity(
  typeName: string,
  reservedMemory = 0,
): {cpu: number; memory: number; gpu: number; maxEnis: number} {
  const type = instanceType(typeName)
  if (!type) throw new Error(`unknown instance type ${typeName}`)
  return {cpu: type.cpu, memory: type.memory - reservedMemory, gpu: type.gpus, maxEnis: type.maxEnis}
}

type TaskDefinitionLike = Pick<
  TaskDefinition,
  'containerDefinitions' | 'networkMode' | 'taskRoleArn' | 'executionRoleArn' | 'cpu' | 'memory'
> & {
  requiresAttributes?: Attribute[]
}

const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//

/**
 * The attributes an instance needs to run a task definition (spec §2.9), sorted and without duplicates.
 * A network mode other than the default implies Docker Remote API 1.18, which is what makes the guide's awsvpc/Fargate
 * sample require `docker-remote-api.1.18` together with `ecs.capability.task-eni` (p. 527).
 */
export function requiredAttributesFor(taskDefinition: TaskDefinitionLike): Attribute[] {
  const names = new Set<string>()
  const mode = taskDefinition.networkMode
  if (mode) names.add(`${CAP}docker-remote-api.1.18`)
  if (mode === 'awsvpc') names.add('ecs.capability.task-eni')
  if (taskDefinition.taskRoleArn) {
    names.add(`${CAP}task-iam-role`)
    if (mode === 'host') names.add(`${CAP}task-iam-role-network-host`)
  }
  for (const container of taskDefinition.containerDefinitions ?? []) {
    const log = container.logConfiguration
    if (log || (container.ulimits?.length ?? 0) > 0 || Object.keys(container.dockerLabels ?? {}).length > 0)
      names.add(`${CAP}docker-remote-api.1.18`)
    if (log?.logDriver) {
      names.add(`${CAP}logging-driver.${log.logDriver}`)
      if (Object.keys(log.options ?? {}).length > 0) names.add(`${CAP}docker-remote-api.1.19`)
      if (log.logDriver === 'awslogs' && taskDefinition.executionRoleArn)
        names.add('ecs.capability.execution-role-awslogs')
    }
    if (container.linuxParameters?.initProcessEnabled) names.add(`${CAP}docker-remote-api.1.25`)
    if (container.privileged) names.add(`${CAP}privileged-container`)
    if (container.image && ECR_IMAGE.test(container.image)) {
      names.add(`${CAP}ecr-auth`)
      if (taskDefinition.executionRoleArn) names.add('ecs.capability.execution-role-ecr-pull')
    }
    if (container.repositoryCredentials) names.add(`${CAP}private-registry-authentication.secretsmanager`)
    if (container.healthCheck) names.add('ecs.capability.container-health-check')
    if ((container.dependsOn?.length ?? 0) > 0) names.add('ecs.capability.container-ordering')
    for (const secret of container.secrets ?? []) {
      names.add(
        secret.valueFrom?.includes(':secretsmanager:')
          ? 'ecs.capability.secrets.asm.environment-variables'
          : 'ecs.capability.secrets.ssm.environment-variables',
      )
    }
  }
  return [...names].sort().map((name) => ({name}))
}

/** Task size string → CPU units (`"1024"`, `"1 vCPU"`, `"0.25 vcpu"`); undefined when absent or unparsable. */
export function parseCpuUnits(value: string | number | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return value
  const vcpu = /^\s*(\d*\.?\d+)\s*vcpu\s*$/i.exec(value)
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024)
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined
}

/** Task size string → MiB (`"512"`, `"1GB"`, `"1 GB"`, `"0.5 gb"`); undefined when absent or unparsable. */
export function parseMemoryMiB(value: string | number | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return value
  const gb = /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value)
  if (gb) return Math.round(Number(gb[1]) * 1024)
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined
}

const gpuCount = (container: Pick<ContainerDefinition, 'resourceRequirements'>): number =>
  (container.resourceRequirements ?? [])
    .filter((r) => r.type === 'GPU')
    .reduce((sum, r) => sum + (Number(r.value) || 0), 0)

/**
 * What one task of `taskDefinition` takes from an instance (spec §5.1): task-level cpu/memory when set (after
 * overrides), else the sum over containers (memoryReservation ?? memory, overrides applied by container name);
 * host ports by network mode — bridge: hostPort > 0 static, 0/absent dynamic; host: hostPort ?? containerPort
 * static; awsvpc and none: no host ports (awsvpc needs an ENI slot instead). `requiresAttributes` is the
 * definition's own list when registered, else computed. `allowedAvailabilityZones` is left to the caller (AZs of
 * the awsvpc subnets).
 */
export function demandOf(taskDefinition: TaskDefinitionLike, overrides?: TaskOverride): TaskDemand {
  const byName = new Map((overrides?.containerOverrides ?? []).map((o) => [o.name, o]))
  const containers = (taskDefinition.containerDefinitions ?? []).map((c) => {
    const o = c.name === undefined ? undefined : byName.get(c.name)
    return {
      ...c,
      cpu: o?.cpu ?? c.cpu,
      memory: o?.memory ?? c.memory,
      memoryReservation: o?.memoryReservation ?? c.memoryReservation,
      resourceRequirements: o?.resourceRequirements ?? c.resourceRequirements,
    }
  })
  const taskCpu = parseCpuUnits(overrides?.cpu ?? taskDefinition.cpu)
  const taskMemory = parseMemoryMiB(overrides?.memory ?? taskDefinition.memory)
  const cpu = taskCpu ?? containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0)
  const memory = taskMemory ?? containers.reduce((sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0), 0)
  const mode = taskDefinition.networkMode ?? 'bridge'
  const staticPorts: Array<{port: number; protocol: Protocol}> = []
  const dynamicPorts: Array<{protocol: Protocol}> = []
  if (mode === 'bridge' || mode === 'host') {
    for (const container of containers) {
      for (const mapping of container.portMappings ?? []) {
        const protocol: Protocol = mapping.protocol === 'udp' ? 'udp' : 'tcp'
        const hostPort = mode === 'host' ? mapping.hostPort || mapping.containerPort : mapping.hostPort
        if (hostPort) staticPorts.push({port: hostPort, protocol})
        else if (mapping.containerPort !== undefined) dynamicPorts.push({protocol})
      }
    }
  }
  const requiresAttributes = (taskDefinition.requiresAttributes ?? requiredAttributesFor(taskDefinition))
    .filter((a): a is Attribute & {name: string} => typeof a.name === 'string')
    .map((a) => (a.value === undefined ? {name: a.name} : {name: a.name, value: a.value}))
  return {
    cpu,
    memory,
    gpu: containers.reduce((sum, c) => sum + gpuCount(c), 0),
    staticPorts,
    dynamicPorts,
    needsEni: mode === 'awsvpc',
    requiresAttributes,
  }
}
