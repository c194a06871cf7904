/**
 * The handler registry: every ECS operation the engine implements, as one map from the SDK client's method name to
 * its synchronous handler `(ctx, input) => output`. Handlers live by resource area (one folder or file each, each
 * exporting its HandlerTable); adding an operation = its name in src/lib/ecs (backend.ts, operations.ts) and its
 * handler in its area's table. The map's type makes the compiler insist that every operation has a handler.
 *
 * Handlers only check input like ECS, call the model (lookups, documents) and the runtime (launch, stops, the
 * service controller), and shape the result; they never call each other across areas except for shared checks
 * (./input.ts, ./launch-checks.ts, ./tags.ts).
 */
import type {EcsOperationName} from '../../ecs/backend.js'
import {clusterHandlers} from './clusters.js'
import type {Handler} from './handler.js'
import {instanceHandlers} from './instances/index.js'
import {serviceHandlers} from './services/index.js'
import {tagHandlers} from './tags.js'
import {taskDefinitionHandlers} from './task-definitions/index.js'
import {taskHandlers} from './tasks/index.js'

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
