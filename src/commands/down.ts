import {Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {ClusterDownResult} from '../lib/infra/types.js'

export default class Down extends EcsxCommand<ClusterDownResult> {
  static override summary = 'Delete the cluster and the resources `ecsx up` created for it.'
  static override description = `Like ecs-cli down. Asks for confirmation on a terminal; without one, --force is \
required (exit 2 otherwise).
Refuses while the cluster has active services (even at desired count 0), as ECS does: delete them first.
Local backend: terminates the simulated container instances (their tasks stop), then deletes the cluster. AWS: deletes \
the CloudFormation stack, then the cluster.`

  static override examples = [
    {
      description: 'Delete the cluster of the default configuration without a prompt',
      command: '<%= config.bin %> down --force',
    },
    {
      description: 'ecs-cli tutorial spelling',
      command: '<%= config.bin %> down --force --cluster-config ec2-tutorial --ecs-profile tutorial-profile',
    },
    {
      description: 'Delete a named cluster, confirming interactively',
      command: '<%= config.bin %> down --cluster fargate-demo',
    },
  ]

  static override flags = {
    force: Flags.boolean({description: 'Do not ask for confirmation (required without a terminal).'}),
  }

  async run(): Promise<ClusterDownResult> {
    const {flags} = await this.parse(Down)
    const {infra} = await this.setup(flags)
    return (await infra()).capacity.down({force: flags.force})
  }
}
