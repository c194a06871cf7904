/**
 * Reconcile over time: crash-looping services (reached RUNNING → no throttle), services whose tasks never start
 * (throttle spacing doubles from 10 s to the 15-minute cap), long idle catch-up cost, and purging.
 */
import {afterEach, describe, expect, it} from '@jest/globals'

import {fastForwardOptions} from '../../../../../src/lib/engine/runtime/reconcile/fast-forward.js'
import {reconcileLimits} from '../../../../../src/lib/engine/runtime/reconcile/reconcile.js'
import {throttleDelayMs} from '../../../../../src/lib/engine/runtime/transitions.js'
import {container, openRig, type Rig} from '../../runtime-helpers.js'

let rig: Rig
afterEach(() => rig?.cleanup())

const DAY = 86_400_000

describe('a service whose essential container exits 1 after 5 s', () => {
  it('cycles tasks: RUNNING then STOPPED every ~5 s, replaced each time, never throttled', () => {
    rig = openRig('dev', {ECSX_ENGINE_STOPPED_TASK_RETENTION: '1d'})
    rig.addInstance('m4.large')
    rig.register('crash', [
      container('app', {dockerLabels: {'ecsx.simulate.exit-after': '5s', 'ecsx.simulate.exit-code': '1'}}),
    ])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'crash', taskDefinition: 'crash', desiredCount: 1})
    rig.advance(60_000)
    const stopped = rig.tasks('STOPPED').sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime())
    // start 1 s + run 5 s per cycle → a new task every 6 s; 10 cycles finished within the minute.
    expect(stopped).toHaveLength(10)
    for (const task of stopped) {
      expect(task.stoppedReason).toBe('Essential container in task exited')
      expect(task.containers![0].exitCode).toBe(1)
      expect(task.startedAt).toBeInstanceOf(Date)
      expect(task.stoppingAt!.getTime() - task.startedAt!.getTime()).toBe(5_000)
    }
    for (let i = 1; i < stopped.length; i++)
      expect(stopped[i].createdAt!.getTime() - stopped[i - 1].createdAt!.getTime()).toBe(6_000)
    const events = rig.describeService('crash').events!.map((e) => e.message!)
    expect(events.some((m) => m.includes('unable to consistently start'))).toBe(false)
    expect(events.filter((m) => m.includes('has started 1 tasks'))).toHaveLength(11)
  })

  it('catches up a whole idle day quickly and keeps its bookkeeping bounded', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    rig.register('crash', [
      container('app', {dockerLabels: {'ecsx.simulate.exit-after': '5s', 'ecsx.simulate.exit-code': '1'}}),
    ])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'crash', taskDefinition: 'crash', desiredCount: 1})
    const started = performance.now()
    rig.advance(DAY)
    const elapsed = performance.now() - started
    // 14 400 task lifecycles replayed; the budget only catches a blow-up (quadratic work, stepping through idle time); see the report for measurements.
    expect(elapsed).toBeLessThan(30_000)
    const service = rig.describeService('crash')
    expect(service.events!.length).toBeLessThanOrEqual(100)
    expect(service.runningCount! + service.pendingCount!).toBe(1)
    // Only the last hour of stopped tasks is still describable (retention 1 h): 600 cycles of 6 s.
    const stopped = rig.e().callSync('listTasks', {cluster: 'dev', desiredStatus: 'STOPPED', maxResults: 100})
    expect(stopped.taskArns).toHaveLength(100)
    let count = 0
    let token: string | undefined
    do {
      const page = rig
        .e()
        .callSync('listTasks', {cluster: 'dev', desiredStatus: 'STOPPED', maxResults: 100, nextToken: token})
      count += page.taskArns!.length
      token = page.nextToken
    } while (token)
    expect(count).toBeGreaterThanOrEqual(599)
    expect(count).toBeLessThanOrEqual(601)
  })
})

