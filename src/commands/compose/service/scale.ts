import {Args} from '@oclif/core'

import {parseCount} from '../../../lib/workflows/wait/timing.js'
import {EcsxCommand} from '../../../lib/base-command.js'
import type {Service} from '../../../lib/ecs/shapes.js'
import {deploymentFlags, projectFlags, timeoutFlag} from '../../../lib/workflows/project-flags.js'

export default class ComposeServiceScale extends EcsxCommand<Service> {
  static override summary = "Set the desired count of the project's service (ecs-cli `compose service scale n`)."
  static override description = `Updates the service's desired count (and deployment percentages when given) and waits \
until it is stable (--timeout minutes, 0 = do not wait). As in ecs-cli, if the wait fails the service keeps its new \
desired count. On the local backend a service that cannot place a task ends the wait at once (exit 1). With --json, \
stdout holds the ECS Service object.`

  static override examples = [
    {
      description: 'The Fargate tutorial: two copies',
      command: '<%= config.bin %> compose --project-name tutorial service scale 2 --cluster-config tutorial',
    },
    {description: 'Scale without waiting', command: '<%= config.bin %> compose service scale 5 --timeout 0 --json'},
  ]

  static override args = {
    count: Args.string({required: true, description: 'The desired count.'}),
  }

  static override flags = {...projectFlags, ...deploymentFlags, timeout: timeoutFlag('the service to be stable')}

  async run(): Promise<Service> {
    const {args, flags} = await this.parse(ComposeServiceScale)
    const ctx = await this.setup(flags)
    const {openServiceProject} = await import('../../../lib/workflows/open-project.js')
    const {serviceScale, serviceSummary} = await import('../../../lib/workflows/project-service.js')
    const project = await openServiceProject(ctx, flags, {
      maxPercent: flags['deployment-max-percent'],
      minHealthyPercent: flags['deployment-min-healthy-percent'],
    })
    const service = await serviceScale(project, parseCount(args.count))
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
