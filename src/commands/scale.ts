import {Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {ClusterScaleResult} from '../lib/infra/types.js'

export default class Scale extends EcsxCommand<ClusterScaleResult> {
  static override summary = 'Change the number of container instances in the cluster.'
  static override description = `Like ecs-cli scale. Local backend: registers more simulated instances (in the \
least-used availability zones, of the same instance type) or terminates the newest ones; tasks on a terminated \
instance stop and their services place them again. AWS: updates the Auto Scaling group of the cluster's CloudFormation stack.`

  static override examples = [
    {description: 'Grow the cluster to three instances', command: '<%= config.bin %> scale --size 3'},
    {
      description: 'ecs-cli spelling for a configured cluster',
      command: '<%= config.bin %> scale --size 2 --capability-iam --cluster-config ec2-tutorial',
    },
  ]

  static override flags = {
    size: Flags.integer({
      description: 'Number of container instances the cluster should have.',
      required: true,
      min: 0,
    }),
    'capability-iam': Flags.boolean({description: 'Acknowledge that IAM resources may be updated (aws).'}),
  }

  async run(): Promise<ClusterScaleResult> {
    const {flags} = await this.parse(Scale)
    const {infra} = await this.setup(flags)
    const {capacity, noteAwsOnlyFlags} = await infra()
    noteAwsOnlyFlags(flags, ['capability-iam'])
    return capacity.scale({size: flags.size, capabilityIam: flags['capability-iam']})
  }
}
