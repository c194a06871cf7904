/** Test doubles for the waits: a backend whose DescribeServices/DescribeTasks answers are scripted, and a recording UI. */
import type {Service, Task} from '@aws-sdk/client-ecs'

import type {Backend} from '../../../../src/lib/ecs/backend.js'
import type {ProgressReporter, Ui} from '../../../../src/lib/ui/types.js'

export interface Recorded {
  kind: 'title' | 'update' | 'event' | 'done' | 'out' | 'info' | 'warn' | 'verbose'
  text: string
}

export function recordingUi(): Ui & {log: Recorded[]} {
  const log: Recorded[] = []
  const ui = {
    log,
    interactive: false,
    color: false,
    out: (line: string) => log.push({kind: 'out', text: line}),
    info: (line: string) => log.push({kind: 'info', text: line}),
    warn: (line: string) => log.push({kind: 'warn', text: line}),
    verbose: (line: string) => log.push({kind: 'verbose', text: line}),
    table: () => undefined,
    confirm: async () => false,
    promptSecret: async () => '',
    progress(title: string): ProgressReporter {
      log.push({kind: 'title', text: title})
      return {
        update: (lines: string[]) => log.push({kind: 'update', text: lines.join('\n')}),
        event: (line: string) => log.push({kind: 'event', text: line}),
        done: (finalLine?: string) => log.push({kind: 'done', text: finalLine ?? ''}),
      }
    },
    style: {
      bold: (s: string) => s,
      dim: (s: string) => s,
      red: (s: string) => s,
      green: (s: string) => s,
      yellow: (s: string) => s,
    },
  }
  return ui as Ui & {log: Recorded[]}
}

export interface ScriptedBackend extends Backend {
  sleeps: number[]
  calls: string[]
}

/**
 * A backend answering DescribeServices from `services` (one per call; the last one repeats), DescribeTasks from
 * `taskFrames` likewise, ListTasks(STOPPED) from `stoppedTasks`. Every other operation throws.
 */
export function scriptedBackend(opts: {
  kind?: 'local' | 'aws'
  services?: Service[]
  taskFrames?: Task[][]
  stoppedTasks?: Task[]
  now?: number
}): ScriptedBackend {
  let s = 0
  let t = 0
  const sleeps: number[] = []
  const calls: string[] = []
  const base: Partial<ScriptedBackend> = {
    kind: opts.kind ?? 'local',
    region: 'us-east-1',
    sleeps,
    calls,
    engine:
      (opts.kind ?? 'local') === 'local'
        ? {
            now: async () => opts.now ?? 0,
            advance: async () => 0,
            killInstance: async () => ({}),
            failTask: async () => ({}),
          }
        : undefined,
    async sleep(ms: number) {
      sleeps.push(ms)
    },
    async close() {},
    async describeServices() {
      calls.push('describeServices')
      const list = opts.services ?? []
      const svc = list[Math.min(s++, list.length - 1)]
      return svc ? {services: [svc], failures: []} : {services: [], failures: [{arn: 'x', reason: 'MISSING'}]}
    },
    async describeTasks(input) {
      calls.push('describeTasks')
      if (opts.taskFrames) {
        const frame = opts.taskFrames[Math.min(t++, opts.taskFrames.length - 1)]
        return {tasks: frame.filter((x) => input.tasks?.includes(x.taskArn ?? '')), failures: []}
      }
      return {tasks: (opts.stoppedTasks ?? []).filter((x) => input.tasks?.includes(x.taskArn ?? '')), failures: []}
    },
    async listTasks() {
      calls.push('listTasks')
      return {taskArns: (opts.stoppedTasks ?? []).map((x) => x.taskArn ?? '')}
    },
  }
  return new Proxy(base, {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop]
      if (prop === 'then') return undefined
      return async () => {
        throw new Error(`unexpected call ${String(prop)}`)
      }
    },
  }) as ScriptedBackend
}

const TD1 = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1'
const TD2 = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:2'
export {TD1, TD2}

/** A service snapshot: deployments as [status, taskDefinition, desired, running, pending]. */
export function svc(
  desired: number,
  deployments: Array<[string, string, number, number, number]>,
  events: Array<[number, string]> = [],
  extra: Partial<Service> = {},
): Service {
  const running = deployments.reduce((n, d) => n + d[3], 0)
  const pending = deployments.reduce((n, d) => n + d[4], 0)
  return {
    serviceName: 'web',
    serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/default/web',
    status: 'ACTIVE',
    desiredCount: desired,
    runningCount: running,
    pendingCount: pending,
    taskDefinition: deployments[0]?.[1],
    deployments: deployments.map(([status, taskDefinition, d, r, p], i) => ({
      id: `ecs-svc/${1000 + i}`,
      status,
      taskDefinition,
      desiredCount: d,
      runningCount: r,
      pendingCount: p,
      createdAt: new Date(0),
    })),
    events: events.map(([at, message], i) => ({id: `e${i}`, createdAt: new Date(at), message})).reverse(),
    ...extra,
  }
}
