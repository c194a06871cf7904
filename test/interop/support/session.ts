/**
 * One interop session: its own moto_server (started before the file's tests, stopped by PID after them), a fresh
 * ECSX_HOME/HOME, and the built CLI run the way a user's shell runs it, with every AWS client pointed at moto
 * through AWS_ENDPOINT_URL. Every run is checked for what must never happen: a secret in the output, ANSI escapes
 * without a terminal, a stack trace, or a run that does not finish (each is bounded).
 */
import {afterAll, beforeAll, expect} from '@jest/globals'
import {cpSync, existsSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {BIN, type CliResult, cleanupTempDirs, hasAnsi, makeWorkspace, runCli} from '../../helpers/cli.js'
import {ACCESS_KEY, alive, holdTasksRunning, type Moto, REGION, SECRET_KEY, startMoto} from './moto.js'

const E2E_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'e2e', 'fixtures')

/** How long one CLI run may take before the suite calls it a hang. */
const RUN_TIMEOUT_MS = 90_000

export interface Session {
  moto: Moto
  /** The project directory (a copy of an e2e fixture, when one was given). */
  dir: string
  /** The environment of every run (without credentials: add them per run or via `configure profile`). */
  env: Record<string, string>
  /** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of moto's default account. */
  keys: Record<string, string>
  ecsx(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>
}

export function json<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.exitCode}):\n${r.stdout}\n--- stderr:\n${r.stderr}`)
  }
}

/** Exit code check that shows the whole run when it fails. */
export function expectExit(r: CliResult, code: number): void {
  if (r.exitCode !== code) {
    throw new Error(`expected exit ${code}, got ${r.exitCode}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`)
  }
}

/** Register beforeAll/afterAll hooks for a session; the returned getter is valid inside tests. */
export function motoSession(options: {fixture?: string; project?: string} = {}): () => Session {
  let session: Session | undefined
  beforeAll(async () => {
    if (!existsSync(BIN) || !existsSync(path.join(path.dirname(BIN), '..', 'dist', 'commands'))) {
      throw new Error(`The interop suite runs the built CLI: run \`npm run build\` first (no ${BIN} or dist/).`)
    }
    const moto = await startMoto()
    await holdTasksRunning(moto)
    const ws = makeWorkspace()
    const dir = path.join(ws.project, options.project ?? 'app')
    mkdirSync(dir, {recursive: true})
    if (options.fixture) cpSync(path.join(E2E_FIXTURES, options.fixture), dir, {recursive: true})
    const env: Record<string, string> = {
      ECSX_HOME: ws.env.ECSX_HOME as string,
      HOME: ws.env.HOME as string,
      ECSX_BACKEND: 'aws',
      AWS_ENDPOINT_URL: moto.url,
      AWS_REGION: REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(ws.env.HOME as string, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(ws.env.HOME as string, 'aws-credentials'),
    }
    const keys = {AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET_KEY}
    session = {
      moto,
      dir,
      env,
      keys,
      async ecsx(args, extra = {}) {
        const started = Date.now()
        const r = await runCli(args, {cwd: dir, env: {...env, ...extra}, timeoutMs: RUN_TIMEOUT_MS})
        const all = `${r.stdout}\n${r.stderr}`
        if (Date.now() - started >= RUN_TIMEOUT_MS - 1000)
          throw new Error(`ecsx ${args.join(' ')} did not finish within ${RUN_TIMEOUT_MS / 1000} s:\n${all}`)
        expect(all).not.toContain(SECRET_KEY)
        for (const [k, v] of Object.entries(extra)) if (/SECRET|TOKEN/.test(k) && v) expect(all).not.toContain(v)
        if (hasAnsi(all)) throw new Error(`ANSI escapes in non-TTY output of ecsx ${args.join(' ')}:\n${all}`)
        if (/^\s+at .*\(.*:\d+:\d+\)$/m.test(r.stderr))
          throw new Error(`a stack trace in the output of ecsx ${args.join(' ')}:\n${r.stderr}`)
        return r
      },
    }
  })
  afterAll(async () => {
    const moto = session?.moto
    if (moto) {
      await moto.stop()
      expect(alive(moto.pid)).toBe(false) // stopped by PID, nothing left running
    }
    cleanupTempDirs()
  })
  return () => {
    if (!session) throw new Error('the moto session is not started (beforeAll failed)')
    return session
  }
}
