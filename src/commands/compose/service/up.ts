import {EcsxCommand} from '../../../lib/base-command.js'
import type {Service} from '../../../lib/ecs/shapes.js'
import {
  forceDeploymentFlag,
  serviceCreateFlags,
  serviceDiscoveryAwsOnlyFlags,
  timeoutFlag,
} from '../../../lib/workflows/project-flags.js'

export default class ComposeServiceUp extends EcsxCommand<Service> {
  static override summary =
    "Create the project's service, or update it to the project's current revision (ecs-cli `compose service up`)."
  static override description = `Registers the task definition (reusing an identical revision). A missing service is \
created with desired count max(1, deploy.replicas); an existing one is updated to the new revision (a rolling \
deployment) and keeps its desired count (1 if it was 0). Then waits until the service is stable: only the new \
deployment, running = desired (--timeout minutes, decimals allowed, 0 = do not wait). On the local backend a service \
that reports it cannot place a task ends the wait at once (exit 1) with ECS's event text. With --json, stdout holds \
the ECS Service object (deployments and recent events included).`

  static override examples = [
    {description: 'The EC2 tutorial', command: '<%= config.bin %> compose service up --cluster-config ec2-tutorial'},
    {
      description: 'The Fargate tutorial',
      command:
        '<%= config.bin %> compose --project-name tutorial service up --create-log-groups --cluster-config tutorial',
    },
    {
      description: 'Roll out the edited compose file with at most 100 % of the tasks running at once',
      command:
        '<%= config.bin %> compose service up --deployment-max-percent 100 --deployment-min-healthy-percent 50 --timeout 10',
    },
  ]

  static override flags = {
    ...serviceCreateFlags,
    'force-deployment': forceDeploymentFlag,
    timeout: timeoutFlag('the service to be stable'),
    'update-service-discovery': serviceCreateFlags['enable-service-discovery'],
  }

  async run(): Promise<Service> {
    const {flags} = await this.parse(ComposeServiceUp)
    const ctx = await this.setup(flags)
    const infra = await ctx.infra()
    infra.noteAwsOnlyFlags(flags, serviceDiscoveryAwsOnlyFlags)
    if (flags['update-service-discovery'])
      this.note(
        '--update-service-discovery: service discovery can only be set when the service is created; ignored on update.',
      )
    const {openServiceProject} = await import('../../../lib/workflows/open-project.js')
    const {serviceUp, serviceSummary} = await import('../../../lib/workflows/project-service.js')
    const {serviceOptionsFromFlags} = await import('../../../lib/workflows/service-options.js')
    const project = await openServiceProject(ctx, flags, serviceOptionsFromFlags(flags))
    const service = await serviceUp(project)
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
