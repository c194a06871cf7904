/**
 * The dashboard page's files, as `npm run build` bundles them (scripts/bundle-web.mjs → dist/web/). Found by walking up
 * from this module, which runs from dist/lib/dashboard, from a bundled chunk in dist/chunks, or from src/ under jest.
 */
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {OperationError} from '../errors.js'

export interface DashboardAssets {
  html: string
  js: string
  css: string
}

export const ASSET_FILES = {html: 'dashboard.html', js: 'dashboard.js', css: 'dashboard.css'} as const

/** The folder holding the built page: the nearest `web/` or `dist/web/` above `from`. */
export function findAssetDir(from: string): string | undefined {
  let dir = from
  for (;;) {
    for (const candidate of [path.join(dir, 'web'), path.join(dir, 'dist', 'web')]) {
      if (existsSync(path.join(candidate, ASSET_FILES.html))) return candidate
    }
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

export async function loadDashboardAssets(
  from = path.dirname(fileURLToPath(import.meta.url)),
): Promise<DashboardAssets> {
  const dir = findAssetDir(from)
  if (!dir) {
    throw new OperationError(
      'The dashboard page is not in this installation (no web/dashboard.html next to the CLI).',
      'Build it with `npm run build` (it bundles src/web into dist/web).',
    )
  }
  const [html, js, css] = await Promise.all(
    Object.values(ASSET_FILES).map((name) => readFile(path.join(dir, name), 'utf8')),
  )
  return {html, js, css}
}
