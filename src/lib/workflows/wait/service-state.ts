/**
 * Pure judgements over a DescribeServices answer: is the wait over, did it fail, what to show.
 * No I/O here, so every rule is unit-testable with literal `Service` objects.
 */
import type {Deployment, Service, ServiceEvent} from '@aws-sdk/client-ecs'

export type WaitUntil = 'deployed' | 'stable'

/** ECS's event when the scheduler found no container instance for a task (spec ecs-model.md §6.9). */
export const UNPLACEABLE_EVENT = /was unable to place a task/
/** ECS's service-throttle event (spec ecs-model.md §6.8). */
export const THROTTLE_EVENT = /is unable to consistently start tasks successfully/

export function primaryDeployment(service: Service): Deployment | undefined {
  return service.deployments?.find((d) => d.status === 'PRIMARY')
}

/**
 * "stable": the PRIMARY deployment is the only one and runs exactly the desired count, nothing pending
 *           (ECS's steady state; `desiredCount` 0 is stable once everything has stopped).
 * "deployed": the PRIMARY deployment runs the desired count; older deployments may still be draining.
 */
export function hasReached(service: Service, until: WaitUntil): boolean {
  const primary = primaryDeployment(service)
  if (!primary) return false
  const desired = service.desiredCount ?? primary.desiredCount ?? 0
  const primaryRunning = primary.runningCount ?? 0
  const deployed = (primary.desiredCount ?? desired) === desired && primaryRunning >= desired
  if (until === 'deployed' || !deployed) return deployed
  const others = (service.deployments ?? []).filter((d) => d !== primary)
  return (
    others.length === 0 &&
    primaryRunning === desired &&
    (primary.pendingCount ?? 0) === 0 &&
    (service.runningCount ?? primaryRunning) === desired &&
    (service.pendingCount ?? 0) === 0
  )
}

/** The failure ECS itself reports on the PRIMARY deployment (rolloutState FAILED), if any. */
export function rolloutFailure(service: Service): string | undefined {
  const primary = primaryDeployment(service)
  if (primary?.rolloutState !== 'FAILED') return undefined
  return primary.rolloutStateReason ?? "the deployment's rollout state is FAILED"
}

/** `family:revision` from a task definition ARN (or the input when it is not an ARN). */
export function shortTaskDefinition(arn: string | undefined): string {
  if (!arn) return '?'
  const slash = arn.lastIndexOf('/')
  return slash >= 0 ? arn.slice(slash + 1) : arn
}

/** The live status block: one summary line plus one line per deployment (PRIMARY first). */
export function statusLines(service: Service): string[] {
  const lines = [
    `service ${service.serviceName}: desired ${service.desiredCount ?? 0}, running ${service.runningCount ?? 0}, \
pending ${service.pendingCount ?? 0}`,
  ]
  const deployments = [...(service.deployments ?? [])].sort((a, b) => rank(a) - rank(b))
  for (const d of deployments) {
    const rollout = d.rolloutState ? ` (${d.rolloutState})` : ''
    lines.push(
      `  ${(d.status ?? '?').padEnd(7)} ${shortTaskDefinition(d.taskDefinition)}: desired ${d.desiredCount ?? 0}, \
running ${d.runningCount ?? 0}, pending ${d.pendingCount ?? 0}${rollout}`,
    )
  }
  return lines
}

function rank(d: Deployment): number {
  return d.status === 'PRIMARY' ? 0 : d.status === 'ACTIVE' ? 1 : 2
}

/** Events created at or after `since` and not yet shown, oldest first (ECS lists them newest first). */
export function newEvents(service: Service, since: number, seen: Set<string>): ServiceEvent[] {
  const indexed = (service.events ?? []).map((e, i) => ({e, i}))
  const fresh = indexed.filter(({e}) => !seen.has(eventKey(e)) && eventTime(e) >= since)
  fresh.sort((a, b) => eventTime(a.e) - eventTime(b.e) || b.i - a.i)
  for (const {e} of fresh) seen.add(eventKey(e))
  return fresh.map(({e}) => e)
}

export function eventTime(e: ServiceEvent): number {
  return e.createdAt ? new Date(e.createdAt).getTime() : 0
}

export function eventKey(e: ServiceEvent): string {
  return e.id ?? `${eventTime(e)}:${e.message}`
}

/** "2026-11-25T01:02:03Z <message>" — the permanent line printed for a service event. */
export function formatEvent(e: ServiceEvent): string {
  const t = e.createdAt ? new Date(e.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-'
  return `${t} ${e.message ?? ''}`
}

/** Why the service is not there yet, for a timeout message. */
export function pendingReason(service: Service, until: WaitUntil): string {
  const primary = primaryDeployment(service)
  const desired = service.desiredCount ?? 0
  const parts = [`desired ${desired}, running ${service.runningCount ?? 0}, pending ${service.pendingCount ?? 0}`]
  if (primary)
    parts.push(
      `new deployment ${shortTaskDefinition(primary.taskDefinition)} runs ${primary.runningCount ?? 0} of ${desired}`,
    )
  const others = (service.deployments ?? []).filter((d) => d !== primary)
  if (until === 'stable' && others.length > 0) {
    parts.push(
      `${others.length} older deployment(s) still running ${others.reduce((n, d) => n + (d.runningCount ?? 0), 0)} task(s)`,
    )
  }
  const latest = [...(service.events ?? [])].sort((a, b) => eventTime(b) - eventTime(a))[0]
  if (latest?.message && !/has reached a steady state/.test(latest.message))
    parts.push(`latest event: ${latest.message}`)
  return parts.join('; ')
}

/**
 * The newest event's text when it is an "unable to place" event and the PRIMARY deployment is short of tasks with
 * none pending — the scheduler tried and could not place them.
 */
export function standingUnplaceable(service: Service): string | undefined {
  const primary = primaryDeployment(service)
  if (!primary) return undefined
  const desired = service.desiredCount ?? primary.desiredCount ?? 0
  if ((primary.runningCount ?? 0) + (primary.pendingCount ?? 0) >= desired) return undefined
  const newest = [...(service.events ?? [])]
    .map((e, i) => ({e, i}))
    .sort((a, b) => eventTime(b.e) - eventTime(a.e) || a.i - b.i)[0]?.e
  return newest?.message && UNPLACEABLE_EVENT.test(newest.message) ? newest.message : undefined
}
