import {EcsxCommand} from '../../../lib/base-command.js'
import type {Service} from '../../../lib/ecs/shapes.js'
import {
  createLogGroupsFlag,
  forceDeploymentFlag,
  projectFlags,
  timeoutFlag,
} from '../../../lib/workflows/project-flags.js'

export default class ComposeServiceStart extends EcsxCommand<Service> {
  static override summary =
    "Set the project's service to desired count 1 unless it is already higher (ecs-cli `compose service start`)."
  static override description = `The service must exist (\`compose service create\`). Waits until it is stable \
(--timeout minutes, 0 = do not wait). With --json, stdout holds the ECS Service object.`

  static override examples = [
    {description: 'Start the service created earlier', command: '<%= config.bin %> compose service start'},
    {
      description: 'Start and force a fresh deployment',
      command: '<%= config.bin %> compose --project-name hello-world service start --force-deployment --timeout 2.5',
    },
  ]

  static override flags = {
    ...projectFlags,
    'create-log-groups': createLogGroupsFlag,
    'force-deployment': forceDeploymentFlag,
    timeout: timeoutFlag('the service to be stable'),
  }

  async run(): Promise<Service> {
    const {flags} = await this.parse(ComposeServiceStart)
    const ctx = await this.setup(flags)
    const {openServiceProject} = await import('../../../lib/workflows/open-project.js')
    const {serviceStart, serviceSummary} = await import('../../../lib/workflows/project-service.js')
    const project = await openServiceProject(ctx, flags, {forceDeployment: flags['force-deployment']})
    const service = await serviceStart(project)
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
