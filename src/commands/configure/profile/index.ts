import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../../lib/base-command.js'
import type {SaveResult} from '../../../lib/config/configure.js'

export interface ProfileResult extends SaveResult {
  profileName: string
}

export default class ConfigureProfile extends EcsxCommand<ProfileResult> {
  static override summary = 'Save AWS credentials as a named ECS profile.'
  static override description = `Like ecs-cli configure profile: stores the keys in $ECSX_HOME/credentials (mode 0600) \
under --profile-name (default "default"). The first profile saved becomes the default; pick another per command with --ecs-profile.
Missing --access-key/--secret-key/--session-token fall back to \
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN. A missing secret key is asked for on a terminal (exit 2 \
without one). Secrets are never printed.`

  static override examples = [
    {
      description: 'ecs-cli tutorial',
      command:
        '<%= config.bin %> configure profile --access-key $AWS_ACCESS_KEY_ID --secret-key ' +
        '$AWS_SECRET_ACCESS_KEY --profile-name tutorial-profile',
    },
    {
      description: 'Temporary credentials with a session token',
      command:
        '<%= config.bin %> configure profile --profile-name ci --access-key $AWS_ACCESS_KEY_ID --secret-key ' +
        '$AWS_SECRET_ACCESS_KEY --session-token $AWS_SESSION_TOKEN',
    },
  ]

  static override flags = {
    'profile-name': Flags.string({
      description: 'Name of the profile (what --ecs-profile refers to).',
      default: 'default',
    }),
    'access-key': Flags.string({description: 'AWS access key id. [env: AWS_ACCESS_KEY_ID]'}),
    'secret-key': Flags.string({
      description: 'AWS secret access key (prompted for on a terminal when missing). [env: AWS_SECRET_ACCESS_KEY]',
    }),
    'session-token': Flags.string({
      description: 'AWS session token for temporary credentials. [env: AWS_SESSION_TOKEN]',
    }),
  }

  async run(): Promise<ProfileResult> {
    const {flags} = await this.parse(ConfigureProfile)
    const ui = this.makeUi(flags)
    const {InputError} = await import('../../../lib/errors.js')
    const accessKey = flags['access-key'] ?? process.env.AWS_ACCESS_KEY_ID
    if (!accessKey)
      throw new InputError(
        'Missing --access-key (or AWS_ACCESS_KEY_ID).',
        'Example: ecsx configure profile --access-key AKIA… --secret-key …',
      )
    const secretKey =
      flags['secret-key'] ??
      process.env.AWS_SECRET_ACCESS_KEY ??
      (await ui.promptSecret('AWS secret access key', 'Pass --secret-key (or set AWS_SECRET_ACCESS_KEY).'))
    if (!secretKey) throw new InputError('The secret access key must not be empty.', 'Pass --secret-key.')
    const {saveProfile} = await import('../../../lib/config/configure.js')
    const result = await saveProfile(process.env, {
      profileName: flags['profile-name'],
      accessKey,
      secretKey,
      sessionToken: flags['session-token'] ?? process.env.AWS_SESSION_TOKEN,
    })
    if (result.importedFrom) ui.info(`Copied the existing profiles of ${result.importedFrom}.`)
    ui.out(`Saved ECS profile ${flags['profile-name']} to ${result.path}${result.isDefault ? ' (default)' : ''}.`)
    return {profileName: flags['profile-name'], ...result}
  }
}
