import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {ConfigureResult} from './index.js'

export default class ConfigureDefault extends EcsxCommand<ConfigureResult> {
  static override summary = 'Make a saved cluster configuration the default.'
  static override description =
    'Like ecs-cli configure default: commands without --cluster-config use this cluster configuration from now on.'

  static override examples = [
    {
      description: 'Use the "tutorial" configuration by default',
      command: '<%= config.bin %> configure default --config-name tutorial',
    },
    {description: 'Switch back', command: '<%= config.bin %> configure default --config-name default'},
  ]

  static override flags = {
    'config-name': Flags.string({
      description: 'Name of the cluster configuration to make the default.',
      required: true,
    }),
  }

  async run(): Promise<ConfigureResult> {
    const {flags} = await this.parse(ConfigureDefault)
    const ui = this.makeUi(flags)
    const {setDefaultClusterConfiguration} = await import('../../lib/config/configure.js')
    const result = await setDefaultClusterConfiguration(process.env, flags['config-name'])
    ui.out(`Default cluster configuration is now ${flags['config-name']} (${result.path}).`)
    return {configName: flags['config-name'], ...result}
  }
}
