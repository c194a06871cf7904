/**
 * Indexed selection for the strategy shapes that matter at scale, answering exactly what `selectByScan` (the
 * reference) answers — the same best score on every strategy, ties broken uniformly — without scanning the fleet:
 *
 * - `binpack(cpu|memory), …`: instances bucketed by remaining amount; walk buckets from the smallest amount that
 *   fits; the first bucket holding an eligible instance is the tie set of the first strategy. Instances found
 *   ineligible are dropped from the index until their next reservation change (see eligible-binpack.ts).
 * - `spread(instanceId), …`: instances bucketed by their count of the group's tasks; walk from the lowest count.
 * - `spread(attribute:X), …`: per value of X, the group's task count; take values in ascending count order. When the
 *   second strategy is `spread(instanceId)` (the service default: AZ then instance) or `binpack` (AZ-balanced
 *   binpack), each value's instances are bucketed by that second key, so the second level is a walk too.
 * - anything else (no strategy, i.e. random among all) uses rejection sampling over the fleet.
 *
 * Only ACTIVE instances with a connected agent are indexed (nothing else is ever eligible). Indexes are built on
 * first use and kept current through the state's reservation listener.
 */
import {EligibleBinpack} from './eligible-binpack.js'
import type {PlacementState} from './state.js'
import {newPositions, SortedBuckets} from './sorted-buckets.js'
import {pickUniform, selectByScan} from './select.js'
import type {Selection} from './select.js'

/** Binpack signatures kept per placer (a batch normally has one). */
const MAX_SIGNATURES = 8

interface AttributeSpreadIndex {
  attribute: string
  /** value → the value's schedulable instances keyed by their count of the group's tasks (or remaining resource). */
  byValue: Map<string, SortedBuckets>
}

interface ValueOrder {
  group: string
  attribute: string
  /** Value id → value. */
  values: string[]
  ids: Map<string, number>
  /** The state's live value → count map for (group, attribute). */
  counts: Map<string, number>
  /** Value ids keyed by count. */
  buckets: SortedBuckets
}

export class FastPaths {
  private readonly schedulable: number[] = []
  /** Binpack indexes per request signature (resource, group, demand, constraints), most recent last. */
  private readonly eligibleBinpack: EligibleBinpack[] = []
  /** group → instances keyed by their count of that group's tasks. */
  private readonly byGroupCount = new Map<string, SortedBuckets>()
  /** group → attribute → index. */
  private readonly byAttribute = new Map<string, Map<string, AttributeSpreadIndex>>()
  /** `resource\0attribute` → per value, instances keyed by remaining resource. */
  private readonly byAttributeBinpack = new Map<string, AttributeSpreadIndex & {resource: 'cpu' | 'memory'}>()
  /** `group\0attribute` → the attribute's values ordered by the group's task count. */
  private readonly valueOrders = new Map<string, ValueOrder>()
  private readonly all: number[][]
  /** Reused one-list wrapper for bucket walks (no allocation per placement). */
  private readonly single: number[][] = [[]]

  constructor(
    private readonly state: PlacementState,
    private readonly enabled: boolean,
  ) {
    for (let i = 0; i < state.size; i++) if (state.active[i] === 1 && state.connected[i] === 1) this.schedulable.push(i)
    this.all = [this.schedulable]
    state.onReservationChange((index, group) => this.onChange(index, group))
  }

  select(selection: Selection): number {
    const strategies = selection.strategies
    if (!this.enabled) return selectByScan(selection)
    if (strategies.length === 0) return pickUniform(selection, this.all)
    const first = strategies[0]
    if (first.kind === 'binpack') return this.selectBinpack(selection, first.resource)
    if (first.field === 'instanceId') return this.walk(selection, this.groupCountIndex(selection.group), 0, 1)
    return this.selectAttributeSpread(selection, first.attribute)
  }

