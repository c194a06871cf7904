/** One file's top-level keys: version, unknown keys, include, name, networks, configs, volumes, secrets. */
import {ComposeError, type Diagnostics} from '../errors.js'
import {TOP_LEVEL_KEYS, suggest} from '../schema.js'
import type {SourceFile} from '../source.js'
import {isDict, scalarString, type Dict} from '../values.js'
import type {Located, Origin} from './model.js'

/** What the top levels of all files add up to (later files win). */
export interface TopLevel {
  nameFromFile?: {value: string; at: Origin}
  networksDeclared?: Origin
  configsDeclared?: Origin
  volumes: Map<string, Located<Dict | null>>
  secrets: Map<string, Located<Dict | null>>
}

export function checkVersion(source: SourceFile, versionText: string | undefined, diag: Diagnostics): void {
  if (versionText !== undefined && !/^[123](\.\d+)?$/.test(versionText)) {
    diag.add(
      'warning',
      `unknown Compose version ${JSON.stringify(versionText)}; reading the file as the Compose Specification`,
      {
        ...source.locate(['version']),
        key: 'version',
      },
    )
  }
}

export function readTopLevel(source: SourceFile, root: Dict, top: TopLevel): void {
  for (const k of Object.keys(root)) {
    if (k.startsWith('x-') || TOP_LEVEL_KEYS.has(k)) continue
    const s = suggest(k, TOP_LEVEL_KEYS)
    throw new ComposeError(
      `unknown top-level key "${k}"${s ? ` (did you mean "${s}"?)` : ''}; valid keys: ${[...TOP_LEVEL_KEYS].join(', ')}, x-*`,
      {...source.locate([k]), key: k},
    )
  }
  if (root.include !== undefined) {
    throw new ComposeError('include is not supported; pass every file with --file/-f instead', {
      ...source.locate(['include']),
      key: 'include',
    })
  }
  if (root.name !== undefined && root.name !== null) {
    const n = scalarString(root.name)
    if (n === undefined || n === '')
      throw new ComposeError('name must be a non-empty string', {...source.locate(['name']), key: 'name'})
    top.nameFromFile = {value: n, at: {src: source, path: ['name']}}
  }
  if (root.networks !== undefined && root.networks !== null) top.networksDeclared = {src: source, path: ['networks']}
  if (root.configs !== undefined && root.configs !== null) top.configsDeclared = {src: source, path: ['configs']}
  collectNamed(root.volumes, 'volumes', source, top.volumes, true)
  collectNamed(root.secrets, 'secrets', source, top.secrets, false)
}

function collectNamed(
  value: unknown,
  key: 'volumes' | 'secrets',
  source: SourceFile,
  into: Map<string, Located<Dict | null>>,
  allowNull: boolean,
): void {
  if (value === undefined || value === null) return
  if (!isDict(value))
    throw new ComposeError(`top-level ${key} must be a mapping of names to definitions`, {...source.locate([key]), key})
  for (const [name, def] of Object.entries(value)) {
    if (def !== null && !isDict(def))
      throw new ComposeError(`${key}.${name} must be a mapping or empty`, {
        ...source.locate([key, name]),
        key: `${key}.${name}`,
      })
    if (def === null && !allowNull)
      throw new ComposeError(`secret "${name}" needs a definition (external: true with a name, or x-ecsx-value-from)`, {
        ...source.locate([key, name]),
        key: `${key}.${name}`,
      })
    const prev = into.get(name)
    const merged = prev && prev.v && def ? {...prev.v, ...def} : def
    into.set(name, {v: merged as Dict | null, at: {src: source, path: [key, name]}})
  }
}
