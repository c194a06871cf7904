/**
 * `ecsx compose start|up|scale|stop|run|ps`: a Compose project as standalone ECS tasks, with ecs-cli's semantics.
 *
 *   up     register (reusing an identical revision), then make sure the project runs: no task → start 1; tasks of an
 *          older revision (or --force-update) → stop them and start as many of the new revision; else nothing.
 *   start  start 1 task unless the project already has running tasks.
 *   scale  run or stop tasks until exactly n run (the newest are stopped first).
 *   stop   stop every task of the project.
 *   run    one task with per-container command overrides.
 * Tasks carry ecs-cli's `group` ("task:<prefix><project>") and `startedBy`, which is how the project finds them.
 * Every change waits (DescribeTasks through `backend.sleep`) until the tasks are RUNNING (or STOPPED).
 */
import type {ContainerOverride, RunTaskCommandInput, Tag, Task, TaskDefinition} from '@aws-sdk/client-ecs'

import type {TranslationResult} from '../../compose/types.js'
import type {Backend} from '../ecs/backend.js'
import {InputError, OperationError} from '../errors.js'
import type {ProjectNames} from './project.js'
import type {Ui} from '../ui/types.js'
import {shortTaskDefinition} from './wait/service-state.js'
import {taskId, waitForTasks, waitForTasksRunning, waitForTasksStopped} from './wait/tasks.js'

export type RegisterFn = (
  backend: Backend,
  input: TranslationResult['taskDefinition'],
) => Promise<{taskDefinition: TaskDefinition; reused: boolean}>
export type ListTasksFn = (
  backend: Backend,
  cluster: string,
  filter: {desiredStatus?: 'RUNNING' | 'STOPPED' | 'ALL'; group?: string; startedBy?: string},
) => Promise<Task[]>

export interface TaskProject {
  backend: Backend
  ui: Ui
  cluster: string
  names: ProjectNames
  translation: TranslationResult
  launchType?: 'EC2' | 'FARGATE'
  tags?: Tag[]
  /** How long to wait for tasks (ms); 0 = do not wait. */
  timeoutMs: number
  register: RegisterFn
  listTasks: ListTasksFn
  pollMs?: number
}

/** RunTask accepts at most 10 tasks per call. */
const RUN_TASK_MAX = 10

/** Register the project's task definition (or reuse an identical ACTIVE revision) and say which one is used. */
export async function registerProject(p: TaskProject): Promise<TaskDefinition> {
  const {taskDefinition, reused} = await p.register(p.backend, p.translation.taskDefinition)
  p.ui.info(
    `Using ECS task definition ${shortTaskDefinition(taskDefinition.taskDefinitionArn)}${reused ? ' (reused)' : ''}`,
  )
  return taskDefinition
}

/** The project's tasks that are meant to run (desiredStatus RUNNING), oldest first. */
export async function projectTasks(
  p: Pick<TaskProject, 'backend' | 'cluster' | 'names' | 'listTasks'>,
  desiredStatus: 'RUNNING' | 'STOPPED' | 'ALL' = 'RUNNING',
): Promise<Task[]> {
  return p.listTasks(p.backend, p.cluster, {desiredStatus, group: p.names.group, startedBy: p.names.startedBy})
}

/** RunTask `count` tasks of `td` (in calls of at most 10); any placement failure is exit 1 naming the reasons. */
export async function runTasks(
  p: TaskProject,
  td: TaskDefinition,
  count: number,
  overrides?: ContainerOverride[],
): Promise<Task[]> {
  const started: Task[] = []
  for (let left = count; left > 0; left -= RUN_TASK_MAX) {
    const input: RunTaskCommandInput = {
      cluster: p.cluster,
      taskDefinition: td.taskDefinitionArn,
      count: Math.min(left, RUN_TASK_MAX),
      group: p.names.group,
      startedBy: p.names.startedBy,
      launchType: p.launchType,
      networkConfiguration: p.translation.run.networkConfiguration,
      placementConstraints: p.translation.run.placementConstraints,
      placementStrategy: p.translation.run.placementStrategy,
      overrides: overrides ? {containerOverrides: overrides} : undefined,
      tags: p.tags && p.tags.length > 0 ? p.tags : undefined,
    }
    const out = await p.backend.runTask(input)
    started.push(...(out.tasks ?? []))
    for (const t of out.tasks ?? [])
      p.ui.info(`Started task ${taskId(t.taskArn)} (${shortTaskDefinition(t.taskDefinitionArn)})`)
    const failures = out.failures ?? []
    if (failures.length > 0) {
      const reasons = failures.map(
        (f) => `${f.reason ?? 'UNKNOWN'}${f.detail ? ` (${f.detail})` : ''}${f.arn ? ` on ${f.arn}` : ''}`,
      )
      throw new OperationError(
        `Could not place ${failures.length} of ${Math.min(left, RUN_TASK_MAX)} task(s) of ` +
          `${shortTaskDefinition(td.taskDefinitionArn)}: ${reasons.join('; ')}`,
        placementHint(failures.map((f) => f.reason ?? '')),
      )
    }
  }
  return started
}

function placementHint(reasons: string[]): string {
  if (reasons.some((r) => r.includes('PORTS')))
    return (
      'A host port the task needs is taken on every instance: ' +
      'use dynamic host ports ("80" instead of "80:80") or add instances (`ecsx scale --size N`).'
    )
  if (reasons.some((r) => r.startsWith('RESOURCE')))
    return "Not enough free CPU/memory: add instances (`ecsx scale --size N`) or lower the task's cpu/memory."
  return "Check the cluster has ACTIVE container instances (`ecsx up`) matching the task's requirements."
}

