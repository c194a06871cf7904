/**
 * What every service's translation shares: the project, the ecs-params, the task's network mode and launch type,
 * and the task's volume table (ecs-cli's `volume-N` naming).
 */
import type {Volume} from '@aws-sdk/client-ecs'

import type {EcsParams} from '../ecs-params/index.js'
import type {Project} from '../load/model.js'
import {UnitError, describe} from '../units.js'
import {isDict, scalarString} from '../values.js'

export interface TaskContext {
  project: Project
  params?: EcsParams
  networkMode: string
  fargate: boolean
  /** Task memory is set: no default container memory. */
  taskMemory: boolean
  volumes: VolumeTable
}

/** The task's volumes in order, with ecs-cli's `volume-N` naming for host paths and anonymous mounts. */
export class VolumeTable {
  readonly list: Volume[] = []
  private readonly byName = new Map<string, Volume>()
  private readonly byHostPath = new Map<string, string>()

  add(volume: Volume): void {
    const existing = this.byName.get(volume.name as string)
    if (existing) {
      const i = this.list.indexOf(existing)
      this.list[i] = volume
    } else {
      this.list.push(volume)
    }
    this.byName.set(volume.name as string, volume)
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }

  get(name: string): Volume | undefined {
    return this.byName.get(name)
  }

  /** A new `volume-N`, N = the number of task volumes known now (skipping names already taken). */
  generate(sourcePath?: string): string {
    if (sourcePath !== undefined) {
      const known = this.byHostPath.get(sourcePath)
      if (known) return known
    }
    let n = this.list.length
    while (this.byName.has(`volume-${n}`)) n++
    const name = `volume-${n}`
    this.add(sourcePath === undefined ? {name} : {name, host: {sourcePath}})
    if (sourcePath !== undefined) this.byHostPath.set(sourcePath, name)
    return name
  }
}

/** Run a unit parser; its UnitError goes to `onError` (which attaches the position). */
export function unit<T>(fn: () => T, onError: (message: string) => never): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof UnitError) return onError(error.message)
    throw error
  }
}

export function stringMap(value: unknown, fail: (m: string) => never): Record<string, string> {
  if (!isDict(value)) return fail(`expected a mapping, not ${describe(value)}`)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    const s = scalarString(v)
    if (s === undefined) fail(`${k} must be a string, not ${describe(v)}`)
    out[k] = s as string
  }
  return out
}

export function labelMap(value: unknown, fail: (m: string) => never): Record<string, string> {
  if (Array.isArray(value)) {
    const out: Record<string, string> = {}
    for (const item of value) {
      const s = scalarString(item)
      if (s === undefined) fail(`labels must be KEY=value strings, not ${describe(item)}`)
      const eq = (s as string).indexOf('=')
      out[eq < 0 ? (s as string) : (s as string).slice(0, eq)] = eq < 0 ? '' : (s as string).slice(eq + 1)
    }
    return out
  }
  return stringMap(value, fail)
}
