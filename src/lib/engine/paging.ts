/**
 * `maxResults` / `nextToken` pagination for List* operations. Tokens are opaque (base64url of the offset).
 */
import {EcsApiError} from './errors.js'

export interface Page<T> {
  items: T[]
  nextToken?: string
}

export function paginate<T>(
  all: T[],
  input: {maxResults?: number; nextToken?: string},
  maxLimit = 100,
  defaultLimit = maxLimit,
): Page<T> {
  const {maxResults, nextToken} = input
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > maxLimit)) {
    throw new EcsApiError('InvalidParameterException', `maxResults must be between 1 and ${maxLimit}.`)
  }
  let offset = 0
  if (nextToken !== undefined && nextToken !== '') {
    const decoded = Buffer.from(nextToken, 'base64url').toString('utf8')
    const match = /^o:(\d+)$/.exec(decoded)
    if (!match) throw new EcsApiError('InvalidParameterException', 'Invalid nextToken.')
    offset = Number(match[1])
  }
  const limit = maxResults ?? defaultLimit
  const items = all.slice(offset, offset + limit)
  const next =
    offset + limit < all.length ? Buffer.from(`o:${offset + limit}`, 'utf8').toString('base64url') : undefined
  return next === undefined ? {items} : {items, nextToken: next}
}
