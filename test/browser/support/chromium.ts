/**
 * Headless Chromium for the dashboard's browser tests: Debian's `chromium` package (/usr/bin/chromium, installed by
 * .ci/run), driven by playwright-core (which downloads no browser of its own), in a fresh profile, with every request
 * the browser makes recorded so a test can assert the page talks to nothing but its own loopback server.
 */
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type {BrowserContext, Page} from 'playwright-core'

import {REPO_ROOT} from '../../helpers/cli.js'

export const CHROMIUM = process.env.ECSX_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Where screenshots go: $ECSX_ARTIFACTS_DIR/<name>, else .ci/artifacts/<name> in the repository. */
export function artifactDir(name: string): string {
  const base = process.env.ECSX_ARTIFACTS_DIR ?? path.join(REPO_ROOT, '.ci', 'artifacts')
  const dir = path.join(base, name)
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  return dir
}

export interface BrowserSession {
  context: BrowserContext
  page: Page
  /** Every URL the browser requested, in order (pages, scripts, styles, event streams, anything). */
  requests: string[]
  /** Console errors and uncaught page errors. */
  errors: string[]
  close(): Promise<void>
}

export async function openBrowser(viewport = {width: 1400, height: 900}): Promise<BrowserSession> {
  const {chromium} = await import('playwright-core')
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ecsx-chromium-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    deviceScaleFactor: 1,
  })
  const requests: string[] = []
  const errors: string[] = []
  context.on('request', (r) => requests.push(r.url()))
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  return {
    context,
    page,
    requests,
    errors,
    async close() {
      await context.close()
      rmSync(profile, {recursive: true, force: true})
    },
  }
}

/** The hosts of requests that did not go to a loopback address (`data:` and `about:` URLs load nothing). */
export function nonLoopbackRequests(urls: string[]): string[] {
  return urls.filter((u) => {
    const url = new URL(u)
    if (url.protocol === 'data:' || url.protocol === 'about:') return false
    return !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  })
}