async function stopTasks(p: TaskProject, tasks: Task[]): Promise<Task[]> {
  for (const t of tasks) {
    await p.backend.stopTask({cluster: p.cluster, task: t.taskArn})
    p.ui.info(`Stopping task ${taskId(t.taskArn)} (${shortTaskDefinition(t.taskDefinitionArn)})`)
  }
  return waitForTasksStopped(
    p.backend,
    p.ui,
    p.cluster,
    tasks.map((t) => t.taskArn ?? ''),
    p.timeoutMs,
    {pollMs: p.pollMs},
  )
}

async function runAndWait(
  p: TaskProject,
  td: TaskDefinition,
  count: number,
  overrides?: ContainerOverride[],
): Promise<Task[]> {
  const started = await runTasks(p, td, count, overrides)
  return waitForTasksRunning(
    p.backend,
    p.ui,
    p.cluster,
    started.map((t) => t.taskArn ?? ''),
    p.timeoutMs,
    {pollMs: p.pollMs},
  )
}

/** `compose up`: see the module comment. Returns the tasks it started (empty when nothing had to change). */
export async function composeUp(p: TaskProject, options: {forceUpdate: boolean}): Promise<Task[]> {
  const td = await registerProject(p)
  const running = await projectTasks(p)
  if (running.length === 0) return runAndWait(p, td, 1)
  const outdated = running.filter((t) => t.taskDefinitionArn !== td.taskDefinitionArn)
  if (!options.forceUpdate && outdated.length === 0) {
    p.ui.info(
      `Project ${p.translation.projectName} is up to date: ${running.length} task(s) run ${shortTaskDefinition(td.taskDefinitionArn)}.`,
    )
    return []
  }
  const count = running.length
  p.ui.info(
    options.forceUpdate
      ? `Replacing ${count} task(s) (--force-update)`
      : `Replacing ${count} task(s) running an older revision`,
  )
  await stopTasks(p, running)
  return runAndWait(p, td, count)
}

/** `compose start`: one task unless some already run. */
export async function composeStart(p: TaskProject): Promise<Task[]> {
  const td = await registerProject(p)
  const running = await projectTasks(p)
  if (running.length > 0) {
    p.ui.info(`Project ${p.translation.projectName} already has ${running.length} running task(s); nothing to start.`)
    return []
  }
  return runAndWait(p, td, 1)
}

/** `compose scale n`: returns the tasks it started (none when it only stopped some). */
export async function composeScale(p: TaskProject, count: number): Promise<Task[]> {
  if (!Number.isInteger(count) || count < 0)
    throw new InputError(`compose scale: the count must be a whole number ≥ 0; got ${count}.`)
  const td = await registerProject(p)
  const running = await projectTasks(p)
  if (running.length > count) {
    const newestFirst = [...running].reverse()
    await stopTasks(p, newestFirst.slice(0, running.length - count))
    return []
  }
  if (running.length === count) {
    p.ui.info(`Project ${p.translation.projectName} already runs ${count} task(s).`)
    return []
  }
  return runAndWait(p, td, count - running.length)
}

/** `compose stop|down`: stop every task of the project; returns them as stopped. */
export async function composeStop(p: TaskProject): Promise<Task[]> {
  const running = await projectTasks(p)
  if (running.length === 0) {
    p.ui.info(`Project ${p.translation.projectName} has no running tasks.`)
    return []
  }
  return stopTasks(p, running)
}

/** `compose run [container "command"]…`: one task with command overrides; waits until it runs or has finished. */
export async function composeRun(p: TaskProject, pairs: string[]): Promise<Task[]> {
  const overrides = commandOverrides(
    pairs,
    p.translation.taskDefinition.containerDefinitions?.map((c) => c.name ?? '') ?? [],
  )
  const td = await registerProject(p)
  const started = await runTasks(p, td, 1, overrides.length > 0 ? overrides : undefined)
  return waitForTasks(
    p.backend,
    p.ui,
    p.cluster,
    started.map((t) => t.taskArn ?? ''),
    'RUNNING',
    p.timeoutMs,
    {pollMs: p.pollMs, stoppedIsDone: true},
  )
}

/** `[container, "command …", container, "command …"]` → container overrides with shell-split commands. */
export function commandOverrides(pairs: string[], containers: string[]): ContainerOverride[] {
  if (pairs.length % 2 !== 0) {
    throw new InputError(
      `compose run: expected pairs of <container> "<command>"; "${pairs.at(-1)}" has no command.`,
      'Example: ecsx compose run web "echo hello" worker "sleep 10"',
    )
  }
  const out: ContainerOverride[] = []
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]
    if (!containers.includes(name)) {
      throw new InputError(
        `compose run: the project has no container "${name}".`,
        `Containers: ${containers.join(', ')}.`,
      )
    }
    if (out.some((o) => o.name === name)) throw new InputError(`compose run: container "${name}" is given twice.`)
    out.push({name, command: shellSplit(pairs[i + 1])})
  }
  return out
}

/** Split a command line like a POSIX shell would for words: quotes ('…', "…") and backslash escapes, no expansion. */
export function shellSplit(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quote === "'") {
      if (ch === "'") quote = undefined
      else word += ch
      continue
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i]
      else word += ch
      continue
    }
    if (ch === "'" || ch === '"') {
      quote = ch
      inWord = true
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i]
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += ch
      inWord = true
    }
  }
  if (quote)
    throw new InputError(`compose run: unterminated ${quote === '"' ? 'double' : 'single'} quote in command: ${line}`)
  if (inWord) words.push(word)
  return words
}
