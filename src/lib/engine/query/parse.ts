/**
 * Recursive-descent parser of the cluster query language (spec §5.7):
 *   expr = or ; or = and {("or"|"||") and} ; and = unary {("and"|"&&") unary} ;
 *   unary = ("not"|"!") unary | "(" expr ")" | atom ; atom = subject (unaryOp | binOp argument) ;
 * Precedence: not > and > or. Keywords and word operators are case-insensitive. Errors are
 * `InvalidParameterException`s naming the 1-based position and what was expected. Arguments are validated here
 * (dates, versions, counts, booleans, regular expressions), so a parsed expression always compiles.
 */
import {OPERATOR_SPELLINGS, OPERATOR_SYMBOL, SUBJECT_OPERATORS, subjectText} from './ast.js'
import type {AtomExpr, Operator, QueryExpr, Subject} from './ast.js'
import {JavaRegexError, javaRegexToJs} from './java-regex.js'
import {queryError, tokenize} from './tokenize.js'
import type {Token} from './tokenize.js'
import {parseCount, parseQueryDate, parseVersion} from './values.js'

/** Longest accepted expression (ECS caps constraint expressions at 2000 characters). */
export const MAX_QUERY_LENGTH = 2000

const FIXED_SUBJECTS: Record<string, Subject> = {
  agentconnected: {kind: 'agentConnected'},
  agentversion: {kind: 'agentVersion'},
  ec2instanceid: {kind: 'ec2InstanceId'},
  registeredat: {kind: 'registeredAt'},
  runningtaskscount: {kind: 'runningTasksCount'},
  'task:group': {kind: 'taskGroup'},
}

const SUBJECT_LIST =
  'agentConnected, agentVersion, attribute:<name>, ec2InstanceId, registeredAt, runningTasksCount or task:group'

const describe = (token: Token): string => (token.kind === 'end' ? 'the end of the expression' : `'${token.text}'`)

