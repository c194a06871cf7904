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

export function makeSelection(
  state: PlacementState,
  prepared: PreparedDemand,
  constraints: NormalizedConstraint[],
  strategies: NormalizedStrategy[],
  group: string,
  random: () => number,
): Selection {
  const selection: Selection = {state, prepared, constraints, strategies, group, random, spreadCounts: []}
  return resetSelection(selection, prepared, constraints, strategies, group)
}

/** Point a (reused) selection at a new request without allocating. */
export function resetSelection(
  selection: Selection,
  prepared: PreparedDemand,
  constraints: NormalizedConstraint[],
  strategies: NormalizedStrategy[],
  group: string,
): Selection {
  selection.prepared = prepared
  selection.constraints = constraints
  selection.strategies = strategies
  selection.group = group
  selection.spreadCounts.length = strategies.length
  for (let k = 0; k < strategies.length; k++) {
    const s = strategies[k]
    selection.spreadCounts[k] =
      s.kind === 'spread' && s.field === 'attribute' ? selection.state.spreadCountsFor(group, s.attribute) : undefined
  }
  return selection
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
  return (
    state.active[index] === 1 && state.check(index, selection.prepared) === OK && satisfiesConstraints(selection, index)
  )
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
 * Best eligible candidate among the candidates in `lists` (all candidates when undefined), ranking by strategies
 * `from`…end; ties on every strategy are broken uniformly at random (reservoir sampling). -1 when none is eligible.
 */
export function selectByScan(selection: Selection, from = 0, lists?: ReadonlyArray<ArrayLike<number>>): number {
  const strategyCount = selection.strategies.length
  const best = new Float64Array(Math.max(0, strategyCount - from))
  let bestIndex = -1
  let ties = 0
  const listCount = lists ? lists.length : 1
  for (let l = 0; l < listCount; l++) {
    const list = lists ? lists[l] : undefined
    const total = list ? list.length : selection.state.size
    for (let n = 0; n < total; n++) {
      const index = list ? list[n] : n
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
        for (let j = k; j < strategyCount; j++) best[j - from] = strategyScore(selection, j, index)
        bestIndex = index
        ties = 1
        continue
      }
      ties++
      if (selection.random() * ties < 1) bestIndex = index
    }
  }
  return bestIndex
}

/** How many random probes `pickUniform` makes before scanning. */
export const PROBES = 32

/**
 * A uniformly random eligible candidate from `lists` (the tie set of every strategy): rejection sampling with a few
 * probes — exact, and O(1) when most members are eligible — then a reservoir scan. -1 when none is eligible.
 */
export function pickUniform(selection: Selection, lists: ReadonlyArray<ArrayLike<number>>): number {
  let total = 0
  for (let l = 0; l < lists.length; l++) total += lists[l].length
  if (total === 0) return -1
  if (total <= PROBES) return selectByScan(selection, selection.strategies.length, lists)
  for (let probe = 0; probe < PROBES; probe++) {
    let r = Math.floor(selection.random() * total)
    let l = 0
    while (r >= lists[l].length) r -= lists[l++].length
    const index = lists[l][r]
    if (isEligible(selection, index)) return index
  }
  return selectByScan(selection, selection.strategies.length, lists)
}
