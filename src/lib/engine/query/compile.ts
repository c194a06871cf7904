/**
 * Compile a query AST into a closure over a `PlacementCandidate`. Compiling once per expression and calling the
 * closure per instance is what placement and ListContainerInstances filters do.
 *
 * Semantics (spec §5.7, GK choices documented):
 * - `attribute:<name>`: an instance lacking the attribute fails every operator except `!exists` — including `!=`,
 *   `not_in` and `!~`. A capability attribute (present, no value) compares as the empty string.
 * - `task:group`: the set of groups with ≥1 non-stopped task on the instance. `==`/`in`/`=~` are true when some
 *   group matches; `!=`/`not_in`/`!~` are their exact negations (no group matches); `exists` = hosts any task.
 * - `agentVersion` compares as versions; `runningTasksCount` numerically; `registeredAt` at the precision of the
 *   argument (a date compares days, a date-time compares seconds).
 * - Ordering on attributes: numeric when both sides are numbers, then versions, then text.
 * - `=~` is a full match of the Java regex.
 */
import type {PlacementCandidate} from '../placement/types.js'
import type {AtomExpr, QueryExpr} from './ast.js'
import {javaRegexToJs} from './java-regex.js'
import {parseQuery} from './parse.js'
import {
  compareAttributeValues,
  compareVersions,
  parseCount,
  parseQueryDate,
  parseVersion,
  truncateTo,
} from './values.js'

export type QueryPredicate = (instance: PlacementCandidate) => boolean

export interface CompiledQuery {
  /** The source text (or the printed AST when compiled from one). */
  readonly text: string
  readonly test: QueryPredicate
  /** True when the result can change as tasks are placed or stopped (`task:group`, `runningTasksCount`). */
  readonly dependsOnTasks: boolean
}

type Compare = (a: number) => boolean

function ordering(op: AtomExpr['op'], rhs: number): Compare {
  switch (op) {
    case 'eq':
      return (a) => a === rhs
    case 'ne':
      return (a) => a !== rhs
    case 'gt':
      return (a) => a > rhs
    case 'ge':
      return (a) => a >= rhs
    case 'lt':
      return (a) => a < rhs
    case 'le':
      return (a) => a <= rhs
    default:
      throw new Error(`operator ${op} is not an ordering`)
  }
}

/** String operators shared by every textual subject. `value` undefined = the subject is absent. */
function textPredicate(
  atom: AtomExpr,
  compareOrdered: (a: string, b: string) => number,
): (value: string | undefined) => boolean {
  const [first] = atom.values
  switch (atom.op) {
    case 'exists':
      return (v) => v !== undefined
    case 'not_exists':
      return (v) => v === undefined
    case 'eq':
      return (v) => v === first
    case 'ne':
      return (v) => v !== undefined && v !== first
    case 'in': {
      const set = new Set(atom.values)
      return (v) => v !== undefined && set.has(v)
    }
    case 'not_in': {
      const set = new Set(atom.values)
      return (v) => v !== undefined && !set.has(v)
    }
    case 'matches': {
      const re = javaRegexToJs(first)
      return (v) => v !== undefined && re.test(v)
    }
    case 'not_matches': {
      const re = javaRegexToJs(first)
      return (v) => v !== undefined && !re.test(v)
    }
    default: {
      const compare = ordering(atom.op, 0)
      return (v) => v !== undefined && compare(compareOrdered(v, first))
    }
  }
}

