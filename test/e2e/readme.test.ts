/**
 * README.md is true on a fresh machine: its set-up step that makes `ecsx` callable (`npm link`, here into a temporary
 * npm prefix), then the tour and the Fargate walkthrough run exactly as written, in bash, with a temp HOME; and every
 * relative link in it names a file that exists.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import {execFile} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {baseEnv, CLI_ROOT, cleanupTempDirs, makeTempDir, REPO_ROOT} from '../helpers/cli.js'

afterAll(() => cleanupTempDirs())

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')

/** The first ```sh block after the heading line `heading`. */
function shBlockAfter(heading: string): string {
  const at = readme.split('\n').indexOf(heading)
  if (at < 0) throw new Error(`README.md has no heading "${heading}"`)
  const rest = readme
    .split('\n')
    .slice(at + 1)
    .join('\n')
  const block = /```sh\n([\s\S]*?)```/.exec(rest)
  if (!block) throw new Error(`no sh block after "${heading}"`)
  return block[1]
}

function bash(script: string, options: {cwd: string; env: Record<string, string>}) {
  return new Promise<{stdout: string; stderr: string; exitCode: number}>((resolve) => {
    execFile(
      'bash',
      // the harness around the README's lines: stop on the first failure, and stop what they started in the
      // background (`ecsx engine ui &`) when they are done
      ['-c', `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${script}`],
      {...options, timeout: 240_000, maxBuffer: 32 * 1024 * 1024},
      (error, stdout, stderr) => {
        const code = (error as {code?: unknown} | null)?.code
        resolve({stdout, stderr, exitCode: error ? (typeof code === 'number' ? code : 1) : 0})
      },
    )
  })
}

let linked: Promise<Record<string, string>> | undefined

/** The environment of a reader who ran the set-up's `npm link` (into a temp prefix instead of the global one). */
function readerEnv(): Promise<Record<string, string>> {
  linked ??= (async () => {
    const link = shBlockAfter('Then make `ecsx` callable by name (the tour below calls it so):')
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter(Boolean)
    expect(link).toEqual(['npm link'])
    const prefix = makeTempDir('ecsx-npm-prefix-')
    // npm's own settings leave out (under `npm test`, npm_config_prefix names the machine's global prefix); the link
    // must land in the temp prefix, which npm confirms before anything is linked
    const env: Record<string, string> = Object.fromEntries(Object.entries(baseEnv()).filter(([k]) => !/^npm_/i.test(k)))
    Object.assign(env, {npm_config_prefix: prefix, npm_config_update_notifier: 'false'})
    expect((await bash('npm config get prefix', {cwd: CLI_ROOT, env})).stdout.trim()).toBe(prefix)
    const r = await bash(`${link[0]} --no-audit --no-fund`, {cwd: CLI_ROOT, env})
    expect(r.exitCode).toBe(0)
    const reader = {...baseEnv(), PATH: `${path.join(prefix, 'bin')}:${process.env.PATH}`}
    const which = await bash('command -v ecsx', {cwd: REPO_ROOT, env: reader})
    expect(which.stdout.trim()).toBe(path.join(prefix, 'bin', 'ecsx'))
    return reader
  })()
  return linked
}

describe('README.md', () => {
  it('tour: runs as written', async () => {
    const tour = shBlockAfter('## A tour on the local engine')
    for (const line of tour.split('\n').filter((l) => l.trim()))
      expect(line).toMatch(/^(ecsx |export ECSX_HOME=|cd examples\/)/)
    expect(tour).toContain('ecsx engine ui &')
    const r = await bash(tour, {cwd: REPO_ROOT, env: await readerEnv()})
    expect({exitCode: r.exitCode, stderr: r.exitCode ? r.stderr : ''}).toEqual({exitCode: 0, stderr: ''})
    expect(r.stdout).toMatch(/"family": "wordpress"/)
    expect(r.stdout).toMatch(/ec2-tutorial\/[0-9a-f]{32}\/wordpress +RUNNING +0\.0\.0\.0:80->80\/tcp +wordpress:1/)
    // the killed instance's task stopped, the service started a replacement
    expect(r.stdout).toMatch(/Terminated container instance [0-9a-f]{32}/)
    expect(r.stdout).toMatch(/ec2-tutorial\/[0-9a-f]{32}\/wordpress +STOPPED/)
    const running = r.stdout.split('\n').filter((l) => /\/wordpress +RUNNING/.test(l))
    expect(running.length).toBeGreaterThanOrEqual(4)
    expect(r.stderr).toMatch(/Deleted cluster ec2-tutorial\./)
  }, 300_000)

  it('Fargate walkthrough: runs as written', async () => {
    const walk = shBlockAfter('## Fargate')
    const r = await bash(walk, {cwd: REPO_ROOT, env: await readerEnv()})
    expect({exitCode: r.exitCode, stderr: r.exitCode ? r.stderr : ''}).toEqual({exitCode: 0, stderr: ''})
    const request = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('\n}') + 2)) as {
      requiresCompatibilities: string[]
      networkMode: string
      cpu: string
      memory: string
    }
    expect(request).toMatchObject({
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
    })
    expect(r.stdout).toMatch(/fargate-tutorial\/[0-9a-f]{32}\/web +RUNNING +10\.\d+\.\d+\.\d+:80->80\/tcp +fargate:1/)
    expect(r.stderr).toMatch(/Service fargate has reached a stable state \(fargate:1\): desired 2, running 2/)
    expect(r.stderr).toMatch(/Deleted cluster fargate-tutorial\./)
  }, 300_000)

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l))
    expect(links.length).toBeGreaterThan(3)
    for (const link of links)
      expect({link, exists: existsSync(path.join(REPO_ROOT, link))}).toEqual({link, exists: true})
  })
})
