/**
 * How the installed CLI starts: bin/run.js → dist/ecsx.cjs (one bundle) → `start()`.
 *
 * 1. ecs-cli argument order (`ecsx compose -f x.yml service up` → `ecsx compose service up -f x.yml`, see argv.ts).
 * 2. A command id that oclif would resolve to a command of this CLI (same rules: words are taken while they name a
 *    command or topic, see `commandIdOf`) and no help flag: the command class comes straight from the bundle and runs
 *    as oclif's `runCommand` runs it (ecsx defines no hooks), with the slice of oclif's Config that a command reads
 *    (config.ts), then `flush`/`handle` as in oclif's `execute`. This skips oclif's config loading (plugins, manifest,
 *    WSL and shell detection), id normalisation and help machinery on the common path.
 * 3. Anything else — no arguments, `--help`, a topic, an alias, a typo — goes to oclif's `execute()` unchanged.
 *
 * `ECSX_STARTUP=oclif` forces step 3 for every invocation, `--version` included (tests compare both paths with it).
 */
import {type Command, type Config, execute, flush, handle} from '@oclif/core'

import {knownPrefixes, reorderArgv} from '../argv.js'
import {type CommandIndex, commandConfig, type PackageJson} from './config.js'

export interface StartOptions {
  /** The package root (where package.json and oclif.manifest.json are). */
  root: string
  index: CommandIndex
  /** Command classes by id, loaded on first access. */
  commands: Record<string, Command.Class>
  pjson: PackageJson
  /** oclif's config.userAgent and config.platform (bin/run.js computes them for --version). */
  userAgent: string
  platform: string
  env?: NodeJS.ProcessEnv
}

/** A concrete command class as oclif's runCommand instantiates it. */
type Runnable = new (argv: string[], config: Config) => {_run(): Promise<unknown>}

const HELP_FLAGS = new Set(['--help', '-h'])

/** Run the CLI for `argv` (process.argv without node and script). */
export async function start(argv: string[], options: StartOptions): Promise<unknown> {
  const allIds = Object.entries(options.index).flatMap(([id, c]) => [id, ...c.aliases])
  const args = reorderArgv(argv, knownPrefixes(allIds))
  const direct = (options.env ?? process.env).ECSX_STARTUP === 'oclif' ? undefined : directCommand(args, options.index)
  if (!direct) return execute({args, dir: options.root})
  try {
    const config = commandConfig(options)
    const CommandClass = options.commands[direct.id]
    CommandClass.id = direct.id
    const command = new (CommandClass as unknown as Runnable)(direct.argv, config)
    const result = await command._run()
    flush()
    return result
  } catch (error) {
    // An ExitError (a command's this.exit(), after it printed its error) ends the process with its code, as oclif's
    // handle() would, without loading handle's error-printing helpers.
    const exit = (error as {code?: string; oclif?: {exit?: number}}).oclif?.exit
    if ((error as {code?: string}).code === 'EEXIT' && typeof exit === 'number') process.exit(exit)
    return handle(error as Error)
  }
}

/** The command to run without oclif's dispatcher, or undefined when oclif must decide (help, topics, aliases, typos). */
export function directCommand(args: readonly string[], index: CommandIndex): {id: string; argv: string[]} | undefined {
  if (args.length === 0) return undefined
  for (const arg of args) {
    if (arg === '--') break
    if (HELP_FLAGS.has(arg)) return undefined
  }
  const id = commandIdOf(args, index)
  if (!id || !Object.hasOwn(index, id)) return undefined
  // "compose:up" is one word, "compose up" two
  return {id, argv: args.slice(args[0].includes(':') ? 1 : id.split(':').length)}
}

/**
 * oclif's reading of a space-separated command id (collateSpacedCmdIDFromArgs in @oclif/core 4): words are taken while
 * they extend a known id or topic; an unknown word is still taken unless it is a flag or the id so far takes arguments.
 * A first word spelled with colons ("compose:up") is the id as it stands.
 */
export function commandIdOf(args: readonly string[], index: CommandIndex): string {
  if (args.length === 0) return ''
  if (args.length === 1 || args[0].includes(':')) return args[0]
  const usable = knownPrefixes(Object.entries(index).flatMap(([id, c]) => [id, ...c.aliases]))
  const words: string[] = []
  for (const arg of args) {
    const candidate = [...words, arg].join(':')
    if (usable.has(candidate)) {
      words.push(arg)
      continue
    }
    const current = words.join(':')
    if (arg.startsWith('-') || arg.includes('=') || (current !== '' && index[current]?.takesArgs)) break
    words.push(arg)
  }
  return words.join(':')
}
