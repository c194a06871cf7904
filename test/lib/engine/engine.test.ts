import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from '@jest/globals'

import {openEngine, stripPrivate} from '../../../src/lib/engine/engine.js'
import {newId, streamRandom} from '../../../src/lib/engine/ids.js'
import {EcsApiError} from '../../../src/lib/engine/errors.js'
import {parseDuration, resolveSettings} from '../../../src/lib/engine/settings.js'
import {caught, identity, openTestEngine, type TestEngine} from './engine-helpers.js'

describe('engine facade', () => {
  const opened: TestEngine[] = []
  const open = (...args: Parameters<typeof openTestEngine>) => {
    const t = openTestEngine(...args)
    opened.push(t)
    return t
  }
  afterEach(() => {
    while (opened.length > 0) opened.pop()!.cleanup()
  })

  it('keeps one database under ECSX_HOME and survives reopening', () => {
    const t = open()
    expect(existsSync(join(t.home, 'engine.db'))).toBe(true)
    t.engine.callSync('createCluster', {clusterName: 'kept'})
    t.reopen()
    expect(t.engine.callSync('listClusters', {}).clusterArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:cluster/kept',
    ])
  })

  it('manual clock: starts at 2026-01-01, moves only with advance, and the choice persists', () => {
    const t = open()
    expect(new Date(t.engine.now()).toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect(t.engine.advance(90_000)).toBe(Date.UTC(2026, 0, 1, 0, 1, 30))
    // Reopened without an explicit mode: still manual, same time.
    t.reopen({clock: undefined})
    expect(t.engine.clockMode).toBe('manual')
    expect(t.engine.now()).toBe(Date.UTC(2026, 0, 1, 0, 1, 30))
    // ECSX_ENGINE_CLOCK works as the explicit choice too.
    t.reopen({clock: undefined, env: {ECSX_ENGINE_CLOCK: 'wall'}})
    expect(t.engine.clockMode).toBe('wall')
  })

  it('wall clock: wall time plus a persisted offset; advance grows the offset', () => {
    let wall = Date.UTC(2026, 5, 1)
    const t = open({clock: 'wall', wallClock: () => wall})
    expect(t.engine.now()).toBe(wall)
    t.engine.advance(10_000)
    wall += 1_000
    expect(t.engine.now()).toBe(wall + 10_000)
    t.reopen({wallClock: () => wall})
    expect(t.engine.now()).toBe(wall + 10_000)
  })

  it('stamps operations with engine time', () => {
    const t = open()
    t.engine.advance(5_000)
    const td = t.engine.callSync('registerTaskDefinition', {
      family: 'f',
      containerDefinitions: [{name: 'a', image: 'busybox', memory: 8}],
    }).taskDefinition!
    expect(td.registeredAt).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 0, 5)))
  })

  it('is deterministic: the same calls on fresh stores give the same ids', () => {
    const run = () => {
      const t = open()
      t.engine.callSync('createCluster', {clusterName: 'dev'})
      return [0, 1].map(
        () =>
          t.engine.callSync('registerContainerInstance', {
            cluster: 'dev',
            instanceIdentityDocument: identity('t2.micro', 'us-east-1a'),
          }).containerInstance!.containerInstanceArn,
      )
    }
    const a = run()
    const b = run()
    expect(a).toEqual(b)
    expect(a[0]).not.toEqual(a[1])
  })

  it('ids drawn in different calls never collide (per-call random streams do not overlap)', () => {
    const seen = new Set<string>()
    for (let stream = 1; stream <= 60_000; stream++) {
      const ctx = {random: streamRandom(0x5eedec5, stream)}
      for (let k = 0; k < 3; k++) seen.add(newId(ctx))
    }
    expect(seen.size).toBe(180_000)
    for (const id of [...seen].slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{32}$/)
  })

  it('call() is async and rejects with the ECS error', async () => {
    const t = open()
    await expect(t.engine.call('createCluster', {clusterName: 'ok'})).resolves.toMatchObject({
      cluster: {clusterName: 'ok'},
    })
    const error = await t.engine.call('deleteCluster', {cluster: 'nope'}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EcsApiError)
    expect(error).toMatchObject({name: 'ClusterNotFoundException', message: 'Cluster not found.', $fault: 'client'})
    expect(() => t.engine.callSync('noSuchOp' as never, {} as never)).toThrow(TypeError)
  })

  it('transaction(): several operations in one atomic unit, rolled back together on error', () => {
    const t = open()
    expect(() =>
      t.engine.transaction((ops) => {
        ops.createCluster({clusterName: 'a'})
        ops.deleteCluster({cluster: 'missing'})
      }),
    ).toThrow('Cluster not found.')
    expect(t.engine.callSync('listClusters', {}).clusterArns).toEqual([])
    const count = t.engine.transaction((ops) => {
      ops.createCluster({clusterName: 'a'})
      ops.createCluster({clusterName: 'b'})
      return ops.listClusters({}).clusterArns!.length
    })
    expect(count).toBe(2)
  })

  it('never returns engine-private fields', () => {
    const t = open()
    t.engine.callSync('createCluster', {clusterName: 'dev'})
    const arn = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('t2.micro', 'us-east-1a'),
    }).containerInstance!.containerInstanceArn!
    const out = t.engine.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [arn]})
    expect(JSON.stringify(out)).not.toMatch(/"_/)
    expect(stripPrivate({a: 1, _b: 2, c: [{_d: 1, e: new Date(0)}]})).toEqual({a: 1, c: [{e: new Date(0)}]})
  })

  it('refuses calls after close', () => {
    const t = open()
    t.engine.close()
    expect(() => t.engine.callSync('listClusters', {})).toThrow(/closed/)
    t.engine.close()
  })

  it('applies ECSX_ENGINE_* durations and rejects bad ones', async () => {
    const t0 = () => open().home
    expect(parseDuration('2s')).toBe(2000)
    expect(parseDuration('1m30s')).toBe(90_000)
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('1.5s')).toBe(1500)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('300')).toBe(300_000) // a bare number is seconds, as everywhere
    expect(parseDuration('soon')).toBeUndefined()
    const settings = resolveSettings('eu-west-1', {
      ECSX_ENGINE_TASK_START_DELAY: '2s',
      ECSX_ENGINE_STOPPED_TASK_RETENTION: '10m',
    })
    expect(settings).toEqual({
      region: 'eu-west-1',
      accountId: '000000000000',
      taskStartDelayMs: 2000,
      taskStopDelayMs: 1000,
      stoppedTaskRetentionMs: 600_000,
      inactiveInstanceRetentionMs: 3_600_000,
    })
    expect(() => resolveSettings('us-east-1', {ECSX_ENGINE_TASK_STOP_DELAY: 'fast'})).toThrow(
      /ECSX_ENGINE_TASK_STOP_DELAY="fast" is not a duration/,
    )
    // Bad input: exit code 2 when it reaches the CLI.
    expect(caught(() => resolveSettings('us-east-1', {ECSX_ENGINE_TASK_STOP_DELAY: 'fast'}))).toMatchObject({
      name: 'SettingsError',
    })
    const untouched = join(t0(), 'never-created')
    try {
      openEngine({home: untouched, env: {ECSX_ENGINE_CLOCK: 'sundial'}})
      throw new Error('expected a failure')
    } catch (error) {
      // The engine's own error (it knows no exit codes); the local backend maps kind 'input' to exit code 2.
      expect(error).toMatchObject({name: 'SettingsError', kind: 'input'})
    }
    expect(existsSync(untouched)).toBe(false)
    const {createLocalBackend} = await import('../../../src/lib/backend/local.js')
    await expect(createLocalBackend({home: untouched, env: {ECSX_ENGINE_CLOCK: 'sundial'}})).rejects.toMatchObject({
      name: 'InputError',
      exitCode: 2,
    })
    const t = open({env: {ECSX_ENGINE_TASK_START_DELAY: '3s'}, region: 'eu-west-1'})
    expect(t.engine.settings.taskStartDelayMs).toBe(3000)
    expect(t.engine.callSync('createCluster', {clusterName: 'x'}).cluster!.clusterArn).toBe(
      'arn:aws:ecs:eu-west-1:000000000000:cluster/x',
    )
  })

  it('a region only sees its own clusters', () => {
    const t = open()
    t.engine.callSync('createCluster', {clusterName: 'east'})
    const west = openEngine({home: t.home, region: 'us-west-2', env: {}})
    try {
      west.callSync('createCluster', {clusterName: 'west'})
      expect(west.callSync('listClusters', {}).clusterArns).toEqual(['arn:aws:ecs:us-west-2:000000000000:cluster/west'])
      expect(caught(() => west.callSync('deleteCluster', {cluster: 'east'})).name).toBe('ClusterNotFoundException')
    } finally {
      west.close()
    }
    expect(t.engine.callSync('listClusters', {}).clusterArns).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:cluster/east',
    ])
  })
})

