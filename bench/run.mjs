#!/usr/bin/env node
// Runs every benchmark (each a standalone script printing a markdown section) and writes bench/.out/latest.md.
// The numbers go into bench/RESULTS.md by hand, with the machine, date and command each script prints.
import {spawnSync} from 'node:child_process'
import {mkdirSync, writeFileSync, existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const dir = path.dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const benches = ['startup.mjs', 'translate.mjs', 'scheduler.mjs', 'engine.mjs', 'reconcile.mjs', 'api.mjs'].filter(
  (b) => existsSync(path.join(dir, b)) && (only.length === 0 || only.some((o) => b.startsWith(o))),
)
const sections = []
for (const b of benches) {
  process.stderr.write(`== bench/${b}\n`)
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(dir, b)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  process.stdout.write(r.stdout)
  if (r.status !== 0) {
    process.stderr.write(`bench/${b} failed with exit ${r.status}\n`)
    process.exitCode = 1
  }
  sections.push(r.stdout)
}
mkdirSync(path.join(dir, '.out'), {recursive: true})
writeFileSync(path.join(dir, '.out', 'latest.md'), sections.join('\n'))
