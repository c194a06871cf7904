import {describe, expect, it} from '@jest/globals'
import {chooseTasksToStop} from '../../../../src/lib/engine/placement/index.js'
import type {RunningTaskRef} from '../../../../src/lib/engine/placement/types.js'
import {candidate, seededRandom} from './fixtures.js'

const fleet = () => {
  const a = candidate({az: 'us-east-1a'})
  const b1 = candidate({az: 'us-east-1b'})
  const b2 = candidate({az: 'us-east-1b'})
  const c = candidate({az: 'us-east-1c'})
  return {a, b1, b2, c, all: [a, b1, b2, c]}
}

describe('chooseTasksToStop (spec §5.4)', () => {
  it('item 11: AZ-a 1, AZ-b 2, AZ-c 2 → the stopped task is in b or c (default AZ balance)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const {a, b1, b2, c, all} = fleet()
      const tasks: RunningTaskRef[] = [
        {taskArn: 'ta', containerInstanceArn: a.containerInstanceArn},
        {taskArn: 'tb1', containerInstanceArn: b1.containerInstanceArn},
        {taskArn: 'tb2', containerInstanceArn: b2.containerInstanceArn},
        {taskArn: 'tc1', containerInstanceArn: c.containerInstanceArn},
        {taskArn: 'tc2', containerInstanceArn: c.containerInstanceArn},
      ]
      const [stopped] = chooseTasksToStop(all, tasks, 1, [], seededRandom(seed))
      expect(['tb1', 'tb2', 'tc1', 'tc2']).toContain(stopped)
    }
  })

  it('default: within the busiest AZ, the instance with the most tasks goes first', () => {
    const {b1, b2, all} = fleet()
    const tasks: RunningTaskRef[] = [
      {taskArn: 'x1', containerInstanceArn: b1.containerInstanceArn},
      {taskArn: 'y1', containerInstanceArn: b2.containerInstanceArn},
      {taskArn: 'y2', containerInstanceArn: b2.containerInstanceArn},
    ]
    expect(chooseTasksToStop(all, tasks, 1, [], seededRandom(1))[0]).toMatch(/^y/)
  })

  it('stopping several keeps the AZs balanced at every step', () => {
    const {a, b1, c, all} = fleet()
    const tasks: RunningTaskRef[] = [
      ...Array.from({length: 5}, (_, i) => ({taskArn: `a${i}`, containerInstanceArn: a.containerInstanceArn})),
      ...Array.from({length: 2}, (_, i) => ({taskArn: `b${i}`, containerInstanceArn: b1.containerInstanceArn})),
      ...Array.from({length: 2}, (_, i) => ({taskArn: `c${i}`, containerInstanceArn: c.containerInstanceArn})),
    ]
    const stopped = chooseTasksToStop(all, tasks, 4, [], seededRandom(2))
    expect(stopped.filter((t) => t.startsWith('a'))).toHaveLength(3) // 5,2,2 → 2,2,2 then one more from anywhere
    expect(stopped).toHaveLength(4)
    expect(new Set(stopped).size).toBe(4)
  })

  it('binpack: stops from the emptiest instance so the packed ones stay packed', () => {
    const full = candidate({memory: 100})
    const empty = candidate({memory: 3000})
    const tasks: RunningTaskRef[] = [
      {taskArn: 'on-full', containerInstanceArn: full.containerInstanceArn},
      {taskArn: 'on-empty', containerInstanceArn: empty.containerInstanceArn},
    ]
    expect(chooseTasksToStop([full, empty], tasks, 1, [{type: 'binpack', field: 'memory'}], seededRandom(1))).toEqual([
      'on-empty',
    ])
  })

  it('asks for more than exist → all of them; count 0 → none', () => {
    const {a, all} = fleet()
    const tasks = [{taskArn: 't', containerInstanceArn: a.containerInstanceArn}]
    expect(chooseTasksToStop(all, tasks, 3, [], seededRandom(1))).toEqual(['t'])
    expect(chooseTasksToStop(all, tasks, 0, [], seededRandom(1))).toEqual([])
  })
})
