/**
 * The few facts ecsx reads from the AWS CLI's shared files: whether a profile exists and its region.
 * Everything else (SSO, assume-role, MFA) is left to the SDK's credential chain with the profile name.
 */
import {promises as fs} from 'node:fs'

import {parseIni} from './files.js'
import {configPaths, type Env} from './paths.js'

async function readIni(file: string): Promise<Record<string, Record<string, string>>> {
  try {
    return parseIni(await fs.readFile(file, 'utf8'))
  } catch {
    return {}
  }
}

/** Region configured for an AWS profile in ~/.aws/config (`[default]` / `[profile name]`), if any. */
export async function awsProfileRegion(env: Env, profile: string): Promise<string | undefined> {
  const ini = await readIni(configPaths(env).awsConfig)
  const section = profile === 'default' ? (ini.default ?? ini['profile default']) : ini[`profile ${profile}`]
  return section?.region || undefined
}

/** Whether a profile of that name is defined in ~/.aws/credentials or ~/.aws/config. */
export async function awsProfileExists(env: Env, profile: string): Promise<boolean> {
  const paths = configPaths(env)
  const [creds, config] = await Promise.all([readIni(paths.awsCredentials), readIni(paths.awsConfig)])
  if (creds[profile]) return true
  return profile === 'default'
    ? Boolean(config.default ?? config['profile default'])
    : Boolean(config[`profile ${profile}`])
}
