/**
 * Task definition documents: resolution of a reference (`family` = latest ACTIVE revision, `family:revision`, ARN),
 * saving with the index columns, and the definition as ECS returns it.
 */
import type {TaskDefinition} from '@aws-sdk/client-ecs'

import {parseEcsArn} from '../arns.js'
import type {EngineContext, StoredDoc} from '../context.js'
import {EcsApiError} from '../errors.js'
import {omitKeys} from '../objects.js'
import type {StoredTaskDefinition} from './documents.js'

/** Document id of a revision: `family:revision`. */
export const taskDefinitionDocId = (family: string, revision: number): string => `${family}:${revision}`
export const familyOf = (id: string): string => id.slice(0, id.lastIndexOf(':'))
export const revisionOf = (id: string): number => Number(id.slice(id.lastIndexOf(':') + 1))

/** Persist a revision with its index columns (parent = family, status, name = family). */
export function saveTaskDefinition(ctx: EngineContext, body: StoredTaskDefinition): void {
  const family = body.family as string
  const id = taskDefinitionDocId(family, body.revision as number)
  ctx.tx.put('taskdef', id, body, {parent: family, status: body.status, name: family})
}

/**
 * Latest ACTIVE revision of a family: the newest stored ACTIVE row of the family. Revisions are stored in the order
 * they are numbered and never deleted (deregistering and tagging update in place), so the newest row is the highest
 * revision — one indexed row read, however many revisions the family has.
 */
function latestActive(ctx: EngineContext, family: string): StoredDoc<StoredTaskDefinition> | undefined {
  const [newest] = ctx.tx.list('taskdef', {
    parent: family,
    status: 'ACTIVE',
    keysOnly: true,
    newestFirst: true,
    limit: 1,
  })
  return newest === undefined ? undefined : ctx.tx.get<StoredTaskDefinition>('taskdef', newest.id)
}

/**
 * A task definition by reference: `family` (latest ACTIVE revision), `family:revision` or ARN (any status).
 * Undefined when there is no such definition.
 */
export function resolveTaskDefinition(
  ctx: EngineContext,
  ref: string | undefined,
): StoredDoc<StoredTaskDefinition> | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined
  let text = ref
  if (ref.startsWith('arn:')) {
    const parsed = parseEcsArn(ref)
    if (parsed?.resourceType !== 'task-definition') return undefined
    text = parsed.path.join('/')
  }
  const match = /^([a-zA-Z0-9_-]{1,255})(?::(\d+))?$/.exec(text)
  if (!match) return undefined
  if (match[2] === undefined) return latestActive(ctx, match[1])
  return ctx.tx.get<StoredTaskDefinition>('taskdef', taskDefinitionDocId(match[1], Number(match[2])))
}

/** The definition without engine-private fields. */
export function presentTaskDefinition(body: StoredTaskDefinition): TaskDefinition {
  return omitKeys(body, '_engine')
}

/** The task definition to launch from: it must exist and be ACTIVE (spec §1.4, §4.6). */
export function requireLaunchableTaskDefinition(ctx: EngineContext, ref: string | undefined): TaskDefinition {
  if (typeof ref !== 'string' || ref === '')
    throw new EcsApiError('InvalidParameterException', 'taskDefinition is required.')
  const doc = resolveTaskDefinition(ctx, ref)
  if (!doc) throw new EcsApiError('ClientException', 'Unable to describe task definition.')
  if (doc.body.status !== 'ACTIVE') {
    throw new EcsApiError(
      'ClientException',
      `The specified task definition ${doc.body.taskDefinitionArn ?? ref} is inactive. ` +
        'Specify an active task definition and try again.',
    )
  }
  return presentTaskDefinition(doc.body)
}
