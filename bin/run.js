#!/usr/bin/env node
// Node 20: silence the AWS SDK's one-time NodeVersionSupportWarning
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

// ecs-cli argument order: `ecsx compose -f x.yml service up` → `ecsx compose service up -f x.yml`.
// Only a leading flag or a topic word (compose, configure, engine) can have flags between command words, so other
// invocations skip reading the manifest.
let args = process.argv.slice(2)
try {
  const {readFileSync} = await import('node:fs')
  const read = (file) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'))
  const topics = new Set(Object.keys(read('../package.json').oclif?.topics ?? {}).map((t) => t.split(':')[0]))
  const first = args[0] ?? ''
  if (first.startsWith('-') || topics.has(first)) {
    const {reorderArgv, knownPrefixes} = await import('../dist/lib/argv.js')
    const ids = Object.values(read('../oclif.manifest.json').commands).flatMap((c) => [c.id, ...(c.aliases ?? [])])
    args = reorderArgv(args, knownPrefixes(ids))
  }
} catch {
  // no build or no manifest (development): oclif parses the arguments as given
}

let execute
try {
  ;({execute} = await import('../dist/oclif.js'))
} catch {
  ;({execute} = await import('@oclif/core'))
}
await execute({args, dir: import.meta.url})
