/**
 * When does a rolling deployment count as failed? ECS's own deployment circuit breaker (spec ecs-model.md §6.7) marks
 * a deployment FAILED after clamp(ceil(0.5 × desired), 10, 200) tasks of it failed. ecsx applies the same idea on
 * both backends, with a lower floor so that a deployment rehearsed on the local engine fails in seconds:
 *
 *   a deployment has failed when
 *     (a) its rolloutState is FAILED (ECS's circuit breaker, when the service has one), or
 *     (b) ECS reported "(service …) is unable to consistently start tasks successfully." after the wait began, or
 *     (c) at least N tasks started by the new (PRIMARY) deployment stopped on their own — an essential container
 *         exited, or the task failed to start — where N = min(max(ceil(desired / 2), 2), 10).
 *
 * Tasks stopped by a user, by scale-in or by a lost host do not count.
 */
import type {Deployment, Task} from '@aws-sdk/client-ecs'

export const FAILURE_RULE_HELP = `A deployment counts as failed when ECS marks its rollout FAILED, when the service \
reports "is unable to consistently start tasks successfully", or when N tasks of the new deployment stop on their own \
(an essential container exited or the task failed to start), N = min(max(ceil(desired/2), 2), 10) — ECS's \
circuit-breaker rule with its floor lowered from 10 to 2.`

export function failedTaskThreshold(desired: number): number {
  return Math.min(Math.max(Math.ceil(desired / 2), 2), 10)
}

const SELF_INFLICTED_STOP_CODES = new Set(['EssentialContainerExited', 'TaskFailedToStart'])
const EXTERNAL_STOP_CODES = new Set([
  'UserInitiated',
  'ServiceSchedulerInitiated',
  'SpotInterruption',
  'TerminationNotice',
  'InfrastructureHealth',
])
const SELF_INFLICTED_REASON =
  /Essential container in task exited|CannotPull|CannotStart|CannotCreate|ResourceInitializationError|failed to start|health checks?/i

/** A stopped task that stopped because of its own containers (not a user, scale-in or a lost host). */
export function stoppedOnItsOwn(task: Task): boolean {
  if (task.lastStatus !== 'STOPPED') return false
  if (task.stopCode && SELF_INFLICTED_STOP_CODES.has(task.stopCode)) return true
  if (task.stopCode && EXTERNAL_STOP_CODES.has(task.stopCode)) return false
  return SELF_INFLICTED_REASON.test(task.stoppedReason ?? '')
}

/** Whether `task` was started by `deployment` (ECS sets startedBy to the deployment id; else same revision, newer). */
export function belongsToDeployment(task: Task, deployment: Deployment): boolean {
  if (deployment.id && task.startedBy === deployment.id) return true
  if (task.taskDefinitionArn !== deployment.taskDefinition) return false
  const created = task.createdAt ? new Date(task.createdAt).getTime() : 0
  const deployed = deployment.createdAt ? new Date(deployment.createdAt).getTime() : 0
  return created >= deployed
}

/** One line about why the task stopped: the stop reason plus the essential containers' exit codes and reasons. */
export function describeStop(task: Task): string {
  const containers = (task.containers ?? [])
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map(
      (c) =>
        `container ${c.name}${c.exitCode !== undefined ? ` exited with code ${c.exitCode}` : ''}${c.reason ? `: ${c.reason}` : ''}`,
    )
  // an empty stoppedReason (some ECS implementations send "") reads as "stopped", never as "running: ; container …"
  return [task.stoppedReason || 'stopped', ...containers].join('; ')
}

export interface FailedTasksVerdict {
  failed: boolean
  count: number
  threshold: number
  /** Why the most recent failed task stopped. */
  lastReason?: string
}

/** Rule (c): count the PRIMARY deployment's tasks that stopped on their own. */
export function judgeStoppedTasks(stopped: Task[], deployment: Deployment, desired: number): FailedTasksVerdict {
  const mine = stopped.filter((t) => belongsToDeployment(t, deployment) && stoppedOnItsOwn(t))
  mine.sort((a, b) => time(b.stoppedAt) - time(a.stoppedAt))
  const threshold = failedTaskThreshold(desired)
  return {
    failed: mine.length >= threshold,
    count: mine.length,
    threshold,
    lastReason: mine[0] ? describeStop(mine[0]) : undefined,
  }
}

function time(d: Date | undefined): number {
  return d ? new Date(d).getTime() : 0
}
