/**
 * The slice of oclif's Config that running one known command reads, built from package.json alone — what lets the
 * fast path skip `Config.load()` (plugin discovery, the manifest, WSL and shell detection, theme files).
 *
 * Read by @oclif/core 4.14's Command (constructor: bin; init: userAgent, and argv normalisation for deprecated
 * aliases: topicSeparator, commandIDs, findCommand; parse: runHook('preparse'); jsonEnabled: scopedEnvVar;
 * removeEnvVar: scopedEnvVarKeys; logJson: theme). The parser reads no config. Values follow Config.load().
 */
import type {Config} from '@oclif/core'

/** dist/commands.json: per command id (oclif's "a:b:c"), its aliases and whether it takes arguments or is not strict. */
export type CommandIndex = Record<string, {aliases: string[]; takesArgs: boolean}>

/** The fields of package.json this reads. */
export interface PackageJson {
  name: string
  version: string
  oclif: {bin?: string; binAliases?: string[]; dirname?: string; topicSeparator?: string}
}

export interface CommandConfigOptions {
  root: string
  pjson: PackageJson
  index: CommandIndex
  /** oclif's userAgent, "<name>/<version> <platform>-<arch> node-<version>" (bin/run.js computes it). */
  userAgent: string
  platform: string
}

export function commandConfig(options: CommandConfigOptions): Config {
  const {pjson, index} = options
  const bin = pjson.oclif.bin ?? pjson.name
  const binAliases = pjson.oclif.binAliases
  const clean = (part: string) => part.replaceAll('@', '').replaceAll(/[/-]/g, '_')
  // as oclif: scopedEnvVarKey cleans both parts, scopedEnvVarKeys only the bin name
  const scopedEnvVarKeys = (k: string) =>
    [bin, ...(binAliases ?? [])].filter(Boolean).map((name) => [clean(name), k].join('_').toUpperCase())
  const scopedEnvVar = (k: string) => process.env[scopedEnvVarKeys(k).find((key) => process.env[key]) ?? '']
  const config = {
    root: options.root,
    pjson,
    name: pjson.name,
    version: pjson.version,
    bin,
    binAliases,
    dirname: pjson.oclif.dirname ?? pjson.name,
    topicSeparator: pjson.oclif.topicSeparator === ' ' ? ' ' : ':',
    flexibleTaxonomy: false,
    isSingleCommandCLI: false,
    platform: options.platform,
    arch: process.arch === 'ia32' ? 'x86' : process.arch,
    windows: options.platform === 'win32',
    userAgent: options.userAgent,
    theme: undefined,
    plugins: new Map(),
    commandIDs: Object.keys(index),
    findCommand: (id: string) =>
      Object.hasOwn(index, id) ? {id, strict: !index[id].takesArgs, args: {}, aliases: index[id].aliases} : undefined,
    scopedEnvVarKey: (k: string) => [bin, k].map(clean).join('_').toUpperCase(),
    scopedEnvVarKeys,
    scopedEnvVar,
    scopedEnvVarTrue: (k: string) => ['1', 'true'].includes(scopedEnvVar(k) ?? ''),
    getPluginsList: () => [],
    runHook: async () => ({successes: [], failures: []}),
  }
  return config as unknown as Config
}
