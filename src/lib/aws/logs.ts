/**
 * Container logs in CloudWatch Logs (`ecsx logs`, and `--create-log-groups` for compose commands).
 *
 * ECS's awslogs driver writes a container's output to log group `awslogs-group`, stream
 * `<awslogs-stream-prefix>/<container name>/<task id>` (without a prefix the stream is named after the Docker
 * container id, which ecsx cannot know). `resolveLogSource` finds those streams from the task (or, for a task ECS no
 * longer lists, from --task-def) through any Backend; `fetchLogEvents`/`followLogEvents` read them with
 * FilterLogEvents, paginated, one call per log group.
 */
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import type {ContainerDefinition, Task, TaskDefinition} from '@aws-sdk/client-ecs'

import type {Backend} from '../ecs/backend.js'
import type {ResolvedSettings} from '../config/types.js'
import {InputError, OperationError} from '../errors.js'
import type {Ui} from '../ui/types.js'
import {awsErrorName, createAwsClient, type PollDeps, realPollDeps} from './sdk-config.js'

export interface LogTarget {
  container: string
  logGroup: string
  logStream: string
  region: string
}

export interface LogSource {
  taskId: string
  /** Absent when the task is gone and --task-def named the task definition. */
  task?: Task
  taskDefinition: TaskDefinition
  targets: LogTarget[]
  /** Containers whose logs cannot be read, with the reason. */
  skipped: string[]
}

export const AWSLOGS_HINT =
  'ecsx logs reads CloudWatch Logs of containers that use the awslogs log driver with awslogs-group and ' +
  'awslogs-stream-prefix (compose: logging: {driver: awslogs, options: {awslogs-group, awslogs-region, awslogs-stream-prefix}}).'

/** The task id of a task id or task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
export function taskIdOf(ref: string): string {
  return ref.includes('/') ? (ref.split('/').pop() as string) : ref
}

/** Where a container's awslogs output lives, or why it cannot be read. */
export function logTargetOf(container: ContainerDefinition, taskId: string, defaultRegion: string): LogTarget | string {
  const name = container.name ?? '?'
  const config = container.logConfiguration
  if (!config || config.logDriver !== 'awslogs')
    return `container ${name} uses the ${config?.logDriver ?? 'default (none)'} log driver, not awslogs`
  const options = config.options ?? {}
  const group = options['awslogs-group']
  if (!group) return `container ${name} has no awslogs-group option`
  const prefix = options['awslogs-stream-prefix']
  if (!prefix)
    return `container ${name} has no awslogs-stream-prefix, so its stream is named after the Docker container id`
  return {
    container: name,
    logGroup: group,
    logStream: `${prefix}/${name}/${taskId}`,
    region: options['awslogs-region'] ?? defaultRegion,
  }
}

export async function resolveLogSource(
  backend: Pick<Backend, 'describeTasks' | 'describeTaskDefinition'>,
  cluster: string,
  options: {taskId: string; taskDef?: string; containerName?: string},
  defaultRegion: string,
): Promise<LogSource> {
  const taskId = taskIdOf(options.taskId)
  const described = await backend.describeTasks({cluster, tasks: [options.taskId]})
  const task = described.tasks?.[0]
  const taskDefinitionRef = options.taskDef ?? task?.taskDefinitionArn
  if (!taskDefinitionRef) {
    throw new OperationError(
      `Task ${taskId} not found in cluster ${cluster}.`,
      'ECS forgets stopped tasks after about an hour: pass --task-def family:revision to read the logs of a stopped task.',
    )
  }
  const {taskDefinition} = await backend.describeTaskDefinition({taskDefinition: taskDefinitionRef})
  if (!taskDefinition) throw new OperationError(`Task definition ${taskDefinitionRef} not found.`)
  let containers = taskDefinition.containerDefinitions ?? []
  if (options.containerName) {
    const names = containers.map((c) => c.name)
    containers = containers.filter((c) => c.name === options.containerName)
    if (containers.length === 0) {
      throw new InputError(
        `Task definition ${taskDefinition.family}:${taskDefinition.revision} has no container "${options.containerName}".`,
        `Its containers: ${names.join(', ')}.`,
      )
    }
  }
  const targets: LogTarget[] = []
  const skipped: string[] = []
  for (const c of containers) {
    const target = logTargetOf(c, taskId, defaultRegion)
    if (typeof target === 'string') skipped.push(target)
    else targets.push(target)
  }
  return {taskId, ...(task ? {task} : {}), taskDefinition, targets, skipped}
}

