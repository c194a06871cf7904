/**
 * Compose (+ ecs-params) → ECS RegisterTaskDefinition request. See src/compose/types.ts for the contract and
 * docs/compose-mapping.md for every key's rule.
 *
 *   load/        files → merged services (interpolation, merge rules, extends, profiles)
 *   ecs-params/  ecs-params.yml → settings Compose cannot express
 *   translate/   one Compose service → one container definition, one concern per module
 *   task.ts      the task level: context, one-shot jobs, the request; validate.ts: checks across containers
 */
import {loadEcsParams} from './ecs-params/index.js'
import {loadProject} from './load/index.js'
import {applyRegistryCreds} from './registry-creds.js'
import {
  checkParamsServices,
  markOneShotJobs,
  runParams,
  serviceHints,
  taskContext,
  taskDefinition,
  warnMissingExecutionRole,
} from './task.js'
import {translateService} from './translate/service.js'
import type {ComposeLoadOptions, TranslateOptions, TranslationResult} from './types.js'
import {ECS_MAX_CONTAINERS, validateContainers, validateRequestLimits, validateTask} from './validate.js'

export {ComposeError} from './errors.js'
export {loadTaskDefinitionFile, READ_ONLY_TASK_DEFINITION_FIELDS} from './task-def-file.js'
export type * from './types.js'

export async function buildProject(load: ComposeLoadOptions, translate: TranslateOptions): Promise<TranslationResult> {
  const project = await loadProject(load)
  const params = loadEcsParams(load.ecsParamsFile, load.cwd, project.lookup)
  const ctx = taskContext(project, params, translate)
  checkParamsServices(ctx)
  const containers = project.services.map((svc) => translateService(ctx, svc, params?.services.get(svc.name)))
  markOneShotJobs(ctx, containers)
  const maxContainers = translate.maxContainers ?? ECS_MAX_CONTAINERS
  validateContainers(ctx, containers, maxContainers)

  const td = taskDefinition(ctx, containers, translate)
  validateTask(ctx, td, containers, translate.launchType !== undefined)
  if (maxContainers <= ECS_MAX_CONTAINERS) validateRequestLimits(ctx, td)
  if (translate.registryCredsFile) applyRegistryCreds(translate.registryCredsFile, load.cwd, td, project.diag)
  warnMissingExecutionRole(ctx, td, containers)

  const result: TranslationResult = {
    projectName: project.name,
    files: project.files.map((f) => f.display),
    taskDefinition: td,
    run: runParams(params),
    service: serviceHints(containers),
    warnings: project.diag.list,
  }
  if (params) result.ecsParamsFile = params.source.display
  return result
}
