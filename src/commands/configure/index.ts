import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {SaveResult} from '../../lib/config/configure.js'

export interface ConfigureResult extends SaveResult {
  configName: string
}

export default class Configure extends EcsxCommand<ConfigureResult> {
  static override summary = 'Save a cluster configuration (cluster, region, launch type, backend).'
  static override description = `Like ecs-cli configure: adds or replaces the named cluster configuration in \
$ECSX_HOME/config (ecs-cli's v1 YAML plus a backend field, mode 0600). The first configuration saved becomes the \
default; select another with --cluster-config or make it the default with \`ecsx configure default\`.
If ecsx has no configuration yet but ~/.ecs/config exists, its configurations are copied in first (the ecs-cli file is never modified).`

  static override examples = [
    {
      description: 'ecs-cli tutorial: a Fargate cluster configuration',
      command:
        '<%= config.bin %> configure --cluster tutorial --region us-west-2 --default-launch-type FARGATE --config-name tutorial',
    },
    {
      description: 'A configuration that targets Amazon ECS instead of the local engine',
      command: '<%= config.bin %> configure --cluster prod --region eu-west-1 --backend aws --config-name prod',
    },
    {
      description: 'The default configuration for the local engine',
      command: '<%= config.bin %> configure --cluster demo',
    },
  ]

  static override flags = {
    'config-name': Flags.string({
      description: 'Name of this cluster configuration (what --cluster-config refers to).',
      default: 'default',
    }),
    'default-launch-type': Flags.option({
      options: ['EC2', 'FARGATE'] as const,
      description: 'Launch type used when --launch-type is not given.',
    })(),
    'cfn-stack-name': Flags.string({
      description: 'CloudFormation stack name for up/down/scale on AWS. [default: amazon-ecs-cli-setup-<cluster>]',
    }),
    'compose-service-name-prefix': Flags.string({
      description: 'Prefix of the ECS service names of `compose service` (deprecated in ecs-cli). [default: ""]',
    }),
  }

  async run(): Promise<ConfigureResult> {
    const {flags} = await this.parse(Configure)
    const ui = this.makeUi(flags)
    const {saveClusterConfiguration} = await import('../../lib/config/configure.js')
    const result = await saveClusterConfiguration(process.env, {
      configName: flags['config-name'],
      cluster: flags.cluster ?? '',
      region: flags.region,
      defaultLaunchType: flags['default-launch-type'],
      backend: flags.backend,
      cfnStackName: flags['cfn-stack-name'],
      composeServiceNamePrefix: flags['compose-service-name-prefix'],
    })
    if (result.importedFrom) ui.info(`Copied the existing configurations of ${result.importedFrom}.`)
    ui.out(
      `Saved cluster configuration ${flags['config-name']} to ${result.path}${result.isDefault ? ' (default)' : ''}.`,
    )
    return {configName: flags['config-name'], ...result}
  }
}
