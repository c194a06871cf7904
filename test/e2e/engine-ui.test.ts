/** e2e: `ecsx engine ui` and the page under `ecsx engine serve`, through the built CLI (the page itself: test/browser). */
import {afterAll, describe, expect, it} from '@jest/globals'

import type {DashboardView} from '../../src/lib/dashboard/view.js'
import {cleanupTempDirs, makeWorkspace, runCli} from '../helpers/cli.js'
import {startServer} from '../helpers/server-process.js'

afterAll(cleanupTempDirs)

const html = {Accept: 'text/html,application/xhtml+xml'}

describe('e2e: engine ui', () => {
  it('serves the page and a live view of the local engine on loopback, and stops on SIGTERM', async () => {
    const ws = makeWorkspace()
    expect((await runCli(['up', '--size', '2', '--cluster', 'demo'], {cwd: ws.project, env: ws.env})).exitCode).toBe(0)
    const ui = await startServer(
      ['engine', 'ui', '--port', '0', '--cluster', 'demo'],
      ws.env,
      /Cluster map on (http:\/\/\S+)/,
    )
    try {
      expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const page = await fetch(ui.url)
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      const text = await page.text()
      expect(text).toContain('<script type="module" src="dashboard.js"></script>')
      expect(text).not.toMatch(/https?:\/\//) // nothing loaded from elsewhere
      const js = await fetch(`${ui.url}dashboard.js`)
      expect(js.status).toBe(200)
      expect(await js.text()).toContain('api/events')
      const view = (await (await fetch(`${ui.url}api/view`)).json()) as DashboardView
      expect(view.currentCluster).toBe('demo')
      expect(view.clusters.map((c) => [c.name, c.zones.flatMap((z) => z.instances).length])).toEqual([['demo', 2]])
      expect(view.clusters[0].zones[0].instances[0].killCommand).toMatch(/^ecsx engine kill-instance i-[0-9a-f]{17}$/)
      expect((await fetch(ui.url, {method: 'POST', body: '{}'})).status).toBe(405) // read-only
    } finally {
      expect(await ui.stop()).toBe(0)
    }
    expect(ui.output()).toContain('Stopped (SIGTERM).')
  })

  it('refuses a non-loopback host without --allow-remote, and the aws backend (exit 2)', async () => {
    const ws = makeWorkspace()
    const remote = await runCli(['engine', 'ui', '--host', '0.0.0.0'], {cwd: ws.project, env: ws.env})
    expect(remote.exitCode).toBe(2)
    expect(remote.stderr).toContain('Refusing to listen on 0.0.0.0: the page has no login')
    const aws = await runCli(['engine', 'ui', '--port', '0', '--backend', 'aws'], {
      cwd: ws.project,
      env: {...ws.env, AWS_REGION: 'us-east-1'},
    })
    expect(aws.exitCode).toBe(2)
    expect(aws.stderr).toContain('controls the local engine')
  })
})

describe('e2e: the page under engine serve', () => {
  it('answers browsers with the page at /, everyone else with the readiness JSON; /health stays JSON', async () => {
    const ws = makeWorkspace()
    const serve = await startServer(['engine', 'serve', '--port', '0'], ws.env, /Listening on (http:\/\/\S+)/)
    try {
      const probe = {service: 'ecsx engine', protocol: 'awsJson1_1', targetPrefix: 'AmazonEC2ContainerServiceV20141113'}
      expect(await (await fetch(`${serve.url}/`)).json()).toEqual(probe)
      expect(await (await fetch(`${serve.url}/health`, {headers: html})).json()).toEqual(probe)
      const page = await fetch(`${serve.url}/`, {headers: html})
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await page.text()).toContain('<div id="app"></div>')
      const created = await fetch(`${serve.url}/`, {
        method: 'POST',
        headers: {
          'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.CreateCluster',
          'Content-Type': 'application/x-amz-json-1.1',
        },
        body: JSON.stringify({clusterName: 'served'}),
      })
      expect(created.status).toBe(200)
      const view = (await (await fetch(`${serve.url}/api/view`)).json()) as DashboardView
      expect(view.clusters.map((c) => c.name)).toEqual(['served'])
      expect(serve.output()).toContain(`Cluster map (read-only): open ${serve.url}/ in a browser.`)
    } finally {
      expect(await serve.stop()).toBe(0)
    }
  })
})
