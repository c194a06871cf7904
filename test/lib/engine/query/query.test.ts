import {describe, expect, it} from '@jest/globals'
import {isEcsApiError} from '../../../../src/lib/engine/errors.js'
import {compileQuery, evaluateQuery, parseQuery, printQuery} from '../../../../src/lib/engine/query/index.js'
import {candidate} from '../placement/fixtures.js'

/** The fixture fleet of spec §10 item 19. */
const fleet = {
  small: candidate({
    id: 'small',
    ec2InstanceId: 'i-abcd1234',
    instanceType: 't2.small',
    az: 'us-east-1a',
    agentVersion: '1.14.4',
    registeredAt: Date.parse('2018-02-12T10:00:00Z'),
    groups: {'service:production': 1},
  }),
  medium: candidate({
    id: 'medium',
    ec2InstanceId: 'i-wxyx7890',
    instanceType: 't2.medium',
    az: 'us-east-1b',
    agentVersion: '1.14.5',
    registeredAt: Date.parse('2018-02-13T00:00:00Z'),
    attributes: {stack: 'prod'},
    groups: {database: 2},
  }),
  g2: candidate({
    id: 'g2',
    ec2InstanceId: 'i-00000g2',
    instanceType: 'g2.2xlarge',
    az: 'us-east-1d',
    agentVersion: '1.20.0',
    registeredAt: Date.parse('2018-06-18T22:28:28Z'),
    attributes: {stack: 'dev', color: 'green'},
  }),
  p2: candidate({
    id: 'p2',
    ec2InstanceId: 'i-00000p2',
    instanceType: 'p2.xlarge',
    az: 'us-east-1c',
    agentVersion: '1.30.0',
    agentConnected: false,
    registeredAt: Date.parse('2019-01-01T00:00:00Z'),
    attributes: {color: 'greenish'},
  }),
}
type Name = keyof typeof fleet
const all = Object.keys(fleet) as Name[]

const select = (expression: string): Name[] => {
  const query = compileQuery(expression)
  return all.filter((name) => query.test(fleet[name]))
}

const parseError = (expression: string): Error => {
  try {
    parseQuery(expression)
  } catch (error) {
    return error as Error
  }
  throw new Error(`expected ${expression} to fail`)
}

describe('guide fixtures (spec §5.7)', () => {
  it.each<[string, Name[]]>([
    ['attribute:ecs.instance-type == t2.small', ['small']],
    ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', ['small', 'medium']],
    ['attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d', []],
    ['attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1a', ['g2']],
    ['task:group == service:production', ['small']],
    ['not(task:group == database)', ['small', 'g2', 'p2']],
    ['runningTasksCount == 1', ['small']],
    ['agentVersion < 1.14.5', ['small']],
    ['registeredAt < 2018-02-13', ['small']],
    ["ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", ['small', 'medium']],
    ['attribute:ecs.instance-type == g2.2xlarge', ['g2']],
    ['attribute:stack == prod', ['medium']],
    ['attribute:stack != prod', ['g2']],
    ['attribute:ecs.instance-type in [t2.small, t2.medium]', ['small', 'medium']],
    ['attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a', ['small']],
    ['attribute:color =~ green', ['g2']],
    ['attribute:ecs.instance-type == p2.xlarge', ['p2']],
  ])('%s', (expression, expected) => {
    expect(select(expression)).toEqual(expected)
  })
})

describe('operators in both spellings', () => {
  it.each<[string, string, Name[]]>([
    ['attribute:stack == prod', 'attribute:stack equals prod', ['medium']],
    ['attribute:stack != prod', 'attribute:stack not_equals prod', ['g2']],
    ['runningTasksCount > 1', 'runningTasksCount greater_than 1', ['medium']],
    ['runningTasksCount >= 1', 'runningTasksCount greater_than_equal 1', ['small', 'medium']],
    ['runningTasksCount < 1', 'runningTasksCount less_than 1', ['g2', 'p2']],
    ['runningTasksCount <= 1', 'runningTasksCount less_than_equal 1', ['small', 'g2', 'p2']],
    ['attribute:stack !exists', 'attribute:stack not_exists', ['small', 'p2']],
    ['attribute:stack !in [prod]', 'attribute:stack not_in [prod]', ['g2']],
    ['attribute:color =~ green.*', 'attribute:color matches green.*', ['g2', 'p2']],
    ['attribute:color !~ green', 'attribute:color not_matches green', ['p2']],
    [
      'agentConnected == true && attribute:stack exists',
      'agentConnected equals true and attribute:stack exists',
      ['medium', 'g2'],
    ],
    [
      'attribute:stack == prod || runningTasksCount == 1',
      'attribute:stack == prod or runningTasksCount == 1',
      ['small', 'medium'],
    ],
    ['!(runningTasksCount == 0)', 'not (runningTasksCount == 0)', ['small', 'medium']],
  ])('%s ≡ %s', (symbol, word, expected) => {
    expect(select(symbol)).toEqual(expected)
    expect(select(word)).toEqual(expected)
  })

  it('keywords and word operators are case-insensitive; spacing is optional around symbols', () => {
    expect(select('attribute:stack EQUALS prod OR NOT(runningTasksCount==0)')).toEqual(['small', 'medium'])
    expect(select('(attribute:stack==prod)&&(agentConnected!=false)')).toEqual(['medium'])
  })
})

