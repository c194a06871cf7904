/** The container's environment: env_file, environment (with shell pass-through), and secrets. */
import {existsSync} from 'node:fs'

import type {KeyValuePair, Secret} from '@aws-sdk/client-ecs'

import {parseDotenv} from '../dotenv.js'
import {ComposeError} from '../errors.js'
import type {Located} from '../load/model.js'
import {SERVICE_SECRET_LONG_KEYS, TOP_SECRET_KEYS} from '../schema.js'
import {displayPath, readText} from '../source.js'
import {describe, parseBoolean} from '../units.js'
import {isDict, scalarString, type Dict} from '../values.js'
import {unit} from './context.js'
import type {ServiceScope} from './scope.js'

const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

export function translateEnvironment(s: ServiceScope): void {
  const {project} = s.ctx
  const env = new Map<string, string>()
  for (const ef of s.svc.envFiles) {
    const display = displayPath(ef.v.path, project.cwd)
    if (!existsSync(ef.v.path)) {
      if (ef.v.required)
        s.fail(
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
  for (const [name, {v, at}] of s.svc.environment) {
    if (v !== null) {
      env.set(name, v)
      continue
    }
    const fromShell = project.lookup(name)
    if (fromShell === undefined) {
      env.delete(name)
      s.warn(
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
    s.def.environment = out
  }
}

export function translateSecrets(s: ServiceScope): void {
  const items = s.svc.lists.get('secrets') ?? []
  const out = new Map<string, Secret>()
  for (const item of items) {
    let source: string
    let target: string | undefined
    if (typeof item.v === 'string') source = item.v
    else if (isDict(item.v)) {
      for (const k of Object.keys(item.v)) {
        if (!SERVICE_SECRET_LONG_KEYS.includes(k))
          s.fail('secrets', `unknown key "${k}"; valid keys: ${SERVICE_SECRET_LONG_KEYS.join(', ')}`, [], item.at)
        if (k === 'uid' || k === 'gid' || k === 'mode')
          s.warn('secrets', `secrets.${k} is ignored: ECS passes secrets as environment variables`, [], item.at)
      }
      if (typeof item.v.source !== 'string')
        s.fail('secrets', 'a secret needs a source (the name of a top-level secret)', [], item.at)
      source = item.v.source as string
      target = scalarString(item.v.target)
    } else s.fail('secrets', `secrets items must be names or {source, target}, not ${describe(item.v)}`, [], item.at)
    const top = s.ctx.project.secrets.get(source)
    if (!top) s.fail('secrets', `secret "${source}" is not defined in the top-level secrets`, [], item.at)
    const valueFrom = secretValueFrom(source, top as Located<Dict>)
    const name = target ?? source
    if (!ENV_NAME_RE.test(name)) {
      s.fail(
        'secrets',
        `secret "${source}" would become the environment variable ${JSON.stringify(name)}, which is not a valid name; ` +
          'set target: to a name like DB_PASSWORD',
        [],
        item.at,
      )
    }
    out.set(name, {name, valueFrom})
  }
  for (const p of s.sp?.secrets ?? []) out.set(p.v.name as string, p.v)
  if (out.size > 0) s.def.secrets = [...out.values()]
}

/** A top-level secret → the ARN or parameter ECS reads it from. */
function secretValueFrom(name: string, top: Located<Dict>): string {
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
    `secret "${name}" comes from ${kind ? `"${kind}"` : 'nowhere'}, which ECS cannot read: ` +
      'ECS takes secrets from Secrets Manager or SSM Parameter Store. ' +
      'Use external: true with name: <ARN or parameter name>, or add x-ecsx-value-from: <ARN> (keeping file: for local Docker)',
  )
}
