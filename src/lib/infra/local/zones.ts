/**
 * Availability zones for `ecsx up`/`scale` on the local backend: simulated container instances are spread
 * round-robin over them (or over `--azs`). The list is the engine's own, so subnets the engine maps to zones
 * (awsvpc tasks) and the instances `up` registers agree.
 */
import {availabilityZones as engineZones} from '../../engine/model/capacity.js'
import {InputError} from '../../errors.js'

export function availabilityZones(region: string): string[] {
  return engineZones(region)
}

/** `--azs a,b` validated against the region, else all of the region's zones. */
export function pickZones(region: string, azs: string | undefined): string[] {
  const all = availabilityZones(region)
  if (!azs) return all
  const chosen = azs
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (chosen.length === 0) throw new InputError('--azs is empty', `Example: --azs ${all.slice(0, 2).join(',')}`)
  for (const az of chosen) {
    if (!all.includes(az))
      throw new InputError(
        `--azs: ${az} is not an availability zone of ${region}`,
        `Zones of ${region}: ${all.join(', ')}`,
      )
  }
  return [...new Set(chosen)]
}
