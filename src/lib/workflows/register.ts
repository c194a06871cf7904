/**
 * Register a task definition unless the latest ACTIVE revision of its family already says the same thing
 * (spec ecs-cli.md §12, fixing ecs-cli's per-machine cache, issue #764): the request and that revision are both
 * reduced to the fields a RegisterTaskDefinition request can carry, with ECS's defaults filled/dropped the same way
 * on both sides, and compared. Equal → reuse; otherwise register a new revision.
 */
import type {
  ContainerDefinition,
  KeyValuePair,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs'

import type {Backend} from '../ecs/backend.js'

export interface RegisterResult {
  taskDefinition: TaskDefinition
  reused: boolean
}

/** Fields of a task definition that a RegisterTaskDefinition request sets (everything else is server-filled). */
const REQUEST_FIELDS = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const

type Json = null | boolean | number | string | Json[] | {[k: string]: Json}

/** Drop undefined/null/''/[]/{} and `false` (ECS echoes absent booleans as false or omits them); keep essential:false. */
function prune(value: unknown, key = ''): Json | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (value === false) return key === 'essential' ? false : undefined
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) {
    const items = value.map((v) => prune(v)).filter((v): v is Json => v !== undefined)
    return items.length > 0 ? items : undefined
  }
  if (typeof value === 'object') {
    const out: {[k: string]: Json} = {}
    for (const k of Object.keys(value as object).sort()) {
      const v = prune((value as Record<string, unknown>)[k], k)
      if (v !== undefined) out[k] = v
    }
    return Object.keys(out).length > 0 ? out : undefined
  }
  return value as Json
}

/** "1 vCPU" → "1024", "2 GB" → "2048": ECS stores task-level sizes as numbers in strings. */
function normaliseSize(value: string | undefined, unit: RegExp): string | undefined {
  if (value === undefined) return undefined
  const s = value.trim()
  const m = unit.exec(s)
  if (m) return String(Math.round(Number.parseFloat(m[1]) * 1024))
  return s
}

const byName = <T extends {name?: string}>(a: T, b: T) => (a.name ?? '').localeCompare(b.name ?? '')

function normaliseContainer(c: ContainerDefinition, networkMode: string): Record<string, unknown> {
  const out: Record<string, unknown> = {...c}
  if (out.cpu === 0) delete out.cpu
  if (out.essential === undefined || out.essential === true) delete out.essential
  if (c.environment) out.environment = [...c.environment].sort(byName as (a: KeyValuePair, b: KeyValuePair) => number)
  if (c.secrets) out.secrets = [...c.secrets].sort(byName)
  if (c.portMappings) {
    out.portMappings = c.portMappings.map((p) => {
      const m: Record<string, unknown> = {...p, protocol: p.protocol ?? 'tcp'}
      if (networkMode === 'awsvpc' || networkMode === 'host') m.hostPort = p.hostPort ?? p.containerPort
      else if (!p.hostPort) delete m.hostPort
      return m
    })
  }
  if (c.healthCheck) {
    out.healthCheck = {
      ...c.healthCheck,
      interval: c.healthCheck.interval ?? 30,
      timeout: c.healthCheck.timeout ?? 5,
      retries: c.healthCheck.retries ?? 3,
      startPeriod: c.healthCheck.startPeriod || undefined,
    }
  }
  return out
}

/** The comparable form of a request or a registered revision. */
export function normaliseTaskDefinition(
  td: RegisterTaskDefinitionCommandInput | TaskDefinition,
  tags?: Tag[],
): Json | undefined {
  const picked: Record<string, unknown> = {}
  for (const field of REQUEST_FIELDS) picked[field] = (td as Record<string, unknown>)[field]
  const networkMode = (td.networkMode as string | undefined) ?? 'bridge'
  picked.networkMode = networkMode
  picked.containerDefinitions = [...(td.containerDefinitions ?? [])]
    .sort(byName)
    .map((c) => normaliseContainer(c, networkMode))
  if (td.volumes) picked.volumes = [...td.volumes].sort(byName)
  if (td.requiresCompatibilities) picked.requiresCompatibilities = [...td.requiresCompatibilities].sort()
  picked.cpu = normaliseSize(td.cpu, /^(\d+(?:\.\d+)?)\s*vcpu$/i)
  picked.memory = normaliseSize(td.memory, /^(\d+(?:\.\d+)?)\s*gb$/i)
  picked.tags = tags ? [...tags].sort((a, b) => (a.key ?? '').localeCompare(b.key ?? '')) : undefined
  return prune(picked)
}

export function sameTaskDefinition(
  request: RegisterTaskDefinitionCommandInput,
  existing: TaskDefinition,
  existingTags?: Tag[],
): boolean {
  return (
    JSON.stringify(normaliseTaskDefinition(request, request.tags)) ===
    JSON.stringify(normaliseTaskDefinition(existing, existingTags))
  )
}

/** Errors that mean "this family has no ACTIVE revision". */
function isNotFound(err: unknown): boolean {
  const name = (err as {name?: string})?.name
  return name === 'ClientException' || name === 'InvalidParameterException' || name === 'ResourceNotFoundException'
}

async function latestActive(
  backend: Backend,
  family: string,
): Promise<{taskDefinition: TaskDefinition; tags?: Tag[]} | undefined> {
  try {
    const out = await backend.describeTaskDefinition({taskDefinition: family, include: ['TAGS']})
    if (!out.taskDefinition || out.taskDefinition.status !== 'ACTIVE') return undefined
    return {taskDefinition: out.taskDefinition, tags: out.tags}
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
}

export async function registerTaskDefinition(
  backend: Backend,
  input: RegisterTaskDefinitionCommandInput,
): Promise<RegisterResult> {
  const latest = await latestActive(backend, input.family as string)
  if (latest && sameTaskDefinition(input, latest.taskDefinition, latest.tags)) {
    return {taskDefinition: latest.taskDefinition, reused: true}
  }
  const out = await backend.registerTaskDefinition(input)
  if (!out.taskDefinition) throw new Error(`RegisterTaskDefinition returned no task definition for ${input.family}`)
  return {taskDefinition: out.taskDefinition, reused: false}
}

/** "family:revision" of a task definition or its ARN. */
export function familyRevision(td: TaskDefinition | string): string {
  if (typeof td === 'string') return td.slice(td.lastIndexOf('/') + 1)
  return `${td.family}:${td.revision}`
}
