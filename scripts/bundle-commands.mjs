#!/usr/bin/env node
// Start-up: after `tsc`, re-bundle every command (and the help class) with esbuild, in place, with code splitting.
// A command then loads a handful of chunk files instead of ~100 small ES modules; code shared by several commands
// lands in shared chunks (one copy per process, so `instanceof` and module state behave as before) and what commands
// import lazily (the engine, the AWS backend) stays in lazily loaded chunks. @oclif/core is bundled too (bin/run.js
// imports `execute` from dist/oclif.js, so the CLI has one copy of oclif); the other npm packages stay external.
// The unbundled tsc output under dist/lib remains for benchmarks and tools that import library modules directly.
import {build} from 'esbuild'
import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return jsFiles(full)
    return name.endsWith('.js') ? [full] : []
  })
}

import {writeFileSync} from 'node:fs'
// oclif's runtime is bundled too (one copy shared by bin/run.js and the commands); bin/run.js imports dist/oclif.js.
writeFileSync(path.join(dist, 'oclif.js'), "export {execute} from '@oclif/core'\n")
const entryPoints = [
  ...jsFiles(path.join(dist, 'commands')),
  path.join(dist, 'lib', 'help.js'),
  path.join(dist, 'oclif.js'),
]
await build({
  entryPoints,
  outdir: dist,
  outbase: dist,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm packages stay external except @oclif/core and its small helpers; typescript (oclif's optional tsconfig
  // reading) and the native better-sqlite3 must stay external.
  external: [
    'typescript',
    'better-sqlite3',
    '@aws-sdk/*',
    '@smithy/*',
    '@inquirer/*',
    'yaml',
    'chalk',
    'cli-table3',
    'diff',
  ],
  mainFields: ['module', 'main'],
  banner: {
    js: "import {createRequire as __ecsxCreateRequire} from 'node:module'; const require = __ecsxCreateRequire(import.meta.url);",
  },
  allowOverwrite: true,
  sourcemap: true,
  logLevel: 'warning',
})
console.log(`bundled ${entryPoints.length} entry points into ${path.relative(root, dist)}/`)