/** task:group operators over the instance's groups (count > 0). */
function groupPredicate(atom: AtomExpr): QueryPredicate {
  const hosts = (instance: PlacementCandidate, group: string): boolean => (instance.taskGroups.get(group) ?? 0) > 0
  const anyGroup = (instance: PlacementCandidate, test: (group: string) => boolean): boolean => {
    for (const [group, count] of instance.taskGroups) if (count > 0 && test(group)) return true
    return false
  }
  const [first] = atom.values
  switch (atom.op) {
    case 'eq':
      return (i) => hosts(i, first)
    case 'ne':
      return (i) => !hosts(i, first)
    case 'in':
      return (i) => atom.values.some((g) => hosts(i, g))
    case 'not_in':
      return (i) => !atom.values.some((g) => hosts(i, g))
    case 'exists':
      return (i) => anyGroup(i, () => true)
    case 'not_exists':
      return (i) => !anyGroup(i, () => true)
    case 'matches': {
      const re = javaRegexToJs(first)
      return (i) => anyGroup(i, (g) => re.test(g))
    }
    case 'not_matches': {
      const re = javaRegexToJs(first)
      return (i) => !anyGroup(i, (g) => re.test(g))
    }
    default:
      throw new Error(`task:group does not support ${atom.op}`)
  }
}

function atomPredicate(atom: AtomExpr): QueryPredicate {
  const subject = atom.subject
  switch (subject.kind) {
    case 'attribute': {
      const name = subject.name
      const test = textPredicate(atom, compareAttributeValues)
      return (i) => test(i.attributes.has(name) ? (i.attributes.get(name) ?? '') : undefined)
    }
    case 'taskGroup':
      return groupPredicate(atom)
    case 'ec2InstanceId': {
      const test = textPredicate(atom, (a, b) => (a === b ? 0 : a < b ? -1 : 1))
      return (i) => test(i.ec2InstanceId)
    }
    case 'agentConnected': {
      const lowered = {...atom, values: atom.values.map((v) => v.toLowerCase())}
      const test = textPredicate(atom.op === 'matches' || atom.op === 'not_matches' ? atom : lowered, () => 0)
      return (i) => test(i.agentConnected ? 'true' : 'false')
    }
    case 'agentVersion': {
      const rhs = parseVersion(atom.values[0]) as number[]
      const compare = ordering(atom.op, 0)
      return (i) => {
        const version = parseVersion(i.agentVersion)
        return version !== undefined && compare(compareVersions(version, rhs))
      }
    }
    case 'registeredAt': {
      const date = parseQueryDate(atom.values[0])
      if (!date) throw new Error(`invalid date ${atom.values[0]}`)
      const compare = ordering(atom.op, date.epochMs)
      return (i) => compare(truncateTo(i.registeredAt, date.precision))
    }
    case 'runningTasksCount': {
      const compare = ordering(atom.op, parseCount(atom.values[0]) as number)
      return (i) => compare(i.runningTasksCount)
    }
  }
}

function build(expr: QueryExpr): {test: QueryPredicate; dependsOnTasks: boolean} {
  switch (expr.kind) {
    case 'atom':
      return {
        test: atomPredicate(expr),
        dependsOnTasks: expr.subject.kind === 'taskGroup' || expr.subject.kind === 'runningTasksCount',
      }
    case 'not': {
      const inner = build(expr.operand)
      const test = inner.test
      return {test: (i) => !test(i), dependsOnTasks: inner.dependsOnTasks}
    }
    case 'and': {
      const l = build(expr.left)
      const r = build(expr.right)
      const lt = l.test
      const rt = r.test
      return {test: (i) => lt(i) && rt(i), dependsOnTasks: l.dependsOnTasks || r.dependsOnTasks}
    }
    case 'or': {
      const l = build(expr.left)
      const r = build(expr.right)
      const lt = l.test
      const rt = r.test
      return {test: (i) => lt(i) || rt(i), dependsOnTasks: l.dependsOnTasks || r.dependsOnTasks}
    }
  }
}

/** Compile a parsed expression. */
export function compileExpr(expr: QueryExpr, text: string): CompiledQuery {
  const {test, dependsOnTasks} = build(expr)
  return {text, test, dependsOnTasks}
}

/** Parse and compile an expression (throws InvalidParameterException on bad input). */
export function compileQuery(text: string): CompiledQuery {
  return compileExpr(parseQuery(text), text)
}

/** Evaluate a parsed expression against one instance (compiles on each call; prefer `compileQuery` in loops). */
export function evaluateQuery(expr: QueryExpr, instance: PlacementCandidate): boolean {
  return build(expr).test(instance)
}
