import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'
import type {Task, TaskStopCode} from '@aws-sdk/client-ecs'

import {ExitCode, OperationError, WaitTimeoutError} from '../../../../src/lib/errors.js'
import {
  ServiceWaitFailedError,
  waitForService,
  waitForServiceInactive,
} from '../../../../src/lib/workflows/wait/service.js'
import {hasReached, statusLines} from '../../../../src/lib/workflows/wait/service-state.js'
import {TD1, TD2, recordingUi, scriptedBackend, svc} from './fakes.js'

const base = {cluster: 'default', service: 'web', failFastOnUnplaceable: true, since: 1000, pollMs: 1000}
const UNPLACEABLE =
  '(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance abc) is already using a port required by your task.'

describe('waitForService', () => {
  it('returns the service once it is stable, printing progress lines and new events (non-TTY lines pinned)', async () => {
    const backend = scriptedBackend({
      services: [
        svc(1, [['PRIMARY', TD1, 1, 0, 0]], [[500, '(service web) has reached a steady state.']]),
        svc(
          1,
          [['PRIMARY', TD1, 1, 0, 1]],
          [
            [500, '(service web) has reached a steady state.'],
            [1500, '(service web) has started 1 tasks: (task t1).'],
          ],
        ),
        svc(
          1,
          [['PRIMARY', TD1, 1, 1, 0]],
          [
            [500, '(service web) has reached a steady state.'],
            [1500, '(service web) has started 1 tasks: (task t1).'],
          ],
        ),
      ],
    })
    const ui = recordingUi()
    const result = await waitForService(backend, ui, {...base, timeoutMs: 60_000, until: 'stable'})
    expect(result.runningCount).toBe(1)
    expect(backend.sleeps).toEqual([1000, 1000])
    expect(ui.log).toEqual([
      {kind: 'title', text: 'Waiting for service web to be stable'},
      {
        kind: 'update',
        text: 'service web: desired 1, running 0, pending 0\n  PRIMARY web:1: desired 1, running 0, pending 0',
      },
      {kind: 'event', text: '1970-01-01T00:00:01Z (service web) has started 1 tasks: (task t1).'},
      {
        kind: 'update',
        text: 'service web: desired 1, running 0, pending 1\n  PRIMARY web:1: desired 1, running 0, pending 1',
      },
      {
        kind: 'update',
        text: 'service web: desired 1, running 1, pending 0\n  PRIMARY web:1: desired 1, running 1, pending 0',
      },
      {kind: 'done', text: 'Service web has reached a stable state (web:1): desired 1, running 1'},
    ])
  })

  it('times out with exit code 3 and names what is missing', async () => {
    const backend = scriptedBackend({services: [svc(2, [['PRIMARY', TD1, 2, 1, 0]])]})
    const err = await waitForService(backend, recordingUi(), {...base, timeoutMs: 5000, until: 'stable'}).catch(
      (e) => e,
    )
    expect(err).toBeInstanceOf(WaitTimeoutError)
    expect(err.exitCode).toBe(ExitCode.TIMEOUT)
    expect(err.message).toBe(
      'Timed out after 5 seconds waiting for service web to be stable: desired 2, running 1, pending 0; new deployment web:1 runs 1 of 2.',
    )
    expect(backend.sleeps.reduce((a: number, b: number) => a + b, 0)).toBe(5000)
  })

  it('on the local backend ends at once (exit 1) when the service reports it cannot place a task', async () => {
    const backend = scriptedBackend({
      kind: 'local',
      services: [svc(2, [['PRIMARY', TD1, 2, 1, 0]]), svc(2, [['PRIMARY', TD1, 2, 1, 0]], [[2000, UNPLACEABLE]])],
    })
    const err = await waitForService(backend, recordingUi(), {...base, timeoutMs: 300_000, until: 'stable'}).catch(
      (e) => e,
    )
    expect(err).toBeInstanceOf(ServiceWaitFailedError)
    expect(err).toBeInstanceOf(OperationError)
    expect(err.exitCode).toBe(ExitCode.FAILED)
    expect(err.message).toBe(`Service web cannot place its tasks: ${UNPLACEABLE}`)
    expect(backend.sleeps).toEqual([1000])
  })

  it('on the local backend also fails when the newest (known, not repeated) event says it still cannot place a task', async () => {
    const before = svc(2, [['PRIMARY', TD1, 2, 1, 0]], [[1000, UNPLACEABLE]])
    const backend = scriptedBackend({
      kind: 'local',
      services: [svc(2, [['PRIMARY', TD1, 2, 1, 0]], [[1000, UNPLACEABLE]])],
    })
    const err = await waitForService(backend, recordingUi(), {
      ...base,
      knownEvents: before.events,
      timeoutMs: 300_000,
      until: 'stable',
    }).catch((e) => e)
    expect(err).toBeInstanceOf(ServiceWaitFailedError)
    expect(backend.sleeps).toEqual([1000])
    // not when a task is pending (the scheduler found room) or a newer event followed
    const pending = scriptedBackend({
      kind: 'local',
      services: [
        svc(2, [['PRIMARY', TD1, 2, 1, 1]], [[1000, UNPLACEABLE]]),
        svc(2, [['PRIMARY', TD1, 2, 2, 0]], [[1000, UNPLACEABLE]]),
      ],
    })
    await expect(
      waitForService(pending, recordingUi(), {
        ...base,
        knownEvents: before.events,
        timeoutMs: 300_000,
        until: 'stable',
      }),
    ).resolves.toMatchObject({runningCount: 2})
  })

  it('on AWS keeps waiting through unplaceable events until the timeout', async () => {
    const backend = scriptedBackend({
      kind: 'aws',
      services: [svc(2, [['PRIMARY', TD1, 2, 1, 0]], [[2000, UNPLACEABLE]])],
    })
    const ui = recordingUi()
    const err = await waitForService(backend, ui, {...base, timeoutMs: 10_000, until: 'stable'}).catch((e) => e)
    expect(err).toBeInstanceOf(WaitTimeoutError)
    expect(err.message).toContain(`latest event: ${UNPLACEABLE}`)
    expect(backend.sleeps).toHaveLength(10)
    expect(ui.log.filter((l) => l.kind === 'event')).toHaveLength(1)
  })

  it('ignores unplaceable events older than the start of the wait', async () => {
    const backend = scriptedBackend({
      services: [
        svc(1, [['PRIMARY', TD1, 1, 0, 1]], [[10, UNPLACEABLE]]),
        svc(1, [['PRIMARY', TD1, 1, 1, 0]], [[10, UNPLACEABLE]]),
      ],
    })
    const result = await waitForService(backend, recordingUi(), {...base, timeoutMs: 60_000, until: 'stable'})
    expect(result.runningCount).toBe(1)
  })

  it('does not fail fast when failFastOnUnplaceable is off', async () => {
    const backend = scriptedBackend({
      services: [
        svc(1, [['PRIMARY', TD1, 1, 0, 0]], [[2000, UNPLACEABLE]]),
        svc(1, [['PRIMARY', TD1, 1, 1, 0]], [[2000, UNPLACEABLE]]),
      ],
    })
    const result = await waitForService(backend, recordingUi(), {
      ...base,
      failFastOnUnplaceable: false,
      timeoutMs: 60_000,
      until: 'stable',
    })
    expect(result.runningCount).toBe(1)
  })

  it('"deployed" returns while the old deployment drains; "stable" waits for it', async () => {
    const frames = [
      svc(1, [
        ['PRIMARY', TD2, 1, 1, 0],
        ['ACTIVE', TD1, 1, 1, 0],
      ]),
      svc(1, [['PRIMARY', TD2, 1, 1, 0]]),
    ]
    const deployed = scriptedBackend({services: frames})
    await waitForService(deployed, recordingUi(), {...base, timeoutMs: 60_000, until: 'deployed'})
    expect(deployed.sleeps).toEqual([])
    const stable = scriptedBackend({services: frames})
    await waitForService(stable, recordingUi(), {...base, timeoutMs: 60_000, until: 'stable'})
    expect(stable.sleeps).toEqual([1000])
  })

  it('fails with exit 1 when ECS marks the rollout FAILED', async () => {
    const failed = svc(1, [
      ['PRIMARY', TD2, 1, 0, 0],
      ['ACTIVE', TD1, 1, 1, 0],
    ])
    failed.deployments![0].rolloutState = 'FAILED'
    failed.deployments![0].rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.'
    const err = await waitForService(scriptedBackend({services: [failed]}), recordingUi(), {
      ...base,
      timeoutMs: 60_000,
      until: 'stable',
    }).catch((e) => e)
    expect(err).toBeInstanceOf(ServiceWaitFailedError)
    expect(err.message).toBe('Deployment of web:2 failed: ECS deployment circuit breaker: tasks failed to start.')
  })

  it('with detectFailedDeployment fails on the throttle event', async () => {
    const backend = scriptedBackend({
      services: [
        svc(
          1,
          [
            ['PRIMARY', TD2, 1, 0, 0],
            ['ACTIVE', TD1, 1, 1, 0],
          ],
          [[3000, '(service web) is unable to consistently start tasks successfully.']],
        ),
      ],
    })
    const err = await waitForService(backend, recordingUi(), {
      ...base,
      detectFailedDeployment: true,
      timeoutMs: 60_000,
      until: 'stable',
    }).catch((e) => e)
    expect(err.message).toBe(
      'Deployment of web:2 failed: (service web) is unable to consistently start tasks successfully.',
    )
  })

  it('with detectFailedDeployment fails once N tasks of the new deployment stopped on their own', async () => {
    const stopped = (id: string, td: string, reason: string, stopCode?: TaskStopCode): Task => ({
      taskArn: `arn:aws:ecs:us-east-1:000000000000:task/default/${id}`,
      taskDefinitionArn: td,
      lastStatus: 'STOPPED',
      startedBy: 'ecs-svc/1000',
      stoppedReason: reason,
      stopCode,
      createdAt: new Date(5),
      stoppedAt: new Date(id === 'b' ? 9 : 7),
      containers: [{name: 'web', exitCode: 3}],
    })
    const service = svc(1, [
      ['PRIMARY', TD2, 1, 0, 0],
      ['ACTIVE', TD1, 1, 1, 0],
    ])
    const one = scriptedBackend({
      services: [service],
      stoppedTasks: [stopped('a', TD2, 'Essential container in task exited', 'EssentialContainerExited')],
    })
    const err1 = await waitForService(one, recordingUi(), {
      ...base,
      detectFailedDeployment: true,
      timeoutMs: 3000,
      until: 'stable',
    }).catch((e) => e)
    expect(err1).toBeInstanceOf(WaitTimeoutError)

    const two = scriptedBackend({
      services: [service],
      stoppedTasks: [
        stopped('a', TD2, 'Essential container in task exited', 'EssentialContainerExited'),
        stopped('b', TD2, 'Essential container in task exited', 'EssentialContainerExited'),
        stopped('c', TD2, 'Task stopped by user', 'UserInitiated'),
      ],
    })
    const err2 = await waitForService(two, recordingUi(), {
      ...base,
      detectFailedDeployment: true,
      timeoutMs: 60_000,
      until: 'stable',
    }).catch((e) => e)
    expect(err2).toBeInstanceOf(ServiceWaitFailedError)
    expect(err2.message).toBe(
      'Deployment of web:2 failed: 2 of its tasks stopped (limit 2); last: Essential container in task exited; container web exited with code 3',
    )
  })

  it('treats events the service had before the change as history even with the same timestamp', async () => {
    const before = svc(2, [['PRIMARY', TD1, 2, 1, 0]], [[1000, UNPLACEABLE]])
    const backend = scriptedBackend({services: [svc(1, [['PRIMARY', TD1, 1, 1, 0]], [[1000, UNPLACEABLE]])]})
    const result = await waitForService(backend, recordingUi(), {
      ...base,
      knownEvents: before.events,
      timeoutMs: 60_000,
      until: 'stable',
    })
    expect(result.desiredCount).toBe(1)
  })

  it('prints events with equal timestamps in the order ECS created them', async () => {
    const backend = scriptedBackend({
      services: [
        svc(
          1,
          [['PRIMARY', TD1, 1, 1, 0]],
          [
            [2000, 'first'],
            [2000, 'second'],
            [2000, 'third'],
          ],
        ),
      ],
    })
    const ui = recordingUi()
    await waitForService(backend, ui, {...base, timeoutMs: 60_000, until: 'stable'})
    expect(ui.log.filter((l) => l.kind === 'event').map((l) => l.text.split(' ')[1])).toEqual([
      'first',
      'second',
      'third',
    ])
  })

  it('with settleMs the target must hold that long; a crash meanwhile restarts the count', async () => {
    const stable = svc(1, [['PRIMARY', TD2, 1, 1, 0]])
    const crashed = svc(1, [['PRIMARY', TD2, 1, 0, 1]])
    const backend = scriptedBackend({services: [stable, stable, crashed, stable, stable, stable, stable]})
    await waitForService(backend, recordingUi(), {...base, settleMs: 3000, timeoutMs: 60_000, until: 'stable'})
    // stable at 0 and 1 s, broken at 2 s, stable again from 3 s: done at 6 s
    expect(backend.sleeps).toHaveLength(6)
  })

  it('returns at once without waiting when timeoutMs is 0', async () => {
    const backend = scriptedBackend({services: [svc(2, [['PRIMARY', TD1, 2, 0, 0]])]})
    const ui = recordingUi()
    const result = await waitForService(backend, ui, {...base, timeoutMs: 0, until: 'stable'})
    expect(result.desiredCount).toBe(2)
    expect(backend.sleeps).toEqual([])
    expect(ui.log).toEqual([])
  })

  it('reports a missing service as exit 1', async () => {
    const err = await waitForService(scriptedBackend({services: []}), recordingUi(), {
      ...base,
      timeoutMs: 1000,
      until: 'stable',
    }).catch((e) => e)
    expect(err).toBeInstanceOf(OperationError)
    expect(err.message).toBe('Service web was not found in cluster default (MISSING).')
  })
})

