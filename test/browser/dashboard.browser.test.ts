/**
 * The cluster map in a real browser (Debian's chromium, headless, through playwright-core): a scenario built with the
 * CLI (3 instances over 2 zones, a spread and a bin-packed service), `ecsx engine ui`, and the page checked against
 * what the engine reports; then a rolling deployment and an instance killed, each change made with the CLI and
 * expected on the page within the latency bound (1 s on the wall clock). Screenshots of every step go to
 * .ci/artifacts/dashboard (or $ECSX_ARTIFACTS_DIR/dashboard). Run with `npm run test:browser` (after `npm run build`).
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {writeFileSync} from 'node:fs'
import path from 'node:path'

import type {Page} from 'playwright-core'

import {cleanupTempDirs} from '../helpers/cli.js'
import type {ServerProcess} from '../helpers/server-process.js'
import {artifactDir, nonLoopbackRequests, openBrowser, type BrowserSession} from './support/chromium.js'
import {BINPACK, buildScenario, composeFile, SPREAD, startUi, type Scenario} from './support/scenario.js'

/** Wall-clock bound from a CLI command's exit to the page showing its effect. */
const LATENCY_MS = 1000

interface DomInstance {
  ec2: string
  zone: string
  status: string
  count: number
  chips: string[]
}

interface EngineInstance {
  ec2InstanceId: string
  runningTasksCount: number
  pendingTasksCount: number
  attributes: Array<{name: string; value?: string}>
}

let scenario: Scenario
let ui: ServerProcess
let browser: BrowserSession
let page: Page
let shots: string
let step = 0
/** Measured latencies, printed at the end. */
const latencies: Record<string, number> = {}

async function screenshot(name: string): Promise<string> {
  step++
  const file = path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`)
  await page.waitForTimeout(600) // the bars' width transitions (0.45 s) settle first
  await page.screenshot({path: file, fullPage: true})
  return file
}

/** What the page shows of each instance (read in the page; the test's own TypeScript has no DOM). */
function instancesOnPage(): Promise<DomInstance[]> {
  return page.evaluate(`[...document.querySelectorAll('article.instance')].map((e) => ({
    ec2: e.dataset.ec2,
    zone: e.closest('.zone').dataset.zone,
    status: e.dataset.status,
    count: Number(e.dataset.taskCount),
    chips: [...e.querySelectorAll('.tasks .task')].map((t) => t.dataset.service ?? ''),
  }))`)
}

function serviceOnPage(name: string): Promise<Record<string, string>> {
  return page.evaluate(`({...document.querySelector('article.service[data-service="${name}"]').dataset})`)
}

async function engineInstances(): Promise<EngineInstance[]> {
  const r = await scenario.cli(['engine', 'status', '--json'])
  return (JSON.parse(r.stdout) as {containerInstances: EngineInstance[]}).containerInstances
}

/** Run a CLI command, then wait until `condition` holds on the page; returns the ms from the command's exit. */
async function changeAndWait(args: string[], condition: string, cwd?: string): Promise<number> {
  await scenario.cli(args, cwd)
  const exited = Date.now()
  await waitOnPage(condition)
  return Date.now() - exited
}

/**
 * Poll `condition` (a JS expression) in the page until it is true. Not page.waitForFunction: with a polling interval
 * that evaluates the text with eval() inside the page, which the page's Content-Security-Policy rightly forbids.
 */
async function waitOnPage(condition: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await page.evaluate<boolean>(condition)) return
    if (Date.now() > deadline) throw new Error(`The page did not show this within ${timeoutMs} ms: ${condition}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  shots = artifactDir('dashboard')
  scenario = await buildScenario()
  ui = await startUi(scenario.env)
  browser = await openBrowser()
  page = browser.page
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await ui?.stop()
  cleanupTempDirs()
})

