import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {Task} from '../../lib/ecs/shapes.js'
import {taskFlags} from '../../lib/workflows/project-flags.js'

export default class ComposeUp extends EcsxCommand<Task[]> {
  static override summary =
    "Register the project's task definition and make sure one task of it runs (ecs-cli `compose up`)."
  static override description = `Registers the task definition (family = project name), reusing the latest ACTIVE \
revision when identical, then:
  - no task of the project runs → starts one;
  - tasks of an older revision run (or --force-update) → stops them and starts as many of the new revision;
  - otherwise nothing changes.
Tasks carry RunTask group "task:<project>" and startedBy "<project>" (ecs-cli naming). Waits until the started tasks \
are RUNNING (--timeout minutes, 0 = do not wait). With --json, stdout holds the started ECS Task objects.`

  static override examples = [
    {
      description: 'The EC2 tutorial: run the WordPress project on the configured cluster',
      command: '<%= config.bin %> compose up --create-log-groups --cluster-config ec2-tutorial',
    },
    {
      description: 'Fargate, with a project name and files given ecs-cli style',
      command:
        '<%= config.bin %> compose --project-name hello-world --file hello-world.yml --ecs-params ecs-params.yml up --launch-type FARGATE',
    },
    {
      description: 'Replace the running tasks even if nothing changed',
      command: '<%= config.bin %> compose up --force-update --json',
    },
  ]

  static override flags = {
    ...taskFlags,
    'force-update': Flags.boolean({
      description: "Stop and restart the project's tasks even when they already run the current revision.",
    }),
  }

  async run(): Promise<Task[]> {
    const {flags} = await this.parse(ComposeUp)
    const ctx = await this.setup(flags)
    const [{openTaskProject}, {composeUp}, {renderTasks}] = await Promise.all([
      import('../../lib/workflows/open-project.js'),
      import('../../lib/workflows/project-tasks.js'),
      import('../../lib/workflows/ps.js'),
    ])
    const project = await openTaskProject(ctx, flags)
    const started = await composeUp(project, {forceUpdate: flags['force-update']})
    await renderTasks(project.backend, ctx.ui, started)
    return started
  }
}
