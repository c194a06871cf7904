/**
 * `ecsx engine ui`'s own HTTP server: the dashboard's routes and nothing else (no ECS API: the page is read-only, and
 * so is its server). Node's `http` only.
 */
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import type {Backend} from '../ecs/backend.js'
import {loadDashboardAssets} from './assets.js'
import {createDashboardRoutes, type DashboardRoutes} from './http.js'
import {LiveView, type LiveViewOptions} from './live.js'

export interface DashboardServer {
  readonly server: http.Server
  readonly routes: DashboardRoutes
  /** Start listening (port 0 = any free port); resolves to the page's URL. Rejects with the listen error. */
  listen(port: number, host: string): Promise<{host: string; port: number; url: string}>
  /** End event streams and stop. */
  close(): Promise<void>
}

export interface DashboardServerOptions extends LiveViewOptions {
  allowRemote: boolean
}

/** The dashboard routes over `backend`, for mounting in another server (`engine serve`). */
export async function dashboardRoutesFor(
  backend: Backend,
  options: DashboardServerOptions & {pageOnlyForHtml?: boolean},
): Promise<DashboardRoutes> {
  const assets = await loadDashboardAssets()
  return createDashboardRoutes({
    live: new LiveView(backend, options),
    assets,
    allowRemote: options.allowRemote,
    pageOnlyForHtml: options.pageOnlyForHtml,
  })
}

export async function createDashboardServer(
  backend: Backend,
  options: DashboardServerOptions,
): Promise<DashboardServer> {
  const routes = await dashboardRoutesFor(backend, options)
  const server = http.createServer((req, res) => {
    if (routes.handle(req, res)) return
    const status = req.method === 'GET' ? 404 : 405
    res.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8'})
    res.end(status === 404 ? 'Not found.\n' : 'The dashboard is read-only: GET only.\n')
  })
  return {
    server,
    routes,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          server.off('error', reject)
          const a = server.address() as AddressInfo
          const shown = a.address.includes(':') ? `[${a.address}]` : a.address
          resolve({host: a.address, port: a.port, url: `http://${shown}:${a.port}/`})
        })
      })
    },
    close() {
      routes.close()
      return new Promise((resolve) => {
        if (!server.listening) return resolve()
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
