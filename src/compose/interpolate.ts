/**
 * Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
 * `${VAR?message}`, `${VAR:+replacement}`, `${VAR+replacement}`, `$$`; defaults may nest (`${A:-${B:-x}}`).
 */

export class InterpolationError extends Error {}

export type Lookup = (name: string) => string | undefined

export interface InterpolateOptions {
  lookup: Lookup
  /** Called for `$VAR`/`${VAR}` (no default) when VAR is unset; the result is "". */
  onUnset?: (name: string) => void
  /** Leave `$` that starts no valid reference as is (dotenv values) instead of failing. */
  lenient?: boolean
}

const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /[A-Za-z0-9_]/

export function interpolate(text: string, opts: InterpolateOptions): string {
  let dollar = text.indexOf('$')
  if (dollar < 0) return text
  let out = ''
  let from = 0
  while (dollar >= 0) {
    out += text.slice(from, dollar)
    const next = text[dollar + 1]
    if (next === '$') {
      out += '$'
      from = dollar + 2
    } else if (next === '{') {
      const end = matchingBrace(text, dollar + 2)
      if (end < 0) {
        if (opts.lenient) {
          out += text.slice(dollar)
          return out
        }
        throw new InterpolationError(`invalid interpolation format in ${JSON.stringify(text)}: "\${" is never closed`)
      }
      out += braced(text.slice(dollar + 2, end), text, opts)
      from = end + 1
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = dollar + 2
      while (j < text.length && NAME_CHAR.test(text[j])) j++
      out += value(text.slice(dollar + 1, j), opts)
      from = j
    } else {
      if (!opts.lenient) {
        throw new InterpolationError(
          `invalid interpolation format in ${JSON.stringify(text)}: a "$" must start $VAR or \${VAR}; write "$$" for a literal "$"`,
        )
      }
      out += '$'
      from = dollar + 1
    }
    dollar = text.indexOf('$', from)
  }
  return out + text.slice(from)
}

function matchingBrace(text: string, start: number): number {
  let depth = 1
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (c === '$' && text[i + 1] === '{') {
      depth++
      i++
    } else if (c === '$' && text[i + 1] === '$') {
      i++
    } else if (c === '}') {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

function value(name: string, opts: InterpolateOptions): string {
  const v = opts.lookup(name)
  if (v === undefined) {
    opts.onUnset?.(name)
    return ''
  }
  return v
}

function braced(content: string, whole: string, opts: InterpolateOptions): string {
  let n = 0
  while (n < content.length && (n === 0 ? NAME_START : NAME_CHAR).test(content[n])) n++
  if (n === 0) {
    if (opts.lenient) return `\${${content}}`
    throw new InterpolationError(
      `invalid interpolation format in ${JSON.stringify(whole)}: "\${${content}}" does not start with a variable name`,
    )
  }
  const name = content.slice(0, n)
  const rest = content.slice(n)
  if (rest === '') return value(name, opts)
  const v = opts.lookup(name)
  const colon = rest[0] === ':'
  const op = colon ? rest[1] : rest[0]
  const arg = rest.slice(colon ? 2 : 1)
  const missing = v === undefined || (colon && v === '')
  switch (op) {
    case '-':
      return missing ? interpolate(arg, opts) : (v as string)
    case '?':
      if (missing) {
        const msg = interpolate(arg, opts)
        throw new InterpolationError(`required variable ${name} is missing a value${msg ? `: ${msg}` : ''}`)
      }
      return v as string
    case '+':
      return missing ? '' : interpolate(arg, opts)
    default:
      if (opts.lenient) return `\${${content}}`
      throw new InterpolationError(
        `invalid interpolation format in ${JSON.stringify(whole)}: "\${${content}}"; valid forms are ` +
          '${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt}',
      )
  }
}

/**
 * Interpolate every string value (not keys) of a parsed YAML tree in place. `onUnset`/`onError` get the path of
 * the value so the caller can point at the file and line.
 */
export function interpolateTree(
  root: unknown,
  lookup: Lookup,
  onUnset: (name: string, path: (string | number)[]) => void,
  onError: (error: InterpolationError, path: (string | number)[]) => never,
): unknown {
  const trail: (string | number)[] = []
  const opts: InterpolateOptions = {lookup, onUnset: (name) => onUnset(name, [...trail])}
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.indexOf('$') < 0) return v
      try {
        return interpolate(v, opts)
      } catch (error) {
        if (error instanceof InterpolationError) onError(error, [...trail])
        throw error
      }
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        trail.push(i)
        v[i] = visit(v[i])
        trail.pop()
      }
      return v
    }
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>
      for (const k of Object.keys(o)) {
        trail.push(k)
        o[k] = visit(o[k])
        trail.pop()
      }
      return v
    }
    return v
  }
  return visit(root)
}
