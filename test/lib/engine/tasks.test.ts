import {afterEach, describe, expect, it} from '@jest/globals'

import {caught, container, openRig, type Rig} from './runtime-helpers.js'

let rig: Rig
afterEach(() => rig?.cleanup())

describe('RunTask', () => {
  it('runs a task PENDING → RUNNING after the start delay (spec §10.7)', () => {
    rig = openRig()
    rig.addInstance('t2.micro')
    rig.register('sleep360', [container('sleep', {cpu: 10, memory: 10, command: ['sleep', '360']})])
    const out = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'sleep360:1'})
    expect(out.failures).toEqual([])
    expect(out.tasks).toHaveLength(1)
    const task = out.tasks![0]
    expect(task.lastStatus).toBe('PENDING')
    expect(task.desiredStatus).toBe('RUNNING')
    expect(task.containers![0].lastStatus).toBe('PENDING')
    expect(task.group).toBe('family:sleep360')
    rig.advance(999)
    expect(rig.tasks()[0].lastStatus).toBe('PENDING')
    rig.advance(1)
    const running = rig.tasks()[0]
    expect(running.lastStatus).toBe('RUNNING')
    expect(running.containers![0].lastStatus).toBe('RUNNING')
    expect(running.startedAt).toBeInstanceOf(Date)
  })

  it('rejects count 11 and accepts 10 (spec §10.20)', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    rig.register('tiny', [container('c', {memory: 10})])
    const error = caught(() => rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'tiny', count: 11}))
    expect(error.name).toBe('InvalidParameterException')
    const ok = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'tiny', count: 10})
    expect(ok.tasks).toHaveLength(10)
  })
})
