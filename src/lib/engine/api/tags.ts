/**
 * Resource tags (spec §1.5): validation shared by every create call that accepts `tags`, and the TagResource /
 * UntagResource / ListTagsForResource operations over clusters, container instances, task definitions, tasks and
 * services.
 */
import type {
  ListTagsForResourceCommandInput,
  ListTagsForResourceCommandOutput,
  Tag,
  TagResourceCommandInput,
  TagResourceCommandOutput,
  UntagResourceCommandInput,
  UntagResourceCommandOutput,
} from '@aws-sdk/client-ecs'

import type {Out} from '../../ecs/backend.js'
import {parseEcsArn} from '../arns.js'
import type {DocKind, EngineContext, StoredDoc} from '../context.js'
import {EcsApiError} from '../errors.js'
import type {StoredTaskDefinition} from '../model/documents.js'
import type {HandlerTable} from './handler.js'
import {checkEach, request, TAG_SHAPES} from './input.js'

export const MAX_TAGS = 50
export const MAX_TAG_KEY_LENGTH = 128
export const MAX_TAG_VALUE_LENGTH = 256

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

const isReservedKey = (key: string): boolean => key.toLowerCase().startsWith('aws:')
const invalid = (message: string): EcsApiError => new EcsApiError('InvalidParameterException', message)

/** Validate tags a user supplies (create calls, TagResource). Throws InvalidParameterException. */
export function validateTags(tags: Tag[] | undefined): Tag[] {
  if (tags === undefined) return []
  if (!Array.isArray(tags)) throw invalid('tags must be a list of {key, value}.')
  const seen = new Set<string>()
  for (const tag of tags) {
    const key = tag?.key
    if (typeof key !== 'string' || key.length === 0)
      throw invalid('Tag keys must be between 1 and 128 characters long.')
    if ([...key].length > MAX_TAG_KEY_LENGTH)
      throw invalid(`Tag key '${key.slice(0, 40)}…' is longer than ${MAX_TAG_KEY_LENGTH} characters.`)
    if (tag.value === undefined || tag.value === null)
      throw invalid(`Tag value for key '${key}' must not be null (use an empty string).`)
    if (typeof tag.value !== 'string') throw invalid(`Tag value for key '${key}' must be a string.`)
    if ([...tag.value].length > MAX_TAG_VALUE_LENGTH)
      throw invalid(`Tag value for key '${key}' is longer than ${MAX_TAG_VALUE_LENGTH} characters.`)
    if (!TAG_CHARS.test(key) || !TAG_CHARS.test(tag.value)) {
      throw invalid(
        `Tag '${key}' contains characters that are not allowed. Use letters, numbers, spaces and + - = . _ : / @.`,
      )
    }
    if (isReservedKey(key))
      throw invalid(`Tag key '${key}' uses the reserved prefix 'aws:'; it cannot be set, edited or deleted.`)
    if (seen.has(key)) throw invalid(`Tag key '${key}' appears more than once; keys must be unique per resource.`)
    seen.add(key)
  }
  return tags.map((tag) => ({key: tag.key, value: tag.value}))
}

/** `existing` with `added` applied (same key → new value), enforcing the 50-tag limit (aws: tags do not count). */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const result = existing.map((tag) => ({...tag}))
  for (const tag of added) {
    const index = result.findIndex((t) => t.key === tag.key)
    if (index >= 0) result[index] = {key: tag.key, value: tag.value}
    else result.push({key: tag.key, value: tag.value})
  }
  const counted = result.filter((tag) => !isReservedKey(tag.key ?? '')).length
  if (counted > MAX_TAGS)
    throw invalid(`A resource can have at most ${MAX_TAGS} tags; this request would give it ${counted}.`)
  return result
}

/** Tags supplied at creation, validated and limited. */
export function tagsForCreate(tags: Tag[] | undefined): Tag[] {
  return mergeTags([], validateTags(tags))
}

interface TaggableRef {
  kind: DocKind
  id: string
}

