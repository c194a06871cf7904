import type {Service} from '@aws-sdk/client-ecs'

import {EcsxCommand} from '../../../lib/base-command.js'
import {createLogGroupsFlag, forceDeploymentFlag, projectFlags, timeoutFlag} from '../../../lib/compose-flags.js'

export default class ComposeServiceStart extends EcsxCommand<Service> {
  static override summary =
    "Set the project's service to desired count 1 unless it is already higher (ecs-cli `compose service start`)."
  static override description = `The service must exist (\`compose service create\`). Waits until it is stable (--timeout minutes, 0 = do not wait). With --json, stdout holds the ECS Service object.`

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
    const {openProject, serviceProject} = await import('../../../lib/compose-command.js')
    const {serviceStart, serviceSummary} = await import('../../../lib/compose-service.js')
    const project = serviceProject(ctx, await openProject(ctx, flags, (m) => this.note(m)), {
      forceDeployment: flags['force-deployment'],
    })
    const service = await serviceStart(project)
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
