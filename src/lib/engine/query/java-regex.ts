/**
 * Translate a `java.util.regex.Pattern` (what ECS evaluates for `=~` / `matches`) into a JavaScript RegExp with
 * full-match semantics (`Pattern.matches`). Handled: leading inline flags `(?i)` `(?s)` `(?m)` `(?x)`-less
 * combos, `\Q…\E` literal quoting, `\A` `\z` `\Z` anchors, atomic groups `(?>…)` and possessive quantifiers
 * (`*+ ++ ?+ }+`, translated to their greedy forms — same result for a full match in all but pathological cases),
 * and Java's POSIX classes `\p{Alpha}` etc. Java rejects a backslash before a letter that is not an escape; so do
 * we. Anything JavaScript cannot compile is an error. Patterns are capped in length so one expression cannot be
 * used to make placement slow.
 */
export const MAX_PATTERN_LENGTH = 1024

/** Escapes before a letter or digit that Java accepts and JavaScript reads the same way (or that are translated). */
const JAVA_LETTER_ESCAPES = new Set('tnrfaedDsSwWbBAZzQEpPxuck0123456789'.split(''))
/** Java escapes JavaScript has no equivalent for: rejected rather than silently meaning something else. */
const UNSUPPORTED_ESCAPES = new Set('hHvVRXGN'.split(''))
const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
}

export class JavaRegexError extends Error {}

const escapeLiteral = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')

/** Leading inline flags `(?imsux)`: i, s and m become RegExp flags (u and x are accepted and have no effect). */
function leadingFlags(pattern: string): {flags: string; body: string} {
  let flags = ''
  const inline = /^\(\?([imsux]+)\)/.exec(pattern)
  if (!inline) return {flags, body: pattern}
  for (const f of inline[1]) {
    if (f === 'i' && !flags.includes('i')) flags += 'i'
    else if (f === 's' && !flags.includes('s')) flags += 's'
    else if (f === 'm' && !flags.includes('m')) flags += 'm'
  }
  return {flags, body: pattern.slice(inline[0].length)}
}

/** The escape at `body[i]` (a backslash) in JavaScript, and the index of the escape's last character. */
function translateEscape(body: string, i: number, inClass: boolean): {text: string; end: number} {
  const next = body[i + 1]
  if (next === undefined) throw new JavaRegexError('pattern ends with a lone backslash')
  if (UNSUPPORTED_ESCAPES.has(next)) throw new JavaRegexError(`the escape \\${next} is not supported`)
  if (/[A-Za-z]/.test(next) && !JAVA_LETTER_ESCAPES.has(next)) throw new JavaRegexError(`unknown escape \\${next}`)
  if (next === 'x' && body[i + 2] === '{') throw new JavaRegexError('the escape \\x{…} is not supported; use \\uXXXX')
  if (next === 'a' || next === 'e') return {text: next === 'a' ? '\\x07' : '\\x1B', end: i + 1}
  if (next === 'Q') {
    const end = body.indexOf('\\E', i + 2)
    const literal = end < 0 ? body.slice(i + 2) : body.slice(i + 2, end)
    return {text: escapeLiteral(literal), end: end < 0 ? body.length : end + 1}
  }
  if (next === 'E') return {text: '', end: i + 1}
  if (!inClass && next === 'A') return {text: '^', end: i + 1}
  if (!inClass && (next === 'z' || next === 'Z')) return {text: '$', end: i + 1}
  if ((next === 'p' || next === 'P') && body[i + 2] === '{') {
    const close = body.indexOf('}', i + 3)
    const name = close < 0 ? '' : body.slice(i + 3, close)
    const range = POSIX_CLASSES[name.replace(/^Is/, '')]
    if (!range) throw new JavaRegexError(`unsupported character class \\${next}{${name}}`)
    return {text: inClass ? range : next === 'p' ? `[${range}]` : `[^${range}]`, end: close}
  }
  return {text: '\\' + next, end: i + 1}
}

export function javaRegexToJs(pattern: string): RegExp {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new JavaRegexError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`)
  const {flags, body} = leadingFlags(pattern)
  let out = ''
  let inClass = false
  /** The previous token was an (unescaped) quantifier, so a following `+` makes it possessive. */
  let afterQuantifier = false
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c === '\\' || inClass || c === '[' || c === '(') afterQuantifier = false
    if (c === '\\') {
      const escape = translateEscape(body, i, inClass)
      out += escape.text
      i = escape.end
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      out += c
      continue
    }
    if (c === '[') {
      inClass = true
      out += c
      if (body[i + 1] === '^') {
        out += '^'
        i++
      }
      if (body[i + 1] === ']') {
        out += '\\]'
        i++
      }
      continue
    }
    if (c === '(' && body.startsWith('(?>', i)) {
      out += '(?:'
      i += 2
      continue
    }
    if (c === '+' && afterQuantifier) {
      // possessive quantifier (x*+, x++, x?+, x{n}+): JavaScript has none; the greedy form is kept
      afterQuantifier = false
      continue
    }
    afterQuantifier = c === '*' || c === '+' || c === '?' || c === '}'
    if (c === '/') {
      out += '\\/'
      continue
    }
    out += c
  }
  if (inClass) throw new JavaRegexError('unclosed character class')
  try {
    return new RegExp(`^(?:${out})$`, flags)
  } catch (error) {
    throw new JavaRegexError((error as Error).message.replace(/^Invalid regular expression: /, ''))
  }
}
