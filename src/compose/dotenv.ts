/**
 * `.env` and `env_file` parsing as Docker Compose does it: `KEY=value`, `export KEY=value`, `#` comments (whole
 * line, or after whitespace in an unquoted value), single quotes literal, double quotes with escapes (\n \t \r \\
 * \" \$) spanning lines, `${VAR}` expansion in unquoted and double-quoted values (earlier keys of the same file
 * first, then `lookup`). A bare `KEY` takes its value from `lookup` and is dropped when unset.
 * Quotes are never kept in the value.
 */
import {ComposeError} from './errors.js'
import {InterpolationError, interpolate, type Lookup} from './interpolate.js'

export interface DotenvEntry {
  name: string
  value: string
  line: number
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/

export function parseDotenv(text: string, file: string, lookup: Lookup): DotenvEntry[] {
  const entries: DotenvEntry[] = []
  const own = new Map<string, string>()
  const scoped: Lookup = (name) => (own.has(name) ? own.get(name) : lookup(name))
  const src = text.replace(/\r\n?/g, '\n')
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  const fail = (msg: string, at: number): never => {
    throw new ComposeError(msg, {file, line: at})
  }
  while (pos < src.length) {
    const eol = src.indexOf('\n', pos)
    const lineEnd = eol < 0 ? src.length : eol
    const raw = src.slice(pos, lineEnd)
    const startLine = line
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) {
      pos = lineEnd + 1
      line++
      continue
    }
    let body = raw.replace(/^\s+/, '')
    if (/^export\s+/.test(body)) body = body.replace(/^export\s+/, '')
    const eq = body.search(/[=:]/)
    const keyPart = (eq < 0 ? body : body.slice(0, eq)).trim()
    if (eq < 0) {
      const name = keyPart.replace(/\s+#.*$/, '')
      if (!KEY_RE.test(name)) fail(`invalid line ${JSON.stringify(trimmed)}: expected KEY=value`, startLine)
      const v = lookup(name)
      if (v !== undefined) {
        entries.push({name, value: v, line: startLine})
        own.set(name, v)
      }
      pos = lineEnd + 1
      line++
      continue
    }
    if (!KEY_RE.test(keyPart))
      fail(
        `invalid variable name ${JSON.stringify(keyPart)}: names are letters, digits, "_", "." and "-", not starting with a digit`,
        startLine,
      )
    // value starts after the separator, in the whole remaining text (quoted values may span lines)
    const valueStart = pos + (raw.length - body.length) + eq + 1
    let i = valueStart
    while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++
    const quote = src[i]
    const read =
      quote === "'" || quote === '"'
        ? quotedValue(src, i, keyPart, {scoped, file, fail, startLine, line, pos})
        : {value: expand(unquoted(src.slice(i, lineEnd)), scoped, file, startLine), after: lineEnd}
    const {value, after} = read
    entries.push({name: keyPart, value, line: startLine})
    own.set(keyPart, value)
    line += countNewlines(src, pos, after) + 1
    pos = after + 1
  }
  return entries
}

interface ValueContext {
  scoped: Lookup
  file: string
  fail: (msg: string, at: number) => never
  startLine: number
  /** Line and offset where the entry starts. */
  line: number
  pos: number
}

/** A value in quotes from `i` (the opening quote): single quotes literal, double quotes with escapes and `${VAR}`. */
function quotedValue(src: string, i: number, keyPart: string, c: ValueContext): {value: string; after: number} {
  const quote = src[i]
  let j = i + 1
  let buf = ''
  let closed = false
  while (j < src.length) {
    const ch = src[j]
    if (ch === quote) {
      closed = true
      break
    }
    if (quote === '"' && ch === '\\' && j + 1 < src.length) {
      buf += escapedChar(src[j + 1])
      j += 2
      continue
    }
    buf += quote === '"' && ch === '$' && src[j + 1] === '$' ? '$$' : ch
    if (quote === '"' && ch === '$' && src[j + 1] === '$') j++
    j++
  }
  if (!closed) c.fail(`unterminated ${quote === '"' ? 'double' : 'single'} quote for ${keyPart}`, c.startLine)
  const value = quote === "'" ? buf : expand(buf, c.scoped, c.file, c.startLine)
  const after = j + 1
  const restEnd = src.indexOf('\n', after)
  const rest = src.slice(after, restEnd < 0 ? src.length : restEnd)
  if (rest.trim() !== '' && !/^\s+#/.test(rest) && !rest.trim().startsWith('#')) {
    c.fail(
      `unexpected text after the closing quote of ${keyPart}: ${JSON.stringify(rest.trim())}`,
      c.line + countNewlines(src, c.pos, after),
    )
  }
  return {value, after: restEnd < 0 ? src.length : restEnd}
}

/** The escape after a backslash in double quotes (`\$` stays `$$` so interpolation keeps it literal). */
function escapedChar(e: string): string {
  switch (e) {
    case 'n':
      return '\n'
    case 't':
      return '\t'
    case 'r':
      return '\r'
    case '"':
    case '\\':
      return e
    case '$':
      return '$$'
    default:
      return `\\${e}`
  }
}

/** An unquoted value: up to a ` #` comment, trimmed. */
function unquoted(v: string): string {
  const hash = v.search(/\s#/)
  if (hash >= 0) v = v.slice(0, hash)
  else if (v.startsWith('#')) v = ''
  return v.trim()
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++
  return n
}

function expand(text: string, lookup: Lookup, file: string, line: number): string {
  try {
    return interpolate(text, {lookup, lenient: true})
  } catch (error) {
    if (error instanceof InterpolationError) throw new ComposeError(error.message, {file, line})
    throw error
  }
}
