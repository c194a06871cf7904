import {describe, expect, it} from '@jest/globals'
import type {
  ContainerDefinition,
  DescribeTaskDefinitionCommandInput,
  DescribeTasksCommandInput,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs'

import {
  createLogGroups,
  describeLogTargets,
  fetchLogEvents,
  followLogEvents,
  formatLogEvent,
  type LogEventLine,
  type LogTarget,
  openLogsClients,
  parseRfc3339,
  resolveLogSource,
  taskIdOf,
} from '../../../src/lib/aws/logs.js'
import type {Backend} from '../../../src/lib/ecs/backend.js'
import {EcsxError} from '../../../src/lib/errors.js'
import {fakeAwsForSuite} from './support/fake-aws.js'
import {awsSettings, manualClock, recordingUi} from './support/fakes.js'

const TASK_ID = '0c2862e6e39e4eff92ca3e4f843c5b9a'
const TASK_ARN = `arn:aws:ecs:us-west-2:123456789012:task/demo/${TASK_ID}`
const TD_ARN = 'arn:aws:ecs:us-west-2:123456789012:task-definition/app:3'

const awslogs = (group: string, prefix?: string, region?: string): ContainerDefinition['logConfiguration'] => ({
  logDriver: 'awslogs',
  options: {
    'awslogs-group': group,
    ...(prefix ? {'awslogs-stream-prefix': prefix} : {}),
    ...(region ? {'awslogs-region': region} : {}),
  },
})

const TASK_DEFINITION: TaskDefinition = {
  taskDefinitionArn: TD_ARN,
  family: 'app',
  revision: 3,
  containerDefinitions: [
    {name: 'web', image: 'nginx', logConfiguration: awslogs('/ecs/app', 'ecs')},
    {name: 'worker', image: 'busybox', logConfiguration: awslogs('/ecs/worker', 'ecs', 'eu-west-1')},
    {name: 'sidecar', image: 'busybox', logConfiguration: {logDriver: 'json-file'}},
    {name: 'noprefix', image: 'busybox', logConfiguration: awslogs('/ecs/app')},
  ],
}

/** The two Backend operations logs need, answering like ECS (MISSING failures for unknown tasks). */
function fakeBackend(tasks: Task[]): Pick<Backend, 'describeTasks' | 'describeTaskDefinition'> & {calls: unknown[]} {
  const calls: unknown[] = []
  return {
    calls,
    async describeTasks(input: DescribeTasksCommandInput) {
      calls.push(['describeTasks', input])
      const found = tasks.filter((t) => input.tasks?.some((ref) => t.taskArn === ref || t.taskArn?.endsWith(`/${ref}`)))
      const failures = (input.tasks ?? [])
        .filter((ref) => !found.some((t) => t.taskArn?.endsWith(ref.split('/').pop() as string)))
        .map((arn) => ({arn, reason: 'MISSING'}))
      return {tasks: found, failures}
    },
    async describeTaskDefinition(input: DescribeTaskDefinitionCommandInput) {
      calls.push(['describeTaskDefinition', input])
      if (input.taskDefinition === TD_ARN || input.taskDefinition === 'app:3') return {taskDefinition: TASK_DEFINITION}
      throw Object.assign(new Error('Unable to describe task definition.'), {name: 'ClientException'})
    },
  }
}

describe('resolveLogSource', () => {
  const backend = () => fakeBackend([{taskArn: TASK_ARN, taskDefinitionArn: TD_ARN, lastStatus: 'RUNNING'}])

  it('maps each awslogs container with a stream prefix to <prefix>/<container>/<task id>, in its awslogs-region', async () => {
    const b = backend()
    const source = await resolveLogSource(b, 'demo', {taskId: TASK_ID}, 'us-west-2')
    expect(b.calls).toEqual([
      ['describeTasks', {cluster: 'demo', tasks: [TASK_ID]}],
      ['describeTaskDefinition', {taskDefinition: TD_ARN}],
    ])
    expect(source.targets).toEqual([
      {container: 'web', logGroup: '/ecs/app', logStream: `ecs/web/${TASK_ID}`, region: 'us-west-2'},
      {container: 'worker', logGroup: '/ecs/worker', logStream: `ecs/worker/${TASK_ID}`, region: 'eu-west-1'},
    ])
    expect(source.skipped).toEqual([
      'container sidecar uses the json-file log driver, not awslogs',
      'container noprefix has no awslogs-stream-prefix, so its stream is named after the Docker container id',
    ])
    expect(describeLogTargets(source.targets)).toEqual([
      `web: log group /ecs/app, stream ecs/web/${TASK_ID} (us-west-2)`,
      `worker: log group /ecs/worker, stream ecs/worker/${TASK_ID} (eu-west-1)`,
    ])
  })

  it('accepts a task ARN and filters by --container-name', async () => {
    const source = await resolveLogSource(backend(), 'demo', {taskId: TASK_ARN, containerName: 'worker'}, 'us-west-2')
    expect(source.taskId).toBe(TASK_ID)
    expect(source.targets.map((t) => t.container)).toEqual(['worker'])
  })

  it('an unknown --container-name is exit 2 listing the containers', async () => {
    await expect(
      resolveLogSource(backend(), 'demo', {taskId: TASK_ID, containerName: 'db'}, 'us-west-2'),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: 'Task definition app:3 has no container "db".',
      hint: 'Its containers: web, worker, sidecar, noprefix.',
    })
  })

  it('a task ECS no longer lists needs --task-def (exit 1 without it)', async () => {
    const b = fakeBackend([])
    await expect(resolveLogSource(b, 'demo', {taskId: TASK_ID}, 'us-west-2')).rejects.toMatchObject({
      exitCode: 1,
      message: `Task ${TASK_ID} not found in cluster demo.`,
    })
    const source = await resolveLogSource(b, 'demo', {taskId: TASK_ID, taskDef: 'app:3'}, 'us-west-2')
    expect(source.task).toBeUndefined()
    expect(source.targets).toHaveLength(2)
  })

  it('taskIdOf takes the last ARN segment', () => {
    expect(taskIdOf(TASK_ARN)).toBe(TASK_ID)
    expect(taskIdOf(TASK_ID)).toBe(TASK_ID)
  })
})