/** "web: log group /ecs/app, stream ecs/web/<task id> (us-west-2)" — what `ecsx logs` reads. */
export function describeLogTargets(targets: LogTarget[]): string[] {
  return targets.map((t) => `${t.container}: log group ${t.logGroup}, stream ${t.logStream} (${t.region})`)
}

// ---------------------------------------------------------------------------------------------------------------

export interface LogEventLine {
  timestamp: number
  message: string
  container: string
  logGroup: string
  logStream: string
  eventId?: string
}

export interface LogQuery {
  startTime?: number
  endTime?: number
  filterPattern?: string
}

/** CloudWatch Logs clients per region (awslogs-region may differ from the command's region). */
export interface LogsClients {
  get(region: string): Promise<CloudWatchLogsClient>
  sdk: typeof import('@aws-sdk/client-cloudwatch-logs')
  close(): void
}

export async function openLogsClients(settings: ResolvedSettings, ui?: Ui): Promise<LogsClients> {
  const sdk = await import('@aws-sdk/client-cloudwatch-logs')
  const clients = new Map<string, CloudWatchLogsClient>()
  return {
    sdk,
    async get(region) {
      let client = clients.get(region)
      if (!client) {
        client = await createAwsClient(sdk.CloudWatchLogsClient, settings, ui, {region})
        clients.set(region, client)
      }
      return client
    },
    close() {
      for (const c of clients.values()) c.destroy()
    },
  }
}

/** All events of the targets matching the query, oldest first (FilterLogEvents, paginated, one call per group). */
export async function fetchLogEvents(
  clients: LogsClients,
  targets: LogTarget[],
  query: LogQuery,
): Promise<LogEventLine[]> {
  const groups = new Map<string, LogTarget[]>()
  for (const t of targets) {
    const key = `${t.region}\u0000${t.logGroup}`
    groups.set(key, [...(groups.get(key) ?? []), t])
  }
  const events: LogEventLine[] = []
  for (const members of groups.values()) {
    const {region, logGroup} = members[0] as LogTarget
    const containerOf = new Map(members.map((m) => [m.logStream, m.container]))
    const client = await clients.get(region)
    let nextToken: string | undefined
    do {
      let page
      try {
        page = await client.send(
          new clients.sdk.FilterLogEventsCommand({
            logGroupName: logGroup,
            logStreamNames: members.map((m) => m.logStream),
            ...(query.startTime !== undefined ? {startTime: query.startTime} : {}),
            ...(query.endTime !== undefined ? {endTime: query.endTime} : {}),
            ...(query.filterPattern ? {filterPattern: query.filterPattern} : {}),
            ...(nextToken ? {nextToken} : {}),
          }),
        )
      } catch (err) {
        if (awsErrorName(err) === 'ResourceNotFoundException') {
          throw new LogsNotFoundError(
            `Log group ${logGroup} (or its streams) not found in ${region}: ${(err as Error).message}`,
            'The group is created by `--create-log-groups` (or awslogs-create-group); the stream appears once the container has started.',
          )
        }
        throw err
      }
      for (const e of page.events ?? []) {
        const stream = e.logStreamName ?? ''
        events.push({
          timestamp: e.timestamp ?? 0,
          message: (e.message ?? '').replace(/\n$/, ''),
          container: containerOf.get(stream) ?? stream,
          logGroup,
          logStream: stream,
          ...(e.eventId ? {eventId: e.eventId} : {}),
        })
      }
      nextToken = page.nextToken && page.nextToken !== nextToken ? page.nextToken : undefined
    } while (nextToken)
  }
  return events.sort((a, b) => a.timestamp - b.timestamp)
}

/** The log group (or a requested stream) does not exist (yet). Exit 1; `--follow` waits for it instead. */
export class LogsNotFoundError extends OperationError {}

export interface FollowOptions {
  deps?: PollDeps
  pollIntervalMs?: number
  /** Stop after the current poll once aborted (Ctrl-C, tests). */
  signal?: AbortSignal
  /** Told once when the group/streams do not exist yet (a task that is still starting); polling goes on. */
  onWaiting?: (message: string) => void
}

