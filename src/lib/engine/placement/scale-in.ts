/**
 * Which tasks a REPLICA service stops when it scales in (spec §5.4). Each stop is chosen as the mirror image of
 * placement: spread strategies stop from the value (AZ, instance, attribute) with the MOST of the service's tasks,
 * binpack stops from the instance with the most remaining resource as the caller passed it (so the fullest
 * instances stay packed), later
 * strategies break ties, remaining ties are broken at random. Without strategies the default is AZ balance:
 * the AZ with the most tasks, then the instance with the most tasks.
 */
import type {PlacementStrategy} from '@aws-sdk/client-ecs'
import {MISSING_VALUE} from './state.js'
import {normalizeStrategies, serviceDefaultStrategies} from './strategies.js'
import type {NormalizedStrategy} from './strategies.js'
import type {PlacementCandidate, RunningTaskRef} from './types.js'

export function chooseTasksToStop(
  candidates: PlacementCandidate[],
  tasks: RunningTaskRef[],
  count: number,
  strategies: PlacementStrategy[],
  random: () => number,
): string[] {
  const normalized: NormalizedStrategy[] = normalizeStrategies(
    strategies.length === 0 ? serviceDefaultStrategies() : strategies,
  )
  const byArn = new Map(candidates.map((c) => [c.containerInstanceArn, c]))
  const remaining = [...tasks]
  const perInstance = new Map<string, number>()
  for (const task of remaining)
    perInstance.set(task.containerInstanceArn, (perInstance.get(task.containerInstanceArn) ?? 0) + 1)
  const valueOf = (task: RunningTaskRef, attribute: string): string => {
    const attributes = byArn.get(task.containerInstanceArn)?.attributes
    return attributes?.has(attribute) ? (attributes.get(attribute) ?? '') : MISSING_VALUE
  }
  const perValue = normalized.map((s) => {
    if (s.kind !== 'spread' || s.field !== 'attribute') return undefined
    const counts = new Map<string, number>()
    for (const task of remaining) {
      const value = valueOf(task, s.attribute)
      counts.set(value, (counts.get(value) ?? 0) + 1)
    }
    return counts
  })
  const score = (task: RunningTaskRef, k: number): number => {
    const s = normalized[k]
    if (s.kind === 'spread')
      return s.field === 'instanceId'
        ? (perInstance.get(task.containerInstanceArn) ?? 0)
        : (perValue[k]!.get(valueOf(task, s.attribute)) ?? 0)
    const candidate = byArn.get(task.containerInstanceArn)
    // Tasks on an instance the caller did not pass (e.g. deregistered) are the first to go.
    return candidate
      ? s.resource === 'cpu'
        ? candidate.remainingCpu
        : candidate.remainingMemory
      : Number.POSITIVE_INFINITY
  }
  const chosen: string[] = []
  while (chosen.length < count && remaining.length > 0) {
    let best = -1
    let ties = 0
    for (let t = 0; t < remaining.length; t++) {
      if (best < 0) {
        best = t
        ties = 1
        continue
      }
      let order = 0
      for (let k = 0; k < normalized.length && order === 0; k++) {
        const a = score(remaining[t], k)
        const b = score(remaining[best], k)
        order = a > b ? -1 : a < b ? 1 : 0
      }
      if (order < 0) {
        best = t
        ties = 1
      } else if (order === 0) {
        ties++
        if (random() * ties < 1) best = t
      }
    }
    const [task] = remaining.splice(best, 1)
    chosen.push(task.taskArn)
    perInstance.set(task.containerInstanceArn, (perInstance.get(task.containerInstanceArn) ?? 1) - 1)
    normalized.forEach((s, k) => {
      if (s.kind === 'spread' && s.field === 'attribute') {
        const value = valueOf(task, s.attribute)
        perValue[k]!.set(value, (perValue[k]!.get(value) ?? 1) - 1)
      }
    })
  }
  return chosen
}
