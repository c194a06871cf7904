#!/usr/bin/env node
// The dashboard page (src/web/dashboard) → dist/web/: one minified ES module, one style sheet, one HTML file.
// Everything the page needs ships in the package (no CDN, no web fonts); `ecsx engine ui` and `engine serve` read
// these three files (src/lib/dashboard/assets.ts). Type-checking is `npm run typecheck` (src/web/tsconfig.json).
import {build} from 'esbuild'
import {copyFileSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src', 'web', 'dashboard')
const out = path.join(root, 'dist', 'web')
mkdirSync(out, {recursive: true})
const common = {bundle: true, minify: true, legalComments: 'none', logLevel: 'warning'}
await build({
  ...common,
  entryPoints: [path.join(src, 'main.ts')],
  outfile: path.join(out, 'dashboard.js'),
  format: 'esm',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari16'],
})
await build({...common, entryPoints: [path.join(src, 'style.css')], outfile: path.join(out, 'dashboard.css')})
copyFileSync(path.join(src, 'index.html'), path.join(out, 'dashboard.html'))
console.log(`bundled the dashboard page into ${path.relative(root, out)}/`)