describe('CloudWatch Logs requests', () => {
  const fake = fakeAwsForSuite()

  const web: LogTarget = {container: 'web', logGroup: '/ecs/app', logStream: `ecs/web/${TASK_ID}`, region: 'us-west-2'}
  const worker: LogTarget = {
    container: 'worker',
    logGroup: '/ecs/worker',
    logStream: `ecs/worker/${TASK_ID}`,
    region: 'eu-west-1',
  }

  it("pages FilterLogEvents per log group, in the group's region, and merges events by time", async () => {
    fake.on('logs:FilterLogEvents', (req) => {
      const p = req.params as {logGroupName: string; nextToken?: string}
      if (p.logGroupName === '/ecs/worker')
        return {json: {events: [{logStreamName: worker.logStream, timestamp: 1500, message: 'work\n', eventId: 'w1'}]}}
      if (!p.nextToken)
        return {
          json: {
            events: [{logStreamName: web.logStream, timestamp: 1000, message: 'GET /', eventId: 'a1'}],
            nextToken: 'page-2',
          },
        }
      return {json: {events: [{logStreamName: web.logStream, timestamp: 2000, message: 'GET /health', eventId: 'a2'}]}}
    })
    const clients = await openLogsClients(awsSettings())
    try {
      const events = await fetchLogEvents(clients, [web, worker], {startTime: 500, endTime: 9000, filterPattern: 'GET'})
      expect(events.map((e) => [e.timestamp, e.container, e.message])).toEqual([
        [1000, 'web', 'GET /'],
        [1500, 'worker', 'work'],
        [2000, 'web', 'GET /health'],
      ])
    } finally {
      clients.close()
    }
    expect(fake.calls('logs', 'FilterLogEvents').map((r) => r.params)).toEqual([
      {logGroupName: '/ecs/app', logStreamNames: [web.logStream], startTime: 500, endTime: 9000, filterPattern: 'GET'},
      {
        logGroupName: '/ecs/app',
        logStreamNames: [web.logStream],
        startTime: 500,
        endTime: 9000,
        filterPattern: 'GET',
        nextToken: 'page-2',
      },
      {
        logGroupName: '/ecs/worker',
        logStreamNames: [worker.logStream],
        startTime: 500,
        endTime: 9000,
        filterPattern: 'GET',
      },
    ])
    const [first, , third] = fake.calls('logs', 'FilterLogEvents')
    expect(first?.headers['x-amz-target']).toBe('Logs_20140328.FilterLogEvents')
    expect(String(first?.headers.authorization)).toContain('/us-west-2/logs/aws4_request')
    expect(String(third?.headers.authorization)).toContain('/eu-west-1/logs/aws4_request')
  })

  it('a missing log group is exit 1 pointing at --create-log-groups', async () => {
    fake.on('logs:FilterLogEvents', () => ({
      error: {code: 'ResourceNotFoundException', message: 'The specified log group does not exist.'},
    }))
    const clients = await openLogsClients(awsSettings())
    try {
      await expect(fetchLogEvents(clients, [web], {})).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringContaining('Log group /ecs/app (or its streams) not found in us-west-2'),
      })
    } finally {
      clients.close()
    }
  })

  it('--follow polls from the newest timestamp and prints each event once', async () => {
    const pages = [
      [
        {logStreamName: web.logStream, timestamp: 1000, message: 'one', eventId: 'e1'},
        {logStreamName: web.logStream, timestamp: 2000, message: 'two', eventId: 'e2'},
      ],
      [
        {logStreamName: web.logStream, timestamp: 2000, message: 'two', eventId: 'e2'},
        {logStreamName: web.logStream, timestamp: 2000, message: 'two-b', eventId: 'e3'},
      ],
      [
        {logStreamName: web.logStream, timestamp: 2000, message: 'two', eventId: 'e2'},
        {logStreamName: web.logStream, timestamp: 2000, message: 'two-b', eventId: 'e3'},
        {logStreamName: web.logStream, timestamp: 3000, message: 'three', eventId: 'e4'},
      ],
    ]
    let call = 0
    fake.on('logs:FilterLogEvents', () => ({json: {events: pages[Math.min(call++, pages.length - 1)]}}))
    const clients = await openLogsClients(awsSettings())
    const printed: string[] = []
    const controller = new AbortController()
    const clock = manualClock()
    const deps = {
      now: clock.now,
      sleep: async (ms: number) => {
        await clock.sleep(ms)
        if (clock.sleeps.length === 3) controller.abort()
      },
    }
    try {
      await followLogEvents(clients, [web], {startTime: 0}, (events) => printed.push(...events.map((e) => e.message)), {
        deps,
        signal: controller.signal,
      })
    } finally {
      clients.close()
    }
    expect(printed).toEqual(['one', 'two', 'two-b', 'three'])
    expect(fake.calls('logs', 'FilterLogEvents').map((r) => r.params.startTime)).toEqual([0, 2000, 2000])
    expect(clock.sleeps).toEqual([2000, 2000, 2000])
  })

  it('--follow waits for a stream that does not exist yet (told once) instead of failing', async () => {
    let call = 0
    fake.on('logs:FilterLogEvents', () =>
      ++call <= 2
        ? {error: {code: 'ResourceNotFoundException', message: 'The specified log stream does not exist.'}}
        : {json: {events: [{logStreamName: web.logStream, timestamp: 5000, message: 'started', eventId: 's1'}]}},
    )
    const clients = await openLogsClients(awsSettings())
    const printed: string[] = []
    const waiting: string[] = []
    const controller = new AbortController()
    const clock = manualClock()
    const deps = {
      now: clock.now,
      sleep: async (ms: number) => {
        await clock.sleep(ms)
        if (clock.sleeps.length === 3) controller.abort()
      },
    }
    try {
      await followLogEvents(clients, [web], {}, (events) => printed.push(...events.map((e) => e.message)), {
        deps,
        signal: controller.signal,
        onWaiting: (m) => waiting.push(m),
      })
    } finally {
      clients.close()
    }
    expect(printed).toEqual(['started'])
    expect(waiting).toHaveLength(1)
    expect(waiting[0]).toContain('Log group /ecs/app (or its streams) not found in us-west-2')
  })

  it('createLogGroups creates each awslogs group once, in its region; an existing group is a warning', async () => {
    fake.on('logs:CreateLogGroup', (req) =>
      req.params.logGroupName === '/ecs/app'
        ? {error: {code: 'ResourceAlreadyExistsException', message: 'The specified log group already exists'}}
        : {json: {}},
    )
    const ui = recordingUi()
    const result = await createLogGroups(
      awsSettings(),
      {
        containerDefinitions: [
          ...(TASK_DEFINITION.containerDefinitions ?? []),
          {name: 'web2', logConfiguration: awslogs('/ecs/app', 'x')},
        ],
      },
      ui,
    )
    expect(
      fake
        .calls('logs', 'CreateLogGroup')
        .map((r) => [r.params, String(r.headers.authorization).match(/\/([a-z0-9-]+)\/logs\//)?.[1]]),
    ).toEqual([
      [{logGroupName: '/ecs/app'}, 'us-west-2'],
      [{logGroupName: '/ecs/worker'}, 'eu-west-1'],
    ])
    expect(result).toEqual({created: ['/ecs/worker'], existing: ['/ecs/app']})
    expect(ui.lines.warn).toEqual(['Log group /ecs/app already exists in us-west-2.'])
    expect(ui.lines.info).toEqual(['Created log group /ecs/worker in eu-west-1'])
  })

  it('createLogGroups makes no request when no container uses awslogs', async () => {
    const result = await createLogGroups(awsSettings(), {
      containerDefinitions: [{name: 'a', logConfiguration: {logDriver: 'json-file'}}],
    })
    expect(result).toEqual({created: [], existing: []})
    expect(fake.requests).toEqual([])
  })
})

describe('formatting and time flags', () => {
  const e: LogEventLine = {
    timestamp: Date.UTC(2026, 10, 25, 1, 2, 3, 456),
    message: 'hello',
    container: 'web',
    logGroup: 'g',
    logStream: 's',
  }
  it('formats with optional RFC 3339 timestamps and container prefix', () => {
    expect(formatLogEvent(e)).toBe('hello')
    expect(formatLogEvent(e, {timestamps: true})).toBe('2026-11-25T01:02:03.456Z hello')
    expect(formatLogEvent(e, {timestamps: true, showContainer: true})).toBe('2026-11-25T01:02:03.456Z web | hello')
  })
  it('parses RFC 3339 and rejects anything else with exit 2 naming the flag', () => {
    expect(parseRfc3339('2006-01-02T15:04:05+07:00', '--start-time')).toBe(Date.UTC(2006, 0, 2, 8, 4, 5))
    expect(parseRfc3339('2026-11-25T01:00:00Z', '--end-time')).toBe(Date.UTC(2026, 10, 25, 1))
    for (const bad of ['yesterday', '2026-11-25', '2026-11-25 01:00:00', '2026-13-45T01:00:00Z']) {
      let caught: unknown
      try {
        parseRfc3339(bad, '--start-time')
      } catch (err) {
        caught = err
      }
      expect(caught).toBeInstanceOf(EcsxError)
      expect((caught as EcsxError).exitCode).toBe(2)
      expect((caught as Error).message).toContain('--start-time')
    }
  })
})
