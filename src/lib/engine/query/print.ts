/** Print a query AST back to text that `parseQuery` reads to an equivalent AST (used by tests and messages). */
import {OPERATOR_SYMBOL, subjectText} from './ast.js'
import type {QueryExpr} from './ast.js'

const BARE_VALUE = /^[A-Za-z0-9_.:*@/+-]+$/
const KEYWORDS = new Set(['and', 'or', 'not'])

/** A value as a token: bare when safe, else quoted with whichever quote it does not contain. */
export function printValue(value: string): string {
  if (BARE_VALUE.test(value) && !KEYWORDS.has(value.toLowerCase())) return value
  return value.includes("'") ? `"${value}"` : `'${value}'`
}

export function printQuery(expr: QueryExpr): string {
  switch (expr.kind) {
    case 'atom': {
      const head = `${subjectText(expr.subject)} ${OPERATOR_SYMBOL[expr.op]}`
      if (expr.op === 'exists' || expr.op === 'not_exists') return head
      if (expr.op === 'in' || expr.op === 'not_in') return `${head} [${expr.values.map(printValue).join(', ')}]`
      return `${head} ${printValue(expr.values[0])}`
    }
    case 'not':
      return `not(${printQuery(expr.operand)})`
    case 'and':
      return `(${printQuery(expr.left)} and ${printQuery(expr.right)})`
    case 'or':
      return `(${printQuery(expr.left)} or ${printQuery(expr.right)})`
  }
}
