/** Services (spec §6): the area's handlers. */
import type {HandlerTable} from '../handler.js'
import {createService} from './create.js'
import {deleteService, describeServices, listServices} from './manage.js'
import {updateService} from './update.js'

export const serviceHandlers = {
  createService,
  updateService,
  deleteService,
  describeServices,
  listServices,
} satisfies HandlerTable
