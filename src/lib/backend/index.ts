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
  const report = (operation: string, started: number, error?: unknown): void => {
    const op = operation[0].toUpperCase() + operation.slice(1)
    const ms = Date.now() - started
    ui.verbose(error === undefined ? `${label}: ECS ${op} ok in ${ms} ms` : `${label}: ECS ${op} failed in ${ms} ms: ${(error as Error)?.name ?? 'Error'}`)
  }
  return new Proxy(backend, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof prop !== 'string' || NOT_OPERATIONS.has(prop) || typeof value !== 'function') return value
      if (prop === 'callWire') {
        // The local backend's synchronous wire path (engine serve): callWire(operation, input) → JSON text.
        return (operation: string, input: unknown): string => {
          const started = Date.now()
          try {
            const text = (value as (o: string, i: unknown) => string).call(target, operation, input)
            report(operation, started)
            return text
          } catch (error) {
            report(operation, started, error ?? new Error('unknown'))
            throw error
          }
        }
      }
      return async (input: unknown) => {
        const started = Date.now()
        try {
          const out = await (value as (i: unknown) => Promise<unknown>).call(target, input)
          report(prop, started)
          return out
        } catch (error) {
          report(prop, started, error ?? new Error('unknown'))
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
