#!/usr/bin/env node
// Node 20: silence the AWS SDK's one-time NodeVersionSupportWarning
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

// ecs-cli argument order: `ecsx compose -f x.yml service up` → `ecsx compose service up -f x.yml`
let args = process.argv.slice(2)
try {
  const {readFileSync} = await import('node:fs')
  const {reorderArgv, knownPrefixes} = await import('../dist/lib/argv.js')
  const manifest = JSON.parse(readFileSync(new URL('../oclif.manifest.json', import.meta.url), 'utf8'))
  const ids = Object.values(manifest.commands).flatMap((c) => [c.id, ...(c.aliases ?? [])])
  args = reorderArgv(args, knownPrefixes(ids))
} catch {
  // no build or no manifest (development): oclif parses the arguments as given
}

const {execute} = await import('@oclif/core')
await execute({args, dir: import.meta.url})