describe('ecsx engine ui in headless Chromium', () => {
  it('shows the instances by zone with the tasks the engine placed on them, and the service bars', async () => {
    await page.goto(ui.url)
    await page.waitForSelector('#app[data-connection="live"] article.instance')
    await screenshot('initial')
    const onPage = await instancesOnPage()
    const engine = await engineInstances()
    expect(onPage.map((i) => i.ec2).sort()).toEqual(engine.map((i) => i.ec2InstanceId).sort())
    for (const ci of engine) {
      const shown = onPage.find((i) => i.ec2 === ci.ec2InstanceId) as DomInstance
      expect(shown.zone).toBe(ci.attributes.find((a) => a.name === 'ecs.availability-zone')?.value)
      expect(shown.status).toBe('ACTIVE')
      expect(shown.count).toBe(ci.runningTasksCount + ci.pendingTasksCount)
      expect(shown.chips).toHaveLength(shown.count)
    }
    expect(onPage.filter((i) => i.zone === 'us-east-1a')).toHaveLength(2)
    expect(onPage.filter((i) => i.zone === 'us-east-1b')).toHaveLength(1)
    // binpack(memory): every api task on one instance; spread over zones: two web tasks per zone
    expect(
      onPage.filter((i) => i.chips.includes(BINPACK)).map((i) => i.chips.filter((c) => c === BINPACK).length),
    ).toEqual([3])
    const webPerZone = (zone: string) =>
      onPage.filter((i) => i.zone === zone).reduce((n, i) => n + i.chips.filter((c) => c === SPREAD).length, 0)
    expect([webPerZone('us-east-1a'), webPerZone('us-east-1b')]).toEqual([2, 2])

    expect(await serviceOnPage(SPREAD)).toMatchObject({running: '4', pending: '0', desired: '4', deployments: '1'})
    expect(await serviceOnPage(BINPACK)).toMatchObject({running: '3', pending: '0', desired: '3', deployments: '1'})
    // the deployment bar: running tasks against max (200% of desired), so half the bar
    const fill = await page.evaluate<number>(`(() => {
      const bar = document.querySelector('article.service[data-service="${SPREAD}"] .deploy-bar')
      return bar.querySelector('.seg.running').getBoundingClientRect().width / bar.getBoundingClientRect().width
    })()`)
    expect(fill).toBeCloseTo(0.5, 1)
    expect(await page.textContent(`article.service[data-service="${SPREAD}"] .bar-scale`)).toContain('max 8 (200%)')
  })

  it('follows a rolling deployment: two deployments within the bounds, then one', async () => {
    writeFileSync(path.join(scenario.dirs[SPREAD], 'docker-compose.yml'), composeFile(SPREAD, 'nginx:1.28', 256, 256))
    const started = await changeAndWait(
      [
        'compose',
        'service',
        'up',
        '--timeout',
        '0',
        '--deployment-max-percent',
        '150',
        '--deployment-min-healthy-percent',
        '50',
      ],
      `document.querySelector('article.service[data-service="${SPREAD}"]').dataset.deployments === '2'`,
      SPREAD,
    )
    latencies['compose service up (rolling)'] = started
    expect(started).toBeLessThanOrEqual(LATENCY_MS)
    await screenshot('rolling-deployment')
    const rows = await page.evaluate(
      `[...document.querySelectorAll('article.service[data-service="${SPREAD}"] tr[data-deployment]')]
        .map((tr) => [tr.dataset.deployment, tr.querySelector('td.mono').textContent])`,
    )
    expect(rows).toEqual([
      ['PRIMARY', `${SPREAD}:2`],
      ['ACTIVE', `${SPREAD}:1`],
    ])
    expect(await page.textContent(`article.service[data-service="${SPREAD}"] .bar-scale`)).toContain('max 6 (150%)')

    const done = await changeAndWait(
      ['engine', 'advance', '5m'],
      `(() => {
        const s = document.querySelector('article.service[data-service="${SPREAD}"]')
        return s.dataset.deployments === '1' && s.dataset.running === '4' &&
          s.querySelector('tr[data-deployment="PRIMARY"] td.mono').textContent === '${SPREAD}:2'
      })()`,
    )
    await screenshot('rolled-out')
    latencies['advance 5m (rolled out)'] = done
    expect(done).toBeLessThanOrEqual(LATENCY_MS)
  })

  it('shows a killed instance as terminated and its tasks re-placed, within the latency bound', async () => {
    const victim = (await instancesOnPage()).find((i) => i.chips.includes(BINPACK)) as DomInstance
    const killed = await changeAndWait(
      ['engine', 'kill-instance', victim.ec2],
      `(() => {
        const dead = document.querySelector('article.instance[data-ec2="${victim.ec2}"]')
        const live = [...document.querySelectorAll('article.instance[data-status="ACTIVE"]')]
        return dead && dead.dataset.status === 'INACTIVE' && dead.dataset.taskCount === '0' &&
          live.reduce((n, e) => n + Number(e.dataset.taskCount), 0) === 7
      })()`,
    )
    await screenshot('instance-killed')
    latencies['kill-instance'] = killed
    expect(killed).toBeLessThanOrEqual(LATENCY_MS)
    expect(await page.textContent(`article.instance[data-ec2="${victim.ec2}"]`)).toContain('terminated')

    const healed = await changeAndWait(
      ['engine', 'advance', '30s'],
      `(() => {
        const s = (n) => document.querySelector('article.service[data-service="' + n + '"]').dataset
        return s('${SPREAD}').running === '4' && s('${BINPACK}').running === '3' && s('${BINPACK}').pending === '0'
      })()`,
    )
    await screenshot('healed')
    latencies['advance 30s (healed)'] = healed
    expect(healed).toBeLessThanOrEqual(LATENCY_MS)
    const onPage = await instancesOnPage()
    const engine = await engineInstances()
    expect(engine).toHaveLength(2)
    expect(engine.map((i) => i.ec2InstanceId)).not.toContain(victim.ec2)
    for (const ci of engine) {
      expect(onPage.find((i) => i.ec2 === ci.ec2InstanceId)?.count).toBe(ci.runningTasksCount + ci.pendingTasksCount)
    }
  })

  it('made no request outside loopback, and no page errors', () => {
    expect(browser.requests.length).toBeGreaterThanOrEqual(4) // page, script, style sheet, event stream
    expect(browser.requests.some((u) => u.endsWith('/api/events'))).toBe(true)
    expect(nonLoopbackRequests(browser.requests)).toEqual([])
    expect(browser.errors).toEqual([])
    const measured = Object.entries(latencies).map(([k, ms]) => `${k} ${ms} ms`)
    process.stdout.write(`dashboard: CLI exit → page, ${measured.join(', ')}; screenshots in ${shots}\n`)
  })
})
