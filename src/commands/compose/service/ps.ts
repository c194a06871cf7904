import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../../lib/base-command.js'
import type {Task} from '../../../lib/ecs/shapes.js'
import {projectFlags} from '../../../lib/workflows/project-flags.js'

export default class ComposeServicePs extends EcsxCommand<Task[]> {
  static override aliases = ['compose:service:list']
  static override summary = "List the containers of the project's service tasks (ecs-cli `compose service ps|list`)."
  static override description = `One row per container of the service's tasks: Name (<task id>/<container>), State, \
Ports, TaskDefinition, Health. With --json, stdout holds the ECS Task objects.`

  static override examples = [
    {
      description: 'The Fargate tutorial',
      command: '<%= config.bin %> compose --project-name tutorial service ps --cluster-config tutorial',
    },
    {
      description: 'Only stopped tasks, as JSON',
      command: '<%= config.bin %> compose service ps --desired-status STOPPED --json',
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
    const {flags} = await this.parse(ComposeServicePs)
    const ctx = await this.setup(flags)
    const {openProject} = await import('../../../lib/workflows/open-project.js')
    const {ps} = await import('../../../lib/workflows/ps.js')
    const {names, backend} = await openProject(ctx, flags)
    const filter = {desiredStatus: flags['desired-status'] ?? ('ALL' as const), serviceName: names.serviceName}
    return ps(backend, ctx.ui, ctx.settings.cluster, filter, {json: this.jsonEnabled()})
  }
}
