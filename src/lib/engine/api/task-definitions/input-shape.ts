/**
 * RegisterTaskDefinition's shape checks: a value of the wrong JSON type is a ClientException naming the parameter
 * (`containerDefinitions[0].portMappings[1].hostPort`), never a crash, before any rule looks at it.
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {checkFields as checkFieldsOf, isPlainObject, type Shape} from '../input.js'
import {client} from './rules.js'

const checkFields = (record: Record<string, unknown>, shapes: Record<string, Shape>, prefix: string): void =>
  checkFieldsOf(record, shapes, prefix, 'ClientException')
const isObject = isPlainObject

const CONTAINER_SHAPES: Record<string, Shape> = {
  name: 'string',
  image: 'string',
  cpu: 'integer',
  memory: 'integer',
  memoryReservation: 'integer',
  essential: 'boolean',
  portMappings: 'object[]',
  links: 'string[]',
  entryPoint: 'string[]',
  command: 'string[]',
  environment: 'object[]',
  mountPoints: 'object[]',
  volumesFrom: 'object[]',
  dependsOn: 'object[]',
  secrets: 'object[]',
  healthCheck: 'object',
  logConfiguration: 'object',
  ulimits: 'object[]',
  linuxParameters: 'object',
  resourceRequirements: 'object[]',
  dnsServers: 'string[]',
  dnsSearchDomains: 'string[]',
  dockerSecurityOptions: 'string[]',
  extraHosts: 'object[]',
  systemControls: 'object[]',
  dockerLabels: 'object',
  startTimeout: 'integer',
  stopTimeout: 'integer',
  hostname: 'string',
  user: 'string',
  workingDirectory: 'string',
  disableNetworking: 'boolean',
  privileged: 'boolean',
  readonlyRootFilesystem: 'boolean',
  interactive: 'boolean',
  pseudoTerminal: 'boolean',
}

/** Reject values of the wrong JSON type before any rule looks at them. */
export function checkInputShape(input: RegisterTaskDefinitionCommandInput): void {
  if (!isObject(input)) throw client('The request must be a JSON object.')
  const top = input as unknown as Record<string, unknown>
  checkFields(
    top,
    {
      family: 'string',
      taskRoleArn: 'string',
      executionRoleArn: 'string',
      networkMode: 'string',
      containerDefinitions: 'array',
      volumes: 'object[]',
      placementConstraints: 'object[]',
      requiresCompatibilities: 'string[]',
      cpu: 'string|integer',
      memory: 'string|integer',
      tags: 'object[]',
      pidMode: 'string',
      ipcMode: 'string',
      proxyConfiguration: 'object',
    },
    '',
  )
  for (const [i, c] of ((top.containerDefinitions as unknown[] | undefined) ?? []).entries()) {
    if (!isObject(c)) throw client('Each entry of containerDefinitions must be a container definition object.')
    checkContainerShape(c, i)
  }
  for (const [i, v] of ((top.volumes as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(v, {name: 'string', host: 'object', dockerVolumeConfiguration: 'object'}, `volumes[${i}].`)
    if (v.host) checkFields(v.host as Record<string, unknown>, {sourcePath: 'string'}, `volumes[${i}].host.`)
    if (v.dockerVolumeConfiguration)
      checkFields(
        v.dockerVolumeConfiguration as Record<string, unknown>,
        {scope: 'string', autoprovision: 'boolean', driver: 'string'},
        `volumes[${i}].dockerVolumeConfiguration.`,
      )
  }
  for (const [i, p] of ((top.placementConstraints as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(p, {type: 'string', expression: 'string'}, `placementConstraints[${i}].`)
  }
  for (const [i, tag] of ((top.tags as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(tag, {key: 'string', value: 'string'}, `tags[${i}].`)
  }
  if (top.proxyConfiguration)
    checkFields(
      top.proxyConfiguration as Record<string, unknown>,
      {type: 'string', containerName: 'string', properties: 'object[]'},
      'proxyConfiguration.',
    )
}

/** One container definition's members (and their nested members). */
function checkContainerShape(c: Record<string, unknown>, i: number): void {
  const prefix = `containerDefinitions[${i}].`
  checkFields(c, CONTAINER_SHAPES, prefix)
  for (const [j, m] of ((c.portMappings as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(m, {containerPort: 'integer', hostPort: 'integer', protocol: 'string'}, `${prefix}portMappings[${j}].`)
  }
  for (const [j, m] of ((c.mountPoints as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(
      m,
      {sourceVolume: 'string', containerPath: 'string', readOnly: 'boolean'},
      `${prefix}mountPoints[${j}].`,
    )
  }
  for (const [j, v] of ((c.volumesFrom as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(v, {sourceContainer: 'string', readOnly: 'boolean'}, `${prefix}volumesFrom[${j}].`)
  }
  for (const [j, d] of ((c.dependsOn as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(d, {containerName: 'string', condition: 'string'}, `${prefix}dependsOn[${j}].`)
  }
  for (const [j, u] of ((c.ulimits as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(u, {name: 'string', softLimit: 'integer', hardLimit: 'integer'}, `${prefix}ulimits[${j}].`)
  }
  for (const [j, r] of ((c.resourceRequirements as Array<Record<string, unknown>> | undefined) ?? []).entries()) {
    checkFields(r, {type: 'string', value: 'string'}, `${prefix}resourceRequirements[${j}].`)
  }
  if (c.healthCheck) {
    checkFields(
      c.healthCheck as Record<string, unknown>,
      {command: 'string[]', interval: 'integer', timeout: 'integer', retries: 'integer', startPeriod: 'integer'},
      `${prefix}healthCheck.`,
    )
  }
  if (c.logConfiguration)
    checkFields(
      c.logConfiguration as Record<string, unknown>,
      {logDriver: 'string', options: 'object'},
      `${prefix}logConfiguration.`,
    )
  if (c.linuxParameters) {
    const lp = c.linuxParameters as Record<string, unknown>
    checkFields(
      lp,
      {
        capabilities: 'object',
        devices: 'object[]',
        tmpfs: 'object[]',
        sharedMemorySize: 'integer',
        initProcessEnabled: 'boolean',
      },
      `${prefix}linuxParameters.`,
    )
    if (lp.capabilities)
      checkFields(
        lp.capabilities as Record<string, unknown>,
        {add: 'string[]', drop: 'string[]'},
        `${prefix}linuxParameters.capabilities.`,
      )
  }
}
