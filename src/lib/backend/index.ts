/**
 * The backend factory: settings decide which Backend a command talks to. Both implementations load lazily, so a
 * command pays for the engine (SQLite) or the AWS SDK only when it really opens a backend.
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Ui} from '../ui/types.js'
import type {Backend} from './types.js'

export async function openBackend(settings: ResolvedSettings, ui?: Ui): Promise<Backend> {
  if (settings.backend === 'aws') {
    const {createAwsBackend} = await import('./aws.js')
    return createAwsBackend(settings, ui)
  }
  const {createLocalBackend} = await import('./local.js')
  return createLocalBackend({home: settings.home, region: settings.region})
}
