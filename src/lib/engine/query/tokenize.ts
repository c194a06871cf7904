/**
 * Tokenizer of the cluster query language. Words are separated by whitespace, `( ) [ ] ,`, quotes and the
 * symbol operators (`== != >= <= =~ !~ > < && || !`), so `a==b` and `not(x)` tokenize as expected. A value that
 * contains any of those characters (e.g. a regex with a group) must be quoted with '…' or "…".
 */
import {EcsApiError} from '../errors.js'

export type TokenKind = 'word' | 'string' | 'symbol' | 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'comma' | 'end'

export interface Token {
  kind: TokenKind
  /** The text (without quotes for strings). */
  text: string
  /** 0-based offset of the token's first character. */
  position: number
}

/** Longest first. `!in` / `!exists` are recognised only when followed by a word boundary. */
const SYMBOLS = ['!exists', '!in', '==', '!=', '>=', '<=', '=~', '!~', '&&', '||', '>', '<', '!']
const PUNCTUATION: Record<string, TokenKind> = {
  '(': 'lparen',
  ')': 'rparen',
  '[': 'lbracket',
  ']': 'rbracket',
  ',': 'comma',
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r'
const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c)

export const queryError = (text: string, position: number, message: string): EcsApiError =>
  new EcsApiError(
    'InvalidParameterException',
    `Invalid query expression at position ${position + 1}: ${message} (in: ${text})`,
  )

function symbolAt(text: string, i: number): string | undefined {
  for (const symbol of SYMBOLS) {
    if (!text.startsWith(symbol, i)) continue
    if (
      (symbol === '!in' || symbol === '!exists') &&
      i + symbol.length < text.length &&
      isWordChar(text[i + symbol.length])
    )
      continue
    return symbol
  }
  return undefined
}

/** True when a bare word must stop before position i. */
function wordStopsAt(text: string, i: number): boolean {
  const c = text[i]
  if (isSpace(c) || c in PUNCTUATION || c === "'" || c === '"') return true
  if (c === '=' || c === '!' || c === '<' || c === '>') return true
  return (c === '&' && text[i + 1] === '&') || (c === '|' && text[i + 1] === '|')
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (isSpace(c)) {
      i++
      continue
    }
    const punctuation = PUNCTUATION[c]
    if (punctuation) {
      tokens.push({kind: punctuation, text: c, position: i})
      i++
      continue
    }
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1)
      if (close < 0) throw queryError(text, i, `unterminated quoted value; add the closing ${c}`)
      tokens.push({kind: 'string', text: text.slice(i + 1, close), position: i})
      i = close + 1
      continue
    }
    const symbol = symbolAt(text, i)
    if (symbol) {
      tokens.push({kind: 'symbol', text: symbol, position: i})
      i += symbol.length
      continue
    }
    if (c === '=') throw queryError(text, i, `unexpected '='; did you mean '==' or '=~'?`)
    const start = i
    while (i < text.length && !wordStopsAt(text, i)) i++
    tokens.push({kind: 'word', text: text.slice(start, i), position: start})
  }
  tokens.push({kind: 'end', text: '', position: text.length})
  return tokens
}
