import {Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {Task} from '../lib/ecs/shapes.js'

export default class Ps extends EcsxCommand<Task[]> {
  static override summary = 'List the containers of the tasks in the cluster.'
  static override description = `One row per container, as ecs-cli prints them: Name (<task id>/<container>), State \
(with exit code and reason once stopped), Ports (ip:host->container/protocol), TaskDefinition (family:revision) and Health.
With --json, stdout holds the array of ECS Task objects (as DescribeTasks returns them).`

  static override examples = [
    {description: 'Running containers of the default cluster', command: '<%= config.bin %> ps'},
    {
      description: 'Stopped containers of a configured cluster',
      command: '<%= config.bin %> ps --desired-status STOPPED --cluster-config ec2-tutorial',
    },
    {description: 'Every task, as JSON', command: '<%= config.bin %> ps --all --json'},
  ]

  static override flags = {
    'desired-status': Flags.option({
      options: ['RUNNING', 'STOPPED'] as const,
      description: 'Only tasks with this desired status. [default: RUNNING]',
      exclusive: ['all'],
    })(),
    all: Flags.boolean({description: 'Tasks of both desired statuses (RUNNING and STOPPED).'}),
  }

  async run(): Promise<Task[]> {
    const {flags} = await this.parse(Ps)
    const {settings, ui, backend} = await this.setup(flags)
    const {ps} = await import('../lib/workflows/ps.js')
    const desiredStatus = flags.all ? 'ALL' : (flags['desired-status'] ?? 'RUNNING')
    return ps(await backend(), ui, settings.cluster, {desiredStatus}, {json: this.jsonEnabled()})
  }
}
