/**
 * Choosing the instance for one task: feasibility, constraints, then strategies as a lexicographic ranking
 * (later strategies break ties of earlier ones; remaining ties are broken uniformly at random). This module is
 * the reference implementation that scans candidates; `fast-paths.ts` answers the common strategy shapes from
 * indexes and must agree with it.
 */
import {OK} from './checks.js'
import type {NormalizedConstraint} from './constraints.js'
import type {PlacementState, PreparedDemand} from './state.js'
import type {NormalizedStrategy} from './strategies.js'

export interface Selection {
  state: PlacementState
  prepared: PreparedDemand
  constraints: NormalizedConstraint[]
  strategies: NormalizedStrategy[]
  group: string
  random: () => number
  /** Per strategy: the value → count map of spread-by-attribute strategies (undefined for others). */
  spreadCounts: Array<Map<string, number> | undefined>
}

export function makeSelection(state: PlacementState, prepared: PreparedDemand, constraints: NormalizedConstraint[], strategies: NormalizedStrategy[], group: string, random: () => number): Selection {
  const spreadCounts = strategies.map((s) => (s.kind === 'spread' && s.field === 'attribute' ? state.spreadCountsFor(group, s.attribute) : undefined))
  return {state, prepared, constraints, strategies, group, random, spreadCounts}
}

export function satisfiesConstraints(selection: Selection, index: number): boolean {
  const {state, constraints} = selection
  for (let k = 0; k < constraints.length; k++) {
    const constraint = constraints[k]
    if (constraint.kind === 'distinctInstance') {
      if (state.groupCount(index, selection.group) > 0) return false
    } else if (!constraint.query.test(index, state.candidates[index], state.version[index])) {
      return false
    }
  }
  return true
}

/** ACTIVE, passes every check and every constraint. */
export function isEligible(selection: Selection, index: number): boolean {
  const state = selection.state
  return state.active[index] === 1 && state.check(index, selection.prepared) === OK && satisfiesConstraints(selection, index)
}

/** The score of strategy `k` for candidate `index` (lower is better). */
export function strategyScore(selection: Selection, k: number, index: number): number {
  const strategy = selection.strategies[k]
  const state = selection.state
  if (strategy.kind === 'binpack') return strategy.resource === 'cpu' ? state.cpu[index] : state.memory[index]
  if (strategy.field === 'instanceId') return state.groupCount(index, selection.group)
  const counts = selection.spreadCounts[k] as Map<string, number>
  return counts.get(state.attributeValue(index, strategy.attribute)) ?? 0
}

/**
 * Best eligible candidate among `indices` (all candidates when undefined), ranking by strategies `from`…end.
 * Returns -1 when none is eligible.
 */
export function selectByScan(selection: Selection, from = 0, indices?: ArrayLike<number>, length?: number): number {
  const strategyCount = selection.strategies.length
  const best = new Float64Array(Math.max(0, strategyCount - from))
  let bestIndex = -1
  let ties = 0
  const total = indices ? (length ?? indices.length) : selection.state.size
  for (let n = 0; n < total; n++) {
    const index = indices ? indices[n] : n
    if (!isEligible(selection, index)) continue
    if (bestIndex < 0) {
      for (let k = from; k < strategyCount; k++) best[k - from] = strategyScore(selection, k, index)
      bestIndex = index
      ties = 1
      continue
    }
    let order = 0
    let k = from
    for (; k < strategyCount; k++) {
      const score = strategyScore(selection, k, index)
      const current = best[k - from]
      if (score < current) {
        order = -1
        break
      }
      if (score > current) {
        order = 1
        break
      }
    }
    if (order > 0) continue
    if (order < 0) {
      best[k - from] = strategyScore(selection, k, index)
      for (let j = k + 1; j < strategyCount; j++) best[j - from] = strategyScore(selection, j, index)
      bestIndex = index
      ties = 1
      continue
    }
    // A tie on every strategy: reservoir sampling keeps the choice uniform among the tied candidates.
    ties++
    if (selection.random() * ties < 1) bestIndex = index
  }
  return bestIndex
}
