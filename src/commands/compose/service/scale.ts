import type {Service} from '@aws-sdk/client-ecs'
import {Args} from '@oclif/core'

import {parseCount} from '../../../lib/wait/timing.js'
import {EcsxCommand} from '../../../lib/base-command.js'
import {deploymentFlags, projectFlags, timeoutFlag} from '../../../lib/compose-flags.js'

export default class ComposeServiceScale extends EcsxCommand<Service> {
  static override summary = "Set the desired count of the project's service (ecs-cli `compose service scale n`)."
  static override description = `Updates the service's desired count (and deployment percentages when given) and waits until it is stable (--timeout minutes, 0 = do not wait). As in ecs-cli, if the wait fails the service keeps its new desired count. On the local backend a service that cannot place a task ends the wait at once (exit 1). With --json, stdout holds the ECS Service object.`

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
    const {openProject, serviceProject} = await import('../../../lib/compose-command.js')
    const {serviceScale, serviceSummary} = await import('../../../lib/compose-service.js')
    const project = serviceProject(ctx, await openProject(ctx, flags, (m) => this.note(m)), {
      maxPercent: flags['deployment-max-percent'],
      minHealthyPercent: flags['deployment-min-healthy-percent'],
    })
    const service = await serviceScale(project, parseCount(args.count))
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
