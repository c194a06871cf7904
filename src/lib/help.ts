/**
 * ecsx's help class (package.json `oclif.helpClass`): oclif's help, with the exit-code contract appended to every
 * command's help so no command can forget it.
 */
import {type Command, Help} from '@oclif/core'

import {EXIT_CODES_HELP} from './base-command.js'

export default class EcsxHelp extends Help {
  override formatCommand(command: Command.Loadable): string {
    const exitCodes = EXIT_CODES_HELP.replace(/^EXIT CODES\n/, '').replaceAll(/^ {2}/gm, '')
    return `${super.formatCommand(command).trimEnd()}\n\n${this.section('EXIT CODES', exitCodes)}`
  }
}
