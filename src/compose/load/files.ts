/**
 * Finding the Compose files (Compose's default names and override file), reading `.env`, and reading one file:
 * parse with positions, decide v1 (services at the top level) or not, interpolate.
 */
import {existsSync} from 'node:fs'
import * as path from 'node:path'

import {parseDotenv} from '../dotenv.js'
import {ComposeError, type Diagnostics} from '../errors.js'
import {InterpolationError, interpolateTree, type Lookup} from '../interpolate.js'
import {TOP_LEVEL_KEYS} from '../schema.js'
import {displayPath, parseYaml, readText, type Path, type SourceFile} from '../source.js'
import type {ComposeLoadOptions} from '../types.js'
import {describe} from '../units.js'
import {isDict, type Dict} from '../values.js'
import type {ComposeFileAccess} from './extends.js'

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']
const OVERRIDES: Record<string, string[]> = {
  compose: ['compose.override.yaml', 'compose.override.yml'],
  'docker-compose': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
}

export function findFiles(opts: ComposeLoadOptions): string[] {
  if (opts.files.length > 0) return opts.files.map((f) => path.resolve(opts.cwd, f))
  for (const name of DEFAULT_FILES) {
    const abs = path.join(opts.cwd, name)
    if (existsSync(abs)) {
      const base = name.startsWith('docker-compose') ? 'docker-compose' : 'compose'
      const override = OVERRIDES[base].map((o) => path.join(opts.cwd, o)).find((o) => existsSync(o))
      return override ? [abs, override] : [abs]
    }
  }
  throw new ComposeError(`no Compose file found in ${opts.cwd}: looked for ${DEFAULT_FILES.join(', ')}`, {
    hint: 'Pass the file with --file/-f, or run the command in the project directory.',
  })
}

/** The interpolation lookup: the shell, then `.env` in the project directory (which only feeds interpolation). */
export function projectLookup(dir: string, opts: ComposeLoadOptions): Lookup {
  const shell = opts.env
  const dotenv = new Map<string, string>()
  const dotenvPath = path.join(dir, '.env')
  if (existsSync(dotenvPath)) {
    const display = displayPath(dotenvPath, opts.cwd)
    for (const e of parseDotenv(readText(dotenvPath, display, '.env file'), display, (n) => shell[n] ?? dotenv.get(n)))
      dotenv.set(e.name, e.value)
  }
  return (name) => {
    const v = shell[name]
    return v !== undefined ? v : dotenv.get(name)
  }
}

export interface ComposeFile {
  source: SourceFile
  root: Dict
  versionText?: string
}

/** Reads, parses and interpolates Compose files once each (a -f file or an `extends` source). */
export class ComposeFiles implements ComposeFileAccess {
  private readonly parsed = new Map<string, ComposeFile>()

  constructor(
    private readonly cwd: string,
    private readonly lookup: Lookup,
    private readonly diag: Diagnostics,
  ) {}

  read(abs: string): ComposeFile {
    const cached = this.parsed.get(abs)
    if (cached) return cached
    const display = displayPath(abs, this.cwd)
    const text = readText(abs, display, 'Compose file')
    const {source, value} = parseYaml(text, abs, display)
    if (value === null || value === undefined) throw new ComposeError('the Compose file is empty', {file: display})
    if (!isDict(value))
      throw new ComposeError(`the Compose file must be a mapping (services, volumes, …), not ${describe(value)}`, {
        file: display,
        line: 1,
      })
    const version = value.version
    const versionText = version === undefined || version === null ? undefined : String(version)
    source.servicesAtTop =
      value.services === undefined &&
      (versionText === undefined || /^1(\.\d+)?$/.test(versionText)) &&
      looksLikeV1(value)
    const root = this.interpolate(source, value)
    const out = {source, root, versionText}
    this.parsed.set(abs, out)
    return out
  }

  private interpolate(source: SourceFile, value: Dict): Dict {
    return interpolateTree(
      value,
      this.lookup,
      (name, p) => {
        const pos = source.locate(p)
        this.diag.add('warning', `variable ${name} is not set; substituting an empty string`, {
          ...pos,
          service: serviceOf(p, source),
          key: keyOf(p, source),
        })
      },
      (error: InterpolationError, p) => {
        const pos = source.locate(p)
        throw new ComposeError(error.message, {...pos, key: keyOf(p, source), service: serviceOf(p, source)})
      },
    ) as Dict
  }

  servicesOf(source: SourceFile, root: Dict): Dict {
    if (source.servicesAtTop) {
      const map: Dict = {}
      for (const [k, v] of Object.entries(root)) if (!k.startsWith('x-') && k !== 'version') map[k] = v
      return map
    }
    if (root.services === undefined || root.services === null) return {}
    if (!isDict(root.services))
      throw new ComposeError(
        `services must be a mapping of service names to definitions, not ${describe(root.services)}`,
        {
          ...source.locate(['services']),
          key: 'services',
        },
      )
    return root.services
  }
}

function keyOf(p: Path, source: SourceFile): string | undefined {
  const strings = p.filter((s): s is string => typeof s === 'string')
  if (source.servicesAtTop) return strings.slice(1).join('.') || undefined
  if (strings[0] === 'services' && strings.length >= 2) return strings.slice(2).join('.') || undefined
  return strings.join('.') || undefined
}

function serviceOf(p: Path, source: SourceFile): string | undefined {
  if (source.servicesAtTop) return typeof p[0] === 'string' && !p[0].startsWith('x-') ? p[0] : undefined
  return p[0] === 'services' && typeof p[1] === 'string' ? p[1] : undefined
}

const SERVICEISH = new Set(['image', 'build', 'command', 'ports', 'environment', 'links', 'volumes'])

/** A version-less file whose top-level entries all look like services is a v1 file. */
function looksLikeV1(root: Dict): boolean {
  for (const [k, v] of Object.entries(root)) {
    if (k.startsWith('x-') || k === 'version') continue
    if (TOP_LEVEL_KEYS.has(k)) return false
    if (!isDict(v) || !Object.keys(v).some((key) => SERVICEISH.has(key))) return false
  }
  return true
}