/** Where a resource ARN lives in the store. */
function taggableRef(resourceArn: string | undefined): TaggableRef {
  if (typeof resourceArn !== 'string' || resourceArn === '') throw invalid('resourceArn is required.')
  const parsed = parseEcsArn(resourceArn)
  if (!parsed) throw invalid(`'${resourceArn}' is not a valid ECS resource ARN.`)
  switch (parsed.resourceType) {
    case 'cluster':
      return {kind: 'cluster', id: resourceArn}
    case 'container-instance':
      return {kind: 'instance', id: resourceArn}
    case 'task':
      return {kind: 'task', id: resourceArn}
    case 'service':
      return {kind: 'service', id: resourceArn}
    case 'task-definition':
      return {kind: 'taskdef', id: parsed.path.join('/')}
  }
}

function readTags(kind: DocKind, body: Record<string, unknown>): Tag[] {
  if (kind === 'taskdef') return [...((body as StoredTaskDefinition)._engine?.tags ?? [])]
  return [...((body.tags as Tag[] | undefined) ?? [])]
}

function writeTags(kind: DocKind, body: Record<string, unknown>, tags: Tag[]): void {
  if (kind === 'taskdef') {
    const engine = ((body as StoredTaskDefinition)._engine ??= {})
    engine.tags = tags
  } else {
    body.tags = tags
  }
}

function loadTaggable(
  ctx: EngineContext,
  resourceArn: string | undefined,
): {ref: TaggableRef; doc: StoredDoc<Record<string, unknown>>} {
  const ref = taggableRef(resourceArn)
  const doc = ctx.tx.get<Record<string, unknown>>(ref.kind, ref.id)
  // INACTIVE clusters/instances/task definitions stay describable but can no longer be tagged.
  if (!doc || (ref.kind !== 'taskdef' && ref.kind !== 'task' && doc.status === 'INACTIVE')) {
    throw new EcsApiError('ResourceNotFoundException', 'The specified resource could not be found.')
  }
  return {ref, doc}
}

function save(ctx: EngineContext, doc: StoredDoc<Record<string, unknown>>): void {
  ctx.tx.put(doc.kind, doc.id, doc.body, {cluster: doc.cluster, parent: doc.parent, status: doc.status, name: doc.name})
}

export function tagResource(ctx: EngineContext, input: TagResourceCommandInput): Out<TagResourceCommandOutput> {
  input = request(input, {resourceArn: 'string', tags: 'object[]'})
  checkEach(input.tags, TAG_SHAPES, 'tags')
  const {ref, doc} = loadTaggable(ctx, input.resourceArn)
  if (!Array.isArray(input.tags) || input.tags.length === 0) throw invalid('tags must contain at least one tag.')
  const tags = mergeTags(readTags(ref.kind, doc.body), validateTags(input.tags))
  writeTags(ref.kind, doc.body, tags)
  save(ctx, doc)
  return {}
}

export function untagResource(ctx: EngineContext, input: UntagResourceCommandInput): Out<UntagResourceCommandOutput> {
  input = request(input, {resourceArn: 'string', tagKeys: 'string[]'})
  const {ref, doc} = loadTaggable(ctx, input.resourceArn)
  if (!Array.isArray(input.tagKeys) || input.tagKeys.length === 0)
    throw invalid('tagKeys must contain at least one key.')
  for (const key of input.tagKeys) {
    if (isReservedKey(key)) throw invalid(`Tag key '${key}' uses the reserved prefix 'aws:'; it cannot be deleted.`)
  }
  const remove = new Set(input.tagKeys)
  writeTags(
    ref.kind,
    doc.body,
    readTags(ref.kind, doc.body).filter((tag) => !remove.has(tag.key ?? '')),
  )
  save(ctx, doc)
  return {}
}

export function listTagsForResource(
  ctx: EngineContext,
  input: ListTagsForResourceCommandInput,
): Out<ListTagsForResourceCommandOutput> {
  input = request(input, {resourceArn: 'string'})
  const ref = taggableRef(input.resourceArn)
  const doc = ctx.tx.get<Record<string, unknown>>(ref.kind, ref.id)
  if (!doc) throw new EcsApiError('ResourceNotFoundException', 'The specified resource could not be found.')
  return {tags: readTags(ref.kind, doc.body)}
}

export const tagHandlers = {tagResource, untagResource, listTagsForResource} satisfies HandlerTable
