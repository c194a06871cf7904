/**
 * The dashboard over HTTP: read-only GET routes, for `ecsx engine ui` (its own server, ./server.ts) and for
 * `ecsx engine serve` (the same routes next to the ECS API, through createEcsServer's `routes` option).
 *
 *   GET /                the page (under engine serve only for clients that accept text/html: `/` stays the JSON
 *                        readiness probe for everything else, and /health always is)
 *   GET /dashboard.js    the page's script      GET /dashboard.css   its style sheet
 *   GET /api/view        the current view as JSON (DashboardView)
 *   GET /api/events      server-sent events: one `data:` line of view JSON at once and after every change
 *
 * Every response forbids the page to load or send anything outside its own origin (Content-Security-Policy), and
 * unless remote access was allowed, requests must name a loopback host (a web page elsewhere cannot reach the
 * dashboard through DNS rebinding).
 */
import type http from 'node:http'

import {isLoopbackHost} from '../ecs/server.js'
import type {DashboardAssets} from './assets.js'
import type {LiveView} from './live.js'

export interface DashboardRoutesOptions {
  live: LiveView
  assets: DashboardAssets
  /** Requests may name any host (the server was started with --allow-remote). */
  allowRemote: boolean
  /** Serve the page at `/` only to clients that ask for HTML (engine serve, where `/` is also the readiness probe). */
  pageOnlyForHtml?: boolean
  /** SSE comment line interval, keeping idle connections open through proxies (default 15 s). */
  keepAliveMs?: number
}

export interface DashboardRoutes {
  /** Answer the request if it is one of the dashboard's; false leaves it to the caller. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean
  /** Open event streams. */
  readonly streams: number
  /** End every event stream and stop reading the backend. */
  close(): void
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const COMMON_HEADERS: http.OutgoingHttpHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
}

/** The host part of a Host header (`127.0.0.1:4567`, `[::1]:80`, `localhost`). */
export function hostOf(header: string | undefined): string {
  const h = (header ?? '').trim()
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1)
  const colon = h.lastIndexOf(':')
  return colon === -1 ? h : h.slice(0, colon)
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8')
  res.writeHead(status, {...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': bytes.length})
  res.end(bytes)
}

export function createDashboardRoutes(options: DashboardRoutesOptions): DashboardRoutes {
  const {live, assets} = options
  const streams = new Set<http.ServerResponse>()

  const openStream = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    })
    res.write('retry: 1000\n\n')
    streams.add(res)
    const unsubscribe = live.subscribe((json) => res.write(`data: ${json}\n\n`))
    const ping = setInterval(() => res.write(': ping\n\n'), options.keepAliveMs ?? 15_000)
    ping.unref()
    const end = () => {
      clearInterval(ping)
      unsubscribe()
      streams.delete(res)
    }
    req.on('close', end)
    res.on('close', end)
  }

  const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
    '/': (_req, res) => send(res, 200, 'text/html; charset=utf-8', assets.html),
    '/dashboard.js': (_req, res) => send(res, 200, 'text/javascript; charset=utf-8', assets.js),
    '/dashboard.css': (_req, res) => send(res, 200, 'text/css; charset=utf-8', assets.css),
    '/api/view': (_req, res) => {
      live.refresh().then(
        (json) => send(res, 200, 'application/json; charset=utf-8', json),
        (error: unknown) => send(res, 500, 'text/plain; charset=utf-8', String(error)),
      )
    },
    '/api/events': openStream,
  }

  return {
    handle(req, res) {
      if (req.method !== 'GET') return false
      const path = (req.url ?? '/').split('?')[0]
      const route = routes[path === '/index.html' ? '/' : path]
      if (!route) return false
      if (path === '/' && options.pageOnlyForHtml && !String(req.headers.accept ?? '').includes('text/html'))
        return false
      if (!options.allowRemote && !isLoopbackHost(hostOf(req.headers.host))) {
        send(
          res,
          403,
          'text/plain; charset=utf-8',
          'The dashboard answers only requests addressed to a loopback host.\n',
        )
        return true
      }
      route(req, res)
      return true
    },
    get streams() {
      return streams.size
    },
    close() {
      live.stop()
      for (const res of streams) res.end()
      streams.clear()
    },
  }
}
