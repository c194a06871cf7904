/**
 * AST of the ECS cluster query language (spec §5.7). Produced by `parseQuery`, consumed by `compileQuery` and
 * `printQuery`. Positions are 0-based character offsets into the source text.
 */

export type Subject =
  | {kind: 'agentConnected'}
  | {kind: 'agentVersion'}
  | {kind: 'ec2InstanceId'}
  | {kind: 'registeredAt'}
  | {kind: 'runningTasksCount'}
  | {kind: 'taskGroup'}
  | {kind: 'attribute'; name: string}

export type SubjectKind = Subject['kind']

/** Canonical operator names (symbol and word spellings map to these). */
export type Operator =
  'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'exists' | 'not_exists' | 'in' | 'not_in' | 'matches' | 'not_matches'

export interface AtomExpr {
  kind: 'atom'
  subject: Subject
  op: Operator
  /** The argument values: none for exists/not_exists, a list for in/not_in, exactly one otherwise. */
  values: string[]
  /** Where the atom starts and where its argument starts (for compile-time errors). */
  position: number
  argumentPosition: number
}

export type QueryExpr =
  | AtomExpr
  | {kind: 'and'; left: QueryExpr; right: QueryExpr}
  | {kind: 'or'; left: QueryExpr; right: QueryExpr}
  | {kind: 'not'; operand: QueryExpr}

/** Operator spellings accepted by the parser (case-insensitive for words). */
export const OPERATOR_SPELLINGS: Record<string, Operator> = {
  '==': 'eq',
  equals: 'eq',
  '!=': 'ne',
  not_equals: 'ne',
  '>': 'gt',
  greater_than: 'gt',
  '>=': 'ge',
  greater_than_equal: 'ge',
  '<': 'lt',
  less_than: 'lt',
  '<=': 'le',
  less_than_equal: 'le',
  exists: 'exists',
  '!exists': 'not_exists',
  not_exists: 'not_exists',
  in: 'in',
  '!in': 'not_in',
  not_in: 'not_in',
  '=~': 'matches',
  matches: 'matches',
  '!~': 'not_matches',
  not_matches: 'not_matches',
}

/** The symbol spelling of each operator (what the printer writes and error messages name). */
export const OPERATOR_SYMBOL: Record<Operator, string> = {
  eq: '==',
  ne: '!=',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
  exists: 'exists',
  not_exists: '!exists',
  in: 'in',
  not_in: 'not_in',
  matches: '=~',
  not_matches: '!~',
}

const ORDERING: Operator[] = ['gt', 'ge', 'lt', 'le']
const EQUALITY: Operator[] = ['eq', 'ne']
const LISTS: Operator[] = ['in', 'not_in']
const PATTERNS: Operator[] = ['matches', 'not_matches']
const PRESENCE: Operator[] = ['exists', 'not_exists']

/**
 * Operators each subject accepts. The fixed subjects follow the guide's table (§5.7); `attribute:` and
 * `task:group` have no list in the guide: attributes accept everything, task groups everything but ordering.
 */
export const SUBJECT_OPERATORS: Record<SubjectKind, readonly Operator[]> = {
  agentConnected: [...EQUALITY, ...LISTS, ...PATTERNS],
  agentVersion: [...EQUALITY, ...ORDERING],
  ec2InstanceId: [...EQUALITY, ...LISTS, ...PATTERNS],
  registeredAt: [...EQUALITY, ...ORDERING],
  runningTasksCount: [...EQUALITY, ...ORDERING],
  taskGroup: [...EQUALITY, ...LISTS, ...PATTERNS, ...PRESENCE],
  attribute: [...EQUALITY, ...ORDERING, ...LISTS, ...PATTERNS, ...PRESENCE],
}

export const subjectText = (subject: Subject): string => {
  switch (subject.kind) {
    case 'attribute':
      return `attribute:${subject.name}`
    case 'taskGroup':
      return 'task:group'
    default:
      return subject.kind
  }
}
