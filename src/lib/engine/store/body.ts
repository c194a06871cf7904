/**
 * Document bodies as stored text: JSON with every `Date` as `{"$date": epochMs}`, so bodies keep the SDK's Date
 * fields through the store. Also the deep copy the store's and the reconciler's caches hand out.
 */

/**
 * A copy of `value` with every Date as `{"$date": epochMs}`, ready for a plain JSON.stringify (several times faster
 * than a replacer function, which JSON.stringify calls for every key). Containers without Dates are reused as is.
 */
function withDateMarkers(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Date) return {$date: value.getTime()}
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      const mapped = item !== null && typeof item === 'object' ? withDateMarkers(item) : item
      if (mapped !== item) (out ??= value.slice())[i] = mapped
    }
    return out ?? value
  }
  if (typeof (value as {toJSON?: unknown}).toJSON === 'function') return value
  let out: Record<string, unknown> | undefined
  const record = value as Record<string, unknown>
  for (const key in record) {
    const item = record[key]
    if (item === null || typeof item !== 'object') continue
    const mapped = withDateMarkers(item)
    if (mapped !== item) (out ??= {...record})[key] = mapped
  }
  return out ?? value
}

/** Turn `{"$date": ms}` objects back into Dates, in place (much faster than a JSON.parse reviver). */
function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      if (item !== null && typeof item === 'object') value[i] = reviveDates(item)
    }
    return value
  }
  const record = value as Record<string, unknown>
  if ('$date' in record && typeof record.$date === 'number' && Object.keys(record).length === 1)
    return new Date(record.$date)
  for (const key in record) {
    const item = record[key]
    if (item !== null && typeof item === 'object') record[key] = reviveDates(item)
  }
  return record
}

export function serializeBody(body: unknown): string {
  return JSON.stringify(withDateMarkers(body))
}

/**
 * Deep copy of a parsed document body (what `parseBody` returns: JSON values and Dates). Much cheaper than parsing
 * the text again; used to hand out cached documents without letting callers change the cache.
 */
export function cloneBody<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const out = new Array(value.length)
    for (let i = 0; i < value.length; i++) out[i] = cloneBody(value[i])
    return out as T
  }
  if (value instanceof Date) return new Date(value.getTime()) as T
  const out: Record<string, unknown> = {}
  const record = value as Record<string, unknown>
  for (const key in record) out[key] = cloneBody(record[key])
  return out as T
}

export function parseBody<T>(text: string): T {
  const parsed = JSON.parse(text) as unknown
  // Only documents that contain dates need the walk.
  return (parsed !== null && typeof parsed === 'object' && text.includes('"$date"') ? reviveDates(parsed) : parsed) as T
}
