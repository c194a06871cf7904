/** Running command classes from src in process (no build), with output captured. */
import {captureOutput} from '@oclif/test'

import {REPO_ROOT} from './cli.js'

export interface InProcessResult<T> {
  stdout: string
  /** stderr without Node's own ExperimentalWarning lines (jest runs with --experimental-vm-modules). */
  stderr: string
  result?: T
  error?: Error & {oclif?: {exit?: number}}
  exitCode: number
}

type Runnable<T> = {run(argv: string[], root: string): Promise<T>}

export async function runInProcess<T>(command: Runnable<T>, argv: string[]): Promise<InProcessResult<T>> {
  const out = await captureOutput(() => command.run(argv, REPO_ROOT))
  const stderr = out.stderr
    .split('\n')
    .filter((l) => !/ExperimentalWarning|--trace-warnings/.test(l))
    .join('\n')
  const exitCode = out.error ? (out.error.oclif?.exit ?? 1) : 0
  return {stdout: out.stdout, stderr, result: out.result as T | undefined, error: out.error, exitCode}
}
