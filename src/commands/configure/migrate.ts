import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'

export interface MigrateResult {
  sources: string[]
  written: string[]
  added: string[]
  replaced: string[]
}

export default class ConfigureMigrate extends EcsxCommand<MigrateResult> {
  static override summary = "Copy ecs-cli's configuration (~/.ecs) into ecsx, converting the legacy INI format."
  static override description = `Like ecs-cli configure migrate: reads ~/.ecs/config (the legacy INI file of ecs-cli \
v0.6.6 and earlier, or the v1 YAML) and ~/.ecs/credentials, shows what will be written (secrets masked), asks for \
confirmation, and merges the cluster configurations and profiles into $ECSX_HOME/config and $ECSX_HOME/credentials \
(mode 0600). Legacy configurations keep their ecscompose- name prefixes. ecs-cli's files are not modified.
Without a terminal, --force is required (exit 2 otherwise).`

  static override examples = [
    {description: 'Review and confirm', command: '<%= config.bin %> configure migrate'},
    {description: 'In a script', command: '<%= config.bin %> configure migrate --force'},
  ]

  static override flags = {
    force: Flags.boolean({description: 'Skip the summary and the confirmation.'}),
  }

  async run(): Promise<MigrateResult> {
    const {flags} = await this.parse(ConfigureMigrate)
    const ui = this.makeUi(flags)
    const {planMigration, describeMigration, applyMigration} = await import('../../lib/config/migrate.js')
    const plan = await planMigration(process.env)
    if (!flags.force) {
      for (const line of await describeMigration(plan)) ui.info(line)
      if (!(await ui.confirm('Write these files?', '--force'))) {
        const {OperationError} = await import('../../lib/errors.js')
        throw new OperationError('Migration aborted; nothing was written.')
      }
    }
    const written = await applyMigration(process.env, plan)
    for (const file of written) ui.out(`Wrote ${file}`)
    return {sources: plan.sources, written, added: plan.added, replaced: plan.replaced}
  }
}
