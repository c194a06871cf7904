/**
 * `extends: {service, file}` (or `extends: name`): the definitions to merge, base first, each with its file. Merging
 * base then override into the accumulated service equals Compose's "resolve extends per file, then merge files".
 */
import * as path from 'node:path'

import {ComposeError} from '../errors.js'
import type {Path, SourceFile} from '../source.js'
import {describe} from '../units.js'
import {isDict, type Dict} from '../values.js'

/** Read one Compose file (cached) and give its services mapping. */
export interface ComposeFileAccess {
  read(abs: string): {source: SourceFile; root: Dict}
  servicesOf(source: SourceFile, root: Dict): Dict
}

export function extendsChain(
  name: string,
  def: Dict,
  source: SourceFile,
  serviceMap: Dict,
  files: ComposeFileAccess,
  seen: string[],
): [Dict, SourceFile, string][] {
  const ext = def.extends
  if (ext === undefined || ext === null) return [[def, source, name]]
  const p: Path = ['services', name, 'extends']
  const fail = (msg: string): never => {
    throw new ComposeError(msg, {...source.locate(p), service: name, key: 'extends'})
  }
  const {baseName, file} = extendsTarget(ext, fail)
  let baseSource = source
  let baseMap = serviceMap
  if (file !== undefined) {
    const other = files.read(path.resolve(path.dirname(source.absPath), file))
    baseSource = other.source
    baseMap = files.servicesOf(other.source, other.root)
  }
  const id = `${baseSource.absPath}#${baseName}`
  const here = `${source.absPath}#${name}`
  if (seen.includes(id) || id === here)
    fail(`extends cycle: ${[...seen, here, id].map((s) => s.split('#')[1]).join(' -> ')}`)
  const baseDef = baseMap[baseName]
  if (!isDict(baseDef))
    fail(`extends service "${baseName}", which is not defined${file ? ` in ${baseSource.display}` : ''}`)
  const rest: Dict = {...def}
  delete rest.extends
  return [...extendsChain(baseName, baseDef as Dict, baseSource, baseMap, files, [...seen, here]), [rest, source, name]]
}

function extendsTarget(ext: unknown, fail: (msg: string) => never): {baseName: string; file?: string} {
  if (typeof ext === 'string') return {baseName: ext}
  if (!isDict(ext)) return fail(`extends must be a service name or {service, file}, not ${describe(ext)}`)
  for (const k of Object.keys(ext))
    if (k !== 'service' && k !== 'file') fail(`unknown key "${k}"; valid keys: service, file`)
  if (typeof ext.service !== 'string' || ext.service === '') fail('extends needs a service name')
  let file: string | undefined
  if (ext.file !== undefined && ext.file !== null) {
    if (typeof ext.file !== 'string') fail('extends.file must be a path')
    file = ext.file as string
  }
  return {baseName: ext.service as string, file}
}
