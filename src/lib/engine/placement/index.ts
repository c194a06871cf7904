/**
 * Task placement (spec §5): `createPlacer` implements the `Placer` contract of ./types.ts.
 *
 * The placer mutates the `PlacementCandidate` objects it was given as it reserves (remaining CPU/memory/GPU, ports,
 * ENI slots, runningTasksCount, taskGroups), so the engine can persist them after the batch.
 */
import type {PlacementConstraint, PlacementStrategy} from '@aws-sdk/client-ecs'
import {compileQuery} from '../query/compile.js'
import {CachedQuery, normalizeConstraints} from './constraints.js'
import type {NormalizedConstraint} from './constraints.js'
import {explainFailure} from './failure.js'
import {FastPaths} from './fast-paths.js'
import {makeSelection, resetSelection} from './select.js'
import type {Selection} from './select.js'
import {PlacementState} from './state.js'
import {normalizeStrategies} from './strategies.js'
import type {NormalizedStrategy} from './strategies.js'
import type {
  CreatePlacer,
  PlaceOptions,
  PlaceResult,
  Placer,
  PlacerOptions,
  PlacementCandidate,
  Protocol,
  TaskDemand,
} from './types.js'

export {chooseTasksToStop} from './scale-in.js'
export {unplaceableEventMessage, explainFailure} from './failure.js'
export type {PlacementFailure} from './failure.js'
export {
  runTaskDefaultStrategies,
  serviceDefaultStrategies,
  validatePlacementStrategies,
  MAX_STRATEGIES,
} from './strategies.js'
export {validatePlacementConstraints, MAX_CONSTRAINTS} from './constraints.js'
export {DISTINCT_INSTANCE_UNSATISFIED, MEMBER_OF_UNSATISFIED, NO_INSTANCES_REASON} from './checks.js'
export type * from './types.js'

const NO_CONSTRAINTS: NormalizedConstraint[] = []

class IndexedPlacer implements Placer {
  private readonly state: PlacementState
  private readonly queries = new Map<string, CachedQuery>()
  private readonly strategyCache = new WeakMap<PlacementStrategy[], NormalizedStrategy[]>()
  private readonly constraintCache = new WeakMap<PlacementConstraint[], NormalizedConstraint[]>()
  private readonly fast: FastPaths
  /** One selection object reused by every place() call. */
  private selection: Selection | undefined

  constructor(
    candidates: PlacementCandidate[],
    private readonly options: PlacerOptions & {useIndexes?: boolean},
  ) {
    this.state = new PlacementState(candidates)
    this.fast = new FastPaths(this.state, options.useIndexes !== false)
  }

  private compile = (expression: string): CachedQuery => {
    let query = this.queries.get(expression)
    if (!query) {
      query = new CachedQuery(compileQuery(expression), this.state.size)
      this.queries.set(expression, query)
    }
    return query
  }

  private strategies(strategies: PlacementStrategy[]): NormalizedStrategy[] {
    let normalized = this.strategyCache.get(strategies)
    if (!normalized) {
      normalized = normalizeStrategies(strategies)
      this.strategyCache.set(strategies, normalized)
    }
    return normalized
  }

  /** Normalised constraints, cached by array identity (callers must not mutate a constraints array once passed). */
  private constraints(constraints: PlacementConstraint[]): NormalizedConstraint[] {
    if (constraints.length === 0) return NO_CONSTRAINTS
    let normalized = this.constraintCache.get(constraints)
    if (!normalized) {
      normalized = normalizeConstraints(constraints, this.compile)
      this.constraintCache.set(constraints, normalized)
    }
    return normalized
  }

  place(options: PlaceOptions): PlaceResult {
    const constraints = this.constraints(options.constraints)
    const prepared = this.state.prepare(options.demand)
    const strategies = this.strategies(options.strategies)
    const selection = this.selection
      ? resetSelection(this.selection, prepared, constraints, strategies, options.group)
      : (this.selection = makeSelection(
          this.state,
          prepared,
          constraints,
          strategies,
          options.group,
          this.options.random,
        ))
    const index = this.fast.select(selection)
    if (index < 0) return {ok: false, ...explainFailure(selection, this.options.clusterArn)}
    const hostPorts = this.state.reserve(index, options.demand, options.group)
    return {ok: true, candidate: this.state.candidates[index], hostPorts}
  }

  release(
    candidateArn: string,
    demand: TaskDemand,
    hostPorts: Array<{hostPort: number; protocol: Protocol}>,
    group: string,
  ): void {
    const index = this.state.indexOf(candidateArn)
    if (index < 0) throw new Error(`release: ${candidateArn} is not a candidate of this placer`)
    this.state.release(index, demand, hostPorts, group)
  }
}

/**
 * Build a placer over `candidates` for one batch. `useIndexes: false` forces the reference scan for every
 * placement (tests compare both).
 */
export const createPlacer: CreatePlacer = (candidates, options) => new IndexedPlacer(candidates, options)

/** Same as createPlacer, with the choice of the indexed fast paths (tests and benchmarks). */
export const createPlacerWith = (
  candidates: PlacementCandidate[],
  options: PlacerOptions & {useIndexes?: boolean},
): Placer => new IndexedPlacer(candidates, options)
