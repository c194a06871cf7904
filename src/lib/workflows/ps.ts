/**
 * `ecsx ps`, `compose ps`, `compose service ps` and the tasks the task workflows started: ecs-cli's `ps` table
 * (spec ecs-cli.md §13), one row per container.
 */
import type {Container, Task, TaskDefinition} from '@aws-sdk/client-ecs'

import type {Backend} from '../ecs/backend.js'
import {findTasks, type TaskFilter} from '../ecs/lookups.js'
import type {TableColumn, Ui} from '../ui/types.js'

/** The tasks matching `filter`, oldest first, and (unless `json`) ecs-cli's table of their containers on stdout. */
export async function ps(
  backend: Backend,
  ui: Ui,
  cluster: string,
  filter: TaskFilter,
  options: {json: boolean},
): Promise<Task[]> {
  const tasks = await findTasks(backend, cluster, filter)
  if (!options.json) await renderTasks(backend, ui, tasks)
  return tasks
}

/** ecs-cli's table of the tasks' containers (nothing when there are none), with the ports of awsvpc tasks. */
export async function renderTasks(backend: Backend, ui: Ui, tasks: Task[]): Promise<void> {
  if (tasks.length === 0) return
  renderTaskTable(ui, tasks, {taskDefinitions: await taskDefinitionsForPorts(backend, tasks)})
}

/** Task definitions of the awsvpc tasks (their ports come from the task definition), keyed by ARN. */
async function taskDefinitionsForPorts(backend: Backend, tasks: Task[]): Promise<Map<string, TaskDefinition>> {
  const arns = new Set(
    tasks
      .filter(isAwsvpcTask)
      .map((t) => t.taskDefinitionArn)
      .filter((a): a is string => Boolean(a)),
  )
  const map = new Map<string, TaskDefinition>()
  for (const arn of arns) {
    const out = await backend.describeTaskDefinition({taskDefinition: arn})
    if (out.taskDefinition) map.set(arn, out.taskDefinition)
  }
  return map
}

function isAwsvpcTask(task: Task): boolean {
  return (
    (task.attachments ?? []).some((a) => a.type === 'ElasticNetworkInterface') ||
    (task.containers ?? []).some((c) => (c.networkInterfaces ?? []).length > 0)
  )
}

export interface TaskRow {
  name: string
  state: string
  ports: string
  taskDefinition: string
  health: string
}

function eniAddress(task: Task, container: Container): string | undefined {
  const fromContainer = container.networkInterfaces?.find((n) => n.privateIpv4Address)?.privateIpv4Address
  if (fromContainer) return fromContainer
  for (const att of task.attachments ?? []) {
    const ip = att.details?.find((d) => d.name === 'privateIPv4Address')?.value
    if (ip) return ip
  }
  return undefined
}

function portsOf(
  task: Task,
  container: Container,
  taskDefinitions?: Map<string, TaskDefinition>,
  hostIps?: Map<string, string>,
): string {
  if (isAwsvpcTask(task)) {
    const td = task.taskDefinitionArn ? taskDefinitions?.get(task.taskDefinitionArn) : undefined
    const def = td?.containerDefinitions?.find((d) => d.name === container.name)
    const mappings = def?.portMappings ?? []
    if (mappings.length === 0) return ''
    const pending = task.lastStatus === 'PENDING' || task.lastStatus === 'PROVISIONING'
    const ip = eniAddress(task, container) ?? (pending ? '(PENDING)' : '')
    return mappings
      .map((m) => `${ip}:${m.hostPort ?? m.containerPort}->${m.containerPort}/${m.protocol ?? 'tcp'}`)
      .join(', ')
  }
  const hostIp = task.containerInstanceArn ? hostIps?.get(task.containerInstanceArn) : undefined
  return (container.networkBindings ?? [])
    .map((b) => `${hostIp ?? b.bindIP ?? ''}:${b.hostPort}->${b.containerPort}/${b.protocol ?? 'tcp'}`)
    .join(', ')
}

function stateOf(container: Container): string {
  let state = container.lastStatus ?? ''
  if (state === 'STOPPED') {
    if (container.exitCode !== undefined && container.exitCode !== null) state += ` ExitCode: ${container.exitCode}`
    if (container.reason) state += ` Reason: ${container.reason}`
  }
  return state
}

/** ecs-cli's task id: everything after the first "/" of the ARN (with long ARNs, `<cluster>/<task-id>`). */
export function taskIdOf(taskArn: string): string {
  const slash = taskArn.indexOf('/')
  return slash < 0 ? taskArn : taskArn.slice(slash + 1)
}

export function taskRows(
  tasks: Task[],
  options: {taskDefinitions?: Map<string, TaskDefinition>; hostIps?: Map<string, string>} = {},
): TaskRow[] {
  const rows: TaskRow[] = []
  for (const task of tasks) {
    const taskDefinition = task.taskDefinitionArn
      ? task.taskDefinitionArn.slice(task.taskDefinitionArn.lastIndexOf('/') + 1)
      : ''
    for (const container of task.containers ?? []) {
      rows.push({
        name: `${taskIdOf(task.taskArn ?? '')}/${container.name ?? ''}`,
        state: stateOf(container),
        ports: portsOf(task, container, options.taskDefinitions, options.hostIps),
        taskDefinition,
        health: container.healthStatus ?? '',
      })
    }
  }
  return rows
}

export const TASK_COLUMNS: Array<TableColumn<TaskRow>> = [
  {header: 'Name', get: (r) => r.name},
  {header: 'State', get: (r) => r.state},
  {header: 'Ports', get: (r) => r.ports},
  {header: 'TaskDefinition', get: (r) => r.taskDefinition},
  {header: 'Health', get: (r) => r.health},
]

/** The ecs-cli `ps` table on stdout (header only when there are rows). */
export function renderTaskTable(
  ui: Ui,
  tasks: Task[],
  options: {taskDefinitions?: Map<string, TaskDefinition>; hostIps?: Map<string, string>} = {},
): void {
  ui.table(taskRows(tasks, options), TASK_COLUMNS)
}