describe('the start throttle (spec §6.8)', () => {
  it('delays double from 10 s and are capped at 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map(throttleDelayMs)).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 900_000, 900_000, 900_000,
    ])
  })

  it('spaces the attempts of a service whose tasks never start, emits the event once, and keeps retrying', () => {
    rig = openRig('dev', {ECSX_ENGINE_STOPPED_TASK_RETENTION: '1d'})
    rig.addInstance('m4.large')
    rig.register('bad', [
      container('app', {dockerLabels: {'ecsx.simulate.fail-to-start': 'CannotPullContainerError: pull access denied'}}),
    ])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'bad', taskDefinition: 'bad', desiredCount: 1})
    rig.advance(3 * 3_600_000)
    const tasks = rig.tasks('STOPPED').sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime())
    const gaps = tasks.slice(1).map((task, i) => task.createdAt!.getTime() - tasks[i].createdAt!.getTime())
    // Each attempt fails 1 s after it was created (image pull), then waits the backoff.
    expect(gaps.slice(0, 9)).toEqual([11_000, 21_000, 41_000, 81_000, 161_000, 321_000, 641_000, 901_000, 901_000])
    expect(Math.max(...gaps)).toBe(901_000)
    for (const task of tasks) {
      expect(task.startedAt).toBeUndefined()
      expect(task.stopCode).toBe('TaskFailedToStart')
    }
    const events = rig.describeService('bad').events!.map((e) => e.message)
    expect(
      events.filter((m) => m === '(service bad) is unable to consistently start tasks successfully.'),
    ).toHaveLength(1)
  })
})

describe('purging', () => {
  it('stopped tasks disappear after the retention period', () => {
    rig = openRig()
    rig.addInstance()
    rig.register('app', [container('app')])
    const arn = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'app'}).tasks![0].taskArn!
    rig.advance(1_000)
    rig.e().callSync('stopTask', {cluster: 'dev', task: arn})
    rig.advance(1_000)
    expect(rig.e().callSync('describeTasks', {cluster: 'dev', tasks: [arn]}).tasks![0].lastStatus).toBe('STOPPED')
    rig.advance(3_600_000 - 1)
    expect(rig.e().callSync('describeTasks', {cluster: 'dev', tasks: [arn]}).tasks).toHaveLength(1)
    rig.advance(1)
    expect(rig.e().callSync('describeTasks', {cluster: 'dev', tasks: [arn]}).failures).toEqual([
      {arn, reason: 'MISSING'},
    ])
  })
})

