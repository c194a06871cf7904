/**
 * createUi: the one place that decides colour, interactivity and where each kind of output goes.
 * Data → stdout; notes, warnings, progress → stderr. Colour only when NO_COLOR is unset and the stream is a TTY;
 * live redraws only on a TTY and not under CI; prompts only when stdin and stderr are TTYs (lazy @inquirer/confirm and @inquirer/password).
 */
import {createRequire} from 'node:module'
import type tty from 'node:tty'

import {InputError, OperationError} from '../errors.js'
import {createProgress} from './progress.js'
import {createStyle} from './style.js'
import {formatTable} from './table.js'
import type {ProgressReporter, TableColumn, Ui, UiOptions} from './types.js'

export type {ProgressReporter, TableColumn, Ui, UiOptions} from './types.js'

function isTruthyEnv(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false'
}

/** Ctrl+C / Ctrl+D at a prompt: a plain "cancelled" failure instead of inquirer's exception. */
function cancelled(error: unknown): never {
  if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError')
    throw new OperationError('Cancelled at the prompt.')
  throw error
}

export function createUi(options: UiOptions): Ui {
  const stdout = options.stdout ?? process.stdout
  const stderr = options.stderr ?? process.stderr
  const env = options.env ?? process.env
  // isatty(0) is what process.stdin.isTTY reports, without creating the stdin stream (a noticeable part of start-up);
  // asked only when stderr is a terminal, when node:tty is loaded already.
  const stdinIsTTY = () => options.stdinIsTTY ?? (createRequire(import.meta.url)('node:tty') as typeof tty).isatty(0)
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== ''
  const ci = isTruthyEnv(env.CI)
  const dumb = env.TERM === 'dumb'
  const color = !noColor && !dumb && Boolean(stderr.isTTY) && Boolean(stdout.isTTY)
  const interactive = Boolean(stderr.isTTY) && !dumb && stdinIsTTY()
  const style = createStyle(color)
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(text + '\n')
  const promptContext = (options.stdin ? {input: options.stdin, output: stderr} : {output: stderr}) as never

  return {
    interactive,
    color,
    style,
    out(text: string) {
      if (!options.json) line(stdout, text)
    },
    info(text: string) {
      if (!options.json) line(stderr, text)
    },
    warn(text: string) {
      const bare = text.replace(/^warning:\s*/i, '')
      line(stderr, `${style.yellow('Warning:')} ${bare}`)
    },
    verbose(text: string) {
      if (options.verbose) line(stderr, style.dim(text))
    },
    table<Row>(rows: Row[], columns: Array<TableColumn<Row>>) {
      if (options.json) return
      for (const l of formatTable(rows, columns)) line(stdout, l)
    },
    async confirm(question: string, flag: string): Promise<boolean> {
      if (!interactive) {
        throw new InputError(
          `${question} needs confirmation, and there is no terminal to ask on. Pass ${flag} to proceed without a prompt.`,
        )
      }
      const {default: confirm} = await import('@inquirer/confirm')
      return confirm({message: question, default: false}, promptContext).catch(cancelled)
    },
    async promptSecret(question: string, hint: string): Promise<string> {
      if (!interactive) throw new InputError(`${question}: no terminal to ask on.`, hint)
      const {default: password} = await import('@inquirer/password')
      return password({message: question, mask: '*'}, promptContext).catch(cancelled)
    },
    progress(title: string): ProgressReporter {
      return createProgress(stderr, title, {live: Boolean(stderr.isTTY) && !ci && !dumb, enabled: !options.json})
    },
  }
}
