/**
 * A binpack index for one request signature (resource, group, demand, constraints) that forgets instances once they
 * are found ineligible for it. Eligibility for a fixed signature depends only on the instance's own state (its
 * resources, ports, ENIs, groups, task count), which changes only through a reservation or release on that instance —
 * and then the instance is put back. Without this, the instances a batch has just filled (a static host port,
 * distinctInstance, a memberOf on task:group) would sit in the most preferred buckets and be re-examined by every
 * following placement (quadratic cost for one-task-per-host services).
 */
import {isEligible, PROBES, selectByScan} from './select.js'
import type {Selection} from './select.js'
import {newPositions, SortedBuckets} from './sorted-buckets.js'
import type {PlacementState, PreparedDemand} from './state.js'
import type {NormalizedConstraint} from './constraints.js'

export class EligibleBinpack {
  private readonly buckets: SortedBuckets
  private readonly excluded: Uint8Array
  private readonly amounts: Float64Array
  private readonly removals: number[] = []
  private readonly single: number[][] = [[]]
  private readonly cpu: number
  private readonly memory: number
  private readonly gpu: number
  private readonly needsEni: boolean

  constructor(
    state: PlacementState,
    schedulable: readonly number[],
    readonly resource: 'cpu' | 'memory',
    readonly group: string,
    readonly prepared: PreparedDemand,
    readonly constraints: NormalizedConstraint[],
  ) {
    this.amounts = resource === 'cpu' ? state.cpu : state.memory
    this.buckets = new SortedBuckets(new Float64Array(state.size), newPositions(state.size))
    this.excluded = new Uint8Array(state.size)
    for (const i of schedulable) this.buckets.insert(i, this.amounts[i])
    const demand = prepared.demand
    this.cpu = demand.cpu
    this.memory = demand.memory
    this.gpu = demand.gpu
    this.needsEni = demand.needsEni
  }

  /** Whether this index answers for `selection` (same signature, demand values unchanged). */
  matches(selection: Selection, resource: 'cpu' | 'memory'): boolean {
    const demand = selection.prepared.demand
    return (
      resource === this.resource &&
      selection.group === this.group &&
      selection.prepared === this.prepared &&
      selection.constraints === this.constraints &&
      demand.cpu === this.cpu &&
      demand.memory === this.memory &&
      demand.gpu === this.gpu &&
      demand.needsEni === this.needsEni
    )
  }

  /** A reservation or release changed instance `index`: give it back its place (it may be eligible again). */
  onChange(index: number): void {
    if (this.excluded[index] === 1) {
      this.excluded[index] = 0
      this.buckets.insert(index, this.amounts[index])
    } else {
      this.buckets.update(index, this.amounts[index])
    }
  }

  private exclude(index: number): void {
    this.buckets.remove(index)
    this.excluded[index] = 1
  }

  /** Best eligible instance for `selection` (which `matches`), or -1. */
  select(selection: Selection): number {
    const amount = this.resource === 'cpu' ? this.cpu : this.memory
    const keys = this.buckets.keys
    for (let k = this.buckets.lowerBound(amount); k < keys.length;) {
      const key = keys[k]
      const chosen = this.fromBucket(selection, this.buckets.bucketAt(k))
      if (chosen >= 0) return chosen
      // Every member was ineligible and has been forgotten, so the bucket is gone; otherwise move on.
      if (k < keys.length && keys[k] === key) k++
    }
    return -1
  }

  private fromBucket(selection: Selection, bucket: number[]): number {
    if (selection.strategies.length === 1 && bucket.length > PROBES) {
      for (let probe = 0; probe < PROBES && bucket.length > 0; probe++) {
        const index = bucket[Math.floor(selection.random() * bucket.length)]
        if (isEligible(selection, index)) return index
        this.exclude(index)
      }
    }
    // Full pass: forget every ineligible member, then rank the rest (uniform when binpack is the only strategy).
    const removals = this.removals
    removals.length = 0
    for (let n = 0; n < bucket.length; n++) if (!isEligible(selection, bucket[n])) removals.push(bucket[n])
    for (const index of removals) this.exclude(index)
    if (bucket.length === 0) return -1
    this.single[0] = bucket
    return selectByScan(selection, 1, this.single)
  }
}
