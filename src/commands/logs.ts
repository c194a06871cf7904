import {Flags} from '@oclif/core'

import type {LogEventLine} from '../lib/aws/logs.js'
import {EcsxCommand} from '../lib/base-command.js'
import {InputError, OperationError} from '../lib/errors.js'

export default class Logs extends EcsxCommand<LogEventLine[]> {
  static override summary = "Print the CloudWatch Logs of a task's containers (aws backend)."
  static override description = `Like ecs-cli logs. Reads the streams the awslogs log driver writes, <awslogs-stream-prefix>/<container>/<task id> in awslogs-group (and awslogs-region), for every container of the task that uses awslogs with a stream prefix (or only --container-name). Events of several containers are merged by time and prefixed with the container name.
A task ECS no longer lists (stopped for more than about an hour) needs --task-def family:revision.
--follow keeps polling for new events until interrupted (Ctrl-C). With --json, stdout holds the array of events ({timestamp, message, container, logGroup, logStream, eventId}); --json cannot be combined with --follow.
On the local backend containers are simulated and write no output: the command exits 2 and says which streams it would read on AWS.`

  static override examples = [
    {
      description: 'The logs of a task',
      command: '<%= config.bin %> logs --task-id 0c2862e6e39e4eff92ca3e4f843c5b9a --backend aws',
    },
    {
      description: 'Follow a task of the tutorial cluster, with timestamps',
      command:
        '<%= config.bin %> logs --task-id 0c2862e6e39e4eff92ca3e4f843c5b9a --follow --timestamps --cluster-config tutorial',
    },
    {
      description: 'Errors of one container in the last 30 minutes of a stopped task',
      command:
        '<%= config.bin %> logs --task-id 0c2862e6e39e4eff92ca3e4f843c5b9a --task-def web:3 --container-name app --since 30 --filter-pattern ERROR',
    },
  ]

  static override flags = {
    'task-id': Flags.string({description: 'Task id (or task ARN) whose logs to print.', required: true}),
    'task-def': Flags.string({
      description:
        'Task definition (family:revision or ARN) of the task; needed once ECS no longer lists the stopped task.',
    }),
    'container-name': Flags.string({description: "Only this container's logs."}),
    follow: Flags.boolean({description: 'Keep printing new events until interrupted.', exclusive: ['end-time']}),
    'filter-pattern': Flags.string({
      description: 'CloudWatch Logs filter pattern (a substring or pattern syntax) events must match.',
    }),
    since: Flags.integer({description: 'Only events from the last N minutes.', min: 1, exclusive: ['start-time']}),
    'start-time': Flags.string({
      description: 'Only events at or after this RFC 3339 time, e.g. 2006-01-02T15:04:05+07:00.',
    }),
    'end-time': Flags.string({description: 'Only events before this RFC 3339 time.'}),
    timestamps: Flags.boolean({description: "Print each event's time (RFC 3339) before it."}),
  }

  async run(): Promise<LogEventLine[]> {
    const {flags} = await this.parse(Logs)
    if (flags.follow && this.jsonEnabled())
      throw new InputError(
        '--json cannot be combined with --follow: --json prints one document once the events are read.',
      )
    const logs = await import('../lib/aws/logs.js')
    const startTime =
      flags.since !== undefined
        ? Date.now() - flags.since * 60_000
        : flags['start-time']
          ? logs.parseRfc3339(flags['start-time'], '--start-time')
          : undefined
    const endTime = flags['end-time'] ? logs.parseRfc3339(flags['end-time'], '--end-time') : undefined
    if (startTime !== undefined && endTime !== undefined && endTime <= startTime)
      throw new InputError('--end-time must be later than the start of the time range.')

    const {settings, ui, backend} = await this.setup(flags)
    const query = {taskId: flags['task-id'], taskDef: flags['task-def'], containerName: flags['container-name']}
    if (settings.backend === 'local') {
      let detail: string
      try {
        const source = await logs.resolveLogSource(await backend(), settings.cluster, query, settings.region)
        const reads = logs.describeLogTargets(source.targets)
        detail =
          reads.length > 0
            ? `On the aws backend ecsx would read:\n  ${reads.join('\n  ')}`
            : `On the aws backend there would be nothing to read: ${source.skipped.join('; ')}.\n${logs.AWSLOGS_HINT}`
      } catch (err) {
        detail = `The task could not be looked up locally either: ${(err as Error).message}`
      }
      throw new InputError(
        'Logs are not available on the local backend: its containers are simulated and write no output.',
        `${detail}\nRun with --backend aws to read CloudWatch Logs.`,
      )
    }

    const source = await logs.resolveLogSource(await backend(), settings.cluster, query, settings.region)
    for (const reason of source.skipped) ui.warn(`Skipping ${reason}.`)
    if (source.targets.length === 0)
      throw new OperationError(`No CloudWatch Logs to read for task ${source.taskId}.`, logs.AWSLOGS_HINT)
    for (const line of logs.describeLogTargets(source.targets)) ui.verbose(`Reading ${line}`)

    const format = {timestamps: flags.timestamps, showContainer: source.targets.length > 1}
    const clients = await logs.openLogsClients(settings, ui)
    try {
      const range = {startTime, endTime, filterPattern: flags['filter-pattern']}
      if (flags.follow) {
        const controller = new AbortController()
        const stop = () => controller.abort()
        process.once('SIGINT', stop)
        try {
          await logs.followLogEvents(
            clients,
            source.targets,
            range,
            (events) => {
              for (const e of events) ui.out(logs.formatLogEvent(e, format))
            },
            {signal: controller.signal, onWaiting: (message) => ui.warn(message)},
          )
        } finally {
          process.removeListener('SIGINT', stop)
        }
        return []
      }
      const events = await logs.fetchLogEvents(clients, source.targets, range)
      for (const e of events) ui.out(logs.formatLogEvent(e, format))
      return events
    } finally {
      clients.close()
    }
  }
}
