import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from '@jest/globals'

import {findAssetDir, loadDashboardAssets} from '../../../src/lib/dashboard/assets.js'
import {CONTENT_SECURITY_POLICY, createDashboardRoutes, hostOf} from '../../../src/lib/dashboard/http.js'
import {LiveView} from '../../../src/lib/dashboard/live.js'
import type {DashboardView} from '../../../src/lib/dashboard/view.js'
import type {Backend} from '../../../src/lib/ecs/backend.js'
import {makeTempDir} from '../../helpers/cli.js'
import {localBackendPerTest} from '../../helpers/local-backend.js'

const openBackend = localBackendPerTest()
const OPTIONS = {currentCluster: 'default', composeServiceNamePrefix: ''}
const ASSETS = {html: '<!doctype html><title>map</title>', js: 'console.log(1)', css: 'body{}'}
const servers: http.Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

/** A listener that resolves its next calls as promises. */
function queue(): {listener: (json: string) => void; next: () => Promise<DashboardView>; count: () => number} {
  const got: string[] = []
  const waiting: Array<(json: string) => void> = []
  return {
    listener(json) {
      const w = waiting.shift()
      if (w) w(json)
      else got.push(json)
    },
    next: () => {
      const json = got.shift()
      if (json !== undefined) return Promise.resolve(JSON.parse(json) as DashboardView)
      return new Promise((resolve) => waiting.push((j) => resolve(JSON.parse(j) as DashboardView)))
    },
    count: () => got.length,
  }
}

async function serve(backend: Backend, options: {allowRemote?: boolean; pageOnlyForHtml?: boolean} = {}) {
  const live = new LiveView(backend, {...OPTIONS, intervalMs: 10})
  const routes = createDashboardRoutes({live, assets: ASSETS, allowRemote: false, ...options})
  const server = http.createServer((req, res) => {
    if (!routes.handle(req, res)) res.writeHead(404).end()
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {routes, port: (server.address() as AddressInfo).port}
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}) {
  return new Promise<{status: number; headers: http.IncomingHttpHeaders; body: string}>((resolve, reject) => {
    http
      .get({host: '127.0.0.1', port, path: urlPath, headers}, (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}))
      })
      .on('error', reject)
  })
}

describe('the live view', () => {
  it('tells a watcher the view at once, then only when it changes', async () => {
    const b = await openBackend()
    const live = new LiveView(b, {...OPTIONS, intervalMs: 60_000})
    const q = queue()
    const stop = live.subscribe(q.listener)
    expect((await q.next()).clusters).toEqual([])
    await live.refresh()
    expect(q.count()).toBe(0) // nothing changed, nothing said
    await b.createCluster({clusterName: 'default'})
    await live.refresh()
    expect((await q.next()).clusters.map((c) => c.name)).toEqual(['default'])
    stop()
    expect(live.watchers).toBe(0)
    live.stop()
  })

  it('polls while watched: a change made elsewhere arrives without asking', async () => {
    const b = await openBackend()
    const live = new LiveView(b, {...OPTIONS, intervalMs: 10})
    const q = queue()
    live.subscribe(q.listener)
    await q.next()
    await b.createCluster({clusterName: 'later'})
    expect((await q.next()).clusters.map((c) => c.name)).toEqual(['later'])
    live.stop()
  })

  it('keeps the last good view and says why when the backend cannot be read', async () => {
    const b = await openBackend()
    await b.createCluster({clusterName: 'default'})
    const broken = Object.create(b) as Backend
    let fail = false
    broken.listClusters = (input) => (fail ? Promise.reject(new Error('database is locked')) : b.listClusters(input))
    const live = new LiveView(broken, OPTIONS)
    expect((JSON.parse(await live.refresh()) as DashboardView).clusters).toHaveLength(1)
    fail = true
    const view = JSON.parse(await live.refresh()) as DashboardView
    expect(view.error).toBe('Cannot read the engine: database is locked')
    expect(view.clusters.map((c) => c.name)).toEqual(['default'])
  })
})

