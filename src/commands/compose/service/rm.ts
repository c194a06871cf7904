import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../../lib/base-command.js'
import type {Service} from '../../../lib/ecs/shapes.js'
import {projectFlags, timeoutFlag} from '../../../lib/workflows/project-flags.js'

export default class ComposeServiceRm extends EcsxCommand<Service> {
  static override aliases = ['compose:service:delete', 'compose:service:down']
  static override summary =
    "Delete the project's service: scale to 0, wait, delete (ecs-cli `compose service rm|delete|down`)."
  static override description = `Sets the desired count to 0, waits until the tasks have stopped (--timeout minutes, 0 \
= do not wait), then deletes the service and waits until it is INACTIVE (DRAINING services keep \`ecsx down\` from \
deleting the cluster). Same as \`compose service delete\` and \`compose service down\`. With --json, stdout holds the \
deleted ECS Service object.`

  static override examples = [
    {
      description: "The EC2 tutorial's cleanup",
      command: '<%= config.bin %> compose service rm --cluster-config ec2-tutorial',
    },
    {
      description: "The Fargate tutorial's cleanup",
      command: '<%= config.bin %> compose --project-name tutorial service down --cluster-config tutorial',
    },
  ]

  static override flags = {
    ...projectFlags,
    timeout: timeoutFlag('the tasks to stop'),
    'delete-namespace': Flags.boolean({
      description:
        'Also delete the private DNS namespace created for service discovery (aws; nothing to delete on the local backend).',
    }),
  }

  async run(): Promise<Service> {
    const {flags} = await this.parse(ComposeServiceRm)
    const ctx = await this.setup(flags)
    if (flags['delete-namespace']) (await ctx.infra()).serviceDiscovery.deleteNamespace()
    const {openServiceProject} = await import('../../../lib/workflows/open-project.js')
    const {serviceRm, serviceSummary} = await import('../../../lib/workflows/project-service.js')
    const project = await openServiceProject(ctx, flags)
    const service = await serviceRm(project)
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
