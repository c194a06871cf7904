/**
 * RegisterContainerInstance (spec §3.1): what the ECS agent calls when an instance joins a cluster. A known
 * instance (by ARN, or the same EC2 instance while still registered) is re-registered in place; a new one gets its
 * registered resources from its instance type (or the agent's totalResources), its built-in attributes and an AZ.
 */
import type {
  RegisterContainerInstanceCommandInput,
  RegisterContainerInstanceCommandOutput,
  Tag,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {clusterNameOf, containerInstanceArn, lastSegment} from '../../arns.js'
import type {EngineContext, StoredDoc} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {newEc2InstanceId, newId} from '../../ids.js'
import {
  availabilityZones,
  builtInAttributes,
  DEFAULT_INSTANCE_TYPE,
  instanceType as instanceTypeInfo,
} from '../../model/capacity.js'
import {DEFAULT_CLUSTER, findCluster, putNewCluster} from '../../model/clusters.js'
import type {StoredCluster, StoredInstance} from '../../model/documents.js'
import {cloneResources, intRes, registeredFrom} from '../../model/instance-resources.js'
import {
  DEFAULT_AGENT_VERSION,
  getInstance,
  LISTABLE_STATUSES,
  presentInstance,
  saveInstance,
  touchInstance,
} from '../../model/instances.js'
import {ATTRIBUTE_SHAPES, checkEach, checkFields, request, TAG_SHAPES} from '../input.js'
import {tagsForCreate} from '../tags.js'
import {isBuiltInName, MAX_CUSTOM_ATTRIBUTES, mergeAttributes, validateAttribute} from './attributes.js'

interface IdentityDocument {
  instanceId?: string
  instanceType?: string
  availabilityZone?: string
  imageId?: string
  region?: string
}

function parseIdentityDocument(text: string | undefined): IdentityDocument {
  if (text === undefined || text === '') return {}
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    return parsed as IdentityDocument
  } catch {
    throw new EcsApiError(
      'InvalidParameterException',
      'instanceIdentityDocument must be a JSON object (the EC2 instance identity document).',
    )
  }
}

/** The AZ with the fewest registered instances of this cluster (ties: alphabetical), for documents without one. */
function leastUsedZone(ctx: EngineContext, clusterArn: string): string {
  const zones = availabilityZones(ctx.settings.region)
  const used = new Map<string, number>(zones.map((z) => [z, 0]))
  for (const doc of ctx.tx.list<StoredInstance>('instance', {cluster: clusterArn, statusIn: LISTABLE_STATUSES})) {
    const zone = doc.body._engine.availabilityZone
    if (used.has(zone)) used.set(zone, (used.get(zone) as number) + 1)
  }
  let best = zones[0]
  for (const zone of zones) if ((used.get(zone) as number) < (used.get(best) as number)) best = zone
  return best
}

