import {EcsxCommand} from '../../lib/base-command.js'
import type {Task} from '../../lib/ecs/shapes.js'
import {taskFlags} from '../../lib/workflows/project-flags.js'

export default class ComposeStart extends EcsxCommand<Task[]> {
  static override summary = 'Start one task of the project unless some already run (ecs-cli `compose start`).'
  static override description = `Registers the task definition if needed (reusing an identical revision) and starts a \
single task when none of the project's tasks runs. Waits until it is RUNNING (--timeout minutes, 0 = do not wait). \
With --json, stdout holds the started ECS Task objects (an empty array when nothing was started).`

  static override examples = [
    {description: 'Start the project of the current directory', command: '<%= config.bin %> compose start'},
    {
      description: 'Fargate, ecs-cli argument order',
      command:
        '<%= config.bin %> compose --file hello-world.yml --ecs-params ecs-params.yml start --launch-type FARGATE --create-log-groups',
    },
  ]

  static override flags = {...taskFlags}

  async run(): Promise<Task[]> {
    const {flags} = await this.parse(ComposeStart)
    const ctx = await this.setup(flags)
    const [{openTaskProject}, {composeStart}, {renderTasks}] = await Promise.all([
      import('../../lib/workflows/open-project.js'),
      import('../../lib/workflows/project-tasks.js'),
      import('../../lib/workflows/ps.js'),
    ])
    const project = await openTaskProject(ctx, flags)
    const started = await composeStart(project)
    await renderTasks(project.backend, ctx.ui, started)
    return started
  }
}
