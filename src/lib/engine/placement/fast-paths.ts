/** Indexed selection for common strategy shapes (filled in below); falls back to the reference scan. */
import {selectByScan} from './select.js'
import type {Selection} from './select.js'
import type {PlacementState} from './state.js'

export class FastPaths {
  constructor(private readonly state: PlacementState, private readonly enabled: boolean) {}

  select(selection: Selection): number {
    return selectByScan(selection)
  }
}
