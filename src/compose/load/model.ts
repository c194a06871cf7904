/** The loaded Compose project: merged services with where each value was written. */
import type {Diagnostics} from '../errors.js'
import type {Lookup} from '../interpolate.js'
import type {Path, Position, SourceFile} from '../source.js'
import type {Dict} from '../values.js'

/** Where a value was written. */
export interface Origin {
  src: SourceFile
  path: Path
}
export interface Located<T> {
  v: T
  at: Origin
}

export interface ServiceDef {
  name: string
  /** Every key the user wrote for this service, with where it was (last) written. */
  keys: Map<string, Origin>
  /** Merged values of keys without special merge rules (image, command, healthcheck, deploy, …). */
  raw: Dict
  environment: Map<string, Located<string | null>>
  envFiles: Located<{path: string; required: boolean}>[]
  labels: Map<string, Located<string>>
  sysctls: Map<string, Located<string>>
  dependsOn: Map<string, Located<{condition: string}>>
  extraHosts: Located<{host: string; ip: string}>[]
  /** Items of list keys that Compose merges by appending (ports, volumes, dns, cap_add, …), with their origins. */
  lists: Map<string, Located<unknown>[]>
}

export function emptyService(name: string): ServiceDef {
  return {
    name,
    keys: new Map(),
    raw: {},
    environment: new Map(),
    envFiles: [],
    labels: new Map(),
    sysctls: new Map(),
    dependsOn: new Map(),
    extraHosts: [],
    lists: new Map(),
  }
}

export interface Project {
  name: string
  /** Directory of the first compose file (.env, relative paths). */
  dir: string
  files: SourceFile[]
  services: ServiceDef[]
  volumes: Map<string, Located<Dict | null>>
  secrets: Map<string, Located<Dict>>
  /** Services left out because their profiles are not enabled. */
  skipped: Set<string>
  networksDeclared?: Origin
  configsDeclared?: Origin
  lookup: Lookup
  env: Record<string, string | undefined>
  diag: Diagnostics
  cwd: string
  locate(path: Path, origin?: Origin): Position
}
