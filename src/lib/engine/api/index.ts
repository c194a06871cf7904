/**
 * Every ECS operation the engine implements, as one map from the SDK client's method name to its synchronous
 * handler `(ctx, input) => output`.
 */
import type {EcsOperationName, EcsOperations} from '../../ecs/backend.js'
import type {EngineContext} from '../context.js'
import {clusterHandlers} from './clusters.js'
import {instanceHandlers} from './instances.js'
import {serviceHandlers} from './services.js'
import {tagHandlers} from './tags.js'
import {taskDefinitionHandlers} from './task-definitions.js'
import {taskHandlers} from './tasks.js'

export type OperationInput<K extends EcsOperationName> = Parameters<EcsOperations[K]>[0]
export type OperationOutput<K extends EcsOperationName> = Awaited<ReturnType<EcsOperations[K]>>
export type Handler<K extends EcsOperationName> = (ctx: EngineContext, input: OperationInput<K>) => OperationOutput<K>

export const handlers: {[K in EcsOperationName]: Handler<K>} = {
  ...clusterHandlers,
  ...instanceHandlers,
  ...taskDefinitionHandlers,
  ...taskHandlers,
  ...serviceHandlers,
  ...tagHandlers,
}

export const operationNames = Object.keys(handlers) as EcsOperationName[]

export function isOperationName(name: string): name is EcsOperationName {
  return Object.prototype.hasOwnProperty.call(handlers, name)
}
