import type {Service} from '@aws-sdk/client-ecs'

import {EcsxCommand} from '../../../lib/base-command.js'
import {serviceCreateFlags} from '../../../lib/compose-flags.js'

export default class ComposeServiceCreate extends EcsxCommand<Service> {
  static override summary = "Create the project's ECS service with desired count 0 (ecs-cli `compose service create`)."
  static override description = `Registers the task definition (reusing an identical revision) and creates the service "<compose-service-name-prefix><project>" with desired count 0, so no container starts yet. Deployment percentages default to 200/100 (DAEMON: 100/0); network configuration and placement come from ecs-params run_params; load balancer and service discovery flags are carried into the service definition. With --json, stdout holds the ECS Service object.`

  static override examples = [
    {
      description: "Create the service of the current directory's project",
      command: '<%= config.bin %> compose service create',
    },
    {
      description: 'Behind an ALB target group',
      command:
        '<%= config.bin %> compose -f nginx-compose.yml service create --target-group-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ecs-cli-alb/9856106fcc5d4be8 --container-name nginx --container-port 80 --role ecsServiceRole',
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
    this.noteIgnoredLocally(ctx.settings, flags, ['dns-ttl', 'dns-type', 'healthcheck-custom-config-failure-threshold'])
    const {openProject, serviceProject} = await import('../../../lib/compose-command.js')
    const {serviceCreate, serviceSummary} = await import('../../../lib/compose-service.js')
    const {serviceOptionsFromFlags} = await import('../../../lib/compose-service-options.js')
    const options = serviceOptionsFromFlags(flags)
    const project = serviceProject(ctx, await openProject(ctx, flags, (m) => this.note(m)), options)
    const service = await serviceCreate(project)
    ctx.ui.out(serviceSummary(service))
    return service
  }
}
