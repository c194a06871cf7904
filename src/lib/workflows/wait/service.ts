/**
 * Wait for an ECS service to reach a state, with progress — the same code on the local engine and on AWS.
 *
 * Polls DescribeServices every `pollMs` through `backend.sleep` (on the local engine's manual clock that advances
 * engine time, so tests never sleep). New service events are printed as permanent lines as they happen; the live
 * block shows desired/running/pending per deployment (redrawn on a TTY, printed when it changes otherwise).
 *
 * Ends with:
 *   - the final `Service` when `until` is reached ("stable" or "deployed", see service-state.ts);
 *   - `ServiceWaitFailedError` (exit 1) when the deployment failed (deployment-failure.ts), or, with
 *     `failFastOnUnplaceable` on the local backend, as soon as the service reports it was unable to place a task;
 *   - `WaitTimeoutError` (exit 3) after `timeoutMs`, naming what is missing.
 */
import type {Service, ServiceEvent} from '@aws-sdk/client-ecs'

import type {Backend} from '../../ecs/backend.js'
import {OperationError, WaitTimeoutError} from '../../errors.js'
import type {Ui} from '../../ui/types.js'
import {judgeStoppedTasks} from './deployment-failure.js'
import {
  type WaitUntil,
  THROTTLE_EVENT,
  UNPLACEABLE_EVENT,
  formatEvent,
  hasReached,
  eventKey,
  newEvents,
  pendingReason,
  primaryDeployment,
  rolloutFailure,
  shortTaskDefinition,
  standingUnplaceable,
  statusLines,
} from './service-state.js'
import {backendNow, capacityIsFixed, formatMinutes, pollInterval} from './timing.js'

export type {WaitUntil} from './service-state.js'

export interface WaitForServiceOptions {
  cluster: string
  service: string
  /** Give up after this long (ms). 0 or less: describe once and return without waiting. */
  timeoutMs: number
  until: WaitUntil
  /**
   * End at once (exit 1) when the service reports it cannot place a task — where capacity is fixed (the local
   * engine, see `capacityIsFixed`). Ignored on AWS, where capacity may still arrive.
   */
  failFastOnUnplaceable: boolean
  /** Apply the failed-deployment rule (deployment-failure.ts) — `deploy` does. Default false. */
  detectFailedDeployment?: boolean
  /** Without `knownEvents`: events older than this (backend clock, epoch ms) are history. Default: when the wait starts. */
  since?: number
  /**
   * Events the service already had before the change being waited for (e.g. from the DescribeServices before
   * UpdateService): history even when they carry the same timestamp — on the manual clock they often do.
   */
  knownEvents?: ServiceEvent[]
  /**
   * The target state must hold this long (ms) before the wait succeeds — `deploy` uses it so that a release whose
   * tasks crash shortly after starting is caught. Failures found meanwhile end the wait. Default 0.
   */
  settleMs?: number
  /** Poll interval (ms). Default 1 s against the local engine, 6 s against ECS. */
  pollMs?: number
}

/** The wait ended because the service failed (not a timeout). Exit code 1. */
export class ServiceWaitFailedError extends OperationError {
  readonly service?: Service
  constructor(message: string, hint?: string, service?: Service) {
    super(message, hint)
    this.service = service
  }
}

export async function describeService(backend: Backend, cluster: string, service: string): Promise<Service> {
  const out = await backend.describeServices({cluster, services: [service]})
  const found = out.services?.[0]
  if (!found) {
    const reason = out.failures?.[0]?.reason ?? 'MISSING'
    throw new OperationError(
      `Service ${service} was not found in cluster ${cluster} (${reason}).`,
      'Check --cluster/--cluster-config and the service name; create the service with `ecsx compose service up`.',
    )
  }
  return found
}

