import {Args, Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {Task} from '../../lib/ecs/shapes.js'

export default class EngineFailTask extends EcsxCommand<Task> {
  static override summary = "Make a task's essential containers exit, as if the application crashed."
  static override description = `Local backend only (exit 2 on aws). The task's essential container(s) exit with \
--exit-code (default 1), the task stops with "Essential container in task exited", and a service it belongs to starts a replacement.`

  static override examples = [
    {
      description: 'Crash a task with exit code 1',
      command: '<%= config.bin %> engine fail-task 0f3e9d6c4b1a4c2e9a7d5b3c1e2f4a6b',
    },
    {
      description: 'Simulate an out-of-memory kill',
      command:
        '<%= config.bin %> engine fail-task ' +
        'arn:aws:ecs:us-east-1:000000000000:task/default/0f3e9d6c4b1a4c2e9a7d5b3c1e2f4a6b --exit-code 137',
    },
  ]

  static override args = {
    task: Args.string({description: 'Task id or ARN.', required: true}),
  }

  static override flags = {
    'exit-code': Flags.integer({description: 'Exit code of the essential container(s). [default: 1]'}),
  }

  async run(): Promise<Task> {
    const {args, flags} = await this.parse(EngineFailTask)
    const {settings, ui, backend} = await this.setup(flags)
    const {requireEngine} = await import('../../lib/workflows/engine-controls.js')
    const exitCode = flags['exit-code'] ?? 1
    const task = await requireEngine(await backend(), 'engine fail-task').failTask(
      settings.cluster,
      args.task,
      exitCode,
    )
    const arn = task.taskArn ?? args.task
    ui.out(
      `Task ${arn.slice(arn.lastIndexOf('/') + 1)}: essential container exited with code ${exitCode}; ` +
        `desired status ${task.desiredStatus}, last status ${task.lastStatus}.`,
    )
    return task
  }
}
