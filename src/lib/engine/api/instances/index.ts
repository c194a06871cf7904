/** Container instances and attributes (spec §3): the area's handlers. */
import type {HandlerTable} from '../handler.js'
import {deleteAttributes, listAttributes, putAttributes} from './attributes.js'
import {
  deregisterContainerInstance,
  describeContainerInstances,
  listContainerInstances,
  updateContainerInstancesState,
} from './manage.js'
import {registerContainerInstance} from './register.js'

export const instanceHandlers = {
  registerContainerInstance,
  deregisterContainerInstance,
  describeContainerInstances,
  listContainerInstances,
  updateContainerInstancesState,
  putAttributes,
  deleteAttributes,
  listAttributes,
} satisfies HandlerTable
