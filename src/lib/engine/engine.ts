/**
 * The engine facade: open the store, run ECS operations as single transactions over the clock.
 *
 *   engine.call(op, input) = store.write(tx => { ctx = {tx, now, settings, random}; reconcile(ctx); handlers[op](ctx, input) })
 *
 * Every call — reads too — first catches the whole store up to "now", so what a caller reads reflects the time
 * of the call. Each call gets a deterministic random source seeded from a persisted sequence (drawn on first use).
 *
 * Cheap calls when nothing is due: a full pass that changed nothing records the earliest time anything could fall
 * due by itself (runtime/reconcile/skip.ts); until then, and as long as no call writes a document (any write deletes
 * the record, in the same transaction, so other processes see it too), calls skip the pass. `alwaysReconcile`
 * (tests) turns the skip off; test/lib/engine/runtime/reconcile/skip.test.ts checks both give the same results.
 *
 * The engine's rooms (data flows api → runtime → model → store; no module imports a room above its own):
 *   api/        operation handlers, one registry (api/index.ts): check input like ECS, call model/runtime, shape
 *   runtime/    what moves through time: reconcile (+ its speed-ups), the service scheduler, launch, the task
 *               lifecycle, deployments, events, fault injection, workload simulation
 *   model/      the stored document types (model/documents.ts), lookups, counts, instance resource bookkeeping
 *   placement/  query/   task placement and the cluster query language (libraries the model and runtime use)
 *   store/      persistence, in a folder because it is five files of one concern: the SQLite document store, its
 *               schema migrations, the body codec, the `due` column, the reconciler's write-back cache
 * The cross-cutting basics every room uses stay at the top, beside this facade: the transaction contract
 * (context.ts), clock, settings, ids, ARNs, paging, errors. They sit at the top rather than in a folder of their own
 * because each is one small file that every room imports: a folder would only lengthen every import path.
 */
import {join} from 'node:path'

import type {EcsOperationName} from '../ecs/backend.js'
import {toWireJson} from '../ecs/wire.js'
import type {OperationInput, OperationOutput} from './api/handler.js'
import {handlers} from './api/index.js'
import {
  advanceClock,
  type ClockMode,
  clockModeFromEnv,
  clockNow,
  loadClock,
  observe,
  saveClock,
  switchClock,
} from './clock.js'
import type {EngineContext, EngineSettings} from './context.js'
import {streamRandom} from './ids.js'
import {purgeInactiveInstances} from './model/instances.js'
import {moveCursor, reconcile, type ReconcileOutcome} from './runtime/reconcile/reconcile.js'
import {nothingDue, readIdleRecord, updateIdleRecord} from './runtime/reconcile/skip.js'
import {DEFAULT_REGION, resolveSettings} from './settings.js'
import {openStore, type SqliteStore} from './store/sqlite-store.js'

export const ENGINE_DB_FILE = 'engine.db'
const DEFAULT_SEED = 0x5eed_ec5

export interface OpenEngineOptions {
  /** ECSX_HOME: the database is `<home>/engine.db`. */
  home: string
  /** Region for ARNs (default us-east-1). */
  region?: string
  /** Clock mode; default: ECSX_ENGINE_CLOCK, else the mode persisted by an earlier explicit choice, else wall. */
  clock?: ClockMode
  /** Environment for ECSX_ENGINE_* overrides (default process.env). */
  env?: NodeJS.ProcessEnv
  /** Wall-clock source (tests). */
  wallClock?: () => number
  /** Seed of the deterministic random source (default fixed). */
  seed?: number
  /** SQLite busy timeout in ms (default 5000). */
  busyTimeoutMs?: number
  /**
   * Tests: run the full reconcile pass on every call, never skipping it when nothing is due (the reference the
   * skip is checked against).
   */
  alwaysReconcile?: boolean
  /** Tests: run the pass with `fullScan` (runtime/reconcile/reconcile.ts), the reference for the incremental pass. */
  fullScanReconcile?: boolean
}

/** Synchronous access to every operation inside one transaction (see `Engine.transaction`). */
export type SyncOperations = {[K in EcsOperationName]: (input: OperationInput<K>) => OperationOutput<K>}

/**
 * Deep copy of plain objects and arrays without engine-private fields (keys starting with `_`). Anything else
 * (Dates, Maps, Sets, class instances) is returned as is.
 */
export function stripPrivate<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => stripPrivate(item)) as T
  if (value === null || typeof value !== 'object') return value
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('_') || item === undefined) continue
    out[key] = stripPrivate(item)
  }
  return out as T
}

export class Engine {
  private closed = false
  /** Calls that ran the full reconcile pass / skipped it because nothing was due (diagnostics, tests). */
  readonly reconcileStats = {passes: 0, skips: 0}

  constructor(
    readonly store: SqliteStore,
    readonly settings: EngineSettings,
    readonly clockMode: ClockMode,
    private readonly wall: () => number,
    private readonly seed: number,
    private readonly alwaysReconcile = false,
    private readonly fullScanReconcile = false,
  ) {}

  /** Run one ECS operation synchronously (one IMMEDIATE transaction). Throws EcsApiError like ECS. */
  callSync<K extends EcsOperationName>(op: K, input: OperationInput<K>): OperationOutput<K> {
    return stripPrivate(this.runOperation(op, input))
  }

  /**
   * Run one ECS operation and return its output as ECS wire JSON (what `engine serve` sends): the same result as
   * `callSync` (engine-private fields left out, Dates as epoch seconds), serialised in one walk.
   */
  callWire<K extends EcsOperationName>(op: K, input: OperationInput<K>): string {
    return toWireJson(this.runOperation(op, input), {stripPrivate: true})
  }

