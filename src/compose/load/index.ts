/**
 * Load a Compose project: find the files, read `.env`, parse every file (one parser for v1/v2/v3 and the Compose
 * Specification), interpolate, normalise the shapes that have several spellings (map or list), and merge the files
 * in order as Compose does. Positions stay available through `Project.locate`.
 */
import * as path from 'node:path'

import {ComposeError, Diagnostics} from '../errors.js'
import type {Lookup} from '../interpolate.js'
import type {Path, Position, SourceFile} from '../source.js'
import type {ComposeLoadOptions} from '../types.js'
import {describe} from '../units.js'
import {isDict, type Dict} from '../values.js'
import {extendsChain} from './extends.js'
import {ComposeFiles, findFiles, projectLookup} from './files.js'
import {mergeService} from './merge.js'
import {emptyService, type Located, type Origin, type Project, type ServiceDef} from './model.js'
import {applyProfiles, projectName, warnUnsupportedKeys} from './settle.js'
import {checkVersion, readTopLevel, type TopLevel} from './top-level.js'

export type {Located, Origin, Project, ServiceDef} from './model.js'

export async function loadProject(opts: ComposeLoadOptions): Promise<Project> {
  const diag = new Diagnostics()
  const absFiles = findFiles(opts)
  const dir = path.dirname(absFiles[0])
  const lookup = projectLookup(dir, opts)
  const reader = new ComposeFiles(opts.cwd, lookup, diag)

  const files: SourceFile[] = []
  const services = new Map<string, ServiceDef>()
  const top: TopLevel = {volumes: new Map(), secrets: new Map()}
  for (const abs of absFiles) {
    const {source, root, versionText} = reader.read(abs)
    files.push(source)
    checkVersion(source, versionText, diag)
    const serviceMap = reader.servicesOf(source, root)
    if (!source.servicesAtTop) readTopLevel(source, root, top)
    for (const [name, def] of Object.entries(serviceMap))
      mergeFileService(services, name, def, source, serviceMap, reader)
  }

  const project = newProject(opts, dir, files, lookup, diag, top)
  project.services = [...services.values()]
  project.name = projectName(opts, lookup, top.nameFromFile, absFiles[0], project)
  applyProfiles(project)
  warnUnsupportedKeys(project)
  return project
}

/** Merge one file's definition of service `name` (after its `extends` chain) into the accumulated services. */
function mergeFileService(
  services: Map<string, ServiceDef>,
  name: string,
  def: unknown,
  source: SourceFile,
  serviceMap: Dict,
  reader: ComposeFiles,
): void {
  if (!isDict(def)) {
    throw new ComposeError(`a service must be a mapping of keys (image, ports, …), not ${describe(def)}`, {
      ...source.locate(['services', name]),
      service: name,
    })
  }
  let svc = services.get(name)
  if (!svc) {
    svc = emptyService(name)
    services.set(name, svc)
  }
  for (const [d, src, defName] of extendsChain(name, def, source, serviceMap, reader, []))
    mergeService(svc, d, src, defName)
}

function newProject(
  opts: ComposeLoadOptions,
  dir: string,
  files: SourceFile[],
  lookup: Lookup,
  diag: Diagnostics,
  top: TopLevel,
): Project {
  return {
    name: '',
    dir,
    files,
    services: [],
    volumes: top.volumes,
    secrets: top.secrets as Map<string, Located<Dict>>,
    skipped: new Set(),
    networksDeclared: top.networksDeclared,
    configsDeclared: top.configsDeclared,
    lookup,
    env: opts.env,
    diag,
    cwd: opts.cwd,
    locate(p: Path, origin?: Origin): Position {
      if (origin) return origin.src.locate(p)
      let best: {pos: Position; depth: number} | undefined
      for (let i = files.length - 1; i >= 0; i--) {
        const found = files[i].find(p)
        if (!best || found.depth > best.depth) best = found
      }
      return best ? best.pos : {file: files[0]?.display ?? ''}
    },
  }
}
