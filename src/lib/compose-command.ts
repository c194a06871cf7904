/**
 * What the compose/compose-service commands do before their workflow: load the project, parse --tags/--timeout,
 * open the backend, honour --create-log-groups, and assemble the workflow's context. Imported lazily by commands.
 */
import type {RegisterTaskDefinitionCommandInput, Tag} from '@aws-sdk/client-ecs'

import type {CommandContext} from './base-command.js'
import type {Backend} from './ecs/backend.js'
import type {ServiceOptions, ServiceProject} from './compose-service.js'
import type {TaskProject} from './compose-tasks.js'
import type {ResolvedSettings} from './config/types.js'
import {loadProject, type LoadedProject, type ProjectFlags} from './project.js'
import {listProjectTasks} from './ps.js'
import {registerTaskDefinition} from './register.js'
import {parseTags} from './tags.js'
import type {Ui} from './ui/types.js'
import {timeoutMinutesToMs} from './wait/timing.js'

export interface CommonComposeFlags extends ProjectFlags {
  tags?: string
  timeout?: string
  'create-log-groups'?: boolean
  'disable-ecs-managed-tags'?: boolean
}

export interface OpenedProject extends LoadedProject {
  backend: Backend
  tags?: Tag[]
  timeoutMs: number
}

/** Load the compose project (tags applied to the task definition), open the backend, create log groups if asked. */
export async function openProject(
  ctx: CommandContext,
  flags: CommonComposeFlags,
  note: (msg: string) => void,
): Promise<OpenedProject> {
  const tags = parseTags(flags.tags)
  const timeoutMs = timeoutMinutesToMs(flags.timeout)
  const loaded = await loadProject({
    flags,
    settings: ctx.settings,
    ui: ctx.ui,
    launchType: ctx.settings.defaultLaunchType,
    tags,
  })
  const backend = await ctx.backend()
  if (flags['create-log-groups']) await createLogGroups(ctx.settings, ctx.ui, loaded.translation.taskDefinition)
  if (flags['disable-ecs-managed-tags'] && ctx.settings.backend === 'local')
    note('--disable-ecs-managed-tags has no effect on the local backend; ignored.')
  return {...loaded, backend, tags, timeoutMs}
}

/** --create-log-groups: the awslogs groups of the task definition on AWS; nothing to create locally (said on stderr). */
export async function createLogGroups(
  settings: ResolvedSettings,
  ui: Ui,
  taskDefinition: RegisterTaskDefinitionCommandInput,
): Promise<void> {
  const groups = (taskDefinition.containerDefinitions ?? [])
    .filter((c) => c.logConfiguration?.logDriver === 'awslogs' && c.logConfiguration.options?.['awslogs-group'])
    .map((c) => c.logConfiguration?.options?.['awslogs-group'] as string)
  if (settings.backend === 'local') {
    ui.info(
      `Note: --create-log-groups: the local backend keeps no CloudWatch logs; ${groups.length > 0 ? `log group(s) ${[...new Set(groups)].join(', ')} not created` : 'no awslogs containers'}.`,
    )
    return
  }
  const {createLogGroups: create} = await import('./aws/logs.js')
  await create(settings, taskDefinition, ui)
}

export function taskProject(ctx: CommandContext, opened: OpenedProject): TaskProject {
  return {
    backend: opened.backend,
    ui: ctx.ui,
    cluster: ctx.settings.cluster,
    names: opened.names,
    translation: opened.translation,
    launchType: ctx.settings.defaultLaunchType,
    tags: opened.tags,
    timeoutMs: opened.timeoutMs,
    register: registerTaskDefinition,
    listTasks: listProjectTasks,
  }
}

export function serviceProject(ctx: CommandContext, opened: OpenedProject, options: ServiceOptions): ServiceProject {
  return {
    backend: opened.backend,
    ui: ctx.ui,
    cluster: ctx.settings.cluster,
    region: ctx.settings.region,
    names: opened.names,
    translation: opened.translation,
    options: {launchType: ctx.settings.defaultLaunchType, tags: opened.tags, ...options},
    timeoutMs: opened.timeoutMs,
    register: registerTaskDefinition,
  }
}
