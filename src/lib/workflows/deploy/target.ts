/**
 * What `ecsx deploy` rolls out, and to which service: with patch flags (--image, --tag, --env, --cpu, --memory), the
 * service's current definition patched (the service named by --service or by the project name, no compose file read);
 * otherwise the translated Compose project (its service, or --service).
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import type {ResolvedSettings} from '../../config/types.js'
import {parseTags} from '../tags.js'
import type {Ui} from '../../ui/types.js'
import {loadProject, type ProjectFlags, projectNames, projectNameWithoutCompose} from '../project.js'
import {applyPatches, hasPatches, type PatchFlags} from './patch.js'

export interface DeployTargetFlags extends ProjectFlags, PatchFlags {
  service?: string
  tags?: string
}

export interface DeployTarget {
  service: string
  /** The request to deploy, from the current one (already stripped of read-only fields). */
  next: (current: RegisterTaskDefinitionCommandInput) => RegisterTaskDefinitionCommandInput
}

export async function deployTarget(
  settings: ResolvedSettings,
  ui: Ui,
  flags: DeployTargetFlags,
): Promise<DeployTarget> {
  if (hasPatches(flags)) {
    const projectName = projectNameWithoutCompose(flags, process.env, process.cwd())
    return {
      service: flags.service ?? projectNames(projectName, settings).serviceName,
      next: (current) => applyPatches(current, flags),
    }
  }
  const {translation, names} = await loadProject({
    flags,
    settings,
    ui,
    launchType: settings.defaultLaunchType,
    tags: parseTags(flags.tags),
  })
  return {service: flags.service ?? names.serviceName, next: () => translation.taskDefinition}
}
