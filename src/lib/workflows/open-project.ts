/**
 * What the project commands (compose, compose service) do before their workflow: load the project, parse
 * --tags/--timeout, open the backend, honour --create-log-groups, and assemble the workflow's context.
 * Imported lazily by commands.
 */
import type {Tag} from '@aws-sdk/client-ecs'

import type {ResolvedSettings} from '../config/types.js'
import type {Backend} from '../ecs/backend.js'
import {findTasks} from '../ecs/lookups.js'
import type {Infrastructure} from '../infra/types.js'
import type {Ui} from '../ui/types.js'
import {parseTags} from './tags.js'
import {loadProject, type LoadedProject, type ProjectFlags} from './project.js'
import type {ServiceOptions, ServiceProject} from './project-service.js'
import type {TaskProject} from './project-tasks.js'
import {registerTaskDefinition} from './register.js'
import {timeoutMinutesToMs} from './wait/timing.js'

/** What a command hands the project workflows: its settings, UI, and the backend and infrastructure it opens lazily. */
export interface ProjectContext {
  settings: ResolvedSettings
  ui: Ui
  backend: () => Promise<Backend>
  infra: () => Promise<Infrastructure>
}

export interface CommonProjectFlags extends ProjectFlags {
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
export async function openProject(ctx: ProjectContext, flags: CommonProjectFlags): Promise<OpenedProject> {
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
  if (flags['create-log-groups']) await (await ctx.infra()).logs.createLogGroups(loaded.translation.taskDefinition)
  if (flags['disable-ecs-managed-tags']) (await ctx.infra()).noteAwsOnlyFlags(flags, ['disable-ecs-managed-tags'])
  return {...loaded, backend, tags, timeoutMs}
}

/** The context of the task workflows (project-tasks.ts) for a loaded project. */
function taskProject(ctx: ProjectContext, opened: OpenedProject): TaskProject {
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
    listTasks: findTasks,
  }
}

/** Load the project and assemble the context of the task workflows. */
export async function openTaskProject(ctx: ProjectContext, flags: CommonProjectFlags): Promise<TaskProject> {
  return taskProject(ctx, await openProject(ctx, flags))
}

/** Load the project and assemble the context of the service workflows (project-service.ts). */
export async function openServiceProject(
  ctx: ProjectContext,
  flags: CommonProjectFlags,
  options: ServiceOptions = {},
): Promise<ServiceProject> {
  const opened = await openProject(ctx, flags)
  return {
    backend: opened.backend,
    ui: ctx.ui,
    cluster: ctx.settings.cluster,
    serviceDiscovery: (await ctx.infra()).serviceDiscovery,
    names: opened.names,
    translation: opened.translation,
    options: {launchType: ctx.settings.defaultLaunchType, tags: opened.tags, ...options},
    timeoutMs: opened.timeoutMs,
    register: registerTaskDefinition,
  }
}
