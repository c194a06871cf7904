/**
 * The infrastructure factory: settings decide which Infrastructure (types.ts) a command gets, as they decide its
 * Backend (lib/backend/index.ts). Both implementations load lazily; neither opens the ECS backend until a part that
 * needs it is used (images never do).
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Backend} from '../ecs/backend.js'
import type {Ui} from '../ui/types.js'
import type {Infrastructure} from './types.js'

export async function openInfra(
  settings: ResolvedSettings,
  ui: Ui,
  backend: () => Promise<Backend>,
): Promise<Infrastructure> {
  if (settings.backend === 'aws') {
    const {createAwsInfra} = await import('./aws.js')
    return createAwsInfra(settings, ui, backend)
  }
  const {createLocalInfra} = await import('./local/index.js')
  return createLocalInfra(settings, ui, backend)
}
