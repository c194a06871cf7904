/**
 * ecs-params.yml (schema version 1): ECS settings that Compose cannot express. Interpolated like Compose
 * (`$VAR`, `${VAR}`, `${VAR:-default}`, …) with an error for unset variables that have no default. Every unknown
 * key is an error naming the file, line and the valid keys (ecs-cli silently ignored typos, issue #982).
 */
import {existsSync} from 'node:fs'
import * as path from 'node:path'

import type {TaskDefinitionPlacementConstraint} from '@aws-sdk/client-ecs'

import {InterpolationError, interpolateTree, type Lookup} from '../interpolate.js'
import {SourceFile, displayPath, parseYaml, readText, type Path} from '../source.js'
import {describe, normalizeTaskCpu, normalizeTaskMemory} from '../units.js'
import {KEYS} from './keys.js'
import type {EcsParams} from './model.js'
import {Reader} from './reader.js'
import {parseRunParams} from './run.js'
import {parseService} from './service.js'
import {parseVolumes} from './volumes.js'

export type {EcsParams, HealthcheckParams, ServiceParams} from './model.js'
export {healthcheckCommand} from './service.js'

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
