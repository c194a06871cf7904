/**
 * The backend factory: settings decide which Backend a command talks to. Both implementations load lazily, so a
 * command pays for the engine (SQLite) or the AWS SDK only when it really opens a backend.
 * Under --verbose the local backend logs every ECS operation (the aws backend logs its own, with request ids).
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Ui} from '../ui/types.js'
import type {Backend} from './types.js'

const NOT_OPERATIONS = new Set(['kind', 'region', 'engine', 'sleep', 'close'])

/** A view of `backend` that reports each ECS operation (name, result or error, time) through `ui.verbose`. */
export function withOperationLog(backend: Backend, ui: Ui, label: string): Backend {
  return new Proxy(backend, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof prop !== 'string' || NOT_OPERATIONS.has(prop) || typeof value !== 'function') return value
      return async (input: unknown) => {
        const started = Date.now()
        const op = prop[0].toUpperCase() + prop.slice(1)
        try {
          const out = await (value as (i: unknown) => Promise<unknown>).call(target, input)
          ui.verbose(`${label}: ECS ${op} ok in ${Date.now() - started} ms`)
          return out
        } catch (error) {
          ui.verbose(`${label}: ECS ${op} failed in ${Date.now() - started} ms: ${(error as Error)?.name ?? 'Error'}`)
          throw error
        }
      }
    },
  })
}

export async function openBackend(settings: ResolvedSettings, ui?: Ui): Promise<Backend> {
  if (settings.backend === 'aws') {
    const {createAwsBackend} = await import('./aws.js')
    return createAwsBackend(settings, ui)
  }
  const {createLocalBackend} = await import('./local.js')
  const backend = await createLocalBackend({home: settings.home, region: settings.region})
  return settings.verbose && ui ? withOperationLog(backend, ui, 'local') : backend
}
