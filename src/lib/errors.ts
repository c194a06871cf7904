/**
 * Errors that carry ecsx's exit-code contract (README "Exit codes"):
 *   0 success · 1 the operation failed · 2 bad input or usage · 3 timed out waiting · 4 deployment failed and was rolled back.
 * Neutral module: used by src/compose, src/lib and commands; imports nothing.
 */
export const ExitCode = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  TIMEOUT: 3,
  ROLLED_BACK: 4,
} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export class EcsxError extends Error {
  readonly exitCode: ExitCodeValue
  /** What the user can do about it, printed after the message. */
  readonly hint?: string
  constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
    super(message)
    this.name = new.target.name
    this.exitCode = exitCode
    this.hint = hint
  }
}

/** Bad input or usage: unreadable/invalid compose or ecs-params, bad flag value, a prompt needed without a TTY. Exit 2. */
export class InputError extends EcsxError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.USAGE, hint)
  }
}

/** The operation failed (backend error, resource not found, deployment failed without rollback). Exit 1. */
export class OperationError extends EcsxError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.FAILED, hint)
  }
}

/** Waiting for a service/task ran past --timeout. Exit 3. */
export class WaitTimeoutError extends EcsxError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.TIMEOUT, hint)
  }
}

/** The deployment failed and was rolled back to the previous revision. Exit 4. */
export class RolledBackError extends EcsxError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.ROLLED_BACK, hint)
  }
}

/** A position in a source file, for errors and warnings. */
export interface SourcePosition {
  file: string
  line?: number
  column?: number
}

/** "file:line:col" (parts omitted when unknown). */
export function formatPosition(pos: SourcePosition): string {
  let s = pos.file
  if (pos.line !== undefined) s += `:${pos.line}`
  if (pos.line !== undefined && pos.column !== undefined) s += `:${pos.column}`
  return s
}
