#!/usr/bin/env node
// npm run build: tsc → bundle (scripts/bundle.mjs) → oclif.manifest.json → dist/commands.json, all in a staging folder
// (.build/), then swapped in. A CLI in use keeps working while a build runs (npm test builds first): until the swap it
// runs the previous build, after it the new one; the swap is two renames.
import {execFileSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {bundle} from './bundle.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const stage = path.join(root, '.build')
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

rmSync(stage, {recursive: true, force: true})
mkdirSync(stage)
copyFileSync(path.join(root, 'package.json'), path.join(stage, 'package.json'))
run(bin('tsc'), ['-p', 'tsconfig.json', '--outDir', path.join(stage, 'dist')])
const meta = await bundle(path.join(stage, 'dist'))
run(bin('oclif'), ['manifest', stage])
const manifest = JSON.parse(readFileSync(path.join(stage, 'oclif.manifest.json'), 'utf8'))
writeFileSync(path.join(stage, 'dist', 'commands.json'), JSON.stringify(commandIndex(manifest)) + '\n')

// The bundle's source map names sources relative to the staging folder; make them relative to dist/.
const mapFile = path.join(stage, 'dist', 'ecsx.cjs.map')
const sourceMap = JSON.parse(readFileSync(mapFile, 'utf8'))
sourceMap.sources = sourceMap.sources.map((s) =>
  /^[\w-]+:/.test(s) ? s : path.relative(path.join(root, 'dist'), path.resolve(stage, 'dist', s)),
)
writeFileSync(mapFile, JSON.stringify(sourceMap))

// The swap: the old dist moves aside, the new one takes its place, the manifest is replaced in one rename.
const dist = path.join(root, 'dist')
if (existsSync(dist)) renameSync(dist, path.join(stage, 'previous-dist'))
renameSync(path.join(stage, 'dist'), dist)
renameSync(path.join(stage, 'oclif.manifest.json'), path.join(root, 'oclif.manifest.json'))
rmSync(stage, {recursive: true, force: true})

const bytes = Object.entries(meta.outputs).find(([file]) => file.endsWith('ecsx.cjs'))[1].bytes
console.log(
  `built dist/ (bundle dist/ecsx.cjs ${(bytes / 1024).toFixed(0)} KiB, ${Object.keys(manifest.commands).length} commands)`,
)
