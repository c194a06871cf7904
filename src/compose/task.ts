/**
 * The task level: the context every service's translation shares, the cross-service adjustments (one-shot jobs),
 * and the RegisterTaskDefinition request assembled from the container definitions and ecs-params.
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import type {EcsParams} from './ecs-params/index.js'
import {ComposeError} from './errors.js'
import type {Project} from './load/model.js'
import {VolumeTable, type TaskContext} from './translate/context.js'
import type {ServiceScope} from './translate/scope.js'
import {declareNamedVolumes} from './translate/volumes.js'
import type {TranslateOptions, TranslationResult} from './types.js'

export function taskContext(project: Project, params: EcsParams | undefined, translate: TranslateOptions): TaskContext {
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
  return ctx
}

/** The network mode the task definition states (undefined = ECS's default, bridge, left out of the request). */
function statedNetworkMode(ctx: TaskContext): string | undefined {
  return ctx.params?.networkMode?.v ?? (ctx.fargate ? 'awsvpc' : undefined)
}

/** Every service ecs-params names must exist in the Compose file (or be skipped by a profile). */
export function checkParamsServices(ctx: TaskContext): void {
  const {project, params} = ctx
  if (!params) return
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

/** A dependency that must complete successfully is a one-shot job: it must be allowed to exit. */
export function markOneShotJobs(ctx: TaskContext, containers: ServiceScope[]): void {
  const byName = new Map(containers.map((c) => [c.svc.name, c]))
  for (const c of containers) {
    for (const d of c.def.dependsOn ?? []) {
      if (d.condition !== 'SUCCESS' && d.condition !== 'COMPLETE') continue
      const dep = byName.get(d.containerName as string)
      if (!dep || ctx.params?.services.get(dep.svc.name)?.essential !== undefined || dep.def.essential === false)
        continue
      dep.def.essential = false
      ctx.project.diag.add(
        'info',
        `marked non-essential: "${c.svc.name}" waits for it to complete, so it is a one-shot job`,
        {
          service: dep.svc.name,
          key: 'essential',
        },
      )
    }
  }
}

export function taskDefinition(
  ctx: TaskContext,
  containers: ServiceScope[],
  translate: TranslateOptions,
): RegisterTaskDefinitionCommandInput {
  const {project, params} = ctx
  const networkMode = statedNetworkMode(ctx)
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
  return td
}

/** Secrets and private registry credentials need a task execution role: warn when none is set. */
export function warnMissingExecutionRole(
  ctx: TaskContext,
  td: RegisterTaskDefinitionCommandInput,
  containers: ServiceScope[],
): void {
  if (td.executionRoleArn) return
  const needy = containers
    .filter((c) => c.def.secrets || c.def.repositoryCredentials || c.def.logConfiguration?.secretOptions)
    .map((c) => c.svc.name)
  if (needy.length === 0) return
  ctx.project.diag.add(
    'warning',
    `${needy.join(', ')} use${needy.length === 1 ? 's' : ''} secrets or private registry credentials, but no task execution role is set: ` +
      'ECS needs one to read them (ecs-params task_definition.task_execution_role)',
    {
      ...(ctx.params ? ctx.params.source.locate(['task_definition']) : {}),
      key: 'task_execution_role',
    },
  )
}

/** RunTask / CreateService parameters from ecs-params run_params. */
export function runParams(params: EcsParams | undefined): TranslationResult['run'] {
  const run: TranslationResult['run'] = {}
  if (params?.run.networkConfiguration) run.networkConfiguration = params.run.networkConfiguration.v
  if (params?.run.placementConstraints) run.placementConstraints = params.run.placementConstraints.v
  if (params?.run.placementStrategy) run.placementStrategy = params.run.placementStrategy.v
  if (params?.run.serviceDiscovery) run.serviceDiscovery = params.run.serviceDiscovery
  return run
}

/** Desired count from deploy.replicas / scale: the largest any service asks for. */
export function serviceHints(containers: ServiceScope[]): TranslationResult['service'] {
  const service: TranslationResult['service'] = {}
  for (const c of containers) {
    if (c.desiredCount !== undefined) service.desiredCount = Math.max(service.desiredCount ?? 0, c.desiredCount)
  }
  return service
}
