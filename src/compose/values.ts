/** Plain-value helpers shared by the loader and the translator (values as `yaml` hands them over). */

export type Dict = Record<string, unknown>

export function isDict(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Scalar → string as Compose does for environment values and labels. */
export function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return undefined
}
