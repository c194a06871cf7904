/** Helpers for the tutorial and deploy e2e scenarios: a workspace with a fixture project, and a CLI runner bound to it. */
import {cpSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {type CliResult, hasAnsi, makeWorkspace, runCli} from '../helpers/cli.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

export interface Scenario {
  /** The project directory (its name is the default project name). */
  dir: string
  env: Record<string, string>
  /** Run `ecsx …` in the project directory; every run is checked for ANSI escapes (non-TTY must have none). */
  ecsx(...args: string[]): Promise<CliResult>
  /** Copy a fixture's files over the project directory's. */
  use(fixture: string): void
  /** Parse stdout as the one JSON document it must be. */
  json<T>(r: CliResult): T
}

export function scenario(projectName: string, fixture: string): Scenario {
  const ws = makeWorkspace()
  const dir = path.join(ws.project, projectName)
  mkdirSync(dir, {recursive: true})
  const s: Scenario = {
    dir,
    env: ws.env,
    async ecsx(...args: string[]) {
      const r = await runCli(args, {cwd: dir, env: ws.env, timeoutMs: 60_000})
      if (hasAnsi(r.stdout) || hasAnsi(r.stderr))
        throw new Error(`ANSI escapes in non-TTY output of ecsx ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`)
      return r
    },
    use(name: string) {
      cpSync(path.join(FIXTURES, name), dir, {recursive: true})
    },
    json<T>(r: CliResult): T {
      try {
        return JSON.parse(r.stdout) as T
      } catch {
        throw new Error(`stdout is not one JSON document (exit ${r.exitCode}):\n${r.stdout}\nstderr:\n${r.stderr}`)
      }
    },
  }
  s.use(fixture)
  return s
}

/** A readable assertion message: the command's output when its exit code is not the expected one. */
export function expectExit(r: CliResult, code: number): void {
  if (r.exitCode !== code) {
    throw new Error(`expected exit ${code}, got ${r.exitCode}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)
  }
}

/** Data rows of an ecs-cli style table (header line dropped). */
export function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '')
  if (lines.length === 0) return []
  return lines.slice(1).map((l) => l.trim().split(/\s{2,}/))
}
