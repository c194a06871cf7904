import {Args} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {ContainerInstance} from '../../lib/ecs/shapes.js'

export default class EngineKillInstance extends EcsxCommand<ContainerInstance> {
  static override summary = 'Terminate a simulated container instance, as if its EC2 instance died.'
  static override description = `Local backend only (exit 2 on aws). The instance is deregistered (INACTIVE); its \
tasks stop with "Host EC2 (instance <id>) stopped/terminated" and services place replacements on the remaining instances.
The instance may be named by container instance id, full ARN, or EC2 instance id (see \`ecsx engine status\`).`

  static override examples = [
    {description: 'By EC2 instance id', command: '<%= config.bin %> engine kill-instance i-0a1b2c3d4e5f67890'},
    {
      description: 'By container instance id in a named cluster',
      command: '<%= config.bin %> engine kill-instance 5d7f0c4e9b2a4f1c8e3d6a9b0c1d2e3f --cluster demo',
    },
  ]

  static override args = {
    instance: Args.string({description: 'Container instance id or ARN, or EC2 instance id.', required: true}),
  }

  async run(): Promise<ContainerInstance> {
    const {args, flags} = await this.parse(EngineKillInstance)
    const {settings, ui, backend} = await this.setup(flags)
    const {requireEngine} = await import('../../lib/workflows/engine-controls.js')
    const engine = requireEngine(await backend(), 'engine kill-instance')
    const instance = await engine.killInstance(settings.cluster, args.instance)
    const arn = instance.containerInstanceArn ?? args.instance
    ui.out(
      `Terminated container instance ${arn.slice(arn.lastIndexOf('/') + 1)} ` +
        `(${instance.ec2InstanceId ?? 'no EC2 id'}); status ${instance.status}.`,
    )
    return instance
  }
}