describe('semantics', () => {
  it('a missing attribute fails ==, !=, in, not_in, =~, !~ and ordering; passes only !exists', () => {
    for (const expression of [
      'attribute:stack == x',
      'attribute:stack != x',
      'attribute:stack in [x]',
      'attribute:stack not_in [x]',
      'attribute:stack =~ .*',
      'attribute:stack !~ x',
      'attribute:stack > a',
      'attribute:stack <= z',
      'attribute:stack exists',
    ]) {
      expect(select(expression)).not.toContain('small')
    }
    expect(select('attribute:stack !exists')).toContain('small')
  })

  it('capability attributes exist without a value', () => {
    expect(select('attribute:ecs.capability.task-eni exists')).toEqual(all)
    expect(select("attribute:ecs.capability.task-eni == ''")).toEqual(all)
  })

  it('task:group: != and not_in are the negations of == and in; =~ looks at every group; exists = hosts any task', () => {
    expect(select('task:group != database')).toEqual(['small', 'g2', 'p2'])
    expect(select('task:group in [database, service:production]')).toEqual(['small', 'medium'])
    expect(select('task:group not_in [database, service:production]')).toEqual(['g2', 'p2'])
    expect(select('task:group =~ service:.*')).toEqual(['small'])
    expect(select('task:group !~ service:.*')).toEqual(['medium', 'g2', 'p2'])
    expect(select('task:group exists')).toEqual(['small', 'medium'])
    expect(select('task:group !exists')).toEqual(['g2', 'p2'])
  })

  it('agentVersion compares as versions, not text', () => {
    expect(select('agentVersion >= 1.14.5')).toEqual(['medium', 'g2', 'p2'])
    expect(select('agentVersion > 1.9')).toEqual(all)
    expect(select('agentVersion == 1.20')).toEqual(['g2'])
  })

  it('registeredAt accepts the four date forms, compared at the precision given', () => {
    expect(select('registeredAt == 2018-06-18')).toEqual(['g2'])
    expect(select('registeredAt == 2018-06-18T22:28:28Z')).toEqual(['g2'])
    expect(select('registeredAt == 2018-06-18T22:28:28')).toEqual(['g2'])
    expect(select('registeredAt == 2018-06-19T00:28:28+02:00')).toEqual(['g2'])
    expect(select('registeredAt >= 2018-02-13')).toEqual(['medium', 'g2', 'p2'])
    expect(select('registeredAt > 2018-06-18T22:28:27Z and registeredAt < 2018-12-31')).toEqual(['g2'])
  })

  it('agentConnected and ec2InstanceId', () => {
    expect(select('agentConnected == false')).toEqual(['p2'])
    expect(select('agentConnected in [true]')).toEqual(['small', 'medium', 'g2'])
    expect(select('ec2InstanceId =~ i-0+p2')).toEqual(['p2'])
    expect(select("ec2InstanceId != 'i-abcd1234'")).toEqual(['medium', 'g2', 'p2'])
  })

  it('=~ is a full match of a Java regex (inline flags, \\Q…\\E, possessive, POSIX classes)', () => {
    expect(select('attribute:color =~ gree')).toEqual([])
    expect(select("attribute:ecs.instance-type =~ '(?i)T2\\..*'")).toEqual(['small', 'medium'])
    expect(select("attribute:ecs.instance-type =~ '\\Qg2.2xlarge\\E'")).toEqual(['g2'])
    expect(select("attribute:ecs.instance-type =~ 't2.*+'")).toEqual(['small', 'medium'])
    expect(select("attribute:ecs.instance-type =~ '\\p{Alpha}\\p{Digit}\\..*'")).toEqual(all)
    expect(select("attribute:ecs.instance-type =~ '(t2|p2)\\.(small|xlarge)'")).toEqual(['small', 'p2'])
  })

  it('precedence: not > and > or; parentheses override', () => {
    expect(select('attribute:stack == prod or attribute:stack == dev and runningTasksCount == 1')).toEqual(['medium'])
    expect(select('(attribute:stack == prod or attribute:stack == dev) and runningTasksCount == 0')).toEqual(['g2'])
    expect(select('not attribute:stack == prod and attribute:stack exists')).toEqual(['g2'])
    expect(select('not (attribute:stack == prod and attribute:stack exists)')).toEqual(['small', 'g2', 'p2'])
  })

  it('evaluateQuery agrees with the compiled closure', () => {
    const expr = parseQuery('attribute:ecs.instance-type =~ t2.* and not(task:group == database)')
    expect(all.filter((n) => evaluateQuery(expr, fleet[n]))).toEqual(['small'])
  })

  it('task-dependent expressions are flagged (placement caches the rest forever)', () => {
    expect(compileQuery('task:group == x').dependsOnTasks).toBe(true)
    expect(compileQuery('attribute:a == b or runningTasksCount > 2').dependsOnTasks).toBe(true)
    expect(compileQuery('attribute:a == b and agentVersion > 1.0').dependsOnTasks).toBe(false)
  })

  it('printQuery round-trips', () => {
    const text = "not(attribute:stack in [prod, 'a b']) and (ec2InstanceId =~ 'i-(a|b)' or registeredAt < 2018-02-13)"
    expect(printQuery(parseQuery(printQuery(parseQuery(text))))).toBe(printQuery(parseQuery(text)))
  })
})

