/**
 * `ecsx engine serve` and `engine ui`: put the local engine on a TCP port — the ECS API (JSON 1.1) with the cluster
 * map for browsers, or the cluster map alone. The loopback rule and readable listen errors come from lib/listen.ts,
 * the servers from lib/ecs/server.ts and lib/dashboard/server.ts (both loaded when serving starts).
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Backend} from '../ecs/backend.js'
import {assertListenHost, listenError} from '../listen.js'

export interface ListenOptions {
  host: string
  port: number
  allowRemote: boolean
}

/** What each server exposes, for the refusal of a non-loopback --host without --allow-remote. */
const EXPOSURE = {
  engine: {why: 'the engine accepts any credentials', whoMay: 'control the engine'},
  map: {why: 'the page has no login', whoMay: 'see the cluster'},
} as const

/** Exit 2 unless --host is a loopback address or --allow-remote was given. */
export function checkListenHost(options: Pick<ListenOptions, 'host' | 'allowRemote'>, what: keyof typeof EXPOSURE) {
  assertListenHost(options.host, options.allowRemote, EXPOSURE[what].why, EXPOSURE[what].whoMay)
}

export interface Serving {
  /** The address listened on (a wildcard host as given). */
  host: string
  port: number
  /** A URL a client on this machine can use (a wildcard address is reachable through loopback). */
  url: string
  /** The URL of the address as listened on (a wildcard address stays as it is). */
  listenedUrl: string
  /** Whether the host is a loopback address (anything else is reachable from other machines). */
  loopback: boolean
  close(): Promise<void>
}

const clientUrl = (url: string) => url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1')

async function listenOn<T extends {url: string; host: string; port: number}>(
  listen: () => Promise<T>,
  options: ListenOptions,
): Promise<T> {
  try {
    return await listen()
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, options.host, options.port)
  }
}

/** `engine serve`: the ECS API of `backend` (through its wire capability when it has one) plus the cluster map. */
export async function serveEngine(
  backend: Backend,
  settings: ResolvedSettings,
  options: ListenOptions & {log?: (line: string) => void},
): Promise<Serving & {readonly requestCount: number}> {
  const [{createEcsServer, isLoopbackHost}, {dashboardRoutesFor}] = await Promise.all([
    import('../ecs/server.js'),
    import('../dashboard/server.js'),
  ])
  const dashboard = await dashboardRoutesFor(backend, {
    currentCluster: settings.cluster,
    composeServiceNamePrefix: settings.composeServiceNamePrefix,
    allowRemote: options.allowRemote,
    pageOnlyForHtml: true,
  })
  const server = createEcsServer(backend, {
    wire: backend.wire,
    routes: dashboard.handle,
    ...(options.log ? {log: options.log} : {}),
  })
  const address = await listenOn(() => server.listen(options.port, options.host), options)
  return {
    host: address.host,
    port: address.port,
    url: clientUrl(address.url),
    listenedUrl: address.url,
    loopback: isLoopbackHost(options.host),
    get requestCount() {
      return server.requestCount
    },
    async close() {
      dashboard.close()
      await server.close()
    },
  }
}

/** `engine ui`: the read-only cluster map of `backend`'s engine, on a server of its own. */
export async function serveClusterMap(
  backend: Backend,
  settings: ResolvedSettings,
  options: ListenOptions,
): Promise<Serving> {
  const [{isLoopbackHost}, {createDashboardServer}] = await Promise.all([
    import('../ecs/server.js'),
    import('../dashboard/server.js'),
  ])
  const dashboard = await createDashboardServer(backend, {
    currentCluster: settings.cluster,
    composeServiceNamePrefix: settings.composeServiceNamePrefix,
    allowRemote: options.allowRemote,
  })
  const address = await listenOn(() => dashboard.listen(options.port, options.host), options)
  return {
    host: address.host,
    port: address.port,
    url: clientUrl(address.url),
    listenedUrl: address.url,
    loopback: isLoopbackHost(options.host),
    close: () => dashboard.close(),
  }
}

/** Resolves with the first SIGINT (Ctrl-C) or SIGTERM. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      resolve(sig)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
