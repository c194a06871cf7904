/**
 * One service's translation in progress: the container definition being built, and the helpers every concern
 * (translate/*.ts) uses to read the merged Compose values and to report at the exact file:line of a key.
 */
import type {ContainerDefinition} from '@aws-sdk/client-ecs'

import {ComposeError} from '../errors.js'
import type {ServiceParams} from '../ecs-params/index.js'
import type {Origin, ServiceDef} from '../load/model.js'
import type {Path} from '../source.js'
import {describe, parseBoolean} from '../units.js'
import {scalarString} from '../values.js'
import {unit, type TaskContext} from './context.js'

export type Where = {file?: string; line?: number; column?: number}

export class ServiceScope {
  readonly def: ContainerDefinition
  hasHealthcheck = false
  desiredCount?: number
  readonly dependsOnAt = new Map<string, {origin: Origin} | {paramsPath: Path}>()
  /** tmpfs mounts written as long-syntax volumes (type: tmpfs), joined with `tmpfs` in linuxParameters. */
  readonly volumeTmpfs: NonNullable<NonNullable<ContainerDefinition['linuxParameters']>['tmpfs']> = []

  constructor(
    readonly ctx: TaskContext,
    readonly svc: ServiceDef,
    readonly sp: ServiceParams | undefined,
  ) {
    this.def = {name: svc.name}
  }

  /** Position of `keyPath` (relative to the service) in the file that wrote it, or of `origin`. */
  pos(keyPath: Path, origin?: Origin): Where {
    if (origin) return origin.src.locate(origin.path)
    const keyAt = typeof keyPath[0] === 'string' ? this.svc.keys.get(keyPath[0]) : undefined
    if (keyAt) {
      const full = [...keyAt.path, ...keyPath.slice(1)]
      const found = keyAt.src.find(full)
      if (found.depth === full.length) return found.pos
    }
    return this.ctx.project.locate(['services', this.svc.name, ...keyPath])
  }

  fail(key: string, message: string, keyPath: Path = key.split('.'), origin?: Origin): never {
    throw new ComposeError(message, {...this.pos(keyPath, origin), service: this.svc.name, key})
  }

  /** An error about this service's part of ecs-params (`p` is the path in the ecs-params file). */
  failParams(p: Path, message: string): never {
    const src = this.ctx.params?.source
    throw new ComposeError(message, {
      ...(src ? src.locate(p) : {}),
      service: this.svc.name,
      key:
        p
          .slice(3)
          .filter((s) => typeof s === 'string')
          .join('.') || undefined,
    })
  }

  warn(key: string, message: string, keyPath: Path = key.split('.'), origin?: Origin): void {
    this.ctx.project.diag.add('warning', message, {...this.pos(keyPath, origin), service: this.svc.name, key})
  }

  info(key: string, message: string, keyPath: Path = key.split('.')): void {
    this.ctx.project.diag.add('info', message, {...this.pos(keyPath), service: this.svc.name, key})
  }

  unitAt<T>(key: string, fn: () => T, keyPath?: Path, origin?: Origin): T {
    return unit(fn, (m) => this.fail(key, m, keyPath, origin))
  }

  raw(key: string): unknown {
    return this.svc.raw[key]
  }

  has(key: string): boolean {
    const v = this.svc.raw[key]
    return v !== undefined && v !== null
  }

  string(key: string): string | undefined {
    const v = this.raw(key)
    if (v === undefined || v === null) return undefined
    const s = scalarString(v)
    if (s === undefined) this.fail(key, `${key} must be a string, not ${describe(v)}`)
    return s
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key)
    if (v === undefined || v === null) return undefined
    return this.unitAt(key, () => parseBoolean(v, key))
  }

  notOnFargate(key: string, what: string, keyPath?: Path, origin?: Origin): void {
    if (this.ctx.fargate) this.fail(key, `${what} is not supported on Fargate (launch type FARGATE)`, keyPath, origin)
  }
}
