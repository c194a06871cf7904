/**
 * The live view: reads the backend every `intervalMs` while anyone is watching, and tells the watchers when what the
 * page would show has changed. One read at a time (a slow read delays the next, it never overlaps it); the view is
 * compared as JSON text, so watchers hear only of real changes. On the local engine's wall clock each read also lets
 * the engine catch up (every ECS call reconciles first), so the page follows the cluster as it moves; with the manual
 * clock nothing moves until `ecsx engine advance`, whose result the next read picks up.
 */
import type {Backend} from '../ecs/backend.js'
import {buildView, type ViewOptions} from './build-view.js'
import {SnapshotReader} from './collect.js'
import type {DashboardView} from './view.js'

export const DEFAULT_INTERVAL_MS = 500

export type ViewListener = (json: string) => void

export interface LiveViewOptions extends ViewOptions {
  intervalMs?: number
}

export class LiveView {
  private readonly reader: SnapshotReader
  private readonly listeners = new Set<ViewListener>()
  private latest?: string
  private lastGood?: DashboardView
  private timer?: NodeJS.Timeout
  private reading?: Promise<string>
  private stopped = false

  constructor(
    backend: Backend,
    private readonly options: LiveViewOptions,
  ) {
    this.reader = new SnapshotReader(backend)
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? DEFAULT_INTERVAL_MS
  }

  /** The view as JSON text, read now (or joined to the read in progress). */
  refresh(): Promise<string> {
    this.reading ??= this.readOnce().finally(() => (this.reading = undefined))
    return this.reading
  }

  /** The last view read, or a fresh one. */
  current(): Promise<string> {
    return this.latest !== undefined ? Promise.resolve(this.latest) : this.refresh()
  }

  /** Hear of every change (and get the current view at once). Returns the unsubscribe function. */
  subscribe(listener: ViewListener): () => void {
    this.listeners.add(listener)
    if (this.latest !== undefined) listener(this.latest)
    else void this.refresh() // tells every listener, this one included
    this.schedule()
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.clearTimer()
    }
  }

  get watchers(): number {
    return this.listeners.size
  }

  /** Stop polling for good (the server is closing). */
  stop(): void {
    this.stopped = true
    this.listeners.clear()
    this.clearTimer()
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.listeners.size === 0) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.refresh().finally(() => this.schedule())
    }, this.intervalMs)
  }

  private async readOnce(): Promise<string> {
    let view: DashboardView
    try {
      view = buildView(await this.reader.read(), this.options)
      this.lastGood = view
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      view = {...(this.lastGood ?? emptyView(this.options)), error: `Cannot read the engine: ${message}`}
    }
    const json = JSON.stringify(view)
    if (json !== this.latest) {
      this.latest = json
      for (const listener of this.listeners) listener(json)
    }
    return json
  }
}

function emptyView(o: ViewOptions): DashboardView {
  return {region: '', currentCluster: o.currentCluster, clusters: [], advanceCommand: ''}
}
