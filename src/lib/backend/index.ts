/**
 * The backend factory: settings decide which Backend a command talks to. Both implementations load lazily, so a
 * command pays for the engine (SQLite) or the AWS SDK only when it really opens a backend.
 * Under --verbose the local backend logs every ECS operation (the aws backend logs its own, with request ids).
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Ui} from '../ui/types.js'
import type {Backend, EcsOperationName} from '../ecs/backend.js'
import {ECS_OPERATION_NAMES} from '../ecs/operations.js'

/** A view of `backend` that reports each ECS operation (name, result or error, time) through `ui.verbose`. */
export function withOperationLog(backend: Backend, ui: Ui, label: string): Backend {
  const timed = <T>(operation: string, run: () => T): T => {
    const started = Date.now()
    const report = (error?: unknown): void => {
      const op = operation[0].toUpperCase() + operation.slice(1)
      const ms = Date.now() - started
      ui.verbose(
        error === undefined
          ? `${label}: ECS ${op} ok in ${ms} ms`
          : `${label}: ECS ${op} failed in ${ms} ms: ${(error as Error)?.name ?? 'Error'}`,
      )
    }
    let result: T
    try {
      result = run()
    } catch (error) {
      report(error ?? new Error('unknown'))
      throw error
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => (report(), value),
        (error: unknown) => {
          report(error ?? new Error('unknown'))
          throw error
        },
      ) as T
    }
    report()
    return result
  }
  const operations: Record<string, (input: unknown) => Promise<unknown>> = {}
  for (const name of ECS_OPERATION_NAMES) {
    const method = backend[name] as (input: unknown) => Promise<unknown>
    operations[name] = (input) => timed(name, () => method.call(backend, input))
  }
  const wire = backend.wire
  const logged = {
    ...(operations as unknown as Pick<Backend, EcsOperationName>),
    get kind() {
      return backend.kind
    },
    get region() {
      return backend.region
    },
    get engine() {
      return backend.engine
    },
    wire: wire && {
      callWire: (operation: EcsOperationName, input: unknown) =>
        timed(operation, () => wire.callWire(operation, input)),
    },
    sleep: (ms: number) => backend.sleep(ms),
    close: () => backend.close(),
  }
  return logged
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
