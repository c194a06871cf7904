/** Tasks (spec §4): the area's handlers. */
import type {HandlerTable} from '../handler.js'
import {describeTasks, listTasks, stopTask} from './manage.js'
import {runTask, startTask} from './run.js'

export const taskHandlers = {runTask, startTask, stopTask, describeTasks, listTasks} satisfies HandlerTable