describe('the dashboard routes', () => {
  it('serves the page, its assets and the view, each under a same-origin-only CSP', async () => {
    const {port} = await serve(await openBackend())
    const page = await get(port, '/')
    expect(page.status).toBe(200)
    expect(page.body).toBe(ASSETS.html)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect((await get(port, '/dashboard.js')).headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await get(port, '/dashboard.css')).body).toBe(ASSETS.css)
    const view = await get(port, '/api/view')
    expect(JSON.parse(view.body)).toMatchObject({region: 'us-east-1', currentCluster: 'default', clusters: []})
    expect((await get(port, '/nope')).status).toBe(404)
  })

  it('answers only requests addressed to a loopback host unless remote access is allowed', async () => {
    const {port} = await serve(await openBackend())
    expect((await get(port, '/api/view', {Host: 'attacker.example:80'})).status).toBe(403)
    expect((await get(port, '/api/view', {Host: `localhost:${port}`})).status).toBe(200)
    expect((await get(port, '/api/view', {Host: `[::1]:${port}`})).status).toBe(200)
    const remote = await serve(await openBackend(), {allowRemote: true})
    expect((await get(remote.port, '/api/view', {Host: 'dashboard.example'})).status).toBe(200)
    expect([hostOf('127.0.0.1:80'), hostOf('[::1]:4567'), hostOf('localhost'), hostOf(undefined)]).toEqual([
      '127.0.0.1',
      '[::1]',
      'localhost',
      '',
    ])
  })

  it('leaves / to the readiness probe for clients that do not ask for HTML (engine serve)', async () => {
    const {port} = await serve(await openBackend(), {pageOnlyForHtml: true})
    expect((await get(port, '/')).status).toBe(404) // not ours: the ECS server answers its JSON
    expect((await get(port, '/', {Accept: 'text/html,application/xhtml+xml'})).body).toBe(ASSETS.html)
  })

  it('streams the view as server-sent events, and ends the streams on close', async () => {
    const b = await openBackend()
    const {port, routes} = await serve(b)
    const events: DashboardView[] = []
    let ended = false
    let contentType = ''
    await new Promise<void>((resolve, reject) => {
      http
        .get({host: '127.0.0.1', port, path: '/api/events'}, (res) => {
          contentType = String(res.headers['content-type'])
          let buffer = ''
          res.on('data', (c: Buffer) => {
            buffer += c.toString()
            for (let i = buffer.indexOf('\n\n'); i !== -1; i = buffer.indexOf('\n\n')) {
              const frame = buffer.slice(0, i)
              buffer = buffer.slice(i + 2)
              if (frame.startsWith('data: ')) events.push(JSON.parse(frame.slice(6)) as DashboardView)
              if (events.length === 1 && frame.startsWith('data: ')) void b.createCluster({clusterName: 'default'})
              if (events.length === 2) resolve()
            }
          })
          res.on('end', () => (ended = true))
        })
        .on('error', reject)
    })
    expect(contentType).toBe('text/event-stream; charset=utf-8')
    expect(events.map((v) => v.clusters.length)).toEqual([0, 1])
    expect(routes.streams).toBe(1)
    routes.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(ended).toBe(true)
    expect(routes.streams).toBe(0)
  })
})

describe('the page assets', () => {
  it('are found in the nearest web/ or dist/web/ folder above the module', async () => {
    const root = makeTempDir('ecsx-assets-')
    mkdirSync(path.join(root, 'dist', 'web'), {recursive: true})
    mkdirSync(path.join(root, 'dist', 'chunks'), {recursive: true})
    for (const [name, text] of [
      ['dashboard.html', '<p>hi</p>'],
      ['dashboard.js', 'js'],
      ['dashboard.css', 'css'],
    ])
      writeFileSync(path.join(root, 'dist', 'web', name), text)
    expect(findAssetDir(path.join(root, 'dist', 'chunks'))).toBe(path.join(root, 'dist', 'web'))
    expect(await loadDashboardAssets(path.join(root, 'dist', 'chunks'))).toEqual({
      html: '<p>hi</p>',
      js: 'js',
      css: 'css',
    })
    const empty = makeTempDir('ecsx-no-assets-')
    await expect(loadDashboardAssets(empty)).rejects.toThrow('The dashboard page is not in this installation')
  })
})
