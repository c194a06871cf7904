/**
 * `--tags key1=value1,key2=value2` (ecs-cli format): a value may be empty ("k=") and may contain "=";
 * keys may not be empty. Malformed input is bad input (exit 2) with ecs-cli's message.
 */
import type {Tag} from '@aws-sdk/client-ecs'

import {InputError} from '../errors.js'

export function parseTags(input: string | undefined): Tag[] | undefined {
  if (input === undefined) return undefined
  const tags: Tag[] = []
  const seen = new Set<string>()
  for (const pair of input.split(',')) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? '' : pair.slice(0, eq).trim()
    if (eq < 0 || key === '') {
      throw new InputError(
        `Tag input not formatted correctly: ${pair === '' ? '(empty pair)' : pair}`,
        'Expected --tags key1=value1,key2=value2',
      )
    }
    if (seen.has(key))
      throw new InputError(
        `Tag input not formatted correctly: duplicate key ${key}`,
        'Expected --tags key1=value1,key2=value2',
      )
    seen.add(key)
    tags.push({key, value: pair.slice(eq + 1)})
  }
  return tags
}