  /** Walk `buckets` from position `start`; the first bucket with an eligible member decides (strategies from `next`). */
  private walk(selection: Selection, buckets: SortedBuckets, start: number, next: number): number {
    const single = this.single
    for (let k = start; k < buckets.keys.length; k++) {
      single[0] = buckets.bucketAt(k)
      const index =
        next >= selection.strategies.length ? pickUniform(selection, single) : selectByScan(selection, next, single)
      if (index >= 0) return index
    }
    return -1
  }

  private selectBinpack(selection: Selection, resource: 'cpu' | 'memory'): number {
    let index = this.eligibleBinpack.find((candidate) => candidate.matches(selection, resource))
    if (!index) {
      index = new EligibleBinpack(
        this.state,
        this.schedulable,
        resource,
        selection.group,
        selection.prepared,
        selection.constraints,
      )
      this.eligibleBinpack.push(index)
      if (this.eligibleBinpack.length > MAX_SIGNATURES) this.eligibleBinpack.shift()
    }
    return index.select(selection)
  }

  private selectAttributeSpread(selection: Selection, attribute: string): number {
    const strategies = selection.strategies
    const second = strategies.length > 1 ? strategies[1] : undefined
    // The second level, per value of the attribute: instances keyed by what the second strategy ranks on.
    let perValue: Map<string, SortedBuckets>
    let start: (buckets: SortedBuckets) => number
    if (second?.kind === 'spread' && second.field === 'instanceId') {
      perValue = this.attributeIndex(selection.group, attribute).byValue
      start = () => 0
    } else if (second?.kind === 'binpack') {
      perValue = this.attributeBinpackIndex(attribute, second.resource).byValue
      const amount = second.resource === 'cpu' ? selection.prepared.demand.cpu : selection.prepared.demand.memory
      start = (buckets) => buckets.lowerBound(amount)
    } else {
      perValue = this.attributeIndex(selection.group, attribute).byValue
      start = () => -1
    }
    // Values in ascending order of the group's task count; the values sharing a count form the first strategy's tie set.
    const order = this.valueOrder(selection.group, attribute)
    for (let level = 0; level < order.buckets.keys.length; level++) {
      const ids = order.buckets.bucketAt(level)
      const tied: SortedBuckets[] = []
      for (let v = 0; v < ids.length; v++) {
        const buckets = perValue.get(order.values[ids[v]])
        if (buckets) tied.push(buckets)
      }
      if (tied.length === 0) continue
      const chosen =
        second && start(tied[0]) >= 0 ? this.bestAcrossValues(selection, tied, start) : this.scanValues(selection, tied)
      if (chosen >= 0) return chosen
    }
    return -1
  }

  /** The values of `attribute` among schedulable instances, bucketed by the group's task count per value. */
  private valueOrder(group: string, attribute: string): ValueOrder {
    const key = `${group}\u0000${attribute}`
    let order = this.valueOrders.get(key)
    if (!order) {
      const counts = this.state.spreadCountsFor(group, attribute)
      const ids = new Map<string, number>()
      const values: string[] = []
      for (const i of this.schedulable) {
        const value = this.state.attributeValue(i, attribute)
        if (!ids.has(value)) {
          ids.set(value, values.length)
          values.push(value)
        }
      }
      const buckets = new SortedBuckets(new Float64Array(values.length), newPositions(values.length))
      values.forEach((value, id) => buckets.insert(id, counts.get(value) ?? 0))
      order = {group, attribute, values, ids, counts, buckets}
      this.valueOrders.set(key, order)
    }
    return order
  }

  /** Tie set = every instance of the tied values; later strategies rank them. */
  private scanValues(selection: Selection, tied: SortedBuckets[]): number {
    const lists: number[][] = []
    for (const buckets of tied) for (let k = 0; k < buckets.keys.length; k++) lists.push(buckets.bucketAt(k))
    return selection.strategies.length === 1 ? pickUniform(selection, lists) : selectByScan(selection, 1, lists)
  }

