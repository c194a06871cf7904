/**
 * Wait for standalone tasks (compose up/start/scale/run/stop) to reach RUNNING — or STOPPED — polling DescribeTasks
 * through `backend.sleep`. Each task's status change is printed as it happens; the live block counts tasks per
 * status. A task that stops while we wait for RUNNING ends the wait with exit 1 and its stop reason; running past
 * `timeoutMs` ends it with exit 3.
 */
import type {Task} from '@aws-sdk/client-ecs'

import type {Backend} from '../../ecs/backend.js'
import {describeTasks} from '../../ecs/lookups.js'
import {OperationError, WaitTimeoutError} from '../../errors.js'
import type {Ui} from '../../ui/types.js'
import {describeStop} from './deployment-failure.js'
import {formatMinutes, pollInterval} from './timing.js'

export type TaskTarget = 'RUNNING' | 'STOPPED'

export interface WaitForTasksOptions {
  pollMs?: number
  /** Waiting for RUNNING: a task that already ran to completion (STOPPED) counts as done, not as a failure (`compose run`). */
  stoppedIsDone?: boolean
}

/** The id of a task ARN (last path segment). */
export function taskId(arn: string | undefined): string {
  if (!arn) return '?'
  return arn.slice(arn.lastIndexOf('/') + 1)
}

export async function waitForTasksRunning(
  backend: Backend,
  ui: Ui,
  cluster: string,
  taskArns: string[],
  timeoutMs: number,
  options: WaitForTasksOptions = {},
): Promise<Task[]> {
  return waitForTasks(backend, ui, cluster, taskArns, 'RUNNING', timeoutMs, options)
}

export async function waitForTasksStopped(
  backend: Backend,
  ui: Ui,
  cluster: string,
  taskArns: string[],
  timeoutMs: number,
  options: WaitForTasksOptions = {},
): Promise<Task[]> {
  return waitForTasks(backend, ui, cluster, taskArns, 'STOPPED', timeoutMs, options)
}

export async function waitForTasks(
  backend: Backend,
  ui: Ui,
  cluster: string,
  taskArns: string[],
  target: TaskTarget,
  timeoutMs: number,
  options: WaitForTasksOptions = {},
): Promise<Task[]> {
  let tasks = await describeTasks(backend, cluster, taskArns)
  if (taskArns.length === 0 || timeoutMs <= 0) return tasks
  const pollMs = options.pollMs ?? pollInterval(backend)
  const noun = `${taskArns.length} task${taskArns.length === 1 ? '' : 's'}`
  const progress = ui.progress(`Waiting for ${noun} to be ${target}`)
  const lastStatus = new Map<string, string>()
  const wallStart = Date.now()
  let slept = 0
  try {
    for (;;) {
      for (const t of tasks) {
        const before = lastStatus.get(t.taskArn ?? '')
        const now = t.lastStatus ?? '?'
        if (before !== undefined && before !== now) progress.event(`task ${taskId(t.taskArn)}: ${before} -> ${now}`)
        lastStatus.set(t.taskArn ?? '', now)
      }
      progress.update([countLine(tasks)])
      if (target === 'RUNNING' && !options.stoppedIsDone) {
        const stopped = tasks.find((t) => t.lastStatus === 'STOPPED')
        if (stopped) {
          throw new OperationError(
            `Task ${taskId(stopped.taskArn)} stopped before it was running: ${describeStop(stopped)}`,
          )
        }
      }
      const finished = (t: Task) =>
        t.lastStatus === target || (options.stoppedIsDone === true && t.lastStatus === 'STOPPED')
      if (tasks.length === taskArns.length && tasks.every(finished)) {
        progress.done(options.stoppedIsDone ? `${noun}: ${countLine(tasks)}` : `${noun} ${target}`)
        return tasks
      }
      const elapsed = Math.max(slept, Date.now() - wallStart)
      if (elapsed >= timeoutMs) {
        throw new WaitTimeoutError(
          `Timed out after ${formatMinutes(timeoutMs)} waiting for ${noun} to be ${target}: ${countLine(tasks)}.`,
          'Wait longer with --timeout <minutes>, or look at the tasks with `ecsx compose ps`.',
        )
      }
      const step = Math.min(pollMs, timeoutMs - elapsed)
      await backend.sleep(step)
      slept += step
      tasks = await describeTasks(backend, cluster, taskArns)
    }
  } catch (error) {
    progress.done()
    throw error
  }
}

/** "1 RUNNING, 1 PENDING" in lifecycle order. */
export function countLine(tasks: Task[]): string {
  const order = [
    'PROVISIONING',
    'PENDING',
    'ACTIVATING',
    'RUNNING',
    'DEACTIVATING',
    'STOPPING',
    'DEPROVISIONING',
    'STOPPED',
  ]
  const counts = new Map<string, number>()
  for (const t of tasks) counts.set(t.lastStatus ?? '?', (counts.get(t.lastStatus ?? '?') ?? 0) + 1)
  const keys = [...counts.keys()].sort((a, b) => idx(order, a) - idx(order, b))
  return keys.map((k) => `${counts.get(k)} ${k}`).join(', ') || 'no tasks'
}

function idx(order: string[], k: string): number {
  const i = order.indexOf(k)
  return i < 0 ? order.length : i
}
