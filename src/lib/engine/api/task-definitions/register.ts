/**
 * RegisterTaskDefinition (spec §1.4, §2): ECS's validation and normalisation — shape (./input-shape.ts), task size
 * and Fargate compatibility (./size.ts), containers (./containers.ts), volumes and placement constraints here — then
 * the next revision of the family.
 */
import type {
  Attribute,
  RegisterTaskDefinitionCommandInput,
  RegisterTaskDefinitionCommandOutput,
  TaskDefinition,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {taskDefinitionArn} from '../../arns.js'
import type {EngineContext} from '../../context.js'
import {requiredAttributesFor} from '../../model/capacity.js'
import type {StoredTaskDefinition} from '../../model/documents.js'
import {saveTaskDefinition} from '../../model/task-definitions.js'
import {compileQuery} from '../../query/index.js'
import {request} from '../input.js'
import {tagsForCreate} from '../tags.js'
import {validateContainers} from './containers.js'
import {checkInputShape} from './input-shape.js'
import {client, validateName} from './rules.js'
import {fargateProblems, INVALID_CPU_MESSAGE, validateTaskSize} from './size.js'

const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none']
const MAX_REVISIONS = 1_000_000
const MAX_DEFINITION_BYTES = 32 * 1024

export function registerTaskDefinition(
  ctx: EngineContext,
  input: RegisterTaskDefinitionCommandInput,
): Out<RegisterTaskDefinitionCommandOutput> {
  checkInputShape(input)
  input = request(input, {}, 'ClientException')
  const family = validateName('family', input.family)
  const bytes = Buffer.byteLength(JSON.stringify(input))
  if (bytes > MAX_DEFINITION_BYTES)
    throw client(`The task definition is ${bytes} bytes; the limit is ${MAX_DEFINITION_BYTES} bytes (32 KiB).`)
  const networkMode = input.networkMode ?? 'bridge'
  if (!NETWORK_MODES.includes(networkMode))
    throw client(`Invalid networkMode '${networkMode}': use bridge, host, awsvpc or none.`)
  for (const compatibility of input.requiresCompatibilities ?? []) {
    if (!['EC2', 'FARGATE', 'EXTERNAL'].includes(compatibility)) {
      throw client(`Invalid requiresCompatibilities value '${compatibility}': use EC2, FARGATE or EXTERNAL.`)
    }
  }
  if (input.pidMode && !['host', 'task'].includes(input.pidMode))
    throw client(`Invalid pidMode '${input.pidMode}': use host or task.`)
  if (input.ipcMode && !['host', 'task', 'none'].includes(input.ipcMode))
    throw client(`Invalid ipcMode '${input.ipcMode}': use host, task or none.`)
  if (input.proxyConfiguration) {
    if ((input.proxyConfiguration.type ?? 'APPMESH') !== 'APPMESH' || !input.proxyConfiguration.containerName) {
      throw client("proxyConfiguration needs type 'APPMESH' and a containerName.")
    }
  }
  const size = validateTaskSize(input)
  const wantsFargate = input.requiresCompatibilities?.includes('FARGATE') ?? false
  if (wantsFargate) {
    const problems = fargateProblems(input, size)
    if (problems.length > 0) throw client(problems[0])
  } else if (size.cpu !== undefined && (size.cpu < 128 || size.cpu > 10240)) {
    throw client(INVALID_CPU_MESSAGE)
  }
  const volumeNames = validateVolumes(input)
  const containerDefinitions = validateContainers(input, networkMode, size, volumeNames)
  if (
    input.proxyConfiguration &&
    !containerDefinitions.some((c) => c.name === input.proxyConfiguration?.containerName)
  ) {
    throw client(
      `proxyConfiguration.containerName '${input.proxyConfiguration.containerName}' is not a container of this task definition.`,
    )
  }
  validatePlacementConstraints(input)
  const tags = tagsForCreate(input.tags)

  const revision = ctx.tx.nextSequence(`taskdef:${family}`)
  if (revision > MAX_REVISIONS)
    throw client(`The family '${family}' has reached the limit of ${MAX_REVISIONS} revisions.`)

  const {tags: _tags, cpu: _cpu, memory: _memory, ...rest} = input
  const definition: TaskDefinition = {
    ...rest,
    taskDefinitionArn: taskDefinitionArn(ctx.settings, family, revision),
    containerDefinitions,
    family,
    networkMode,
    revision,
    volumes: input.volumes ?? [],
    status: 'ACTIVE',
    placementConstraints: input.placementConstraints ?? [],
    compatibilities: fargateProblems(input, size).length === 0 ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: new Date(ctx.now),
    registeredBy: `arn:aws:iam::${ctx.settings.accountId}:root`,
  }
  if (size.cpu !== undefined) definition.cpu = String(size.cpu)
  if (size.memory !== undefined) definition.memory = String(size.memory)
  definition.requiresAttributes = requiredAttributesFor(definition).map((a: Attribute) =>
    a.value === undefined ? {name: a.name} : {name: a.name, value: a.value},
  )

  const body: StoredTaskDefinition = {...definition, _engine: {tags}}
  saveTaskDefinition(ctx, body)
  return tags.length > 0 ? {taskDefinition: definition, tags} : {taskDefinition: definition}
}

function validateVolumes(input: RegisterTaskDefinitionCommandInput): Set<string> {
  const names = new Set<string>()
  for (const volume of input.volumes ?? []) {
    const name = validateName('volume', volume?.name)
    if (names.has(name)) throw client(`Duplicate volume name '${name}'.`)
    names.add(name)
    const docker = volume.dockerVolumeConfiguration
    if (docker) {
      if (docker.scope !== undefined && docker.scope !== 'task' && docker.scope !== 'shared') {
        throw client(
          `Invalid dockerVolumeConfiguration.scope '${docker.scope}' (volume '${name}'): use task or shared.`,
        )
      }
      if (docker.autoprovision && docker.scope !== 'shared') {
        throw client(`dockerVolumeConfiguration.autoprovision is only allowed with scope 'shared' (volume '${name}').`)
      }
    }
  }
  return names
}

function validatePlacementConstraints(input: RegisterTaskDefinitionCommandInput): void {
  const constraints = input.placementConstraints ?? []
  if (constraints.length > 10) throw client('A task definition can have at most 10 placement constraints.')
  for (const constraint of constraints) {
    if (constraint.type !== 'memberOf') {
      throw client(
        `Invalid placement constraint type '${constraint.type ?? ''}': task definitions support only 'memberOf'.`,
      )
    }
    if (!constraint.expression) throw client("A 'memberOf' placement constraint needs an expression.")
    compileQuery(constraint.expression)
  }
}
