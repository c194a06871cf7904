/**
 * What `ecsx register` (and `compose create`) registers: the RegisterTaskDefinition request from a task definition
 * JSON file (`--task-def-file`, with --tags/--task-role-arn/--launch-type applied), or from the translated project.
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import type {ResolvedSettings} from '../config/types.js'
import {parseTags} from './tags.js'
import type {Ui} from '../ui/types.js'
import {loadProject, type ProjectFlags} from './project.js'

export interface RegisterRequestFlags extends ProjectFlags {
  'task-def-file'?: string
  'launch-type'?: 'EC2' | 'FARGATE'
  tags?: string
}

export async function registerRequest(
  settings: ResolvedSettings,
  ui: Ui,
  flags: RegisterRequestFlags,
): Promise<RegisterTaskDefinitionCommandInput> {
  const tags = parseTags(flags.tags)
  if (!flags['task-def-file']) {
    const {translation} = await loadProject({flags, settings, ui, launchType: settings.defaultLaunchType, tags})
    return translation.taskDefinition
  }
  const {loadTaskDefinitionFile} = await import('../../compose/index.js')
  const request = await loadTaskDefinitionFile(flags['task-def-file'])
  if (tags) request.tags = tags
  if (flags['task-role-arn']) request.taskRoleArn = flags['task-role-arn']
  if (flags['launch-type']) request.requiresCompatibilities = [flags['launch-type']]
  return request
}

/** `--dry-run`: the request on stdout, and on stderr that nothing was registered. */
export function printDryRun(ui: Ui, request: RegisterTaskDefinitionCommandInput): void {
  ui.out(JSON.stringify(request, null, 2))
  const count = request.containerDefinitions?.length ?? 0
  ui.info(
    `Dry run: task definition ${request.family} with ${count} container${count === 1 ? '' : 's'} was not registered.`,
  )
}