  /**
   * spread(attribute) then a second strategy indexed per value (spread(instanceId) or binpack): in each tied value
   * find its best bucket holding an eligible member; the best key across values wins, ties merge.
   */
  private bestAcrossValues(
    selection: Selection,
    tied: SortedBuckets[],
    start: (buckets: SortedBuckets) => number,
  ): number {
    let bestKey = Number.POSITIVE_INFINITY
    const bestLists: number[][] = []
    const probe: number[][] = [[]]
    for (const buckets of tied) {
      for (let k = start(buckets); k < buckets.keys.length && buckets.keys[k] <= bestKey; k++) {
        probe[0] = buckets.bucketAt(k)
        // Any eligible member will do to establish that this bucket participates.
        if (pickUniform(selection, probe) < 0) continue
        if (buckets.keys[k] < bestKey) {
          bestKey = buckets.keys[k]
          bestLists.length = 0
        }
        bestLists.push(probe[0])
        break
      }
    }
    if (bestLists.length === 0) return -1
    return selection.strategies.length === 2 ? pickUniform(selection, bestLists) : selectByScan(selection, 2, bestLists)
  }

  /** attribute → resource → per value, the value's instances keyed by remaining resource (group-independent). */
  private attributeBinpackIndex(attribute: string, resource: 'cpu' | 'memory'): AttributeSpreadIndex {
    const key = `${resource}\u0000${attribute}`
    let index = this.byAttributeBinpack.get(key)
    if (!index) {
      const amounts = resource === 'cpu' ? this.state.cpu : this.state.memory
      index = {...this.partition(attribute, (i) => amounts[i]), resource}
      this.byAttributeBinpack.set(key, index)
    }
    return index
  }

  private partition(attribute: string, keyOfCandidate: (index: number) => number): AttributeSpreadIndex {
    const keyOf = new Float64Array(this.state.size)
    const posOf = newPositions(this.state.size)
    const index: AttributeSpreadIndex = {attribute, byValue: new Map()}
    for (const i of this.schedulable) {
      const value = this.state.attributeValue(i, attribute)
      let buckets = index.byValue.get(value)
      if (!buckets) {
        buckets = new SortedBuckets(keyOf, posOf)
        index.byValue.set(value, buckets)
      }
      buckets.insert(i, keyOfCandidate(i))
    }
    return index
  }

  private groupCountIndex(group: string): SortedBuckets {
    let buckets = this.byGroupCount.get(group)
    if (!buckets) {
      buckets = new SortedBuckets(new Float64Array(this.state.size), newPositions(this.state.size))
      for (const i of this.schedulable) buckets.insert(i, this.state.groupCount(i, group))
      this.byGroupCount.set(group, buckets)
    }
    return buckets
  }

  private attributeIndex(group: string, attribute: string): AttributeSpreadIndex {
    let byAttribute = this.byAttribute.get(group)
    if (!byAttribute) {
      byAttribute = new Map()
      this.byAttribute.set(group, byAttribute)
    }
    let index = byAttribute.get(attribute)
    if (!index) {
      index = this.partition(attribute, (i) => this.state.groupCount(i, group))
      byAttribute.set(attribute, index)
    }
    return index
  }

  private onChange(index: number, group: string): void {
    for (const eligible of this.eligibleBinpack) eligible.onChange(index)
    for (const binpackIndex of this.byAttributeBinpack.values()) {
      const amount = binpackIndex.resource === 'cpu' ? this.state.cpu[index] : this.state.memory[index]
      binpackIndex.byValue.get(this.state.attributeValue(index, binpackIndex.attribute))?.update(index, amount)
    }
    for (const order of this.valueOrders.values()) {
      if (order.group !== group) continue
      const value = this.state.attributeValue(index, order.attribute)
      const id = order.ids.get(value)
      if (id !== undefined) order.buckets.update(id, order.counts.get(value) ?? 0)
    }
    const count = this.state.groupCount(index, group)
    this.byGroupCount.get(group)?.update(index, count)
    const byAttribute = this.byAttribute.get(group)
    if (byAttribute) {
      for (const attributeIndex of byAttribute.values()) {
        attributeIndex.byValue.get(this.state.attributeValue(index, attributeIndex.attribute))?.update(index, count)
      }
    }
  }
}
