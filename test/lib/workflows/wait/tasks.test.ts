import {describe, expect, it} from '@jest/globals'
import type {Task} from '@aws-sdk/client-ecs'

import {ExitCode, InputError, OperationError, WaitTimeoutError} from '../../../../src/lib/errors.js'
import {countLine, waitForTasksRunning, waitForTasksStopped} from '../../../../src/lib/workflows/wait/tasks.js'
import {formatMinutes, timeoutMinutesToMs} from '../../../../src/lib/workflows/wait/timing.js'
import {recordingUi, scriptedBackend} from './fakes.js'

const arn = (id: string) => `arn:aws:ecs:us-east-1:000000000000:task/default/${id}`
const task = (id: string, lastStatus: string, extra: Partial<Task> = {}): Task => ({
  taskArn: arn(id),
  lastStatus,
  ...extra,
})

describe('waitForTasksRunning', () => {
  it('waits until every task is RUNNING, printing each transition', async () => {
    const backend = scriptedBackend({
      taskFrames: [
        [task('a', 'PENDING'), task('b', 'PENDING')],
        [task('a', 'RUNNING'), task('b', 'PENDING')],
        [task('a', 'RUNNING'), task('b', 'RUNNING')],
      ],
    })
    const ui = recordingUi()
    const tasks = await waitForTasksRunning(backend, ui, 'default', [arn('a'), arn('b')], 60_000, {pollMs: 500})
    expect(tasks.map((t) => t.lastStatus)).toEqual(['RUNNING', 'RUNNING'])
    expect(backend.sleeps).toEqual([500, 500])
    expect(ui.log).toEqual([
      {kind: 'title', text: 'Waiting for 2 tasks to be RUNNING'},
      {kind: 'update', text: '2 PENDING'},
      {kind: 'event', text: 'task a: PENDING -> RUNNING'},
      {kind: 'update', text: '1 PENDING, 1 RUNNING'},
      {kind: 'event', text: 'task b: PENDING -> RUNNING'},
      {kind: 'update', text: '2 RUNNING'},
      {kind: 'done', text: '2 tasks RUNNING'},
    ])
  })

  it('fails with exit 1 and the stop reason when a task stops instead', async () => {
    const backend = scriptedBackend({
      taskFrames: [
        [task('a', 'PENDING')],
        [
          task('a', 'STOPPED', {
            stoppedReason: 'Essential container in task exited',
            containers: [{name: 'web', exitCode: 1}],
          }),
        ],
      ],
    })
    const err = await waitForTasksRunning(backend, recordingUi(), 'default', [arn('a')], 60_000).catch((e) => e)
    expect(err).toBeInstanceOf(OperationError)
    expect(err.message).toBe(
      'Task a stopped before it was running: Essential container in task exited; container web exited with code 1',
    )
  })

  it('times out with exit 3', async () => {
    const backend = scriptedBackend({taskFrames: [[task('a', 'PENDING')]]})
    const err = await waitForTasksRunning(backend, recordingUi(), 'default', [arn('a')], 3000, {pollMs: 1000}).catch(
      (e) => e,
    )
    expect(err).toBeInstanceOf(WaitTimeoutError)
    expect(err.exitCode).toBe(ExitCode.TIMEOUT)
    expect(err.message).toBe('Timed out after 3 seconds waiting for 1 task to be RUNNING: 1 PENDING.')
    expect(backend.sleeps).toEqual([1000, 1000, 1000])
  })

  it('does not wait with timeout 0', async () => {
    const backend = scriptedBackend({taskFrames: [[task('a', 'PENDING')]]})
    const tasks = await waitForTasksRunning(backend, recordingUi(), 'default', [arn('a')], 0)
    expect(tasks).toHaveLength(1)
    expect(backend.sleeps).toEqual([])
  })
})

describe('waitForTasksStopped', () => {
  it('waits for STOPPED', async () => {
    const backend = scriptedBackend({taskFrames: [[task('a', 'RUNNING')], [task('a', 'STOPPED')]]})
    const tasks = await waitForTasksStopped(backend, recordingUi(), 'default', [arn('a')], 60_000)
    expect(tasks[0].lastStatus).toBe('STOPPED')
    expect(backend.sleeps).toEqual([1000])
  })
})

describe('timing helpers', () => {
  it('parses --timeout minutes with decimals', () => {
    expect(timeoutMinutesToMs(undefined)).toBe(300_000)
    expect(timeoutMinutesToMs('0')).toBe(0)
    expect(timeoutMinutesToMs('0.5')).toBe(30_000)
    expect(timeoutMinutesToMs('2')).toBe(120_000)
    expect(() => timeoutMinutesToMs('-1')).toThrow(InputError)
    expect(() => timeoutMinutesToMs('soon')).toThrow('--timeout must be a number of minutes')
  })
  it('formats durations', () => {
    expect(formatMinutes(30_000)).toBe('30 seconds')
    expect(formatMinutes(60_000)).toBe('1 minute')
    expect(formatMinutes(90_000)).toBe('1.5 minutes')
  })
  it('counts tasks by status in lifecycle order', () => {
    expect(countLine([task('a', 'STOPPED'), task('b', 'PENDING'), task('c', 'PENDING')])).toBe('2 PENDING, 1 STOPPED')
    expect(countLine([])).toBe('no tasks')
  })
})
