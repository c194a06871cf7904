/**
 * A Compose project as ecs-cli names and loads it (spec ecs-cli.md §2):
 *   task definition family = project name;
 *   ECS service name       = compose-service-name-prefix + project name;
 *   RunTask group          = "task:" + compose-project-name-prefix + project name;
 *   RunTask startedBy      = compose-project-name-prefix + project name (how older ecs-cli found its tasks).
 *
 * `loadProject` runs the compose translator (lazily imported) with ecs-cli's inputs: `--file` (or COMPOSE_FILE split
 * on the path-list separator), `--project-name` (or COMPOSE_PROJECT_NAME), `--ecs-params`, the launch type, tags.
 * Its warnings go to stderr through the UI.
 */
import path from 'node:path'

import type {Tag} from '@aws-sdk/client-ecs'

import type {LaunchType, TranslationResult} from '../../compose/types.js'
import type {ResolvedSettings} from '../config/types.js'
import {formatPosition} from '../errors.js'
import type {Ui} from '../ui/types.js'

export interface ProjectNames {
  /** Task definition family. */
  family: string
  /** ECS service name for `compose service …`. */
  serviceName: string
  /** RunTask `group` of the project's standalone tasks. */
  group: string
  /** RunTask `startedBy` of the project's standalone tasks. */
  startedBy: string
}

/** ECS `startedBy` is limited to 128 characters. */
const STARTED_BY_MAX = 128

export function projectNames(
  projectName: string,
  settings: Pick<ResolvedSettings, 'composeServiceNamePrefix' | 'composeProjectNamePrefix'>,
): ProjectNames {
  const projectPrefix = settings.composeProjectNamePrefix ?? ''
  const servicePrefix = settings.composeServiceNamePrefix ?? ''
  return {
    family: projectName,
    serviceName: servicePrefix + projectName,
    group: `task:${projectPrefix}${projectName}`,
    startedBy: (projectPrefix + projectName).slice(0, STARTED_BY_MAX),
  }
}

/** The flags a compose command passes to `loadProject` (global flags plus the compose-level ones). */
export interface ProjectFlags {
  file?: string[]
  'project-name'?: string
  'ecs-params'?: string
  'task-role-arn'?: string
  'registry-creds'?: string
}

export interface LoadProjectOptions {
  flags: ProjectFlags
  settings: ResolvedSettings
  ui: Ui
  launchType?: LaunchType
  tags?: Tag[]
  cwd?: string
  env?: Record<string, string | undefined>
}

export interface LoadedProject {
  translation: TranslationResult
  names: ProjectNames
}

/** The compose files to read: `--file` flags, else COMPOSE_FILE split on the path-list separator, else Compose's lookup. */
export function composeFiles(flags: ProjectFlags, env: Record<string, string | undefined>): string[] {
  if (flags.file && flags.file.length > 0) return flags.file
  const fromEnv = env.COMPOSE_FILE
  if (fromEnv) return fromEnv.split(path.delimiter).filter((f) => f.length > 0)
  return []
}

/** Read and translate the compose project; print the translator's warnings on stderr. */
export async function loadProject(options: LoadProjectOptions): Promise<LoadedProject> {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const {buildProject} = await import('../../compose/index.js')
  const translation = await buildProject(
    {
      files: composeFiles(options.flags, env),
      cwd,
      projectName: options.flags['project-name'],
      ecsParamsFile: options.flags['ecs-params'],
      env,
    },
    {
      launchType: options.launchType ?? options.settings.defaultLaunchType,
      taskRoleArn: options.flags['task-role-arn'],
      tags: options.tags,
      registryCredsFile: options.flags['registry-creds'],
    },
  )
  for (const w of translation.warnings) options.ui.warn(formatDiagnostic(w))
  return {translation, names: projectNames(translation.projectName, options.settings)}
}

/**
 * The project name without reading any compose file (for `deploy --image …` which patches a service's current
 * task definition): `--project-name`, else COMPOSE_PROJECT_NAME, else the current directory's name.
 */
export function projectNameWithoutCompose(
  flags: ProjectFlags,
  env: Record<string, string | undefined>,
  cwd: string,
): string {
  return flags['project-name'] ?? env.COMPOSE_PROJECT_NAME ?? path.basename(path.resolve(cwd))
}

function formatDiagnostic(d: TranslationResult['warnings'][number]): string {
  const where = d.file ? `${formatPosition({file: d.file, line: d.line, column: d.column})}: ` : ''
  const subject = [d.service ? `service "${d.service}"` : '', d.key ? `key "${d.key}"` : ''].filter(Boolean).join(', ')
  return `Warning: ${where}${subject ? subject + ': ' : ''}${d.message}`
}