describe('fast-forward of periodic behaviour (long catch-up)', () => {
  interface Summary {
    running: number
    pending: number
    deployments: Array<[string | undefined, number | undefined, string | undefined]>
    stopped: number
    lastStoppedGaps: number[]
    events: number
    latestEvents: string[]
  }

  function summarize(r: Rig, service: string): Summary {
    const s = r.describeService(service)
    const stopped = r
      .tasks('STOPPED')
      .filter((t) => t.group === `service:${service}`)
      .sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime())
    const created = stopped.map((t) => t.createdAt!.getTime())
    return {
      running: s.runningCount!,
      pending: s.pendingCount!,
      deployments: s.deployments!.map((d) => [d.status, d.failedTasks, d.rolloutState]),
      stopped: stopped.length,
      lastStoppedGaps: created
        .slice(-5)
        .map((c, i, all) => (i === 0 ? 0 : c - all[i - 1]))
        .slice(1),
      events: s.events!.length,
      latestEvents: s.events!.slice(0, 5).map((e) => e.message!.replace(/[0-9a-f]{32}/g, 'ID')),
    }
  }

  function scenario(fast: boolean, build: (r: Rig) => void, advanceMs: number): Rig {
    fastForwardOptions.enabled = fast
    try {
      const r = openRig()
      build(r)
      r.advance(advanceMs)
      return r
    } finally {
      fastForwardOptions.enabled = true
    }
  }

  const crashLoop = (r: Rig): void => {
    r.addInstance('m4.large')
    r.register('crash', [
      container('app', {dockerLabels: {'ecsx.simulate.exit-after': '5s', 'ecsx.simulate.exit-code': '1'}}),
    ])
    r.e().callSync('createService', {cluster: 'dev', serviceName: 'crash', taskDefinition: 'crash', desiredCount: 2})
  }

  it('a crash loop: the same visible state as a full replay, with whole periods skipped', () => {
    const skipsBefore = fastForwardOptions.skips
    const fast = scenario(true, crashLoop, 4 * 3_600_000)
    expect(fastForwardOptions.skips).toBeGreaterThan(skipsBefore)
    const slow = scenario(false, crashLoop, 4 * 3_600_000)
    try {
      expect(summarize(fast, 'crash')).toEqual(summarize(slow, 'crash'))
      // Time moves on normally afterwards.
      fast.advance(60_000)
      slow.advance(60_000)
      expect(summarize(fast, 'crash')).toEqual(summarize(slow, 'crash'))
    } finally {
      fast.cleanup()
      slow.cleanup()
    }
  })

  it('a throttled service: failed-task counts and retry spacing as in a full replay', () => {
    const throttled = (r: Rig): void => {
      r.addInstance('m4.large')
      r.register('bad', [
        container('app', {dockerLabels: {'ecsx.simulate.fail-to-start': 'CannotPullContainerError: nope'}}),
      ])
      r.e().callSync('createService', {cluster: 'dev', serviceName: 'bad', taskDefinition: 'bad', desiredCount: 1})
    }
    const fast = scenario(true, throttled, DAY)
    const slow = scenario(false, throttled, DAY)
    try {
      const a = summarize(fast, 'bad')
      expect(a).toEqual(summarize(slow, 'bad'))
      expect(a.lastStoppedGaps).toEqual([901_000, 901_000, 901_000])
      expect(a.deployments[0][1]).toBeGreaterThan(90)
    } finally {
      fast.cleanup()
      slow.cleanup()
    }
  })

  it('never skips over a pending one-off event (a standalone task exiting after 2 h)', () => {
    const mixed = (r: Rig): void => {
      crashLoop(r)
      r.register('batch', [container('job', {dockerLabels: {'ecsx.simulate.exit-after': '2h'}})])
      r.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'batch'})
    }
    const fast = scenario(true, mixed, 6 * 3_600_000)
    try {
      // At 2 h + 1 s the batch task stopped on time, not skipped over.
      const probe = scenario(true, mixed, 2 * 3_600_000 + 1_000)
      try {
        const [job] = probe.tasks('STOPPED').filter((t) => t.group === 'family:batch')
        expect(job.stoppingAt!.getTime() - job.startedAt!.getTime()).toBe(2 * 3_600_000)
      } finally {
        probe.cleanup()
      }
      const batch = fast
        .e()
        .callSync('listTasks', {cluster: 'dev', family: 'batch', desiredStatus: 'STOPPED'}).taskArns!
      // Stopped tasks are purged 1 h after stopping: the batch task stopped at 2 h 1 s, so it is gone by 6 h …
      expect(batch).toEqual([])
      // … and nothing about the crash loop differs from a full replay.
      const slow = scenario(false, mixed, 6 * 3_600_000)
      try {
        expect(summarize(fast, 'crash')).toEqual(summarize(slow, 'crash'))
      } finally {
        slow.cleanup()
      }
    } finally {
      fast.cleanup()
    }
  })
})

describe('bounded passes', () => {
  it('a pass stops at the event bound; later calls pick up the rest from the documents', () => {
    const saved = reconcileLimits.maxEventsPerPass
    reconcileLimits.maxEventsPerPass = 40
    try {
      rig = openRig()
      rig.addInstance('m4.large')
      rig.register('crash', [
        container('app', {dockerLabels: {'ecsx.simulate.exit-after': '5s', 'ecsx.simulate.exit-code': '1'}}),
      ])
      rig
        .e()
        .callSync('createService', {cluster: 'dev', serviceName: 'crash', taskDefinition: 'crash', desiredCount: 2})
      rig.advance(10 * 60_000)
      // Not all of the 10 minutes were replayed in that call …
      const partial = rig.tasks('STOPPED').length
      expect(partial).toBeLessThan(190)
      // … but each call goes on from where the last one stopped, and the books stay balanced.
      for (let i = 0; i < 20; i++) rig.advance(1_000)
      const service = rig.describeService('crash')
      expect(service.runningCount! + service.pendingCount!).toBeLessThanOrEqual(2)
      const instance = rig.e().callSync('describeContainerInstances', {
        cluster: 'dev',
        containerInstances: rig.e().callSync('listContainerInstances', {cluster: 'dev'}).containerInstanceArns!,
      }).containerInstances![0]
      const memory = (list: typeof instance.registeredResources) =>
        list!.find((r) => r.name === 'MEMORY')!.integerValue!
      const live = [...rig.tasks(), ...rig.tasks('STOPPED').filter((t) => t.lastStatus !== 'STOPPED')]
      expect(memory(instance.registeredResources) - memory(instance.remainingResources)).toBe(128 * live.length)
      expect(rig.tasks('STOPPED').length).toBeGreaterThan(partial)
    } finally {
      reconcileLimits.maxEventsPerPass = saved
    }
  })
})
