/**
 * Where configuration lives: ecsx's own directory (ECSX_HOME, default ~/.ecsx) and ecs-cli's (~/.ecs, read-only
 * fallback). The home directory comes from the given environment so tests can point it at a temp dir.
 */
import os from 'node:os'
import path from 'node:path'

export type Env = Record<string, string | undefined>

export function userHome(env: Env): string {
  return env.HOME || env.USERPROFILE || os.homedir()
}

/** ECSX_HOME, default ~/.ecsx. */
export function ecsxHome(env: Env): string {
  return env.ECSX_HOME ? path.resolve(env.ECSX_HOME) : path.join(userHome(env), '.ecsx')
}

export interface ConfigPaths {
  /** ecsx's cluster configurations (read and written). */
  config: string
  /** ecsx's credential profiles (read and written, mode 0600). */
  credentials: string
  /** ecs-cli's files, read only when ecsx has none of its own. */
  ecsCliConfig: string
  ecsCliCredentials: string
  /** The AWS CLI's shared files (for the region of an AWS profile). */
  awsConfig: string
  awsCredentials: string
}

export function configPaths(env: Env): ConfigPaths {
  const home = ecsxHome(env)
  const user = userHome(env)
  return {
    config: path.join(home, 'config'),
    credentials: path.join(home, 'credentials'),
    ecsCliConfig: path.join(user, '.ecs', 'config'),
    ecsCliCredentials: path.join(user, '.ecs', 'credentials'),
    awsConfig: env.AWS_CONFIG_FILE || path.join(user, '.aws', 'config'),
    awsCredentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(user, '.aws', 'credentials'),
  }
}