class Parser {
  private index = 0
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): QueryExpr {
    if (this.peek().kind === 'end')
      throw queryError(
        this.text,
        0,
        'the expression is empty; expected an expression such as attribute:ecs.instance-type == t2.micro',
      )
    const expr = this.parseOr()
    const next = this.peek()
    if (next.kind !== 'end')
      throw this.error(next, `expected 'and', 'or' or the end of the expression, found ${describe(next)}`)
    return expr
  }

  private peek(): Token {
    return this.tokens[this.index]
  }

  private next(): Token {
    return this.tokens[this.index++]
  }

  private error(token: Token, message: string) {
    return queryError(this.text, token.position, message)
  }

  private isKeyword(token: Token, words: string[], symbols: string[]): boolean {
    if (token.kind === 'word') return words.includes(token.text.toLowerCase())
    return token.kind === 'symbol' && symbols.includes(token.text)
  }

  private parseOr(): QueryExpr {
    let left = this.parseAnd()
    while (this.isKeyword(this.peek(), ['or'], ['||'])) {
      this.next()
      left = {kind: 'or', left, right: this.parseAnd()}
    }
    return left
  }

  private parseAnd(): QueryExpr {
    let left = this.parseUnary()
    while (this.isKeyword(this.peek(), ['and'], ['&&'])) {
      this.next()
      left = {kind: 'and', left, right: this.parseUnary()}
    }
    return left
  }

  private parseUnary(): QueryExpr {
    const token = this.peek()
    if (this.isKeyword(token, ['not'], ['!'])) {
      this.next()
      return {kind: 'not', operand: this.parseUnary()}
    }
    if (token.kind === 'lparen') {
      this.next()
      const inner = this.parseOr()
      const close = this.next()
      if (close.kind !== 'rparen')
        throw this.error(
          close,
          `expected ')' to close the '(' at position ${token.position + 1}, found ${describe(close)}`,
        )
      return inner
    }
    return this.parseAtom()
  }

  private parseSubject(): Subject {
    const token = this.next()
    if (token.kind !== 'word') throw this.error(token, `expected a subject (${SUBJECT_LIST}), found ${describe(token)}`)
    const lower = token.text.toLowerCase()
    const fixed = FIXED_SUBJECTS[lower]
    if (fixed) return fixed
    if (lower.startsWith('attribute:')) {
      const name = token.text.slice('attribute:'.length)
      if (!/^[A-Za-z0-9_.\-/:@]+$/.test(name))
        throw this.error(token, `expected an attribute name after 'attribute:', found '${name}'`)
      return {kind: 'attribute', name}
    }
    throw this.error(token, `unknown subject '${token.text}'; expected ${SUBJECT_LIST}`)
  }

  private parseOperator(subject: Subject, subjectToken: Token): {op: Operator; token: Token} {
    const token = this.next()
    const spelling = token.kind === 'symbol' ? token.text : token.kind === 'word' ? token.text.toLowerCase() : undefined
    const op = spelling === undefined ? undefined : OPERATOR_SPELLINGS[spelling]
    if (!op)
      throw this.error(
        token,
        `expected an operator after '${subjectText(subject)}' ` +
          `(==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ or their word forms), found ${describe(token)}`,
      )
    const allowed = SUBJECT_OPERATORS[subject.kind]
    if (!allowed.includes(op)) {
      throw this.error(
        token,
        `operator '${token.text}' cannot be used with '${subjectText(subject)}' (at position ${subjectToken.position + 1}); ` +
          `allowed: ${allowed.map((o) => OPERATOR_SYMBOL[o]).join(', ')}`,
      )
    }
    return {op, token}
  }

  private parseValue(): Token {
    const token = this.next()
    if (token.kind === 'string') return token
    if (token.kind === 'word' && !this.isKeyword(token, ['and', 'or', 'not'], [])) return token
    throw this.error(
      token,
      `expected a value, found ${describe(token)} (quote values that contain spaces, ( ) [ ] , = ! < > or a keyword: 'like this')`,
    )
  }

  private parseArgument(op: Operator): {values: string[]; tokens: Token[]; position: number} {
    if (op === 'exists' || op === 'not_exists') return {values: [], tokens: [], position: this.peek().position}
    const first = this.peek()
    if (op === 'in' || op === 'not_in') {
      if (first.kind !== 'lbracket')
        throw this.error(
          first,
          `expected a list such as [a, b] after '${OPERATOR_SYMBOL[op]}', found ${describe(first)}`,
        )
      this.next()
      const tokens = [this.parseValue()]
      for (;;) {
        const separator = this.next()
        if (separator.kind === 'rbracket') break
        if (separator.kind !== 'comma')
          throw this.error(separator, `expected ',' or ']' in the list, found ${describe(separator)}`)
        tokens.push(this.parseValue())
      }
      return {values: tokens.map((t) => t.text), tokens, position: first.position}
    }
    if (first.kind === 'lbracket')
      throw this.error(
        first,
        `a list is only allowed after 'in' or 'not_in'; expected a single value after '${OPERATOR_SYMBOL[op]}'`,
      )
    const token = this.parseValue()
    return {values: [token.text], tokens: [token], position: token.position}
  }

  private parseAtom(): AtomExpr {
    const subjectToken = this.peek()
    const subject = this.parseSubject()
    const {op} = this.parseOperator(subject, subjectToken)
    const argument = this.parseArgument(op)
    this.validateArgument(subject, op, argument.tokens)
    return {
      kind: 'atom',
      subject,
      op,
      values: argument.values,
      position: subjectToken.position,
      argumentPosition: argument.position,
    }
  }

  private validateArgument(subject: Subject, op: Operator, tokens: Token[]): void {
    for (const token of tokens) {
      const value = token.text
      if (op === 'matches' || op === 'not_matches') {
        try {
          javaRegexToJs(value)
        } catch (error) {
          if (error instanceof JavaRegexError)
            throw this.error(token, `invalid regular expression '${value}': ${error.message}`)
          throw error
        }
        continue
      }
      switch (subject.kind) {
        case 'agentConnected':
          if (!/^(true|false)$/i.test(value))
            throw this.error(token, `agentConnected is compared with true or false, found '${value}'`)
          break
        case 'agentVersion':
          if (!parseVersion(value))
            throw this.error(token, `expected an agent version such as 1.14.5, found '${value}'`)
          break
        case 'registeredAt':
          if (!parseQueryDate(value))
            throw this.error(
              token,
              'expected a date such as 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18, ' +
                `found '${value}'`,
            )
          break
        case 'runningTasksCount':
          if (parseCount(value) === undefined)
            throw this.error(token, `runningTasksCount is compared with a whole number, found '${value}'`)
          break
        default:
          break
      }
    }
  }
}

/** Parse a cluster query expression. Throws `EcsApiError('InvalidParameterException')` on any error. */
export function parseQuery(text: string): QueryExpr {
  if (typeof text !== 'string') throw queryError(String(text), 0, 'the expression must be a string')
  if (text.length > MAX_QUERY_LENGTH)
    throw queryError(
      text.slice(0, 80) + '…',
      MAX_QUERY_LENGTH,
      `the expression is longer than ${MAX_QUERY_LENGTH} characters`,
    )
  return new Parser(text, tokenize(text)).parse()
}
