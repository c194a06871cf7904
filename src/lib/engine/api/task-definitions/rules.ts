/**
 * The small rules every part of RegisterTaskDefinition's validation shares: its errors are ClientException (as in
 * ECS), names follow one pattern, integers are JSON integers.
 */
import {EcsApiError} from '../../errors.js'

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/

export const client = (message: string): EcsApiError => new EcsApiError('ClientException', message)

export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

/** A family, container or volume name: 1 to 255 letters, numbers, hyphens and underscores. */
export function validateName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw client(
      `Invalid ${kind} name ${JSON.stringify(name ?? null)}: ` +
        'use 1 to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.',
    )
  }
  return name
}