describe('service state rules', () => {
  const deploymentArb = fc.tuple(
    fc.constantFrom('PRIMARY', 'ACTIVE'),
    fc.constantFrom(TD1, TD2),
    fc.nat(5),
    fc.nat(5),
    fc.nat(3),
  )
  it('stable implies deployed', () => {
    // found by this property: service desired 0 while the PRIMARY deployment still said 1
    const inconsistent = svc(0, [['PRIMARY', TD1, 1, 0, 0]])
    expect(hasReached(inconsistent, 'stable')).toBe(false)
    fc.assert(
      fc.property(fc.nat(5), fc.array(deploymentArb, {maxLength: 3}), (desired, deps) => {
        const s = svc(desired, deps)
        if (hasReached(s, 'stable')) expect(hasReached(s, 'deployed')).toBe(true)
      }),
      {numRuns: 500},
    )
  })
  it('without a PRIMARY deployment nothing is reached', () => {
    fc.assert(
      fc.property(
        fc.nat(5),
        fc.array(
          deploymentArb.map(([, td, d, r, p]) => ['ACTIVE', td, d, r, p] as [string, string, number, number, number]),
          {maxLength: 3},
        ),
        (desired, deps) => {
          const s = svc(desired, deps)
          expect(hasReached(s, 'stable')).toBe(false)
          expect(hasReached(s, 'deployed')).toBe(false)
        },
      ),
    )
  })
  it('lists the PRIMARY deployment first', () => {
    expect(
      statusLines(
        svc(1, [
          ['ACTIVE', TD1, 1, 1, 0],
          ['PRIMARY', TD2, 1, 0, 1],
        ]),
      ),
    ).toEqual([
      'service web: desired 1, running 1, pending 1',
      '  PRIMARY web:2: desired 1, running 0, pending 1',
      '  ACTIVE  web:1: desired 1, running 1, pending 0',
    ])
  })
})

