/** Task definitions (spec §1.4, §2): the area's handlers. */
import type {HandlerTable} from '../handler.js'
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
} from './manage.js'
import {registerTaskDefinition} from './register.js'

export const taskDefinitionHandlers = {
  registerTaskDefinition,
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitions,
  listTaskDefinitionFamilies,
} satisfies HandlerTable
