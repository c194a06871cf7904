/**
 * How the built CLI starts (bin/run.js, dist/ecsx.cjs): `--version` as oclif prints it, the fast path giving exactly
 * what oclif's own dispatch gives (ECSX_STARTUP=oclif), the V8 code cache (written once, keyed by build, survives a
 * corrupt file, old builds' caches removed), and the vendor bundles staying unloaded on the common path.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import {Config} from '@oclif/core'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {CLI_ROOT, cleanupTempDirs, makeTempDir, runCli} from '../helpers/cli.js'

afterAll(() => cleanupTempDirs())

/** A workspace whose code cache folder is its own. */
function workspace() {
  const root = makeTempDir('ecsx-startup-')
  const project = path.join(root, 'project')
  mkdirSync(project)
  writeFileSync(path.join(project, 'compose.yml'), 'services:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n')
  const cache = path.join(root, 'cache')
  const env = {HOME: root, ECSX_HOME: path.join(root, 'ecsx'), ECSX_CACHE_DIR: cache, ECSX_ENGINE_CLOCK: 'manual'}
  const ecsx = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, {cwd: project, env: {...env, ...extra}, timeoutMs: 60_000})
  const cached = () => {
    try {
      return readdirSync(cache).sort()
    } catch {
      return []
    }
  }
  const bundles = () =>
    cached()
      .map((f) => f.split('@')[0])
      .sort()
  return {ecsx, cache, cached, bundles}
}

describe('bin/run.js', () => {
  it('answers --version with oclif’s user agent', async () => {
    const config = await Config.load(CLI_ROOT)
    const r = await workspace().ecsx(['--version'])
    expect(r).toEqual({stdout: `${config.userAgent}\n`, stderr: '', exitCode: 0})
  })

  it('runs a command line exactly as oclif’s own dispatch does', async () => {
    const w = workspace()
    expect((await w.ecsx(['up', '--size', '1'])).exitCode).toBe(0)
    const lines = [
      ['--version'],
      ['ps', '--json'],
      ['ps', '--desired-status', 'STOPPED'],
      ['ps', '--no-such-flag'],
      ['register', '--dry-run', '--json'],
      ['compose', '--project-name', 'p', 'ps', '--json'],
      ['compose', 'scale', 'two'],
      ['engine', 'status', '--cluster', 'nope'],
      ['configure', 'profile', 'default'],
      ['ps', 'extra'],
      ['compose'],
    ]
    for (const args of lines) {
      const direct = await w.ecsx(args)
      const oclif = await w.ecsx(args, {ECSX_STARTUP: 'oclif'})
      expect({args, ...direct}).toEqual({args, ...oclif})
    }
  }, 300_000)

  it('keeps a V8 code cache per build and Node, rewrites a bad one and drops old builds’ caches', async () => {
    const w = workspace()
    const first = await w.ecsx(['ps', '--json'])
    const files = w.cached()
    expect(files).toHaveLength(1)
    const build = /\/\/# ecsxBuild=(\w+)\s*$/.exec(readFileSync(path.join(CLI_ROOT, 'dist', 'ecsx.cjs'), 'utf8'))?.[1]
    expect(files[0]).toMatch(new RegExp(`^ecsx@${build}@${process.version}-${process.arch}-\\w+\\.v8$`))
    const cacheFile = path.join(w.cache, files[0])
    const size = readFileSync(cacheFile).length
    expect(size).toBeGreaterThan(10_000)

    expect(await w.ecsx(['ps', '--json'])).toEqual(first)
    writeFileSync(cacheFile, 'not a code cache')
    writeFileSync(path.join(w.cache, `ecsx@0123456789abcdef@${process.version}-${process.arch}-x.v8`), 'old build')
    expect(await w.ecsx(['ps', '--json'])).toEqual(first)
    expect(w.cached()).toEqual(files)
    expect(readFileSync(cacheFile).length).toBeGreaterThan(10_000)
  })

  it('writes no cache with ECSX_CODE_CACHE=0', async () => {
    const w = workspace()
    expect((await w.ecsx(['ps', '--json'], {ECSX_CODE_CACHE: '0'})).exitCode).toBe(1)
    expect(w.cached()).toEqual([])
  })

  it('loads the vendor bundles only when a command needs them', async () => {
    const w = workspace()
    expect((await w.ecsx(['up', '--size', '1'])).exitCode).toBe(0)
    expect((await w.ecsx(['ps'])).exitCode).toBe(0)
    expect(w.bundles()).toEqual(['ecsx'])
    expect((await w.ecsx(['register', '--dry-run'])).exitCode).toBe(0)
    expect(w.bundles()).toEqual(['ecsx', 'vendor-yaml'])
    expect((await w.ecsx(['ps', '--no-such-flag'])).exitCode).toBe(2)
    expect(w.bundles()).toEqual(['ecsx', 'vendor-yaml'])
    expect((await w.ecsx(['ps', '--help'])).exitCode).toBe(0)
    expect(w.bundles()).toEqual(['ecsx', 'vendor', 'vendor-yaml'])
  })

  it('ships pure-ASCII bundles that name their build', () => {
    for (const name of ['ecsx.cjs', 'vendor.cjs', 'vendor-yaml.cjs', 'vendor-aws.cjs']) {
      const text = readFileSync(path.join(CLI_ROOT, 'dist', name), 'latin1')
      expect({name, ascii: !/[\u0080-\uffff]/.test(text)}).toEqual({name, ascii: true})
      expect(text).toMatch(/\n\/\/# ecsxBuild=[0-9a-f]{16}\n$/)
    }
  })
})
