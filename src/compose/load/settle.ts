/** After merging: the project name, profiles, and one warning per key ECS has no use for. */
import * as path from 'node:path'

import {ComposeError} from '../errors.js'
import type {Lookup} from '../interpolate.js'
import {UNSUPPORTED_SERVICE_KEYS} from '../schema.js'
import type {ComposeLoadOptions} from '../types.js'
import type {Origin, Project} from './model.js'

const FAMILY_RE = /^[A-Za-z0-9_-]{1,255}$/
const FAMILY_RULE = 'the task definition family allows up to 255 letters, digits, "-" and "_"'

/** `--project-name`, else COMPOSE_PROJECT_NAME, else top-level `name:`, else the first file's directory name. */
export function projectName(
  opts: ComposeLoadOptions,
  lookup: Lookup,
  fromFile: {value: string; at: Origin} | undefined,
  firstFile: string,
  project: Project,
): string {
  const explicit: [string | undefined, string][] = [
    [opts.projectName, '--project-name'],
    [lookup('COMPOSE_PROJECT_NAME'), 'COMPOSE_PROJECT_NAME'],
  ]
  for (const [value, source] of explicit) {
    if (value === undefined || value === '') continue
    if (!FAMILY_RE.test(value))
      throw new ComposeError(`invalid project name ${JSON.stringify(value)} from ${source}: ${FAMILY_RULE}`)
    return value
  }
  if (fromFile) {
    if (!FAMILY_RE.test(fromFile.value)) {
      throw new ComposeError(`invalid project name ${JSON.stringify(fromFile.value)}: ${FAMILY_RULE}`, {
        ...project.locate(fromFile.at.path, fromFile.at),
        key: 'name',
      })
    }
    return fromFile.value
  }
  const base = path.basename(path.dirname(firstFile))
  const cleaned = base.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255) || 'default'
  if (cleaned !== base) {
    project.diag.add(
      'info',
      `project name "${cleaned}" derived from directory "${base}" (characters ECS does not allow in a family were replaced by "-"); ` +
        'set it with -p or top-level name:',
    )
  }
  return cleaned
}

/** Leave out the services whose profiles COMPOSE_PROFILES does not enable. */
export function applyProfiles(project: Project): void {
  const active = new Set(
    (project.lookup('COMPOSE_PROFILES') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  project.services = project.services.filter((svc) => {
    const profiles = svc.lists.get('profiles')
    if (!profiles || profiles.length === 0) return true
    if (active.has('*') || profiles.some((p) => active.has(String(p.v)))) return true
    const at = svc.keys.get('profiles')
    project.skipped.add(svc.name)
    project.diag.add(
      'info',
      `skipped: its profiles (${profiles.map((p) => String(p.v)).join(', ')}) are not enabled in COMPOSE_PROFILES`,
      {
        ...(at ? project.locate(at.path, at) : {}),
        service: svc.name,
      },
    )
    return false
  })
}

export function warnUnsupportedKeys(project: Project): void {
  for (const svc of project.services) {
    for (const [key, at] of svc.keys) {
      if (key in UNSUPPORTED_SERVICE_KEYS) {
        const why = UNSUPPORTED_SERVICE_KEYS[key]
        project.diag.add('warning', `"${key}" has no ECS equivalent and is ignored${why ? `: ${why}` : ''}`, {
          ...project.locate(at.path, at),
          service: svc.name,
          key,
        })
      } else if (key === 'container_name') {
        project.diag.add('warning', '"container_name" is ignored: the container is named after the service', {
          ...project.locate(at.path, at),
          service: svc.name,
          key,
        })
      }
    }
  }
  if (project.networksDeclared) {
    const at = project.networksDeclared
    project.diag.add(
      'warning',
      'top-level "networks" are ignored: the containers of a task share one network (see ecs-params ecs_network_mode)',
      {...project.locate(at.path, at), key: 'networks'},
    )
  }
  if (project.configsDeclared) {
    const at = project.configsDeclared
    project.diag.add(
      'warning',
      'top-level "configs" are ignored: ECS has no config files; use environment, secrets or volumes',
      {
        ...project.locate(at.path, at),
        key: 'configs',
      },
    )
  }
}
