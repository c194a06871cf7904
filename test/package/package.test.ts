/**
 * What `npm pack` ships: the executable, the bundles and what they need at run time (the manifest, the command index,
 * the dashboard page, the docs that messages point to, LICENSE and the bundled packages' licenses) and nothing else — no sources, tests,
 * tsc output or source maps. At run time the bundles require no npm package but better-sqlite3 (the package's one
 * dependency). The install itself is exercised by .ci/pack-install.sh.
 */
import {describe, expect, it} from '@jest/globals'
import {execFileSync} from 'node:child_process'
import {builtinModules} from 'node:module'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {CLI_ROOT, REPO_ROOT} from '../helpers/cli.js'

const pjson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  license: string
  bin: Record<string, string>
  dependencies: Record<string, string>
}

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: CLI_ROOT,
    encoding: 'utf8',
    env: {...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false'},
  })
  return (JSON.parse(out) as Array<{files: Array<{path: string}>}>)[0].files.map((f) => f.path).sort()
}

/** Every `docs/*.md` that a source file names (error messages point users there). */
function docsNamedInSources(dir = path.join(REPO_ROOT, 'src')): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return docsNamedInSources(full)
    return [...readFileSync(full, 'utf8').matchAll(/\bdocs\/[\w-]+\.md\b/g)].map((m) => m[0])
  })
}

describe('the npm package', () => {
  const files = packedFiles()

  it('ships the executable, the bundles, the manifest, docs and licenses — and nothing else', () => {
    const docs = readdirSync(path.join(REPO_ROOT, 'docs'))
      .filter((d) => d.endsWith('.md'))
      .map((d) => `docs/${d}`)
    expect(files).toEqual(
      [
        'LICENSE',
        'README.md',
        'bin/package.json',
        'bin/run.js',
        'dist/THIRD-PARTY-LICENSES.txt',
        'dist/commands.json',
        'dist/ecsx.cjs',
        'dist/vendor-aws.cjs',
        'dist/vendor-yaml.cjs',
        'dist/vendor.cjs',
        'dist/web/dashboard.css',
        'dist/web/dashboard.html',
        'dist/web/dashboard.js',
        ...docs,
        'oclif.manifest.json',
        'package.json',
      ].sort(),
    )
  })

  it('has the docs that messages point to', () => {
    const named = [...new Set(docsNamedInSources())]
    expect(named.length).toBeGreaterThan(0)
    for (const doc of named) expect({doc, shipped: files.includes(doc)}).toEqual({doc, shipped: true})
  })

  it('needs no npm package at run time but better-sqlite3', () => {
    expect(Object.keys(pjson.dependencies)).toEqual(['better-sqlite3'])
    const builtins = new Set(builtinModules)
    for (const bundle of files.filter((f) => f.endsWith('.cjs'))) {
      const text = readFileSync(path.join(CLI_ROOT, bundle), 'utf8')
      // (not `[require("x");]` inside the AWS SDK's message about its optional CRT signer)
      const packages = [...text.matchAll(/(?<![[\w.$])(?:__)?require\("([^".][^"]*)"\)/g)]
        .map((m) => m[1])
        .filter((name) => !name.startsWith('node:') && !builtins.has(name.split('/')[0]))
      // oclif asks for typescript inside a try, to read a tsconfig in development; it is never installed with ecsx
      expect({bundle, packages: [...new Set(packages)]}).toEqual({
        bundle,
        packages: bundle === 'dist/ecsx.cjs' ? ['typescript'] : [],
      })
    }
  })

  it('is Apache-2.0 licensed, and its executable is CommonJS', () => {
    expect(pjson.license).toBe('Apache-2.0')
    expect(readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/)
    expect(pjson.bin).toEqual({ecsx: './bin/run.js'})
    expect(JSON.parse(readFileSync(path.join(REPO_ROOT, 'bin', 'package.json'), 'utf8'))).toEqual({type: 'commonjs'})
  })
})
