/**
 * Service events: the exact ECS message texts, newest-first storage, and duplicate suppression (spec §6.9): a
 * message of a suppressible kind is not repeated while its cause persists, unless 6 hours have passed; once the
 * cause is resolved (`clearSuppression`) the same message may be emitted again.
 */
import type {Service, ServiceEvent} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../context.js'
import {newId} from '../ids.js'
import type {EventState, SuppressedKind} from '../model/documents.js'

/** ECS keeps the newest 100 events of a service. */
export const MAX_SERVICE_EVENTS = 100
/** Duplicate messages are suppressed for this long (spec §8). */
export const EVENT_SUPPRESSION_MS = 6 * 3_600_000

const taskIdOf = (taskArn: string): string => taskArn.slice(taskArn.lastIndexOf('/') + 1)

export const eventText = {
  started: (service: string, taskArns: string[]): string =>
    `(service ${service}) has started ${taskArns.length} tasks: ${taskArns.map((arn) => `(task ${taskIdOf(arn)})`).join(' ')}.`,
  stopped: (service: string, taskArns: string[]): string =>
    `(service ${service}) has stopped ${taskArns.length} running tasks: ${taskArns.map((arn) => `(task ${taskIdOf(arn)})`).join(' ')}.`,
  steady: (service: string): string => `(service ${service}) has reached a steady state.`,
  throttled: (service: string): string => `(service ${service}) is unable to consistently start tasks successfully.`,
  deploymentCompleted: (service: string, deploymentId: string): string =>
    `(service ${service}) (deployment ${deploymentId}) deployment completed.`,
  deploymentFailed: (service: string, deploymentId: string): string =>
    `(service ${service}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  unhealthyTask: (service: string, taskArn: string): string =>
    `(service ${service}) (task ${taskIdOf(taskArn)}) failed container health checks.`,
} as const

/** A 36-character event id (UUID layout) from the engine's seeded random. */
export function newEventId(ctx: EngineContext): string {
  const hex = newId(ctx)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Prepend an event (newest first), keeping at most MAX_SERVICE_EVENTS. */
export function addEvent(ctx: EngineContext, service: Service, message: string, at: number): ServiceEvent {
  const event: ServiceEvent = {id: newEventId(ctx), createdAt: new Date(at), message}
  const events = service.events ?? (service.events = [])
  events.unshift(event)
  if (events.length > MAX_SERVICE_EVENTS) events.length = MAX_SERVICE_EVENTS
  return event
}

/**
 * Emit a suppressible event unless the same message of this kind was emitted less than 6 hours ago and its cause
 * has not been resolved since. Returns whether it was emitted.
 */
export function addSuppressedEvent(
  ctx: EngineContext,
  service: Service,
  state: EventState,
  kind: SuppressedKind,
  message: string,
  at: number,
): boolean {
  const last = state.suppress[kind]
  if (last && last.message === message && at - last.at < EVENT_SUPPRESSION_MS) return false
  addEvent(ctx, service, message, at)
  state.suppress[kind] = {message, at}
  return true
}

/** The cause of `kind` is resolved: the next event of this kind is emitted even if its text is the same. */
export function clearSuppression(state: EventState, kind: SuppressedKind): void {
  delete state.suppress[kind]
}

/** When a suppressed message of `kind` may be repeated (for scheduling the reconciler), if one is active. */
export function suppressionExpiry(state: EventState, kind: SuppressedKind): number | undefined {
  const last = state.suppress[kind]
  return last ? last.at + EVENT_SUPPRESSION_MS : undefined
}
