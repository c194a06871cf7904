/** labels → dockerLabels, plus the x-ecsx simulation settings as ecsx.simulate.* labels (read by the local engine). */
import {XECSX_KEYS} from '../schema.js'
import {describe, formatDuration, parseDurationMs, parseInteger} from '../units.js'
import {isDict, scalarString, type Dict} from '../values.js'
import type {ServiceScope} from './scope.js'

export function translateLabels(s: ServiceScope): void {
  const labels: Record<string, string> = {}
  for (const [k, {v}] of s.svc.labels) labels[k] = v
  const x = s.raw('x-ecsx')
  if (x !== undefined && x !== null) {
    if (!isDict(x)) s.fail('x-ecsx', `x-ecsx must be a mapping with ${XECSX_KEYS.join(', ')}`)
    simulationLabels(s, x as Dict, labels)
  }
  if (Object.keys(labels).length > 0) s.def.dockerLabels = labels
}

function simulationLabels(s: ServiceScope, x: Dict, labels: Record<string, string>): void {
  for (const k of Object.keys(x))
    if (!XECSX_KEYS.includes(k)) s.fail(`x-ecsx.${k}`, `unknown key; valid keys: ${XECSX_KEYS.join(', ')}`)
  const dur = (k: string): string => formatDuration(s.unitAt(`x-ecsx.${k}`, () => parseDurationMs(x[k])))
  if (x.start_delay !== undefined) labels['ecsx.simulate.start-delay'] = dur('start_delay')
  if (x.exit_after !== undefined) labels['ecsx.simulate.exit-after'] = dur('exit_after')
  if (x.exit_code !== undefined)
    labels['ecsx.simulate.exit-code'] = String(
      s.unitAt('x-ecsx.exit_code', () => parseInteger(x.exit_code, 'exit_code', 0, 255)),
    )
  if (x.health !== undefined) {
    const h = scalarString(x.health) ?? ''
    if (h === 'healthy' || h === 'unhealthy') labels['ecsx.simulate.health'] = h
    else if (h.startsWith('unhealthy-after:')) {
      const after = s.unitAt('x-ecsx.health', () => parseDurationMs(h.slice('unhealthy-after:'.length)))
      labels['ecsx.simulate.health'] = `unhealthy-after:${formatDuration(after)}`
    } else
      s.fail(
        'x-ecsx.health',
        `invalid health ${describe(x.health)}; valid: healthy, unhealthy, unhealthy-after:<duration> (e.g. unhealthy-after:30s)`,
      )
  }
  if (x.fail_to_start !== undefined) {
    const reason = scalarString(x.fail_to_start)
    if (!reason)
      s.fail(
        'x-ecsx.fail_to_start',
        'fail_to_start needs the failure text, e.g. "CannotPullContainerError: pull access denied"',
      )
    labels['ecsx.simulate.fail-to-start'] = reason as string
  }
}