/**
 * Print what exists, then poll for new events until aborted. Each poll asks from the newest timestamp seen so far
 * and drops events already emitted (by event id), so nothing is printed twice or skipped within a millisecond.
 */
export async function followLogEvents(
  clients: LogsClients,
  targets: LogTarget[],
  query: LogQuery,
  emit: (events: LogEventLine[]) => void,
  options: FollowOptions = {},
): Promise<void> {
  const deps = options.deps ?? realPollDeps
  const interval = options.pollIntervalMs ?? 2000
  let cursor = query.startTime
  let seenAtCursor = new Set<string>()
  let toldWaiting = false
  for (;;) {
    let events: LogEventLine[] = []
    try {
      events = await fetchLogEvents(clients, targets, {...query, ...(cursor !== undefined ? {startTime: cursor} : {})})
    } catch (err) {
      if (!(err instanceof LogsNotFoundError)) throw err
      if (!toldWaiting) options.onWaiting?.(`${err.message} — waiting for it to appear.`)
      toldWaiting = true
    }
    const fresh = events.filter((e) => !(e.eventId && e.timestamp === cursor && seenAtCursor.has(e.eventId)))
    if (fresh.length > 0) {
      emit(fresh)
      const newest = (fresh[fresh.length - 1] as LogEventLine).timestamp
      if (newest !== cursor) seenAtCursor = new Set()
      cursor = newest
      for (const e of fresh) if (e.timestamp === cursor && e.eventId) seenAtCursor.add(e.eventId)
    }
    if (options.signal?.aborted) return
    await deps.sleep(interval)
    if (options.signal?.aborted) return
  }
}

/** One output line: `[<RFC 3339 time> ][<container> | ]<message>`. */
export function formatLogEvent(e: LogEventLine, options: {timestamps?: boolean; showContainer?: boolean} = {}): string {
  let line = ''
  if (options.timestamps) line += `${new Date(e.timestamp).toISOString()} `
  if (options.showContainer) line += `${e.container} | `
  return line + e.message
}

/** RFC 3339 (e.g. 2006-01-02T15:04:05+07:00) → epoch ms; InputError naming the flag otherwise. */
export function parseRfc3339(value: string, flag: string): number {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)
  const ms = Date.parse(value)
  if (!ok || Number.isNaN(ms)) {
    throw new InputError(`Invalid ${flag} "${value}": expected an RFC 3339 time such as 2006-01-02T15:04:05+07:00.`)
  }
  return ms
}

// ---------------------------------------------------------------------------------------------------------------

export interface CreatedLogGroups {
  created: string[]
  existing: string[]
}

/**
 * `--create-log-groups`: create the awslogs group of every container that uses the awslogs driver (in its
 * awslogs-region, else the settings' region). A group that exists already is a warning, not an error.
 */
export async function createLogGroups(
  settings: ResolvedSettings,
  taskDefinition: {containerDefinitions?: ContainerDefinition[]},
  ui?: Ui,
): Promise<CreatedLogGroups> {
  const wanted = new Map<string, {region: string; group: string}>()
  for (const c of taskDefinition.containerDefinitions ?? []) {
    const config = c.logConfiguration
    const group = config?.options?.['awslogs-group']
    if (config?.logDriver !== 'awslogs' || !group) continue
    const region = config.options?.['awslogs-region'] ?? settings.region
    wanted.set(`${region}\u0000${group}`, {region, group})
  }
  const result: CreatedLogGroups = {created: [], existing: []}
  if (wanted.size === 0) return result
  const clients = await openLogsClients(settings, ui)
  try {
    for (const {region, group} of wanted.values()) {
      const client = await clients.get(region)
      try {
        await client.send(new clients.sdk.CreateLogGroupCommand({logGroupName: group}))
        result.created.push(group)
        ui?.info(`Created log group ${group} in ${region}`)
      } catch (err) {
        if (awsErrorName(err) !== 'ResourceAlreadyExistsException') throw err
        result.existing.push(group)
        ui?.warn(`Log group ${group} already exists in ${region}.`)
      }
    }
  } finally {
    clients.close()
  }
  return result
}
