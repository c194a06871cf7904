/**
 * ECS's input deserializer, as far as types go: each operation's input checked (and normalised in place) against its
 * input shape from @aws-sdk/client-ecs — types of every member, at any depth; unknown members dropped, `null` members
 * treated as absent, epoch-second timestamps turned into Dates. Used by the ECS JSON server (./server.ts).
 */

/** Checks (and normalises in place) an operation's input; returns a problem description, or undefined when valid. */
export type InputValidator = (operation: string, input: Record<string, unknown>) => string | undefined

interface ShapeLike {
  isStructSchema(): boolean
  isListSchema(): boolean
  isMapSchema(): boolean
  isStringSchema(): boolean
  isNumericSchema(): boolean
  isBooleanSchema(): boolean
  isTimestampSchema(): boolean
  isBlobSchema(): boolean
  isDocumentSchema(): boolean
  getValueSchema(): ShapeLike
  getMemberSchemas(): Record<string, ShapeLike>
}

const describeType = (v: unknown): string =>
  Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`

function checkShape(shape: ShapeLike, value: unknown, where: string): string | undefined {
  if (shape.isDocumentSchema()) return undefined
  if (shape.isStructSchema()) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return `${where} must be an object, not ${describeType(value)}.`
    const members = shape.getMemberSchemas()
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const member = members[key]
      // Like ECS's deserializer: unknown members are ignored, null members are absent.
      if (!member || record[key] === null) {
        delete record[key]
        continue
      }
      if (member.isTimestampSchema() && typeof record[key] === 'number') {
        record[key] = new Date((record[key] as number) * 1000)
        continue
      }
      const problem = checkShape(member, record[key], where ? `${where}.${key}` : key)
      if (problem) return problem
    }
    return undefined
  }
  if (shape.isListSchema()) {
    if (!Array.isArray(value)) return `${where} must be a list, not ${describeType(value)}.`
    const element = shape.getValueSchema()
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null) return `${where}[${i}] must not be null.`
      const problem = checkShape(element, value[i], `${where}[${i}]`)
      if (problem) return problem
    }
    return undefined
  }
  if (shape.isMapSchema()) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return `${where} must be a map, not ${describeType(value)}.`
    const element = shape.getValueSchema()
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null) return `${where}.${key} must not be null.`
      const problem = checkShape(element, v, `${where}.${key}`)
      if (problem) return problem
    }
    return undefined
  }
  if (shape.isStringSchema() || shape.isBlobSchema())
    return typeof value === 'string' ? undefined : `${where} must be a string, not ${describeType(value)}.`
  if (shape.isNumericSchema())
    return typeof value === 'number' && Number.isFinite(value)
      ? undefined
      : `${where} must be a number, not ${describeType(value)}.`
  if (shape.isBooleanSchema())
    return typeof value === 'boolean' ? undefined : `${where} must be a boolean, not ${describeType(value)}.`
  if (shape.isTimestampSchema())
    return typeof value === 'string' || value instanceof Date
      ? undefined
      : `${where} must be a timestamp, not ${describeType(value)}.`
  return undefined
}

/** The validator over @aws-sdk/client-ecs's input schemas (`<Operation>Request$`), loaded once. */
export async function loadInputValidator(): Promise<InputValidator> {
  const [sdk, {NormalizedSchema}] = await Promise.all([import('@aws-sdk/client-ecs'), import('@smithy/core/schema')])
  const shapes = new Map<string, ShapeLike>()
  return (operation, input) => {
    let shape = shapes.get(operation)
    if (!shape) {
      const schema = (sdk as unknown as Record<string, unknown>)[`${operation}Request$`]
      if (!schema) return undefined
      shape = NormalizedSchema.of(schema as Parameters<typeof NormalizedSchema.of>[0]) as unknown as ShapeLike
      shapes.set(operation, shape)
    }
    return checkShape(shape, input, '')
  }
}
