/**
 * Task definitions in a canonical, comparable and readable form:
 *   - `toRegisterInput`: a registered TaskDefinition → the RegisterTaskDefinition request that would recreate it
 *     (read-only fields ECS fills in are dropped: ARN, revision, status, compatibilities, requiresAttributes,
 *     registeredAt/By, deregisteredAt);
 *   - `canonical`: drops what carries no meaning (undefined, null, empty arrays and objects, container `cpu: 0`),
 *     fills ECS's defaults (`essential: true`), sorts environment/secrets by name and object keys alphabetically,
 *     so that a request and the revision registered from it compare equal and diff cleanly.
 */
import type {ContainerDefinition, RegisterTaskDefinitionCommandInput, TaskDefinition} from '@aws-sdk/client-ecs'

const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'compatibilities',
  'requiresAttributes',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const

export function toRegisterInput(td: TaskDefinition, tags?: RegisterTaskDefinitionCommandInput['tags']): RegisterTaskDefinitionCommandInput {
  const copy: Record<string, unknown> = structuredClone(td) as Record<string, unknown>
  for (const f of READ_ONLY_FIELDS) delete copy[f]
  const input = copy as unknown as RegisterTaskDefinitionCommandInput
  if (tags && tags.length > 0) input.tags = tags
  return input
}

type Json = null | boolean | number | string | Json[] | {[k: string]: Json}

/** The canonical form of a RegisterTaskDefinition request (see the module comment). Tags are left out. */
export function canonical(input: RegisterTaskDefinitionCommandInput): Json {
  const {tags: _tags, ...rest} = input
  const containers = (rest.containerDefinitions ?? []).map(canonicalContainer)
  containers.sort((a, b) => String(a.name).localeCompare(String(b.name)))
  const shaped = {...rest, containerDefinitions: containers}
  return prune(sortKeys(shaped as unknown as Json)) ?? {}
}

function canonicalContainer(c: ContainerDefinition): ContainerDefinition {
  const out: ContainerDefinition = {...c}
  if (out.essential === undefined) out.essential = true
  if (out.cpu === 0) delete out.cpu
  if (out.environment) out.environment = [...out.environment].sort((a, b) => String(a.name).localeCompare(String(b.name)))
  if (out.secrets) out.secrets = [...out.secrets].sort((a, b) => String(a.name).localeCompare(String(b.name)))
  if (out.portMappings) {
    out.portMappings = out.portMappings.map((p) => {
      const m = {...p}
      if (m.protocol === 'tcp') delete m.protocol
      return m
    })
  }
  return out
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value instanceof Date) return (value as Date).toISOString()
  if (value && typeof value === 'object') {
    const out: {[k: string]: Json} = {}
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k])
    return out
  }
  return value
}

/** Remove undefined/null, empty arrays and empty objects, recursively. Returns undefined when nothing is left. */
function prune(value: Json | undefined): Json | undefined {
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v): v is Json => v !== undefined)
    return items.length > 0 ? items : undefined
  }
  if (typeof value === 'object') {
    const out: {[k: string]: Json} = {}
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v)
      if (p !== undefined) out[k] = p
    }
    return Object.keys(out).length > 0 ? out : undefined
  }
  return value
}

/** Canonical JSON text, two-space indented: what the diff compares line by line. */
export function canonicalText(input: RegisterTaskDefinitionCommandInput): string {
  return JSON.stringify(canonical(input), null, 2) + '\n'
}

export function sameDefinition(a: RegisterTaskDefinitionCommandInput, b: RegisterTaskDefinitionCommandInput): boolean {
  return canonicalText(a) === canonicalText(b)
}
