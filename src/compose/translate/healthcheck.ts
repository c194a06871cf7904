/** healthcheck (Compose, or ecs-params services.<name>.healthcheck which wins field by field) → healthCheck. */
import type {HealthCheck} from '@aws-sdk/client-ecs'

import {healthcheckCommand, type HealthcheckParams} from '../ecs-params/index.js'
import {HEALTHCHECK_KEYS} from '../schema.js'
import {describe, durationToSeconds, formatDuration, parseBoolean, parseDurationMs, parseInteger} from '../units.js'
import {isDict, type Dict} from '../values.js'
import type {ServiceScope} from './scope.js'

/** One timing field: a duration (ms) or a count, and whether ecs-params gave it. */
interface Field {
  ms?: number
  n?: number
  key: string
  fromParams: boolean
}

type EcsField = 'interval' | 'timeout' | 'startPeriod' | 'retries'

/** ECS's accepted range for each field (seconds, or a count for retries). */
const RANGES: [composeKey: string, field: EcsField, min: number, max: number][] = [
  ['interval', 'interval', 5, 300],
  ['timeout', 'timeout', 2, 60],
  ['retries', 'retries', 1, 10],
  ['start_period', 'startPeriod', 0, 300],
]

export function translateHealthcheck(s: ServiceScope): void {
  const raw = s.raw('healthcheck')
  const p = s.sp?.healthcheck
  const hc: Dict = {}
  const test = composeTest(s, raw, hc)
  const disabled = test.disabled
  let command = test.command
  if (disabled && !p) return
  if (raw === undefined && !p) return
  if (p?.command) command = p.command[0] === 'NONE' ? undefined : p.command
  if (!command) {
    if (p)
      s.failParams(
        p.at,
        `test/command is a required field for container healthcheck (neither the Compose file nor ecs-params gives one)`,
      )
    s.fail(
      'healthcheck',
      "healthcheck needs a test: ECS cannot reuse the image's HEALTHCHECK, so write the command (or disable: true)",
    )
  }
  const out: HealthCheck = {command}
  const fromParams: Record<string, number | undefined> = {
    interval: p?.interval,
    timeout: p?.timeout,
    retries: p?.retries,
    start_period: p?.startPeriod,
  }
  for (const [key, ecsField, min, max] of RANGES) {
    const f = field(s, hc, disabled, key, fromParams[key], ecsField === 'retries')
    if (f) out[ecsField] = checkRange(s, p, f, ecsField, min, max)
  }
  s.def.healthCheck = out
  s.hasHealthcheck = true
}

/** The Compose healthcheck's keys checked, its test as an ECS command, and whether it disables the check. */
function composeTest(s: ServiceScope, raw: unknown, hc: Dict): {command?: string[]; disabled: boolean} {
  let command: string[] | undefined
  let disabled = false
  if (raw === undefined || raw === null) return {command, disabled}
  if (!isDict(raw)) s.fail('healthcheck', `healthcheck must be a mapping, not ${describe(raw)}`)
  Object.assign(hc, raw)
  for (const k of Object.keys(hc))
    if (!HEALTHCHECK_KEYS.includes(k))
      s.fail(`healthcheck.${k}`, `unknown key; valid keys: ${HEALTHCHECK_KEYS.join(', ')}`)
  if (hc.disable !== undefined && s.unitAt('healthcheck.disable', () => parseBoolean(hc.disable, 'disable')))
    disabled = true
  if (hc.test !== undefined && hc.test !== null) {
    command = s.unitAt('healthcheck.test', () => healthcheckCommand(hc.test))
    if (command[0] === 'NONE') {
      disabled = true
      command = undefined
    }
  }
  if (hc.start_interval !== undefined)
    s.warn('healthcheck.start_interval', 'healthcheck.start_interval has no ECS equivalent and is ignored')
  return {command, disabled}
}

function field(
  s: ServiceScope,
  hc: Dict,
  disabled: boolean,
  composeKey: string,
  paramsVal: number | undefined,
  isCount: boolean,
): Field | undefined {
  if (paramsVal !== undefined)
    return isCount
      ? {n: paramsVal, key: composeKey, fromParams: true}
      : {ms: paramsVal, key: composeKey, fromParams: true}
  const v = hc[composeKey]
  if (v === undefined || v === null || disabled) return undefined
  const key = `healthcheck.${composeKey}`
  return isCount
    ? {n: s.unitAt(key, () => parseInteger(v, 'retries')), key: composeKey, fromParams: false}
    : {ms: s.unitAt(key, () => parseDurationMs(v)), key: composeKey, fromParams: false}
}

/** Whole seconds (a warning when rounded) within ECS's range for the field. */
function checkRange(
  s: ServiceScope,
  p: HealthcheckParams | undefined,
  f: Field,
  ecsField: EcsField,
  min: number,
  max: number,
): number {
  const failF = (m: string): never =>
    f.fromParams ? s.failParams([...(p as HealthcheckParams).at, f.key], m) : s.fail(`healthcheck.${f.key}`, m)
  let value: number
  if (f.n !== undefined) value = f.n
  else {
    const {seconds, truncated} = durationToSeconds(f.ms as number)
    if (truncated) {
      if (f.fromParams)
        s.ctx.project.diag.add(
          'warning',
          `healthcheck.${f.key} ${formatDuration(f.ms as number)} rounded down to ${seconds}s (ECS counts whole seconds)`,
          {service: s.svc.name, key: `healthcheck.${f.key}`},
        )
      else
        s.warn(
          `healthcheck.${f.key}`,
          `${formatDuration(f.ms as number)} rounded down to ${seconds}s (ECS counts whole seconds)`,
        )
    }
    value = seconds
  }
  const unitName = ecsField === 'retries' ? '' : ' seconds'
  if (value < min || value > max)
    failF(`${ecsField} must be between ${min} and ${max}${unitName} for ECS, got ${value}`)
  return value
}
