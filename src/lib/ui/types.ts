/**
 * The one shared UI surface commands render through (implemented in src/lib/ui/index.ts: `createUi(options)`).
 * Data goes to stdout, everything else (notes, warnings, progress) to stderr. No colour when NO_COLOR is set or
 * stderr/stdout is not a TTY; no spinners or live redraws when not a TTY or CI=true; prompts only on a TTY.
 */
export interface UiOptions {
  json: boolean
  verbose: boolean
  /** Injected for tests; default process streams/env. */
  stdout?: NodeJS.WritableStream & {isTTY?: boolean}
  stderr?: NodeJS.WritableStream & {isTTY?: boolean}
  stdinIsTTY?: boolean
  /** Where prompts read from (tests); default process.stdin. */
  stdin?: NodeJS.ReadableStream
  env?: Record<string, string | undefined>
}

export interface TableColumn<Row> {
  header: string
  get: (row: Row) => string
}

export interface ProgressReporter {
  /** Replace the live status block (TTY) or print changed lines (non-TTY). */
  update(lines: string[]): void
  /** A permanent line (e.g. a service event as it happens). */
  event(line: string): void
  /** Finish: clear the live block and print a final line. */
  done(finalLine?: string): void
}

export interface Ui {
  readonly interactive: boolean
  readonly color: boolean
  /** A line of human output on stdout (suppressed under --json). */
  out(line: string): void
  /** Info on stderr (suppressed under --json). */
  info(line: string): void
  /** Warning on stderr (printed even under --json). */
  warn(line: string): void
  /** Detail on stderr only under --verbose. */
  verbose(line: string): void
  /** An aligned table on stdout (ecs-cli style: two-space padding, header only when rows exist). */
  table<Row>(rows: Row[], columns: Array<TableColumn<Row>>): void
  /** Ask yes/no on a TTY; without one throw InputError naming `flag` (e.g. "--force"). */
  confirm(question: string, flag: string): Promise<boolean>
  /** Ask for a secret (e.g. an MFA code) on a TTY; without one throw InputError with `hint`. */
  promptSecret(question: string, hint: string): Promise<string>
  progress(title: string): ProgressReporter
  /** Colour helpers (identity when colour is off). */
  style: {
    bold(s: string): string
    dim(s: string): string
    red(s: string): string
    green(s: string): string
    yellow(s: string): string
  }
}
