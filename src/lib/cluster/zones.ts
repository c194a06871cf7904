/**
 * Availability zones of the simulated regions, for `ecsx up`/`scale` on the local backend: simulated container
 * instances are spread round-robin over them (or over `--azs`).
 */
import {InputError} from '../errors.js'

/** AZ letters per region where they differ from the usual a, b, c. */
const ZONE_LETTERS: Record<string, string[]> = {
  'us-east-1': ['a', 'b', 'c', 'd', 'e', 'f'],
  'us-west-1': ['a', 'c'],
  'us-west-2': ['a', 'b', 'c', 'd'],
  'ap-northeast-1': ['a', 'c', 'd'],
  'ap-northeast-2': ['a', 'b', 'c', 'd'],
  'eu-west-1': ['a', 'b', 'c'],
  'sa-east-1': ['a', 'b', 'c'],
}

export function availabilityZones(region: string): string[] {
  return (ZONE_LETTERS[region] ?? ['a', 'b', 'c']).map((l) => `${region}${l}`)
}

/** `--azs a,b` validated against the region, else all of the region's zones. */
export function pickZones(region: string, azs: string | undefined): string[] {
  const all = availabilityZones(region)
  if (!azs) return all
  const chosen = azs.split(',').map((s) => s.trim()).filter(Boolean)
  if (chosen.length === 0) throw new InputError('--azs is empty', `Example: --azs ${all.slice(0, 2).join(',')}`)
  for (const az of chosen) {
    if (!all.includes(az)) throw new InputError(`--azs: ${az} is not an availability zone of ${region}`, `Zones of ${region}: ${all.join(', ')}`)
  }
  return [...new Set(chosen)]
}
