/** Human output of the task workflows: the ecs-cli `ps` table of the tasks a command started (stdout, not under --json). */
import type {Task} from '@aws-sdk/client-ecs'

import type {TaskProject} from './compose-tasks.js'
import {renderTaskTable, taskDefinitionsForPorts} from './ps.js'

export async function renderStartedTasks(project: Pick<TaskProject, 'backend' | 'ui'>, tasks: Task[]): Promise<void> {
  if (tasks.length === 0) return
  renderTaskTable(project.ui, tasks, {taskDefinitions: await taskDefinitionsForPorts(project.backend, tasks)})
}
