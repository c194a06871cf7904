/**
 * `ecsx logs`: the time range from the flags, then the task's container logs through the infrastructure (CloudWatch
 * Logs on aws; exit 2 on the local backend), printed one event per line, once or until interrupted.
 */
import {formatLogEvent, parseRfc3339} from '../aws/logs.js'
import {InputError} from '../errors.js'
import type {Infrastructure, LogEventLine, LogRange, TaskLogQuery} from '../infra/types.js'
import type {Ui} from '../ui/types.js'

export interface LogRangeFlags {
  /** Minutes back from now. */
  since?: number
  'start-time'?: string
  'end-time'?: string
  'filter-pattern'?: string
}

/** The range of `--since`/`--start-time`/`--end-time` (RFC 3339) and `--filter-pattern`; exit 2 when it is empty. */
export function logRange(flags: LogRangeFlags, now = Date.now()): LogRange {
  const startTime =
    flags.since !== undefined
      ? now - flags.since * 60_000
      : flags['start-time']
        ? parseRfc3339(flags['start-time'], '--start-time')
        : undefined
  const endTime = flags['end-time'] ? parseRfc3339(flags['end-time'], '--end-time') : undefined
  if (startTime !== undefined && endTime !== undefined && endTime <= startTime)
    throw new InputError('--end-time must be later than the start of the time range.')
  return {startTime, endTime, filterPattern: flags['filter-pattern']}
}

export interface PrintLogsOptions {
  /** Keep printing new events until SIGINT; the result is then empty. */
  follow?: boolean
  /** Prefix each line with the event's RFC 3339 time. */
  timestamps?: boolean
}

/** Print the task's log events on stdout (the container name first when several are read); returns what was read. */
export async function printTaskLogs(
  infra: Infrastructure,
  ui: Ui,
  query: TaskLogQuery,
  range: LogRange,
  options: PrintLogsOptions = {},
): Promise<LogEventLine[]> {
  const logs = await infra.logs.open(query)
  const format = {timestamps: options.timestamps, showContainer: logs.containers > 1}
  const print = (events: LogEventLine[]) => {
    for (const e of events) ui.out(formatLogEvent(e, format))
  }
  try {
    if (!options.follow) {
      const events = await logs.fetch(range)
      print(events)
      return events
    }
    const controller = new AbortController()
    const stop = () => controller.abort()
    process.once('SIGINT', stop)
    try {
      await logs.follow(range, print, {signal: controller.signal, onWaiting: (message) => ui.warn(message)})
    } finally {
      process.removeListener('SIGINT', stop)
    }
    return []
  } finally {
    logs.close()
  }
}
