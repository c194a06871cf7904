/**
 * The base class of every ecsx command: global flags, the exit-code contract, --json output, error rendering.
 *
 * Commands stay thin: parse flags (`await this.parse()`), call a workflow (src/lib/workflows) or an infrastructure
 * method (src/lib/infra), return a typed result (what `--json` prints as is) and render human output through `this.ui`.
 * Nothing heavy is imported here at top level: the backend, the infrastructure, YAML and the SDK load lazily.
 */
import {Command} from '@oclif/core'

import {type AwsCall, awsCallOf, formatAwsCall} from './aws/call-context.js'
import type {Backend} from './ecs/backend.js'
import {type GlobalFlags, globalFlags} from './global-flags.js'
import type {ResolvedSettings} from './config/types.js'
import {EcsxError, ExitCode, type ExitCodeValue} from './errors.js'
import type {Infrastructure} from './infra/types.js'
import {createUi} from './ui/index.js'
import type {Ui} from './ui/types.js'

/** Text appended to every command's help: the exit-code contract. */
export const EXIT_CODES_HELP = `EXIT CODES
  0  success
  1  the operation failed (backend error, resource not found, deployment failed)
  2  bad input or usage (unreadable/invalid compose or ecs-params, unknown flag, bad argument, confirmation needed without a TTY)
  3  timed out waiting
  4  deployment failed and was rolled back`

/** What `setup()` hands a command: resolved settings, the UI, the backend and the infrastructure, opened on first use. */
export interface CommandContext {
  settings: ResolvedSettings
  ui: Ui
  /** Opens the backend on first call (same instance afterwards); closed automatically when the command ends. */
  backend: () => Promise<Backend>
  /** What is not the ECS API (capacity, logs, images, service discovery), for the backend the settings chose. */
  infra: () => Promise<Infrastructure>
}

/** Flags as setup() reads them (global flags plus an optional --launch-type). */
export type SetupFlags = Partial<GlobalFlags> & {'launch-type'?: string}

export abstract class EcsxCommand<T> extends Command {
  static override enableJsonFlag = true
  static override baseFlags = globalFlags

  /** The UI of this run (set by `setup()` or `makeUi()`). */
  protected ui!: Ui
  /** Settings of this run, once `setup()` resolved them (used to make backend errors name the cluster). */
  protected settings?: ResolvedSettings
  private openedBackend?: Promise<Backend>

  /** Resolve to the typed result that `--json` prints unchanged. */
  abstract override run(): Promise<T>

  /** The UI for this run without resolving settings (commands that need no backend, e.g. configure). */
  protected makeUi(flags: {verbose?: boolean}): Ui {
    this.ui ??= createUi({json: this.jsonEnabled(), verbose: Boolean(flags.verbose)})
    return this.ui
  }

  /** Resolve settings (ecs-cli precedence), create the UI, and prepare the backend (opened lazily, closed in finally). */
  protected async setup(flags: SetupFlags): Promise<CommandContext> {
    const ui = this.makeUi(flags)
    const {resolveSettings} = await import('./config/resolve.js')
    const settings = await resolveSettings(flags, process.env)
    this.settings = settings
    ui.verbose(
      `Using cluster ${settings.cluster} in ${settings.region} on the ${settings.backend} backend` +
        (settings.configName ? ` (cluster configuration ${settings.configName})` : '') +
        (settings.backend === 'aws' ? `; credentials from ${settings.credentials.source}` : ''),
    )
    const backend = () => {
      this.openedBackend ??= import('./backend/index.js').then(({openBackend}) => openBackend(settings, ui))
      return this.openedBackend
    }
    let infra: Promise<Infrastructure> | undefined
    const openInfra = () => {
      infra ??= import('./infra/index.js').then((m) => m.openInfra(settings, ui, backend))
      return infra
    }
    return {settings, ui, backend, infra: openInfra}
  }

  /** A note shown only under --verbose, e.g. a flag that means nothing on the local backend. */
  protected note(msg: string): void {
    this.ui?.verbose(`Note: ${msg}`)
  }

  /** Close the backend if this run opened one, whatever happened. */
  protected override async finally(err: Error | undefined): Promise<unknown> {
    if (this.openedBackend) {
      const opened = this.openedBackend
      this.openedBackend = undefined
      const backend = await opened.catch(() => undefined)
      await backend?.close()
    }
    return super.finally(err)
  }

  /** Plain, uncoloured, indented JSON on stdout: scripts parse it; NO_COLOR and pipes need no escapes. */
  protected override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }

  /** Errors always go to stderr — also under --json, where stdout must hold only the result document. */
  protected override async catch(
    err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string},
  ): Promise<never> {
    if (err.code === 'EEXIT') throw err
    if (err.name === 'ClusterNotFoundException' && this.settings && !(err as {hint?: string}).hint) {
      const s = this.settings
      Object.assign(err, {
        hint:
          `Cluster ${s.cluster} (${s.region}, ${s.backend} backend): create it with \`ecsx up\`, ` +
          'or choose another with --cluster or --cluster-config.',
      })
    }
    const exitCode = exitCodeFor(err)
    const text = formatError(err, process.argv.includes('--verbose') || process.argv.includes('--debug'))
    if (this.jsonEnabled()) {
      const hint = (err as {hint?: string}).hint
      process.stderr.write(
        JSON.stringify({
          error: {name: err.name, message: err.message, exitCode, ...(hint ? {hint} : {}), ...awsCallJson(err)},
        }) + '\n',
      )
    } else {
      process.stderr.write(text + '\n')
    }
    process.exitCode = exitCode
    this.exit(exitCode)
  }
}

function awsCallJson(err: Error): {aws?: AwsCall} {
  const call = awsCallOf(err)
  return call ? {aws: call} : {}
}

/** Exit code for any error: ecsx errors carry theirs; oclif parse errors are usage (2); ECS API errors are failures (1). */
export function exitCodeFor(err: {exitCode?: number; oclif?: {exit?: number}; name?: string}): ExitCodeValue {
  if (err instanceof EcsxError) return err.exitCode
  // Every parser error (missing/unexpected argument, unknown flag, invalid option, failed validation) is usage.
  if ((err as {parse?: unknown}).parse !== undefined) return ExitCode.USAGE
  const oclifExit = err.oclif?.exit
  if (typeof oclifExit === 'number')
    return (oclifExit === 2 ? ExitCode.USAGE : oclifExit === 0 ? ExitCode.OK : ExitCode.FAILED) as ExitCodeValue
  return ExitCode.FAILED
}

/**
 * "Error: <message>" plus the hint; AWS API errors as "<ExceptionName>: <message>", followed by the call they
 * answered (service, operation, endpoint, request id: src/lib/aws/call-context.ts) when an AWS service sent them.
 */
export function formatError(err: Error & {hint?: string}, verbose = false): string {
  const call = err instanceof EcsxError ? undefined : awsCallOf(err)
  const isApiError = /Exception$|^ClientException$/.test(err.name ?? '') || call !== undefined
  let text = isApiError ? `Error: ${err.name}: ${err.message}` : `Error: ${err.message}`
  if (call) text += `\n  from ${formatAwsCall(call)}`
  if (err.hint) text += `\n${err.hint}`
  if (verbose && err.stack && !(err instanceof EcsxError) && !call) text += `\n${err.stack}`
  return text
}