  /** The handler's own output (engine-private fields included): callers strip it before it leaves the engine. */
  private runOperation<K extends EcsOperationName>(op: K, input: OperationInput<K>): OperationOutput<K> {
    const handler = handlers[op] as (ctx: EngineContext, input: OperationInput<K>) => OperationOutput<K>
    if (!handler) throw new TypeError(`Unknown ECS operation '${String(op)}'.`)
    return this.run((ctx) => handler(ctx, input ?? ({} as OperationInput<K>)))
  }

  /** Run one ECS operation (async-compatible wrapper over the synchronous transaction). */
  async call<K extends EcsOperationName>(op: K, input: OperationInput<K>): Promise<OperationOutput<K>> {
    return this.callSync(op, input)
  }

  /**
   * Run `fn` in ONE transaction after reconciling: a read-modify-write over several operations (e.g.
   * DescribeServices then UpdateService) is atomic against other processes. Results of `ops` are unstripped
   * store shapes; the return value of `fn` is stripped of engine-private fields.
   */
  transaction<T>(fn: (ops: SyncOperations, ctx: EngineContext) => T): T {
    return stripPrivate(
      this.run((ctx) => {
        const ops = new Proxy({} as SyncOperations, {
          get: (_target, op: string) => (input: unknown) =>
            stripPrivate((handlers as Record<string, (c: EngineContext, i: unknown) => unknown>)[op](ctx, input ?? {})),
        })
        return fn(ops, ctx)
      }),
    )
  }

  /** Move the clock forward by `ms` and reconcile. Returns the new engine time. */
  advance(ms: number): number {
    return this.run((ctx) => ctx.now, ms)
  }

  /** Current engine time (epoch ms) without reconciling. */
  now(): number {
    this.assertOpen()
    return this.store.read(() => clockNow(loadClock(this.store), this.wall()))
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.store.close()
  }

  private run<T>(fn: (ctx: EngineContext) => T, advanceMs?: number): T {
    this.assertOpen()
    return this.store.write((tx) => {
      const wallMs = this.wall()
      let clock = loadClock(this.store)
      if (advanceMs !== undefined) clock = advanceClock(clock, advanceMs, wallMs)
      const now = clockNow(clock, wallMs)
      const observed = observe(clock, now)
      if (advanceMs !== undefined) saveClock(this.store, observed ?? clock)
      // The call's random stream is drawn from the persisted sequence on first use only: a call that needs no
      // randomness (most reads) writes nothing for it.
      let source: (() => number) | undefined
      const random = (): number => (source ??= streamRandom(this.seed, tx.nextSequence('engine.random')))()
      const ctx: EngineContext = {tx, now, settings: this.settings, random}
      // Skip the pass when it provably has nothing to do: the last full pass was idle (its controllers and events
      // changed nothing), no document was written since, and nothing is due yet. A full pass would then only run
      // the same controllers on the same documents and move the cursor.
      const record = readIdleRecord(tx)
      const skip = !this.alwaysReconcile && nothingDue(record, now)
      let outcome: ReconcileOutcome | undefined
      if (skip) {
        // The cursor (where the next pass starts) is moved only if this call writes (below): until then every
        // time between the last pass and the record's time is equivalent for the next pass (nothing falls due in it).
        this.reconcileStats.skips++
      } else {
        outcome = reconcile(ctx, {fullScan: this.fullScanReconcile})
        this.reconcileStats.passes++
      }
      const writesBefore = this.store.docWrites
      // INACTIVE instances vanish after their retention; their purge times count toward the idle record's time
      // so while the pass is skipped none can be due.
      if (!skip) purgeInactiveInstances(ctx)
      const result = fn(ctx)
      const wrote = this.store.docWrites !== writesBefore
      if (skip && wrote) moveCursor(ctx)
      // The monotonic guard (clock.ts) is persisted when this call stored anything — what it stores may carry
      // times from `now`. A call that skipped the pass and wrote nothing (a read while nothing is due) hands out no
      // time that outlives it, so it commits no write at all.
      if (observed && advanceMs === undefined && (wrote || !skip)) saveClock(this.store, observed)
      updateIdleRecord(tx, record, !wrote && (skip || outcome?.idle === true), outcome)
      return result
    })
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The engine is closed.')
  }
}

/** Open the engine of `home` (creating `<home>/engine.db` when missing). */
export function openEngine(options: OpenEngineOptions): Engine {
  const env = options.env ?? process.env
  const settings = resolveSettings(options.region ?? DEFAULT_REGION, env)
  const wall = options.wallClock ?? Date.now
  // Validate every input before touching the file system.
  const requested = options.clock ?? clockModeFromEnv(env.ECSX_ENGINE_CLOCK)
  const store = openStore(join(options.home, ENGINE_DB_FILE), {busyTimeoutMs: options.busyTimeoutMs})
  try {
    let mode = loadClock(store).mode
    if (requested !== undefined && requested !== mode) {
      mode = store.write(() => {
        const state = switchClock(loadClock(store), requested, wall())
        saveClock(store, state)
        return state.mode
      })
    }
    return new Engine(
      store,
      settings,
      mode,
      wall,
      options.seed ?? DEFAULT_SEED,
      options.alwaysReconcile ?? false,
      options.fullScanReconcile ?? false,
    )
  } catch (error) {
    store.close()
    throw error
  }
}
