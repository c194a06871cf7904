/**
 * Placement constraints (spec §5.5): `distinctInstance` (no expression) and `memberOf` (a cluster query). Each
 * memberOf expression is compiled once per placer and its result cached per candidate; results of expressions
 * that read task state (`task:group`, `runningTasksCount`) are invalidated by the candidate's version.
 */
import type {PlacementConstraint} from '@aws-sdk/client-ecs'
import {EcsApiError} from '../errors.js'
import {compileQuery} from '../query/compile.js'
import type {CompiledQuery} from '../query/compile.js'

/** At most this many constraints per task (task definition + request together). */
export const MAX_CONSTRAINTS = 10

export type NormalizedConstraint = {kind: 'distinctInstance'} | {kind: 'memberOf'; query: CachedQuery}

/** A compiled memberOf expression with a per-candidate result cache. */
export class CachedQuery {
  /** 0 = unknown, 1 = true, 2 = false. */
  private readonly results: Uint8Array
  /** For task-dependent queries: candidate version + 1 the result was computed at. */
  private readonly stamps: Uint32Array
  constructor(
    readonly compiled: CompiledQuery,
    size: number,
  ) {
    this.results = new Uint8Array(size)
    this.stamps = new Uint32Array(compiled.dependsOnTasks ? size : 0)
  }

  /** Evaluate for candidate `index` (`candidate` is its object), reusing a cached result when still valid. */
  test(index: number, candidate: Parameters<CompiledQuery['test']>[0], version: number): boolean {
    const cached = this.results[index]
    if (cached !== 0 && (!this.compiled.dependsOnTasks || this.stamps[index] === version + 1)) return cached === 1
    const result = this.compiled.test(candidate)
    this.results[index] = result ? 1 : 2
    if (this.compiled.dependsOnTasks) this.stamps[index] = version + 1
    return result
  }
}

const invalid = (message: string) => new EcsApiError('InvalidParameterException', message)

/** Validate and normalise constraints; `compile` returns the (cached) compiled query for an expression. */
export function normalizeConstraints(
  constraints: readonly PlacementConstraint[],
  compile: (expression: string) => CachedQuery,
): NormalizedConstraint[] {
  if (constraints.length > MAX_CONSTRAINTS)
    throw invalid(
      `The number of placement constraints must be ${MAX_CONSTRAINTS} or fewer; ${constraints.length} were given.`,
    )
  const out: NormalizedConstraint[] = []
  for (const constraint of constraints) {
    const type = constraint.type ?? ''
    if (type === 'distinctInstance') {
      if (constraint.expression) throw invalid('A distinctInstance placement constraint cannot have an expression.')
      out.push({kind: 'distinctInstance'})
    } else if (type === 'memberOf') {
      if (!constraint.expression) throw invalid('A memberOf placement constraint requires an expression.')
      out.push({kind: 'memberOf', query: compile(constraint.expression)})
    } else {
      throw invalid(`Invalid placement constraint type '${type}': use distinctInstance or memberOf.`)
    }
  }
  return out
}

/** Validate a constraint list (for API input validation). */
export function validatePlacementConstraints(constraints: readonly PlacementConstraint[]): void {
  normalizeConstraints(constraints, (expression) => new CachedQuery(compileQuery(expression), 0))
}

export type {CompiledQuery}
