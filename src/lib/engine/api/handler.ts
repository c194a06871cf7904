/**
 * What an operation handler is: `(ctx, input) => output`, synchronous, inside the call's transaction, with the SDK's
 * own input and output types of the ECS operation it implements. Each resource area exports a `HandlerTable` of its
 * operations; ./index.ts assembles them into the one registry the facade dispatches through.
 */
import type {EcsOperationName, EcsOperations} from '../../ecs/backend.js'
import type {EngineContext} from '../context.js'

export type OperationInput<K extends EcsOperationName> = Parameters<EcsOperations[K]>[0]
export type OperationOutput<K extends EcsOperationName> = Awaited<ReturnType<EcsOperations[K]>>
export type Handler<K extends EcsOperationName> = (ctx: EngineContext, input: OperationInput<K>) => OperationOutput<K>

/** Some operations with their handlers (one resource area's share of the registry). */
export type HandlerTable = {[K in EcsOperationName]?: Handler<K>}
