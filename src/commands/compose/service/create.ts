import {EcsxCommand} from '../../../lib/base-command.js'
import type {Service} from '../../../lib/ecs/shapes.js'
import {serviceCreateFlags, serviceDiscoveryAwsOnlyFlags} from '../../../lib/workflows/project-flags.js'

export default class ComposeServiceCreate extends EcsxCommand<Service> {
  static override summary = "Create the project's ECS service with desired count 0 (ecs-cli `compose service create`)."
  static override description = `Registers the task definition (reusing an identical revision) and creates the service \
"<compose-service-name-prefix><project>" with desired count 0, so no container starts yet. Deployment percentages \
default to 200/100 (DAEMON: 100/0); network configuration and placement come from ecs-params run_params; load balancer \
and service discovery flags are carried into the service definition. With --json, stdout holds the ECS Service object.`

  static override examples = [
    {
      description: "Create the service of the current directory's project",
      command: '<%= config.bin %> compose service create',
    },
    {
      description: 'Behind an ALB target group',
      command:
        '<%= config.bin %> compose -f nginx-compose.yml service create --target-group-arn ' +
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ecs-cli-alb/9856106fcc5d4be8 ' +
        '--container-name nginx --container-port 80 --role ecsServiceRole',
    },
    {
      description: 'A daemon service (one task per instance)',
      command: '<%= config.bin %> compose --project-name agent service create --scheduling-strategy DAEMON',
    },
  ]

  static override flags = {...serviceCreateFlags}

  async run(): Promise<Service> {
    const {flags} = await this.parse(ComposeServiceCreate)
    const ctx = await this.setup(flags)
    const infra = await ctx.infra()
    infra.noteAwsOnlyFlags(flags, serviceDiscoveryAwsOnlyFlags)
    const {openServiceProject} = await import('../../../lib/workflows/open-project.js')
    const {serviceCreate, serviceSummary} = await import('../../../lib/workflows/project-service.js')
    const {serviceOptionsFromFlags} = await import('../../../lib/workflows/service-options.js')
    const project = await openServiceProject(ctx, flags, serviceOptionsFromFlags(flags))
    const service = await serviceCreate(project)
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
