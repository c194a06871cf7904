import {Args} from '@oclif/core'

import {parseCount} from '../../lib/workflows/wait/timing.js'
import {EcsxCommand} from '../../lib/base-command.js'
import type {Task} from '../../lib/ecs/shapes.js'
import {taskFlags} from '../../lib/workflows/project-flags.js'

export default class ComposeScale extends EcsxCommand<Task[]> {
  static override summary = "Run or stop the project's tasks until exactly n run (ecs-cli `compose scale n`)."
  static override description = `Counts the project's tasks (group "task:<project>") that are meant to run; starts the \
missing ones from the current revision, or stops the newest extra ones. Waits until the started tasks are RUNNING / \
the stopped ones STOPPED (--timeout minutes, 0 = do not wait). With --json, stdout holds the started ECS Task objects.`

  static override examples = [
    {
      description: 'The EC2 tutorial: two copies of the WordPress task',
      command: '<%= config.bin %> compose scale 2 --cluster-config ec2-tutorial',
    },
    {description: 'Back to one, without waiting', command: '<%= config.bin %> compose scale 1 --timeout 0'},
  ]

  static override args = {
    count: Args.string({required: true, description: 'How many tasks of the project should run.'}),
  }

  static override flags = {...taskFlags}

  async run(): Promise<Task[]> {
    const {args, flags} = await this.parse(ComposeScale)
    const ctx = await this.setup(flags)
    const [{openTaskProject}, {composeScale}, {renderTasks}] = await Promise.all([
      import('../../lib/workflows/open-project.js'),
      import('../../lib/workflows/project-tasks.js'),
      import('../../lib/workflows/ps.js'),
    ])
    const project = await openTaskProject(ctx, flags)
    const started = await composeScale(project, parseCount(args.count))
    await renderTasks(project.backend, ctx.ui, started)
    return started
  }
}
