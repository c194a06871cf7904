/**
 * The backend factory: settings decide which Backend a command talks to. Both implementations load lazily, so a
 * command pays for the engine (SQLite) or the AWS SDK only when it really opens a backend.
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Ui} from '../ui/types.js'
import type {Backend} from './types.js'

type LocalFactory = (settings: ResolvedSettings, ui?: Ui) => Promise<Backend>

// The local adapter is being written in parallel; until it lands its module is resolved at run time only.
const LOCAL_MODULE = './local.js'

export async function openBackend(settings: ResolvedSettings, ui?: Ui): Promise<Backend> {
  if (settings.backend === 'aws') {
    const {createAwsBackend} = await import('./aws.js')
    return createAwsBackend(settings, ui)
  }
  const {createLocalBackend} = (await import(LOCAL_MODULE)) as {createLocalBackend: LocalFactory}
  return createLocalBackend(settings, ui)
}
