import {describe, expect, it} from '@jest/globals'
import {javaRegexToJs, JavaRegexError, MAX_PATTERN_LENGTH} from '../../../../src/lib/engine/query/java-regex.js'

const full = (pattern: string, text: string) => javaRegexToJs(pattern).test(text)

describe('javaRegexToJs: Pattern.matches semantics', () => {
  it('matches the whole value, not a substring', () => {
    expect(full('t2.*', 't2.micro')).toBe(true)
    expect(full('t2', 't2.micro')).toBe(false)
    expect(full('a|b', 'a')).toBe(true)
    expect(full('a|b', 'ab')).toBe(false)
  })

  it('inline flags at the start', () => {
    expect(full('(?i)G2\\..*', 'g2.2xlarge')).toBe(true)
    expect(full('(?s)a.b', 'a\nb')).toBe(true)
    expect(full('a.b', 'a\nb')).toBe(false)
  })

  it('\\Q…\\E quotes, \\A/\\z anchors, atomic groups and possessive quantifiers', () => {
    expect(full('\\Qa.b*\\E', 'a.b*')).toBe(true)
    expect(full('\\Qa.b*\\E', 'axbb')).toBe(false)
    expect(full('\\Qopen-ended', 'open-ended')).toBe(true)
    expect(full('\\Aab\\z', 'ab')).toBe(true)
    expect(full('(?>ab|a)c', 'abc')).toBe(true)
    expect(full('a*+b', 'aaab')).toBe(true)
    expect(full('\\++', '+++')).toBe(true)
    expect(full('a{2}+b', 'aab')).toBe(true)
    expect(full('\\p{Digit}++', '123')).toBe(true)
  })

  it('POSIX classes, \\a and \\e', () => {
    expect(full('\\p{Alpha}+\\p{Digit}', 'abc1')).toBe(true)
    expect(full('[\\p{Upper}_]+', 'AB_C')).toBe(true)
    expect(full('\\P{Digit}+', 'abc')).toBe(true)
    expect(full('\\a\\e', '\x07\x1B')).toBe(true)
  })

  it('character classes keep their brackets and a leading ]', () => {
    expect(full('[]a]+', ']a]')).toBe(true)
    expect(full('[^/]+/x', 'abc/x')).toBe(true)
    expect(full('a/b', 'a/b')).toBe(true)
  })

  it.each([
    ['(unclosed', /Unterminated group|unterminated/i],
    ['[abc', /unclosed character class/],
    ['abc\\', /lone backslash/],
    ['\\q', /unknown escape \\q/],
    ['\\h+', /\\h is not supported/],
    ['\\x{41}', /\\x\{…\} is not supported/],
    ['\\p{Emoji}', /unsupported character class/],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1), /longer than/],
  ])('rejects %s', (pattern, message) => {
    expect(() => javaRegexToJs(pattern)).toThrow(JavaRegexError)
    expect(() => javaRegexToJs(pattern)).toThrow(message)
  })
})
