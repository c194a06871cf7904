import {EcsxCommand} from '../../../lib/base-command.js'
import type {Service} from '../../../lib/ecs/shapes.js'
import {projectFlags, timeoutFlag} from '../../../lib/workflows/project-flags.js'

export default class ComposeServiceStop extends EcsxCommand<Service> {
  static override summary = "Stop the project's service: desired count 0 (ecs-cli `compose service stop`)."
  static override description = `Sets the desired count to 0 and waits until every task has stopped (--timeout \
minutes, 0 = do not wait). The service itself stays; \`compose service start\` brings it back. With --json, stdout \
holds the ECS Service object.`

  static override examples = [
    {
      description: "Stop the service of the current directory's project",
      command: '<%= config.bin %> compose service stop',
    },
    {
      description: "Stop a named project's service, waiting at most 30 seconds",
      command: '<%= config.bin %> compose --project-name hello-world service stop --timeout 0.5',
    },
  ]

  static override flags = {...projectFlags, timeout: timeoutFlag('the tasks to stop')}

  async run(): Promise<Service> {
    const {flags} = await this.parse(ComposeServiceStop)
    const ctx = await this.setup(flags)
    const {openServiceProject} = await import('../../../lib/workflows/open-project.js')
    const {serviceStop, serviceSummary} = await import('../../../lib/workflows/project-service.js')
    const project = await openServiceProject(ctx, flags)
    const service = await serviceStop(project)
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
