/**
 * Compose (+ ecs-params) → ECS RegisterTaskDefinition request. See src/compose/types.ts for the contract and
 * docs/compose-mapping.md for every key's rule.
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {loadEcsParams} from './ecs-params.js'
import {loadProject} from './load.js'
import {applyRegistryCreds} from './registry-creds.js'
import {ServiceTranslator, VolumeTable, declareNamedVolumes, type TaskContext} from './translate.js'
import type {ComposeLoadOptions, TranslateOptions, TranslationResult} from './types.js'
import {ComposeError} from './errors.js'
import {ECS_MAX_CONTAINERS, validateContainers, validateRequestLimits, validateTask} from './validate.js'

export {ComposeError} from './errors.js'
export {loadTaskDefinitionFile, READ_ONLY_TASK_DEFINITION_FIELDS} from './task-def-file.js'
export type * from './types.js'

export async function buildProject(load: ComposeLoadOptions, translate: TranslateOptions): Promise<TranslationResult> {
  const project = await loadProject(load)
  const params = loadEcsParams(load.ecsParamsFile, load.cwd, project.lookup)
  const fargate = translate.launchType === 'FARGATE'

  let networkMode = params?.networkMode?.v
  if (fargate && networkMode === undefined) {
    networkMode = 'awsvpc'
    project.diag.add('info', 'launch type FARGATE: using network mode awsvpc (the only one Fargate supports)', {
      key: 'ecs_network_mode',
    })
  }
  const ctx: TaskContext = {
    project,
    params,
    networkMode: networkMode ?? 'bridge',
    fargate,
    taskMemory: params?.memory !== undefined,
    volumes: new VolumeTable(),
  }

  declareNamedVolumes(ctx)
  for (const v of params?.volumes ?? []) ctx.volumes.add(v.v)

  if (params) {
    for (const [name, sp] of params.services) {
      if (!project.services.some((s) => s.name === name) && !project.skipped.has(name)) {
        const known = project.services.map((s) => s.name).join(', ')
        throw new ComposeError(
          `ecs-params names service "${name}", which is not in the Compose file (services: ${known})`,
          {
            ...params.source.locate(sp.at),
            service: name,
            key: 'task_definition.services',
          },
        )
      }
    }
  }

  const containers = project.services.map((svc) => {
    const t = new ServiceTranslator(ctx, svc, params?.services.get(svc.name))
    t.translate()
    return t
  })

  // A dependency that must complete successfully is a one-shot job: it must be allowed to exit.
  const byName = new Map(containers.map((c) => [c.svc.name, c]))
  for (const c of containers) {
    for (const d of c.def.dependsOn ?? []) {
      if (d.condition !== 'SUCCESS' && d.condition !== 'COMPLETE') continue
      const dep = byName.get(d.containerName as string)
      if (!dep || params?.services.get(dep.svc.name)?.essential !== undefined || dep.def.essential === false) continue
      dep.def.essential = false
      project.diag.add(
        'info',
        `marked non-essential: "${c.svc.name}" waits for it to complete, so it is a one-shot job`,
        {service: dep.svc.name, key: 'essential'},
      )
    }
  }

  validateContainers(ctx, containers, translate.maxContainers ?? ECS_MAX_CONTAINERS)

  const td: RegisterTaskDefinitionCommandInput = {
    family: project.name,
    containerDefinitions: containers.map((c) => c.def),
  }
  const taskRoleArn = translate.taskRoleArn || params?.taskRoleArn
  if (taskRoleArn) td.taskRoleArn = taskRoleArn
  if (params?.executionRoleArn) td.executionRoleArn = params.executionRoleArn
  if (networkMode) td.networkMode = networkMode as RegisterTaskDefinitionCommandInput['networkMode']
  if (ctx.volumes.list.length > 0) td.volumes = ctx.volumes.list
  if (params?.placementConstraints) td.placementConstraints = params.placementConstraints.v
  if (translate.launchType) td.requiresCompatibilities = [translate.launchType]
  if (params?.cpu) td.cpu = params.cpu.v
  if (params?.memory) td.memory = params.memory.v
  if (params?.pidMode) td.pidMode = params.pidMode.v as RegisterTaskDefinitionCommandInput['pidMode']
  if (params?.ipcMode) td.ipcMode = params.ipcMode.v as RegisterTaskDefinitionCommandInput['ipcMode']
  if (translate.tags && translate.tags.length > 0) td.tags = translate.tags

  validateTask(ctx, td, containers, translate.launchType !== undefined)
  if ((translate.maxContainers ?? ECS_MAX_CONTAINERS) <= ECS_MAX_CONTAINERS) validateRequestLimits(ctx, td)
  if (translate.registryCredsFile) applyRegistryCreds(translate.registryCredsFile, load.cwd, td, project.diag)
  if (!td.executionRoleArn) {
    const needy = containers
      .filter((c) => c.def.secrets || c.def.repositoryCredentials || c.def.logConfiguration?.secretOptions)
      .map((c) => c.svc.name)
    if (needy.length > 0) {
      project.diag.add(
        'warning',
        `${needy.join(', ')} use${needy.length === 1 ? 's' : ''} secrets or private registry credentials, but no task execution role is set: ECS needs one to read them (ecs-params task_definition.task_execution_role)`,
        {
          ...(params ? params.source.locate(['task_definition']) : {}),
          key: 'task_execution_role',
        },
      )
    }
  }

  const run: TranslationResult['run'] = {}
  if (params?.run.networkConfiguration) run.networkConfiguration = params.run.networkConfiguration.v
  if (params?.run.placementConstraints) run.placementConstraints = params.run.placementConstraints.v
  if (params?.run.placementStrategy) run.placementStrategy = params.run.placementStrategy.v
  if (params?.run.serviceDiscovery) run.serviceDiscovery = params.run.serviceDiscovery

  const service: TranslationResult['service'] = {}
  for (const c of containers) {
    if (c.desiredCount !== undefined) service.desiredCount = Math.max(service.desiredCount ?? 0, c.desiredCount)
  }

  const result: TranslationResult = {
    projectName: project.name,
    files: project.files.map((f) => f.display),
    taskDefinition: td,
    run,
    service,
    warnings: project.diag.list,
  }
  if (params) result.ecsParamsFile = params.source.display
  return result
}