describe('callWire (the direct wire path of engine serve)', () => {
  const opened: TestEngine[] = []
  afterEach(() => {
    for (const t of opened.splice(0)) t.cleanup()
  })

  /** callSync's output as the HTTP server used to send it: Dates as epoch seconds. */
  const wireOf = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
        const raw = this[key]
        return raw instanceof Date ? raw.getTime() / 1000 : v
      }),
    )

  it('answers exactly the wire JSON of callSync for reads and writes, and throws the same ECS errors', () => {
    const t = openTestEngine()
    opened.push(t)
    const e = t.engine
    e.callSync('createCluster', {clusterName: 'dev'})
    e.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('m4.large', 'us-east-1a', 'i-0aaa'),
    })
    e.callSync('registerTaskDefinition', {
      family: 'web',
      containerDefinitions: [
        {name: 'app', image: 'nginx', memory: 128, portMappings: [{containerPort: 80, hostPort: 0}]},
      ],
    })
    e.callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'web', desiredCount: 2})
    e.advance(30_000)
    const taskArns = e.callSync('listTasks', {cluster: 'dev'}).taskArns ?? []
    expect(taskArns).toHaveLength(2)
    const reads = [
      ['describeServices', {cluster: 'dev', services: ['web', 'missing']}],
      ['describeTasks', {cluster: 'dev', tasks: taskArns}],
      ['describeClusters', {clusters: ['dev'], include: ['STATISTICS']}],
      [
        'describeContainerInstances',
        {
          cluster: 'dev',
          containerInstances: e.callSync('listContainerInstances', {cluster: 'dev'}).containerInstanceArns ?? [],
        },
      ],
      ['describeTaskDefinition', {taskDefinition: 'web'}],
      ['listTasks', {cluster: 'dev'}],
    ] as const
    for (const [op, input] of reads) {
      const text = e.callWire(op, input as never)
      expect(JSON.parse(text)).toEqual(wireOf(e.callSync(op, input as never)))
      expect(text).not.toMatch(/"_[a-zA-Z]/) // no engine-private member at any depth
    }
    // A write: its own output, then the same state seen both ways.
    const ran = JSON.parse(e.callWire('runTask', {cluster: 'dev', taskDefinition: 'web'}))
    expect(ran.tasks[0].lastStatus).toBe('PENDING')
    expect(typeof ran.tasks[0].createdAt).toBe('number')
    const described = e.callSync('describeTasks', {cluster: 'dev', tasks: [ran.tasks[0].taskArn], include: ['TAGS']})
    expect(ran.tasks[0]).toEqual((wireOf(described) as {tasks: unknown[]}).tasks[0])
    expect(caught(() => e.callWire('describeServices', {cluster: 'nope', services: ['web']}))).toMatchObject({
      name: 'ClusterNotFoundException',
    })
  })

  it('shares nothing with the engine: changing what a call returned changes no later answer', () => {
    const t = openTestEngine()
    opened.push(t)
    const e = t.engine
    e.callSync('createCluster', {clusterName: 'dev'})
    e.callSync('registerTaskDefinition', {
      family: 'web',
      containerDefinitions: [{name: 'app', image: 'nginx', memory: 128}],
    })
    e.callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'web', desiredCount: 0})
    const before = e.callWire('describeServices', {cluster: 'dev', services: ['web']})
    const out = e.callSync('describeServices', {cluster: 'dev', services: ['web']})
    const service = out.services![0]
    service.deployments![0].desiredCount = 99
    service.events?.push({id: 'x', message: 'injected'})
    service.serviceName = 'changed'
    expect(e.callWire('describeServices', {cluster: 'dev', services: ['web']})).toBe(before)
    expect(e.callSync('describeServices', {cluster: 'dev', services: ['web']}).services![0].serviceName).toBe('web')
  })
})
