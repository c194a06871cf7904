/**
 * Placement strategies (spec §5.2–5.3) in a normalised form the selector can run without string work.
 * A `random` strategy gives every candidate a distinct random rank, so strategies after it can never break a tie:
 * normalisation drops them, and the selector's final tie-break is uniform random.
 */
import type {PlacementStrategy} from '@aws-sdk/client-ecs'
import {EcsApiError} from '../errors.js'

export type NormalizedStrategy =
  | {kind: 'binpack'; resource: 'cpu' | 'memory'}
  | {kind: 'spread'; field: 'instanceId'}
  | {kind: 'spread'; field: 'attribute'; attribute: string}

/** At most this many strategies per request (the seeds say 4, the current API allows 5; spec §11.16). */
export const MAX_STRATEGIES = 5

/** The REPLICA-service default on EC2: AZ balance, then fewest tasks of the service per instance (spec §5.3). */
export const serviceDefaultStrategies = (): PlacementStrategy[] => [
  {type: 'spread', field: 'attribute:ecs.availability-zone'},
  {type: 'spread', field: 'instanceId'},
]

/** The RunTask default: random placement (spec §5.3). */
export const runTaskDefaultStrategies = (): PlacementStrategy[] => [{type: 'random'}]

const invalid = (message: string) => new EcsApiError('InvalidParameterException', message)

/** Validate and normalise; throws InvalidParameterException with ECS-style messages. */
export function normalizeStrategies(strategies: readonly PlacementStrategy[]): NormalizedStrategy[] {
  if (strategies.length > MAX_STRATEGIES)
    throw invalid(
      `The number of placement strategies must be ${MAX_STRATEGIES} or fewer; ${strategies.length} were given.`,
    )
  const out: NormalizedStrategy[] = []
  for (const strategy of strategies) {
    const type = (strategy.type ?? '').toLowerCase()
    const field = strategy.field ?? ''
    if (type === 'random') break
    if (type === 'binpack') {
      const resource = field.toLowerCase()
      if (resource !== 'cpu' && resource !== 'memory')
        throw invalid(`Invalid placement strategy field '${field}' for binpack: use cpu or memory.`)
      out.push({kind: 'binpack', resource})
      continue
    }
    if (type === 'spread') {
      const lower = field.toLowerCase()
      if (lower === 'instanceid' || lower === 'host') out.push({kind: 'spread', field: 'instanceId'})
      else if (lower.startsWith('attribute:') && field.length > 'attribute:'.length)
        out.push({kind: 'spread', field: 'attribute', attribute: field.slice('attribute:'.length)})
      else
        throw invalid(
          `Invalid placement strategy field '${field}' for spread: use instanceId, host or attribute:<name>.`,
        )
      continue
    }
    throw invalid(`Invalid placement strategy type '${strategy.type ?? ''}': use random, spread or binpack.`)
  }
  return out
}

/** Validate a strategy list (for API input validation), without using the result. */
export function validatePlacementStrategies(strategies: readonly PlacementStrategy[]): void {
  normalizeStrategies(strategies)
}
