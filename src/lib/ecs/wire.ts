/**
 * JSON for the ECS wire (AWS JSON 1.1): Dates become epoch seconds (floats), as the protocol encodes timestamps.
 * Shared by the HTTP server (server.ts) and the engine's direct wire path (Engine.callWire).
 */

export interface WireJsonOptions {
  /** Also leave out engine-private members (keys starting with `_`), as `stripPrivate` does. */
  stripPrivate?: boolean
}

/** The wire JSON text of `value`. */
export function toWireJson(value: unknown, options: WireJsonOptions = {}): string {
  // A copy with the Dates replaced, then a plain stringify: several times faster than a replacer function.
  return JSON.stringify(wireValue(value, options.stripPrivate === true))
}

function wireValue(value: unknown, strip: boolean): unknown {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Date) return value.getTime() / 1000
  if (Array.isArray(value)) {
    const out = new Array(value.length)
    for (let i = 0; i < value.length; i++) out[i] = wireValue(value[i], strip)
    return out
  }
  const proto = Object.getPrototypeOf(value)
  // Anything but a plain object (typed arrays, objects with toJSON …) is left to JSON.stringify.
  if ((proto !== Object.prototype && proto !== null) || typeof (value as {toJSON?: unknown}).toJSON === 'function')
    return value
  const out: Record<string, unknown> = {}
  const record = value as Record<string, unknown>
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue
    if (strip && key.charCodeAt(0) === 95 /* _ */) continue
    out[key] = wireValue(record[key], strip)
  }
  return out
}