describe('waitForServiceInactive', () => {
  it('polls until the deleted service is INACTIVE', async () => {
    const draining = svc(0, [['PRIMARY', TD1, 0, 1, 0]], [], {status: 'DRAINING'})
    const inactive = svc(0, [['PRIMARY', TD1, 0, 0, 0]], [], {status: 'INACTIVE'})
    const backend = scriptedBackend({services: [draining, inactive]})
    const result = await waitForServiceInactive(
      backend,
      recordingUi(),
      {cluster: 'default', service: 'web', timeoutMs: 60_000, pollMs: 1000},
      draining,
    )
    expect(result.status).toBe('INACTIVE')
    expect(backend.sleeps).toEqual([1000])
  })
  it('times out with exit 3 while still DRAINING', async () => {
    const draining = svc(0, [['PRIMARY', TD1, 0, 1, 0]], [], {status: 'DRAINING'})
    const err = await waitForServiceInactive(
      scriptedBackend({services: [draining]}),
      recordingUi(),
      {cluster: 'default', service: 'web', timeoutMs: 2000, pollMs: 1000},
      draining,
    ).catch((e) => e)
    expect(err).toBeInstanceOf(WaitTimeoutError)
    expect(err.message).toBe(
      'Timed out after 2 seconds waiting for service web to drain: it is still DRAINING with 1 running task(s).',
    )
  })
})
