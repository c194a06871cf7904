/**
 * Shape checks for request inputs: a value of the wrong JSON type (as the wire server may receive) is an ECS
 * exception naming the parameter — never a crash deeper in a handler.
 */
import {EcsApiError, type EcsErrorName} from '../errors.js'

export type Shape =
  'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'string[]' | 'object[]' | 'string|integer'

const EXPECTED: Record<Shape, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  'string[]': 'a list of strings',
  'object[]': 'a list of objects',
  'string|integer': 'a string',
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function matches(value: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'string':
      return typeof value === 'string'
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'object':
      return isPlainObject(value)
    case 'array':
      return Array.isArray(value)
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
    case 'object[]':
      return Array.isArray(value) && value.every(isPlainObject)
    case 'string|integer':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))
  }
}

/** Throw when `value` is present (not null/undefined) and not of `shape`. */
export function checkShape(
  value: unknown,
  shape: Shape,
  path: string,
  error: EcsErrorName = 'InvalidParameterException',
): void {
  if (value === undefined || value === null) return
  if (!matches(value, shape))
    throw new EcsApiError(error, `Invalid type for parameter ${path}: expected ${EXPECTED[shape]}.`)
}

export function checkFields(
  record: Record<string, unknown>,
  shapes: Record<string, Shape>,
  prefix = '',
  error: EcsErrorName = 'InvalidParameterException',
): void {
  for (const key in shapes) checkShape(record[key], shapes[key], `${prefix}${key}`, error)
}

/** Check each object of a list field against `shapes`. */
export function checkEach(
  list: unknown,
  shapes: Record<string, Shape>,
  prefix: string,
  error: EcsErrorName = 'InvalidParameterException',
): void {
  if (!Array.isArray(list)) return
  list.forEach((item, i) => {
    if (isPlainObject(item)) checkFields(item, shapes, `${prefix}[${i}].`, error)
  })
}

/**
 * The request as an object (a missing body is `{}`), with its top-level fields checked. JSON `null` means "not
 * given" (as on the wire): such fields are dropped from the returned shallow copy.
 */
export function request<T>(
  input: T,
  shapes: Record<string, Shape>,
  error: EcsErrorName = 'InvalidParameterException',
): T {
  if (input === undefined || input === null) return {} as T
  if (!isPlainObject(input)) throw new EcsApiError(error, 'The request must be a JSON object.')
  checkFields(input, shapes, '', error)
  const copy: Record<string, unknown> = {}
  for (const key in input) if (input[key] !== null && input[key] !== undefined) copy[key] = input[key]
  return copy as T
}

export const TAG_SHAPES: Record<string, Shape> = {key: 'string', value: 'string'}
export const ATTRIBUTE_SHAPES: Record<string, Shape> = {
  name: 'string',
  value: 'string',
  targetType: 'string',
  targetId: 'string',
}
