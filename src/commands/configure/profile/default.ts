import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../../lib/base-command.js'
import type {ProfileResult} from './index.js'

export default class ConfigureProfileDefault extends EcsxCommand<ProfileResult> {
  static override summary = 'Make a saved ECS profile the default.'
  static override description =
    'Like ecs-cli configure profile default: commands without --ecs-profile (and without credentials in the environment) use this profile.'

  static override examples = [
    {
      description: 'Use the tutorial profile by default',
      command: '<%= config.bin %> configure profile default --profile-name tutorial-profile',
    },
    {
      description: 'Back to the profile named default',
      command: '<%= config.bin %> configure profile default --profile-name default',
    },
  ]

  static override flags = {
    'profile-name': Flags.string({description: 'Name of the profile to make the default.', required: true}),
  }

  async run(): Promise<ProfileResult> {
    const {flags} = await this.parse(ConfigureProfileDefault)
    const ui = this.makeUi(flags)
    const {setDefaultProfile} = await import('../../../lib/config/configure.js')
    const result = await setDefaultProfile(process.env, flags['profile-name'])
    ui.out(`Default ECS profile is now ${flags['profile-name']} (${result.path}).`)
    return {profileName: flags['profile-name'], ...result}
  }
}
