// Where a cold start's milliseconds go, from `node --cpu-prof` profiles (used by bench/startup.mjs --breakdown).
// Every sample is charged to the nearest frame on its stack that is ecsx's own code or a package (not Node's
// internals), so `require` of a built-in counts for whoever required it; frames in dist/ are mapped through the built
// file's source map to the module they came from. Samples with no such frame are Node's own start-up (before bin/run.js
// runs) or Node's work after it (GC, exit).
import {existsSync, readFileSync} from 'node:fs'
import {SourceMap} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The area a source file belongs to. */
function area(file, fn) {
  if (file.includes('bin/run.js'))
    return fn === 'loadBundle' ? 'read + compile dist/ecsx.cjs (V8 code cache)' : 'bin/run.js'
  const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]
  if (pkg === '@oclif/core' || file.startsWith('ecsx-facade') || file.startsWith('ecsx-debug'))
    return 'oclif (parse, run, output)'
  if (pkg === 'better-sqlite3' || pkg === 'bindings' || file.includes('src/lib/engine/store'))
    return 'SQLite (better-sqlite3, open)'
  if (pkg) return `package ${pkg}`
  if (file.includes('src/lib/engine/')) return 'engine (state, reconcile, API)'
  if (file.includes('src/lib/config/')) return 'settings (config files, precedence)'
  if (file.includes('src/lib/startup/') || file.includes('ecsx-entry')) return 'dispatch (src/lib/startup)'
  if (file.includes('src/')) return 'command code (src/commands, src/lib)'
  return `other: ${file}`
}

const ESM = 'ES module loading (resolve, read, compile, link)'

/** A markdown table: area → mean ms per run and share, over the given profiles. */
export function breakdown(profiles, {root}) {
  const totals = new Map()
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]))
    const parent = new Map()
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
    const charged = new Map()
    const chargeOf = (id) => {
      if (charged.has(id)) return charged.get(id)
      const frame = byId.get(id).callFrame
      let result
      if (frame.functionName === '(garbage collector)') result = 'GC'
      else if (/^(file:\/\/|\/)/.test(frame.url)) result = classify(frame, root)
      // Node's internals and esbuild's module wrappers (no source) are charged to whoever called them…
      result ??= parent.has(id) ? chargeOf(parent.get(id)) : undefined
      // …except the ES module loader, which runs from the event loop with no caller of ours on the stack.
      if (result === undefined && frame.url.startsWith('node:internal/modules/esm')) result = ESM
      charged.set(id, result)
      return result
    }
    let seenUser = false
    for (let i = 0; i < p.samples.length; i++) {
      const ms = (p.timeDeltas[i] ?? 0) / 1000
      let key = chargeOf(p.samples[i])
      if (key && key !== 'GC' && key !== ESM) seenUser = true
      const name = byId.get(p.samples[i]).callFrame.functionName
      if (name === '(idle)') key = 'idle (waiting: I/O, timers)'
      key ??= seenUser ? 'Node after the command (exit)' : 'Node start-up (before bin/run.js)'
      totals.set(key, (totals.get(key) ?? 0) + ms)
    }
  }
  const n = profiles.length
  const total = [...totals.values()].reduce((a, b) => a + b, 0)
  const sorted = [...totals].sort((a, b) => b[1] - a[1])
  // rows under 1% each are summed into one, named
  const small = sorted.filter(([, v]) => v < total / 100)
  const rows = sorted.filter(([, v]) => v >= total / 100)
  if (small.length)
    rows.push([
      `${small.length} more under 1% each: ${small.map(([k]) => k.replace(/^package /, '')).join(', ')}`,
      small.reduce((a, [, v]) => a + v, 0),
    ])
  return [
    '| where | ms per run | share |',
    '|---|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${(v / n).toFixed(1)} | ${((100 * v) / total).toFixed(0)}% |`),
    `| **total (profiled)** | **${(total / n).toFixed(1)}** | |`,
  ].join('\n')
}

const maps = new Map()
/** The source map of a built file (`<file>.map`), if it has one. */
function mapOf(file) {
  if (!maps.has(file))
    maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null)
  return maps.get(file)
}

function classify(frame, root) {
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url
  const map = file.startsWith(path.join(root, 'dist') + path.sep) ? mapOf(file) : null
  if (map) {
    const source = map.findEntry(frame.lineNumber, frame.columnNumber)?.originalSource
    return source ? area(source, frame.functionName) : undefined
  }
  return area(path.relative(root, file), frame.functionName)
}
