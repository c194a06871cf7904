/**
 * Attributes of container instances (spec §3.6): PutAttributes, DeleteAttributes, ListAttributes, and the attribute
 * checks RegisterContainerInstance shares.
 */
import type {
  Attribute,
  DeleteAttributesCommandInput,
  DeleteAttributesCommandOutput,
  ListAttributesCommandInput,
  ListAttributesCommandOutput,
  PutAttributesCommandInput,
  PutAttributesCommandOutput,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {lastSegment} from '../../arns.js'
import type {EngineContext} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {requireActiveCluster} from '../../model/clusters.js'
import type {StoredInstance} from '../../model/documents.js'
import {getInstance, instanceByArn, LISTABLE_STATUSES, saveInstance, touchInstance} from '../../model/instances.js'
import {paginate} from '../../paging.js'
import {ATTRIBUTE_SHAPES, checkEach, request} from '../input.js'

export const MAX_CUSTOM_ATTRIBUTES = 10
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_./-]{1,128}$/
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.@/:\\ -]{1,128}$/

export const isBuiltInName = (name: string): boolean => name.startsWith('ecs.') || name.startsWith('com.amazonaws.ecs.')

export function validateAttribute(attribute: Attribute, allowBuiltIn: boolean): void {
  const name = attribute?.name
  if (typeof name !== 'string' || !ATTRIBUTE_NAME.test(name)) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Invalid attribute name ${JSON.stringify(name ?? null)}: ` +
        'use 1 to 128 letters, numbers, hyphens, underscores, periods and forward slashes.',
    )
  }
  if (!allowBuiltIn && isBuiltInName(name)) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Attribute '${name}' is a built-in attribute; built-in attributes cannot be changed or deleted.`,
    )
  }
  const value = attribute.value
  if (
    value !== undefined &&
    value !== null &&
    (typeof value !== 'string' || !ATTRIBUTE_VALUE.test(value) || value.trim() !== value)
  ) {
    throw new EcsApiError(
      'InvalidParameterException',
      `Invalid value ${JSON.stringify(value)} for attribute '${name}': use 1 to 128 letters, numbers, hyphens, ` +
        'underscores, periods, at signs, slashes, backslashes, colons or spaces (not leading or trailing).',
    )
  }
}

export function mergeAttributes(existing: Attribute[], added: Attribute[]): Attribute[] {
  const result = existing.map((a) => ({...a}))
  for (const attribute of added) {
    const clean: Attribute =
      attribute.value === undefined || attribute.value === null
        ? {name: attribute.name}
        : {name: attribute.name, value: attribute.value}
    const index = result.findIndex((a) => a.name === attribute.name)
    if (index >= 0) result[index] = clean
    else result.push(clean)
  }
  return result
}

function attributeTargets(
  ctx: EngineContext,
  clusterArn: string,
  attributes: Attribute[] | undefined,
  allowBuiltIn: boolean,
): Map<string, Attribute[]> {
  if (!Array.isArray(attributes) || attributes.length === 0)
    throw new EcsApiError('InvalidParameterException', 'attributes must contain at least one attribute.')
  if (attributes.length > MAX_CUSTOM_ATTRIBUTES) {
    throw new EcsApiError(
      'InvalidParameterException',
      `At most ${MAX_CUSTOM_ATTRIBUTES} attributes can be given in one call.`,
    )
  }
  const byTarget = new Map<string, Attribute[]>()
  for (const attribute of attributes) {
    validateAttribute(attribute, allowBuiltIn)
    if ((attribute.targetType ?? 'container-instance') !== 'container-instance') {
      throw new EcsApiError(
        'InvalidParameterException',
        `Invalid targetType '${attribute.targetType}': only 'container-instance' is supported.`,
      )
    }
    if (!attribute.targetId)
      throw new EcsApiError(
        'InvalidParameterException',
        `Attribute '${attribute.name}' needs a targetId (container instance id or ARN).`,
      )
    const target = getInstance(ctx, clusterArn, attribute.targetId)
    if (!target || target.status === 'INACTIVE') {
      throw new EcsApiError(
        'TargetNotFoundException',
        `Could not find the target '${attribute.targetId}' in cluster '${lastSegment(clusterArn)}'.`,
      )
    }
    const arn = target.containerInstanceArn as string
    byTarget.set(arn, [...(byTarget.get(arn) ?? []), attribute])
  }
  return byTarget
}

export function putAttributes(ctx: EngineContext, input: PutAttributesCommandInput): Out<PutAttributesCommandOutput> {
  input = request(input, {cluster: 'string', attributes: 'object[]'})
  checkEach(input.attributes, ATTRIBUTE_SHAPES, 'attributes')
  const cluster = requireActiveCluster(ctx, input.cluster)
  for (const [arn, attributes] of attributeTargets(ctx, cluster.id, input.attributes, false)) {
    const body = instanceByArn(ctx, arn)
    const merged = mergeAttributes(body.attributes ?? [], attributes)
    const custom = merged.filter((a) => !isBuiltInName(a.name ?? '')).length
    if (custom > MAX_CUSTOM_ATTRIBUTES) {
      throw new EcsApiError(
        'AttributeLimitExceededException',
        `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes per resource.`,
      )
    }
    body.attributes = merged
    touchInstance(body)
    saveInstance(ctx, body)
  }
  return {attributes: input.attributes}
}

export function deleteAttributes(
  ctx: EngineContext,
  input: DeleteAttributesCommandInput,
): Out<DeleteAttributesCommandOutput> {
  input = request(input, {cluster: 'string', attributes: 'object[]'})
  checkEach(input.attributes, ATTRIBUTE_SHAPES, 'attributes')
  const cluster = requireActiveCluster(ctx, input.cluster)
  for (const [arn, attributes] of attributeTargets(ctx, cluster.id, input.attributes, false)) {
    const body = instanceByArn(ctx, arn)
    const names = new Set(attributes.map((a) => a.name))
    body.attributes = (body.attributes ?? []).filter((a) => !names.has(a.name))
    touchInstance(body)
    saveInstance(ctx, body)
  }
  return {attributes: input.attributes}
}

export function listAttributes(
  ctx: EngineContext,
  input: ListAttributesCommandInput,
): Out<ListAttributesCommandOutput> {
  input = request(input, {
    cluster: 'string',
    targetType: 'string',
    attributeName: 'string',
    attributeValue: 'string',
    maxResults: 'integer',
    nextToken: 'string',
  })
  const cluster = requireActiveCluster(ctx, input.cluster)
  if (input.targetType !== 'container-instance') {
    throw new EcsApiError('InvalidParameterException', `targetType is required and must be 'container-instance'.`)
  }
  if (input.attributeValue !== undefined && input.attributeName === undefined) {
    throw new EcsApiError('InvalidParameterException', 'attributeValue can only be used together with attributeName.')
  }
  const found: Attribute[] = []
  for (const doc of ctx.tx.list<StoredInstance>('instance', {cluster: cluster.id, statusIn: LISTABLE_STATUSES})) {
    for (const attribute of doc.body.attributes ?? []) {
      if (input.attributeName !== undefined && attribute.name !== input.attributeName) continue
      if (input.attributeValue !== undefined && attribute.value !== input.attributeValue) continue
      const out: Attribute = {name: attribute.name, targetType: 'container-instance', targetId: doc.id}
      if (attribute.value !== undefined) out.value = attribute.value
      found.push(out)
    }
  }
  const page = paginate(found, input)
  return page.nextToken === undefined ? {attributes: page.items} : {attributes: page.items, nextToken: page.nextToken}
}
