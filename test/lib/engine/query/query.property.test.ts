import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'
import {isEcsApiError} from '../../../../src/lib/engine/errors.js'
import {compileExpr, compileQuery, parseQuery, printQuery} from '../../../../src/lib/engine/query/index.js'
import type {Operator, QueryExpr, Subject} from '../../../../src/lib/engine/query/index.js'
import {candidate} from '../placement/fixtures.js'

const fleet = [
  candidate({
    instanceType: 't2.small',
    az: 'us-east-1a',
    agentVersion: '1.14.4',
    registeredAt: Date.parse('2018-02-12T10:00:00Z'),
    groups: {'service:web': 1},
    attributes: {stack: 'prod'},
  }),
  candidate({
    instanceType: 't2.medium',
    az: 'us-east-1b',
    agentVersion: '1.14.5',
    registeredAt: Date.parse('2018-02-13T00:00:00Z'),
    groups: {db: 2},
    attributes: {stack: 'a b', n: '10'},
  }),
  candidate({
    instanceType: 'g2.2xlarge',
    az: 'us-east-1d',
    agentVersion: '1.20.0',
    agentConnected: false,
    attributes: {n: '9', color: 'green'},
  }),
  candidate({
    instanceType: 'p2.xlarge',
    az: 'us-east-1c',
    agentVersion: '1.30.0',
    registeredAt: Date.parse('2019-01-01T00:00:00Z'),
  }),
]

const textValue = fc.constantFrom(
  'prod',
  'a b',
  'x,y',
  't2.small',
  'us-east-1a',
  '10',
  '9',
  'green',
  "it's",
  'and',
  'OR',
  'service:web',
  'db',
  '',
)
const pattern = fc.constantFrom(
  't2.*',
  'g.*',
  '(a|b).*',
  'green',
  '.*',
  '[a-z]+',
  'us-east-1[ab]',
  'service:.*',
  '\\Q.\\E',
)
const version = fc.constantFrom('1.14.5', '1.14', '1.20.0', 'v1.9', '2')
const date = fc.constantFrom('2018-02-13', '2018-06-18T22:28:28Z', '2018-06-18T22:28:28', '2018-06-18T22:28:28+02:00')
const count = fc.constantFrom('0', '1', '2', '10')

const ops = (...list: Operator[]) => fc.constantFrom(...list)

function atomArb(): fc.Arbitrary<QueryExpr> {
  const make = (subject: Subject, op: fc.Arbitrary<Operator>, value: fc.Arbitrary<string>) =>
    fc.tuple(op, fc.array(value, {minLength: 1, maxLength: 3}), pattern).map(([o, values, p]): QueryExpr => ({
      kind: 'atom',
      subject,
      op: o,
      position: 0,
      argumentPosition: 0,
      values:
        o === 'exists' || o === 'not_exists'
          ? []
          : o === 'in' || o === 'not_in'
            ? values
            : o === 'matches' || o === 'not_matches'
              ? [p]
              : [values[0]],
    }))
  const attributeName = fc.constantFrom('stack', 'n', 'color', 'ecs.instance-type', 'ecs.availability-zone', 'missing')
  return fc.oneof(
    attributeName.chain((name) =>
      make(
        {kind: 'attribute', name},
        ops('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'exists', 'not_exists', 'in', 'not_in', 'matches', 'not_matches'),
        textValue,
      ),
    ),
    make(
      {kind: 'taskGroup'},
      ops('eq', 'ne', 'in', 'not_in', 'matches', 'not_matches', 'exists', 'not_exists'),
      fc.constantFrom('service:web', 'db', 'x'),
    ),
    make({kind: 'agentVersion'}, ops('eq', 'ne', 'gt', 'ge', 'lt', 'le'), version),
    make({kind: 'registeredAt'}, ops('eq', 'ne', 'gt', 'ge', 'lt', 'le'), date),
    make({kind: 'runningTasksCount'}, ops('eq', 'ne', 'gt', 'ge', 'lt', 'le'), count),
    make({kind: 'agentConnected'}, ops('eq', 'ne', 'in', 'not_in'), fc.constantFrom('true', 'false', 'TRUE')),
    make({kind: 'ec2InstanceId'}, ops('eq', 'ne', 'in', 'not_in', 'matches'), fc.constantFrom('i-1', 'i-00000001')),
  )
}

const exprArb: fc.Arbitrary<QueryExpr> = fc.letrec<{expr: QueryExpr}>((tie) => ({
  expr: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    atomArb(),
    fc.record({kind: fc.constant('not' as const), operand: tie('expr')}),
    fc.record({kind: fc.constant('and' as const), left: tie('expr'), right: tie('expr')}),
    fc.record({kind: fc.constant('or' as const), left: tie('expr'), right: tie('expr')}),
  ) as fc.Arbitrary<QueryExpr>,
})).expr

/** Reference semantics by structure, independent of the printer and parser. */
const evaluate = (expr: QueryExpr, i: number): boolean => compileExpr(expr, '').test(fleet[i])

describe('query language properties', () => {
  it('print → parse preserves meaning on every fleet instance, and printing is a fixed point', () => {
    fc.assert(
      fc.property(exprArb, (expr) => {
        const text = printQuery(expr)
        const reparsed = parseQuery(text)
        expect(printQuery(reparsed)).toBe(text)
        const compiled = compileQuery(text)
        for (let i = 0; i < fleet.length; i++) expect(compiled.test(fleet[i])).toBe(evaluate(expr, i))
      }),
      {numRuns: 500},
    )
  })

  it('not/and/or follow boolean algebra', () => {
    fc.assert(
      fc.property(exprArb, exprArb, (a, b) => {
        for (let i = 0; i < fleet.length; i++) {
          expect(evaluate({kind: 'not', operand: a}, i)).toBe(!evaluate(a, i))
          expect(evaluate({kind: 'and', left: a, right: b}, i)).toBe(evaluate(a, i) && evaluate(b, i))
          expect(evaluate({kind: 'or', left: a, right: b}, i)).toBe(evaluate(a, i) || evaluate(b, i))
        }
      }),
      {numRuns: 200},
    )
  })

  const fragments = fc.constantFrom(
    'attribute:',
    'stack',
    'task:group',
    'agentVersion',
    'registeredAt',
    '==',
    '!=',
    '=~',
    '!~',
    '!',
    'not',
    'and',
    '&&',
    '||',
    'or',
    '(',
    ')',
    '[',
    ']',
    ',',
    "'",
    '"',
    ' ',
    'in',
    '!in',
    'exists',
    '!exists',
    '>',
    '<=',
    '=',
    'x',
    '1.2',
    '2018-01-01',
    '.*',
    '(?',
    '\\',
    '{',
    '}',
  )

  it('garbage never throws anything but InvalidParameterException, and what parses evaluates', () => {
    const check = (text: string) => {
      try {
        const query = compileQuery(text)
        for (const instance of fleet) query.test(instance)
      } catch (error) {
        expect(isEcsApiError(error)).toBe(true)
        expect((error as Error).name).toBe('InvalidParameterException')
      }
    }
    fc.assert(fc.property(fc.string({maxLength: 60}), check), {numRuns: 1000})
    fc.assert(
      fc.property(
        fc.array(fragments, {maxLength: 14}).map((parts) => parts.join('')),
        check,
      ),
      {numRuns: 2000},
    )
    fc.assert(
      fc.property(
        fc.array(fragments, {maxLength: 14}).map((parts) => parts.join(' ')),
        check,
      ),
      {numRuns: 2000},
    )
  })
})
