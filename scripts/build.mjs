#!/usr/bin/env node
// npm run build: tsc → the bundles (scripts/bundle.mjs) → the dashboard page (scripts/bundle-web.mjs) →
// oclif.manifest.json → dist/commands.json, all in a staging folder (.build/<pid>/), then swapped in. A CLI in use
// keeps working while a build runs (npm test builds first): until the swap it runs the previous build, after it the
// new one; the swap is two renames.
import {execFileSync} from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {bundle} from './bundle.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// One staging folder per build process (two builds may run at once, e.g. `npm test` and `npm run build`).
const stage = path.join(root, '.build', String(process.pid))
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const run = (cmd, args) =>
  execFileSync(cmd, args, {cwd: root, stdio: 'inherit', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}})

/** dist/commands.json: what bin/run.js's fast path needs from the manifest (ids, aliases, whether args follow). */
export function commandIndex(manifest) {
  const index = {}
  for (const [id, c] of Object.entries(manifest.commands)) {
    index[id] = {aliases: c.aliases ?? [], takesArgs: c.strict === false || Object.keys(c.args ?? {}).length > 0}
  }
  return index
}

/** The license texts of the npm packages the bundles hold (they ship inside dist/, so their notices ship too). */
export function thirdPartyLicenses(inputs) {
  const roots = new Set()
  for (const file of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file.split(path.sep).join('/'))
    if (m) roots.add(path.resolve(root, m[1]))
  }
  // Packages with the same license text share one copy of it.
  const byText = new Map()
  for (const dir of [...roots].sort()) {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text = file
      ? readFileSync(path.join(dir, file), 'utf8').trim()
      : `License: ${pkg.license ?? 'see the package'}`
    const names = byText.get(text) ?? new Set()
    byText.set(text, names.add(`${pkg.name}@${pkg.version} (${pkg.license ?? 'no license field'})`))
  }
  const header = 'ecsx bundles the following npm packages into dist/*.cjs. Their licenses and notices follow.'
  const sections = [...byText].map(([text, names]) => `${[...names].join('\n')}\n\n${text}`)
  return [header, ...sections].join(`\n\n${'-'.repeat(78)}\n\n`) + '\n'
}

/** Staging folders of builds that died (their process is gone). */
function removeStaleStages() {
  if (!existsSync(path.dirname(stage))) return
  for (const name of readdirSync(path.dirname(stage))) {
    try {
      process.kill(Number(name), 0)
    } catch {
      rmSync(path.join(path.dirname(stage), name), {recursive: true, force: true})
    }
  }
}

/** The whole build, staged and swapped in. */
export async function buildAll() {
  removeStaleStages()
  mkdirSync(stage, {recursive: true})
  copyFileSync(path.join(root, 'package.json'), path.join(stage, 'package.json'))
  run(bin('tsc'), ['-p', 'tsconfig.json', '--outDir', path.join(stage, 'dist')])
  const meta = await bundle(path.join(stage, 'dist'))
  run(process.execPath, [path.join(root, 'scripts', 'bundle-web.mjs'), path.join(stage, 'dist')])
  run(bin('oclif'), ['manifest', stage])
  const manifest = JSON.parse(readFileSync(path.join(stage, 'oclif.manifest.json'), 'utf8'))
  writeFileSync(path.join(stage, 'dist', 'commands.json'), JSON.stringify(commandIndex(manifest)) + '\n')
  writeFileSync(path.join(stage, 'dist', 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(Object.keys(meta.inputs)))

  // The bundles' source maps name sources relative to the staging folder; make them relative to dist/.
  for (const name of readdirSync(path.join(stage, 'dist')).filter((f) => f.endsWith('.cjs.map'))) {
    const mapFile = path.join(stage, 'dist', name)
    const sourceMap = JSON.parse(readFileSync(mapFile, 'utf8'))
    sourceMap.sources = sourceMap.sources.map((s) =>
      /^[\w-]+:/.test(s) ? s : path.relative(path.join(root, 'dist'), path.resolve(stage, 'dist', s)),
    )
    writeFileSync(mapFile, JSON.stringify(sourceMap))
  }

  // The swap: the old dist moves aside, the new one takes its place, the manifest is replaced in one rename.
  const dist = path.join(root, 'dist')
  if (existsSync(dist)) renameSync(dist, path.join(stage, 'previous-dist'))
  renameSync(path.join(stage, 'dist'), dist)
  renameSync(path.join(stage, 'oclif.manifest.json'), path.join(root, 'oclif.manifest.json'))
  rmSync(stage, {recursive: true, force: true})
  if (readdirSync(path.dirname(stage)).length === 0) rmSync(path.dirname(stage), {recursive: true, force: true})

  const sizes = Object.entries(meta.outputs)
    .filter(([file]) => file.endsWith('.cjs'))
    .map(([file, out]) => `${path.basename(file)} ${(out.bytes / 1024).toFixed(0)} KiB`)
  console.log(`built dist/: ${sizes.join(', ')}; ${Object.keys(manifest.commands).length} commands`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildAll()