describe('errors name the position and what was expected', () => {
  it.each<[string, RegExp]>([
    ['', /position 1: the expression is empty/],
    ['attribute:stack', /position 16: expected an operator after 'attribute:stack'.*found the end of the expression/],
    ['attribute:stack == ', /position 20: expected a value, found the end/],
    ['colour == red', /position 1: unknown subject 'colour'/],
    ['attribute:stack in prod', /position 20: expected a list such as \[a, b\] after 'in'/],
    ['attribute:stack in [a b]', /position 23: expected ',' or '\]' in the list, found 'b'/],
    ['attribute:stack == [a]', /position 20: a list is only allowed after 'in' or 'not_in'/],
    ['(attribute:a == b', /position 18: expected '\)' to close the '\(' at position 1/],
    [
      'attribute:a == b attribute:c == d',
      /position 18: expected 'and', 'or' or the end of the expression, found 'attribute:c'/,
    ],
    ['attribute:a = b', /position 13: unexpected '='; did you mean '==' or '=~'\?/],
    ["attribute:a == 'b", /position 16: unterminated quoted value/],
    [
      'ec2InstanceId > i-1',
      /position 15: operator '>' cannot be used with 'ec2InstanceId'.*allowed: ==, !=, in, not_in, =~, !~/,
    ],
    ['registeredAt < yesterday', /position 16: expected a date such as/],
    ['registeredAt < 2018-02-30', /position 16: expected a date/],
    ['runningTasksCount == many', /position 22: runningTasksCount is compared with a whole number/],
    ['agentVersion > latest', /position 16: expected an agent version/],
    ['agentConnected == yes', /position 19: agentConnected is compared with true or false/],
    ["attribute:a =~ '(unclosed'", /position 16: invalid regular expression '\(unclosed'/],
    ["attribute:a =~ '\\q'", /invalid regular expression.*unknown escape \\q/],
    ['task:group > a', /operator '>' cannot be used with 'task:group'/],
    ['attribute:a == b and', /position 21: expected a subject/],
  ])('%s', (expression, message) => {
    const error = parseError(expression)
    expect(isEcsApiError(error)).toBe(true)
    expect(error.name).toBe('InvalidParameterException')
    expect(error.message).toMatch(message)
  })

  it('rejects expressions longer than 2000 characters', () => {
    expect(parseError(`attribute:a == ${'x'.repeat(2000)}`).message).toMatch(/longer than 2000/)
  })
})
