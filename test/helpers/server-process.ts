/** A long-running CLI command (`engine serve`, `engine ui`) as a child process, for e2e and browser tests. */
import {type ChildProcess, spawn} from 'node:child_process'

import {BIN, baseEnv} from './cli.js'

export interface ServerProcess {
  /** The first capture group of `ready` in its output (the URL it listens on). */
  url: string
  /** Everything it printed so far (stdout and stderr). */
  output(): string
  /** SIGTERM; resolves to the exit code. */
  stop(): Promise<number | null>
}

/** `ecsx <args>`, resolved once its output matches `ready` (whose first group is the URL). */
export function startServer(args: string[], env: Record<string, string>, ready: RegExp): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    env: {...baseEnv(), ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ecsx ${args.join(' ')} did not start: ${text}`)), 30_000)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`ecsx ${args.join(' ')} exited with ${code}: ${text}`))
    }
    const onData = (chunk: Buffer) => {
      text += chunk.toString()
      const m = ready.exec(text)
      if (!m) return
      clearTimeout(timer)
      child.off('exit', onExit)
      resolve({
        url: m[1],
        output: () => text,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode)
            child.once('exit', (code) => done(code))
            child.kill('SIGTERM')
          }),
      })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}