export async function waitForService(backend: Backend, ui: Ui, options: WaitForServiceOptions): Promise<Service> {
  // With the events known before the change, those are the history and every other event is new — robust against
  // equal timestamps (manual clock) and client/server clock skew (AWS). Otherwise: events from `since` on.
  const since = options.knownEvents ? Number.NEGATIVE_INFINITY : (options.since ?? (await backendNow(backend)))
  const pollMs = options.pollMs ?? pollInterval(backend)
  const failFast = options.failFastOnUnplaceable && capacityIsFixed(backend)
  let service = await describeService(backend, options.cluster, options.service)
  if (options.timeoutMs <= 0) return service

  const progress = ui.progress(
    `Waiting for service ${options.service} to be ${options.until === 'stable' ? 'stable' : 'deployed'}`,
  )
  const seen = new Set<string>((options.knownEvents ?? []).map(eventKey))
  const wallStart = Date.now()
  let slept = 0
  /** When the target state was first seen in the current unbroken run (elapsed ms), for settleMs. */
  let reachedAt: number | undefined
  try {
    for (;;) {
      for (const e of newEvents(service, since, seen)) {
        progress.event(formatEvent(e))
        if (e.message && UNPLACEABLE_EVENT.test(e.message) && failFast) {
          throw new ServiceWaitFailedError(
            `Service ${options.service} cannot place its tasks: ${e.message}`,
            'Add capacity (`ecsx scale --size N`), free the ports/CPU/memory the tasks need, or lower the desired count.',
            service,
          )
        }
        if (e.message && THROTTLE_EVENT.test(e.message) && options.detectFailedDeployment) {
          throw new ServiceWaitFailedError(
            `Deployment of ${shortTaskDefinition(primaryDeployment(service)?.taskDefinition)} failed: ${e.message}`,
            undefined,
            service,
          )
        }
      }
      progress.update(statusLines(service))
      if (slept > 0 && failFast) {
        // ECS does not repeat an "unable to place" event while its cause persists: a service that is still short of
        // tasks after a scheduling pass, whose newest event is that one, is still unplaceable
        const standing = standingUnplaceable(service)
        if (standing) {
          throw new ServiceWaitFailedError(
            `Service ${options.service} cannot place its tasks: ${standing}`,
            'Add capacity (`ecsx scale --size N`), free the ports/CPU/memory the tasks need, or lower the desired count.',
            service,
          )
        }
      }

      const failure = rolloutFailure(service)
      if (failure)
        throw new ServiceWaitFailedError(
          `Deployment of ${shortTaskDefinition(primaryDeployment(service)?.taskDefinition)} failed: ${failure}`,
          undefined,
          service,
        )
      if (options.detectFailedDeployment) await checkFailedTasks(backend, options, service)
      const elapsed = Math.max(slept, Date.now() - wallStart)
      if (hasReached(service, options.until)) {
        reachedAt ??= elapsed
        if (elapsed - reachedAt >= (options.settleMs ?? 0)) {
          progress.done(finalLine(service, options.until))
          return service
        }
      } else {
        reachedAt = undefined
      }

      if (elapsed >= options.timeoutMs) {
        if (reachedAt !== undefined) {
          // reached, but the timeout cut the settle period short: it held for as long as we were allowed to look
          progress.done(finalLine(service, options.until))
          return service
        }
        throw new WaitTimeoutError(
          `Timed out after ${formatMinutes(options.timeoutMs)} waiting for service ${options.service} to \
be ${options.until}: ${pendingReason(service, options.until)}.`,
          'Wait longer with --timeout <minutes>, or look at the service events and `ecsx compose service ps`.',
        )
      }
      const step = Math.min(pollMs, options.timeoutMs - elapsed)
      await backend.sleep(step)
      slept += step
      service = await describeService(backend, options.cluster, options.service)
    }
  } catch (error) {
    progress.done()
    throw error
  }
}

async function checkFailedTasks(backend: Backend, options: WaitForServiceOptions, service: Service): Promise<void> {
  const primary = primaryDeployment(service)
  if (!primary) return
  const listed = await backend.listTasks({
    cluster: options.cluster,
    serviceName: options.service,
    desiredStatus: 'STOPPED',
  })
  const arns = listed.taskArns ?? []
  if (arns.length === 0) return
  const tasks = []
  for (let i = 0; i < arns.length; i += 100) {
    const out = await backend.describeTasks({cluster: options.cluster, tasks: arns.slice(i, i + 100)})
    tasks.push(...(out.tasks ?? []))
  }
  const verdict = judgeStoppedTasks(tasks, primary, service.desiredCount ?? primary.desiredCount ?? 1)
  if (verdict.failed) {
    throw new ServiceWaitFailedError(
      `Deployment of ${shortTaskDefinition(primary.taskDefinition)} failed: ${verdict.count} of its tasks stopped \
(limit ${verdict.threshold}); last: ${verdict.lastReason}`,
      undefined,
      service,
    )
  }
}

function finalLine(service: Service, until: WaitUntil): string {
  const td = shortTaskDefinition(primaryDeployment(service)?.taskDefinition ?? service.taskDefinition)
  const counts = `desired ${service.desiredCount ?? 0}, running ${primaryDeployment(service)?.runningCount ?? service.runningCount ?? 0}`
  return until === 'stable'
    ? `Service ${service.serviceName} has reached a stable state (${td}): ${counts}`
    : `Service ${service.serviceName} deployed ${td}: ${counts}`
}

/**
 * After DeleteService: wait until the service is INACTIVE (or no longer described), so the cluster can be deleted
 * right after (`DeleteCluster` refuses DRAINING services). Returns the last description seen.
 */
export async function waitForServiceInactive(
  backend: Backend,
  ui: Ui,
  options: {cluster: string; service: string; timeoutMs: number; pollMs?: number},
  deleted: Service,
): Promise<Service> {
  if (options.timeoutMs <= 0 || deleted.status === 'INACTIVE') return deleted
  const pollMs = options.pollMs ?? pollInterval(backend)
  const progress = ui.progress(`Waiting for service ${options.service} to drain`)
  const wallStart = Date.now()
  let slept = 0
  let last = deleted
  try {
    for (;;) {
      const out = await backend.describeServices({cluster: options.cluster, services: [options.service]})
      const s = out.services?.[0]
      if (!s || s.status === 'INACTIVE') {
        progress.done(`Service ${options.service} is INACTIVE`)
        return s ?? {...last, status: 'INACTIVE'}
      }
      last = s
      progress.update([
        `service ${options.service}: ${s.status}, running ${s.runningCount ?? 0}, pending ${s.pendingCount ?? 0}`,
      ])
      const elapsed = Math.max(slept, Date.now() - wallStart)
      if (elapsed >= options.timeoutMs) {
        throw new WaitTimeoutError(
          `Timed out after ${formatMinutes(options.timeoutMs)} waiting for service ${options.service} to drain: it is \
still ${s.status} with ${s.runningCount ?? 0} running task(s).`,
        )
      }
      const step = Math.min(pollMs, options.timeoutMs - elapsed)
      await backend.sleep(step)
      slept += step
    }
  } catch (error) {
    progress.done()
    throw error
  }
}
