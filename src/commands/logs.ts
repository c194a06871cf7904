import {Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import {InputError} from '../lib/errors.js'
import type {LogEventLine} from '../lib/infra/types.js'

export default class Logs extends EcsxCommand<LogEventLine[]> {
  static override summary = "Print the CloudWatch Logs of a task's containers (aws backend)."
  static override description = `Like ecs-cli logs. Reads the streams the awslogs log driver writes, \
<awslogs-stream-prefix>/<container>/<task id> in awslogs-group (and awslogs-region), for every container of the task \
that uses awslogs with a stream prefix (or only --container-name). Events of several containers are merged by time and \
prefixed with the container name.
A task ECS no longer lists (stopped for more than about an hour) needs --task-def family:revision.
--follow keeps polling for new events until interrupted (Ctrl-C). With --json, stdout holds the array of events \
({timestamp, message, container, logGroup, logStream, eventId}); --json cannot be combined with --follow.
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
        '<%= config.bin %> logs --task-id 0c2862e6e39e4eff92ca3e4f843c5b9a --task-def web:3 --container-name ' +
        'app --since 30 --filter-pattern ERROR',
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
    const {logRange, printTaskLogs} = await import('../lib/workflows/logs.js')
    const range = logRange(flags)
    const {ui, infra} = await this.setup(flags)
    const query = {taskId: flags['task-id'], taskDef: flags['task-def'], containerName: flags['container-name']}
    return printTaskLogs(await infra(), ui, query, range, {follow: flags.follow, timestamps: flags.timestamps})
  }
}
