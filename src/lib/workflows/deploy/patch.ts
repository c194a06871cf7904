/**
 * `ecsx deploy` patches: derive a new revision from the service's current task definition.
 *   --image <container>=<image>     replace a container's image
 *   --tag <tag> | <container>=<tag> retag every container's image, or one container's
 *   --env <container> KEY=VAL …     set environment variables (a bare word names the container for the pairs after it;
 *                                   with a single container the name may be left out)
 *   --cpu <n> | <container>=<n>     task-level CPU, or a container's
 *   --memory <n> | <container>=<n>  task-level memory, or a container's (MiB)
 * Unknown containers and malformed values are bad input (exit 2) naming the flag and the containers that exist.
 */
import type {ContainerDefinition, RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {InputError} from '../../errors.js'

export interface PatchFlags {
  image?: string[]
  tag?: string[]
  env?: string[]
  cpu?: string[]
  memory?: string[]
}

export function hasPatches(flags: PatchFlags): boolean {
  return [flags.image, flags.tag, flags.env, flags.cpu, flags.memory].some((v) => v !== undefined && v.length > 0)
}

/** Apply every patch flag to a copy of `input`. */
export function applyPatches(
  input: RegisterTaskDefinitionCommandInput,
  flags: PatchFlags,
): RegisterTaskDefinitionCommandInput {
  const out = structuredClone(input)
  const containers = out.containerDefinitions ?? []
  for (const spec of flags.image ?? []) {
    const [name, image] = splitPair(spec, '--image', '<container>=<image>')
    if (!image) throw new InputError(`--image ${spec}: the image is empty.`, 'Use --image <container>=<image>.')
    findContainer(containers, name, '--image').image = image
  }
  for (const spec of flags.tag ?? []) {
    const eq = spec.indexOf('=')
    const targets = eq < 0 ? containers : [findContainer(containers, spec.slice(0, eq), '--tag')]
    const tag = eq < 0 ? spec : spec.slice(eq + 1)
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
      throw new InputError(
        `--tag ${spec}: "${tag}" is not a valid image tag.`,
        'A tag is up to 128 letters, digits, "_", "." or "-", not starting with "." or "-".',
      )
    }
    for (const c of targets) c.image = retag(c.image ?? '', tag)
  }
  applyEnv(containers, flags.env ?? [])
  for (const spec of flags.cpu ?? []) applySize(out, containers, spec, 'cpu')
  for (const spec of flags.memory ?? []) applySize(out, containers, spec, 'memory')
  return out
}

/** Replace an image reference's tag (and drop any digest): "repo/app:1" → "repo/app:<tag>", "host:5000/app" → "host:5000/app:<tag>". */
export function retag(image: string, tag: string): string {
  const withoutDigest = image.split('@')[0]
  const slash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  const repo = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest
  return `${repo}:${tag}`
}

function splitPair(spec: string, flag: string, form: string): [string, string] {
  const eq = spec.indexOf('=')
  if (eq <= 0) throw new InputError(`${flag} ${spec}: expected ${form}.`)
  return [spec.slice(0, eq), spec.slice(eq + 1)]
}

function findContainer(containers: ContainerDefinition[], name: string, flag: string): ContainerDefinition {
  const c = containers.find((x) => x.name === name)
  if (!c) {
    throw new InputError(
      `${flag}: the task definition has no container "${name}".`,
      `Containers: ${containers.map((x) => x.name).join(', ') || '(none)'}.`,
    )
  }
  return c
}

function applyEnv(containers: ContainerDefinition[], tokens: string[]): void {
  let current: ContainerDefinition | undefined = containers.length === 1 ? containers[0] : undefined
  for (const token of tokens) {
    const eq = token.indexOf('=')
    if (eq < 0) {
      current = findContainer(containers, token, '--env')
      continue
    }
    if (eq === 0)
      throw new InputError(`--env ${token}: the variable name is empty.`, 'Use --env <container> KEY=VALUE.')
    if (!current) {
      throw new InputError(
        `--env ${token}: name the container first (--env <container> KEY=VALUE); the task definition has several.`,
        `Containers: ${containers.map((x) => x.name).join(', ')}.`,
      )
    }
    const name = token.slice(0, eq)
    const value = token.slice(eq + 1)
    const env = (current.environment ??= [])
    const existing = env.find((e) => e.name === name)
    if (existing) existing.value = value
    else env.push({name, value})
  }
}

function applySize(
  td: RegisterTaskDefinitionCommandInput,
  containers: ContainerDefinition[],
  spec: string,
  key: 'cpu' | 'memory',
): void {
  const flag = `--${key}`
  const eq = spec.indexOf('=')
  if (eq < 0) {
    // task level: ECS takes strings, integers ("512") or with units ("1 vCPU", "2 GB")
    if (!/^\s*\d+(\.\d+)?\s*(vcpu|gb|mb)?\s*$/i.test(spec))
      throw new InputError(`${flag} ${spec}: expected a number (task level) or <container>=<number>.`)
    td[key] = spec.trim()
    return
  }
  const c = findContainer(containers, spec.slice(0, eq), flag)
  const n = Number(spec.slice(eq + 1))
  if (!Number.isInteger(n) || n < 0)
    throw new InputError(
      `${flag} ${spec}: the container ${key} must be a whole number${key === 'memory' ? ' of MiB' : ' of CPU units'}.`,
    )
  c[key] = n
}