export function registerContainerInstance(
  ctx: EngineContext,
  input: RegisterContainerInstanceCommandInput,
): Out<RegisterContainerInstanceCommandOutput> {
  input = checkRegisterShape(input)
  const cluster = registrationCluster(ctx, input.cluster ?? DEFAULT_CLUSTER)
  const clusterArn = cluster.id
  const identity = parseIdentityDocument(input.instanceIdentityDocument)
  for (const attribute of input.attributes ?? []) validateAttribute(attribute, true)
  const customCount = (input.attributes ?? []).filter((a) => !isBuiltInName(a.name ?? '')).length
  if (customCount > MAX_CUSTOM_ATTRIBUTES) {
    throw new EcsApiError(
      'AttributeLimitExceededException',
      `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes per resource.`,
    )
  }
  const tags = tagsForCreate(input.tags)

  // Re-registration of a known instance (by ARN, or the same EC2 instance while still registered).
  const existing = input.containerInstanceArn
    ? getInstance(ctx, clusterArn, input.containerInstanceArn)
    : identity.instanceId
      ? getInstance(ctx, clusterArn, identity.instanceId)
      : undefined
  if (input.containerInstanceArn && !existing) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Container instance '${input.containerInstanceArn}' is not registered in cluster '${cluster.name}'.`,
    )
  }
  if (existing && existing.status !== 'INACTIVE') {
    existing.attributes = mergeAttributes(existing.attributes ?? [], input.attributes ?? [])
    if (input.versionInfo) existing.versionInfo = {...existing.versionInfo, ...input.versionInfo}
    existing.agentConnected = true
    if (tags.length > 0) existing.tags = tags
    touchInstance(existing)
    saveInstance(ctx, existing)
    return {containerInstance: presentInstance(ctx, existing)}
  }
  const body = newInstanceDoc(ctx, input, identity, cluster, tags)
  saveInstance(ctx, body)
  return {containerInstance: presentInstance(ctx, body)}
}

/** The request's member types (./input.ts checks, as ECS's deserializer would). */
function checkRegisterShape(input: RegisterContainerInstanceCommandInput): RegisterContainerInstanceCommandInput {
  const checked = request(input, {
    cluster: 'string',
    instanceIdentityDocument: 'string',
    instanceIdentityDocumentSignature: 'string',
    totalResources: 'object[]',
    versionInfo: 'object',
    containerInstanceArn: 'string',
    attributes: 'object[]',
    platformDevices: 'object[]',
    tags: 'object[]',
  })
  checkEach(
    checked.totalResources,
    {
      name: 'string',
      type: 'string',
      integerValue: 'integer',
      longValue: 'integer',
      doubleValue: 'number',
      stringSetValue: 'string[]',
    },
    'totalResources',
  )
  checkEach(checked.attributes, ATTRIBUTE_SHAPES, 'attributes')
  checkEach(checked.tags, TAG_SHAPES, 'tags')
  if (checked.versionInfo)
    checkFields(
      checked.versionInfo as Record<string, unknown>,
      {agentVersion: 'string', agentHash: 'string', dockerVersion: 'string'},
      'versionInfo.',
    )
  return checked
}

/** The cluster to register in: ACTIVE, or `default`, which is created on first registration (spec §3.1). */
function registrationCluster(ctx: EngineContext, clusterRef: string): StoredDoc<StoredCluster> {
  const cluster = findCluster(ctx, clusterRef)
  if (cluster && cluster.body.status === 'ACTIVE') return cluster
  // Only the `default` cluster is created on first registration (spec §3.1, guide p. 217).
  if (clusterNameOf(clusterRef) !== DEFAULT_CLUSTER)
    throw new EcsApiError('ClusterNotFoundException', 'Cluster not found.')
  return putNewCluster(ctx, DEFAULT_CLUSTER)
}

/** A new registration: resources, attributes, AZ and ids of the instance. */
function newInstanceDoc(
  ctx: EngineContext,
  input: RegisterContainerInstanceCommandInput,
  identity: IdentityDocument,
  cluster: StoredDoc<StoredCluster>,
  tags: Tag[],
): StoredInstance {
  const clusterArn = cluster.id
  const instanceType = identity.instanceType ?? DEFAULT_INSTANCE_TYPE
  const info = instanceTypeInfo(instanceType)
  if (!info && !input.totalResources?.length) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Unknown instance type '${instanceType}': pass totalResources (CPU, MEMORY) ` +
        'or use a known instance type such as t2.micro, m5.large or c5.large.',
    )
  }
  const availabilityZone = identity.availabilityZone ?? leastUsedZone(ctx, clusterArn)
  const osType =
    (input.attributes ?? []).find((a) => a.name === 'ecs.os-type')?.value === 'windows' ? 'windows' : 'linux'
  const amiId = identity.imageId ?? 'ami-0ecsx000000000000'
  const registered = input.totalResources?.length
    ? registeredFrom(input.totalResources, info?.gpus ?? 0, osType)
    : registeredFrom([intRes('CPU', info?.cpu ?? 0), intRes('MEMORY', info?.memory ?? 0)], info?.gpus ?? 0, osType)
  const attributes = mergeAttributes(
    builtInAttributes({instanceType, availabilityZone, amiId, osType}),
    input.attributes ?? [],
  )
  const id = newId(ctx)
  const arn = containerInstanceArn(ctx.settings, cluster.name ?? lastSegment(clusterArn), id)
  const body: StoredInstance = {
    containerInstanceArn: arn,
    ec2InstanceId: identity.instanceId ?? newEc2InstanceId(ctx),
    version: 1,
    versionInfo: {
      agentVersion: DEFAULT_AGENT_VERSION,
      agentHash: 'ecsx',
      dockerVersion: 'DockerVersion: 20.10.25',
      ...input.versionInfo,
    },
    remainingResources: cloneResources(registered),
    registeredResources: registered,
    status: 'ACTIVE',
    agentConnected: true,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    attributes,
    registeredAt: new Date(ctx.now),
    attachments: [],
    tags,
    _engine: {
      clusterArn,
      instanceType,
      availabilityZone,
      osType,
      freeEniSlots: Math.max(0, (info?.maxEnis ?? 2) - 1),
      activeTasks: 0,
      taskGroups: {},
      dynamicTcpPorts: [],
      dynamicUdpPorts: [],
    },
  }
  return body
}
