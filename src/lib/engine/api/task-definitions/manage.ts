/**
 * DeregisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies (spec §1.4).
 */
import type {
  DeregisterTaskDefinitionCommandInput,
  DeregisterTaskDefinitionCommandOutput,
  DescribeTaskDefinitionCommandInput,
  DescribeTaskDefinitionCommandOutput,
  ListTaskDefinitionFamiliesCommandInput,
  ListTaskDefinitionFamiliesCommandOutput,
  ListTaskDefinitionsCommandInput,
  ListTaskDefinitionsCommandOutput,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../../ecs/backend.js'
import {parseEcsArn, taskDefinitionArn} from '../../arns.js'
import type {EngineContext} from '../../context.js'
import {EcsApiError} from '../../errors.js'
import {
  familyOf,
  presentTaskDefinition,
  resolveTaskDefinition,
  revisionOf,
  saveTaskDefinition,
} from '../../model/task-definitions.js'
import {paginate} from '../../paging.js'
import {request} from '../input.js'
import {client} from './rules.js'

export function deregisterTaskDefinition(
  ctx: EngineContext,
  input: DeregisterTaskDefinitionCommandInput,
): Out<DeregisterTaskDefinitionCommandOutput> {
  input = request(input, {taskDefinition: 'string'}, 'ClientException')
  const ref = input.taskDefinition
  const text =
    typeof ref === 'string' && ref.startsWith('arn:') ? (parseEcsArn(ref)?.path.join('/') ?? '') : (ref ?? '')
  if (!/^[a-zA-Z0-9_-]{1,255}:\d+$/.test(text)) {
    throw client(
      `Invalid task definition '${ref ?? ''}': give family:revision or the full ARN (a revision is required to deregister).`,
    )
  }
  const doc = resolveTaskDefinition(ctx, text)
  if (!doc) throw client('The specified task definition does not exist.')
  if (doc.body.status !== 'INACTIVE') {
    doc.body.status = 'INACTIVE'
    doc.body.deregisteredAt = new Date(ctx.now)
    saveTaskDefinition(ctx, doc.body)
  }
  return {taskDefinition: presentTaskDefinition(doc.body)}
}

export function describeTaskDefinition(
  ctx: EngineContext,
  input: DescribeTaskDefinitionCommandInput,
): Out<DescribeTaskDefinitionCommandOutput> {
  input = request(input, {taskDefinition: 'string', include: 'string[]'}, 'ClientException')
  const doc = resolveTaskDefinition(ctx, input.taskDefinition)
  if (!doc) throw client('Unable to describe task definition.')
  const out: Out<DescribeTaskDefinitionCommandOutput> = {taskDefinition: presentTaskDefinition(doc.body)}
  if (input.include?.includes('TAGS')) out.tags = doc.body._engine?.tags ?? []
  return out
}

function compareIds(a: string, b: string): number {
  const fa = familyOf(a)
  const fb = familyOf(b)
  if (fa !== fb) return fa < fb ? -1 : 1
  return revisionOf(a) - revisionOf(b)
}

export function listTaskDefinitions(
  ctx: EngineContext,
  input: ListTaskDefinitionsCommandInput,
): Out<ListTaskDefinitionsCommandOutput> {
  input = request(input, {
    familyPrefix: 'string',
    status: 'string',
    sort: 'string',
    maxResults: 'integer',
    nextToken: 'string',
  })
  const status = input.status ?? 'ACTIVE'
  if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status))
    throw new EcsApiError('InvalidParameterException', `Invalid status '${status}'.`)
  const sort = input.sort ?? 'ASC'
  if (sort !== 'ASC' && sort !== 'DESC')
    throw new EcsApiError('InvalidParameterException', `Invalid sort '${sort}': use ASC or DESC.`)
  const prefix = input.familyPrefix
  const docs = ctx.tx.list('taskdef', prefix ? {parent: prefix, status, keysOnly: true} : {status, keysOnly: true})
  const ids = docs.map((d) => d.id).sort(compareIds)
  if (sort === 'DESC') ids.reverse()
  const arns = ids.map((id) => taskDefinitionArn(ctx.settings, familyOf(id), revisionOf(id)))
  const page = paginate(arns, input)
  return page.nextToken === undefined
    ? {taskDefinitionArns: page.items}
    : {taskDefinitionArns: page.items, nextToken: page.nextToken}
}

export function listTaskDefinitionFamilies(
  ctx: EngineContext,
  input: ListTaskDefinitionFamiliesCommandInput,
): Out<ListTaskDefinitionFamiliesCommandOutput> {
  input = request(input, {familyPrefix: 'string', status: 'string', maxResults: 'integer', nextToken: 'string'})
  const status = input.status ?? 'ACTIVE'
  if (!['ACTIVE', 'INACTIVE', 'ALL'].includes(status))
    throw new EcsApiError('InvalidParameterException', `Invalid status '${status}': use ACTIVE, INACTIVE or ALL.`)
  const active = new Set<string>()
  const all = new Set<string>()
  for (const doc of ctx.tx.list('taskdef', {keysOnly: true})) {
    const family = doc.parent ?? familyOf(doc.id)
    if (input.familyPrefix && !family.startsWith(input.familyPrefix)) continue
    all.add(family)
    if (doc.status === 'ACTIVE') active.add(family)
  }
  const families = [...all]
    .filter((f) => (status === 'ALL' ? true : status === 'ACTIVE' ? active.has(f) : !active.has(f)))
    .sort()
  const page = paginate(families, input)
  return page.nextToken === undefined ? {families: page.items} : {families: page.items, nextToken: page.nextToken}
}
