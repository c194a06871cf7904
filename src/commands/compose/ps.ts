import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {Task} from '../../lib/ecs/shapes.js'
import {projectFlags} from '../../lib/workflows/project-flags.js'

export default class ComposePs extends EcsxCommand<Task[]> {
  static override aliases = ['compose:list']
  static override summary = "List the containers of the project's tasks (ecs-cli `compose ps|list`)."
  static override description = `The project's tasks are those with RunTask group "task:<project>" (or startedBy \
"<project>" from older ecs-cli runs). One row per container: Name (<task id>/<container>), State, Ports, \
TaskDefinition, Health. With --json, stdout holds the ECS Task objects.`

  static override examples = [
    {
      description: 'Running containers of the project in the current directory',
      command: '<%= config.bin %> compose ps',
    },
    {
      description: 'Stopped ones, as JSON',
      command: '<%= config.bin %> compose --project-name hello-world ps --desired-status STOPPED --json',
    },
  ]

  static override flags = {
    ...projectFlags,
    'desired-status': Flags.option({
      options: ['RUNNING', 'STOPPED'] as const,
      description: 'Only tasks with this desired status. [default: both]',
    })(),
  }

  async run(): Promise<Task[]> {
    const {flags} = await this.parse(ComposePs)
    const ctx = await this.setup(flags)
    const {openProject} = await import('../../lib/workflows/open-project.js')
    const {ps} = await import('../../lib/workflows/ps.js')
    const {names, backend} = await openProject(ctx, flags)
    const filter = {
      desiredStatus: flags['desired-status'] ?? ('ALL' as const),
      group: names.group,
      startedBy: names.startedBy,
    }
    return ps(backend, ctx.ui, ctx.settings.cluster, filter, {json: this.jsonEnabled()})
  }
}
