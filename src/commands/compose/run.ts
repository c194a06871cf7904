import {Args} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {Task} from '../../lib/ecs/shapes.js'
import {taskFlags} from '../../lib/workflows/project-flags.js'

export default class ComposeRun extends EcsxCommand<Task[]> {
  static override strict = false
  static override summary =
    'Run one task of the project with one-off commands for some containers (ecs-cli `compose run`).'
  static override description = `Arguments come in pairs: a container (compose service) name and the command it should \
run instead of its own, as one shell-quoted string ("sh -c 'echo hi'" → ["sh", "-c", "echo hi"]). Containers not named \
keep their command. Registers the task definition if needed, runs one task with those overrides and waits until it is \
RUNNING, or has already finished (--timeout minutes, 0 = do not wait). With --json, stdout holds the started ECS Task object(s).`

  static override examples = [
    {
      description: 'Run database migrations in the web container',
      command: '<%= config.bin %> compose run web "python manage.py migrate"',
    },
    {
      description: 'Override two containers',
      command: '<%= config.bin %> compose run web "echo hello" worker "sleep 300"',
    },
  ]

  static override args = {
    pairs: Args.string({description: 'container "command …" [container "command …"]…', required: false}),
  }

  static override flags = {...taskFlags}

  async run(): Promise<Task[]> {
    const {argv, flags} = await this.parse(ComposeRun)
    const ctx = await this.setup(flags)
    const [{openTaskProject}, {composeRun}, {renderTasks}] = await Promise.all([
      import('../../lib/workflows/open-project.js'),
      import('../../lib/workflows/project-tasks.js'),
      import('../../lib/workflows/ps.js'),
    ])
    const project = await openTaskProject(ctx, flags)
    const started = await composeRun(project, argv as string[])
    await renderTasks(project.backend, ctx.ui, started)
    return started
  }
}
