import type {Task} from '@aws-sdk/client-ecs'

import {EcsxCommand} from '../../lib/base-command.js'
import {taskFlags} from '../../lib/compose-flags.js'

export default class ComposeStart extends EcsxCommand<Task[]> {
  static override summary = 'Start one task of the project unless some already run (ecs-cli `compose start`).'
  static override description = `Registers the task definition if needed (reusing an identical revision) and starts a single task when none of the project's tasks runs. Waits until it is RUNNING (--timeout minutes, 0 = do not wait). With --json, stdout holds the started ECS Task objects (an empty array when nothing was started).`

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
    const {openProject, taskProject} = await import('../../lib/compose-command.js')
    const {composeStart} = await import('../../lib/compose-tasks.js')
    const {renderStartedTasks} = await import('../../lib/compose-render.js')
    const project = taskProject(ctx, await openProject(ctx, flags, (m) => this.note(m)))
    const started = await composeStart(project)
    await renderStartedTasks(project, started)
    return started
  }
}
