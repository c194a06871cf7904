import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {utilisationBar} from '../../../src/lib/ui/bar.js'

describe('utilisationBar', () => {
  it('fills the used share in eighths of a cell and shades the rest', () => {
    expect(utilisationBar(0)).toBe('░░░░░░░░░░')
    expect(utilisationBar(1)).toBe('██████████')
    expect(utilisationBar(0.5)).toBe('█████░░░░░')
    expect(utilisationBar(0.25)).toBe('██▌░░░░░░░')
    expect(utilisationBar(0.01)).toBe('▏░░░░░░░░░')
    expect(utilisationBar(0.5, 4)).toBe('██░░')
  })

  it('clamps out-of-range and non-finite shares', () => {
    expect(utilisationBar(-1)).toBe('░░░░░░░░░░')
    expect(utilisationBar(3)).toBe('██████████')
    expect(utilisationBar(Number.NaN)).toBe('░░░░░░░░░░')
  })

  it('is always exactly `cells` characters and never shrinks as the share grows (property)', () => {
    const level = (bar: string) => [...bar].reduce((n, ch) => n + ('▏▎▍▌▋▊▉█'.indexOf(ch) + 1), 0)
    fc.assert(
      fc.property(
        fc.double({min: 0, max: 1, noNaN: true}),
        fc.double({min: 0, max: 1, noNaN: true}),
        fc.integer({min: 1, max: 40}),
        (a, b, cells) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a]
          expect([...utilisationBar(lo, cells)]).toHaveLength(cells)
          expect(level(utilisationBar(lo, cells))).toBeLessThanOrEqual(level(utilisationBar(hi, cells)))
        },
      ),
    )
  })
})
