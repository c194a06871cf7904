import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {InputError} from '../../../src/lib/errors.js'
import {parseTags} from '../../../src/lib/workflows/tags.js'

describe('parseTags (--tags k=v,k=v)', () => {
  it('parses pairs in order, allowing empty values and "=" inside values', () => {
    expect(parseTags('team=web,env=prod')).toEqual([
      {key: 'team', value: 'web'},
      {key: 'env', value: 'prod'},
    ])
    expect(parseTags('empty=,eq=a=b')).toEqual([
      {key: 'empty', value: ''},
      {key: 'eq', value: 'a=b'},
    ])
  })

  it('returns undefined when the flag is absent', () => {
    expect(parseTags(undefined)).toBeUndefined()
  })

  it.each([['novalue'], ['a=1,,b=2'], ['=v'], ['a=1,b'], [''], ['a=1,a=2']])(
    "rejects %p with ecs-cli's message (exit 2)",
    (input) => {
      let err: unknown
      try {
        parseTags(input)
      } catch (error) {
        err = error
      }
      expect(err).toBeInstanceOf(InputError)
      expect((err as InputError).exitCode).toBe(2)
      expect((err as Error).message).toMatch(/^Tag input not formatted correctly: /)
    },
  )

  it('round-trips any list of distinct keys without "," or "=" and values without ","', () => {
    const key = fc.stringMatching(/^[A-Za-z0-9_.:/+@-]{1,20}$/)
    const value = fc.stringMatching(/^[A-Za-z0-9_.:/=+@ -]{0,20}$/)
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, value), {minLength: 1, maxLength: 8, selector: ([k]) => k.trim()}),
        (pairs) => {
          const clean = pairs.filter(([k]) => k.trim() === k)
          fc.pre(clean.length > 0)
          const text = clean.map(([k, v]) => `${k}=${v}`).join(',')
          expect(parseTags(text)).toEqual(clean.map(([k, v]) => ({key: k, value: v})))
        },
      ),
    )
  })
})
