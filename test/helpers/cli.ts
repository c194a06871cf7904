/**
 * Run the built CLI (`node bin/run.js …`) the way a user's shell would, for e2e tests.
 * Every run gets NO_COLOR=1, CI=true, a temp HOME (so ~/.ecs and ~/.aws of the machine are never read) and no
 * AWS_*, ECS_* or ECSX_* variables from the test process unless passed in `env`.
 * Needs `dist/` (npm run build; `npm test` builds first via pretest).
 */
import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The built CLI to run: this repository's, or a private build copy named by ECSX_TEST_ROOT (its bin/run.js). */
const CLI_ROOT = process.env.ECSX_TEST_ROOT ? path.resolve(process.env.ECSX_TEST_ROOT) : REPO_ROOT
export const BIN = path.join(CLI_ROOT, 'bin', 'run.js')

export interface CliResult {
  stdout: string
  stderr: string
  exitCode: number
}

export interface RunCliOptions {
  cwd?: string
  /** Added to (and overriding) the clean base environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>
  /** Written to the child's stdin (which is otherwise closed: no TTY). */
  input?: string
  timeoutMs?: number
}

const created: string[] = []

/** A fresh temp directory, removed by `cleanupTempDirs()`. */
export function makeTempDir(prefix = 'ecsx-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  created.push(dir)
  return dir
}

export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, {recursive: true, force: true})
}

let sharedHome: string | undefined

/** The base environment of every run: PATH and node's own variables, nothing that configures AWS/ECS/ecsx. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue
    if (/^(AWS_|ECS_|ECSX_|COMPOSE_)/.test(k)) continue
    if (k === 'NODE_OPTIONS' || k === 'NODE_ENV' || k.startsWith('JEST_')) continue
    env[k] = v
  }
  sharedHome ??= makeTempDir('ecsx-home-')
  env.HOME = sharedHome
  env.NO_COLOR = '1'
  env.CI = 'true'
  env.OCLIF_SKIP_NEW_VERSION_CHECK = 'true'
  return env
}

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = baseEnv()
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {cwd: options.cwd ?? REPO_ROOT, env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 32 * 1024 * 1024},
      (error, stdout, stderr) => {
        const code = error
          ? typeof (error as {code?: unknown}).code === 'number'
            ? (error as {code: number}).code
            : 1
          : 0
        resolve({stdout: String(stdout), stderr: String(stderr), exitCode: code})
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
    else child.stdin?.end()
  })
}

/** An ECSX_HOME + project directory pair for one e2e scenario. */
export function makeWorkspace(): {home: string; project: string; env: Record<string, string>} {
  const root = makeTempDir('ecsx-e2e-')
  const home = path.join(root, 'ecsx-home')
  const project = path.join(root, 'project')
  mkdirSync(project, {recursive: true})
  return {home, project, env: {ECSX_HOME: home, HOME: root, ECSX_ENGINE_CLOCK: 'manual'}}
}

/** True when text contains an ANSI escape sequence. */
export function hasAnsi(text: string): boolean {
  return text.includes('\u001B[')
}
