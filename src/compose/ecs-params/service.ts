/** ecs-params task_definition.services.<name>: per-container settings (essential, healthcheck, secrets, …). */
import type {ContainerDependency, FirelensConfiguration, Secret} from '@aws-sdk/client-ecs'

import type {Path} from '../source.js'
import {UnitError, describe, parseBoolean, parseDurationMs, parseInteger, parseSizeMiB} from '../units.js'
import {KEYS} from './keys.js'
import type {HealthcheckParams, ServiceParams} from './model.js'
import type {Reader} from './reader.js'

export function parseService(r: Reader, name: string, def: unknown): ServiceParams {
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
