/**
 * The facade skips the reconcile pass when nothing is due (engine.ts), and the pass itself is incremental (only
 * tasks due by now, found through the indexed `due` column; tasks loaded lazily by what the pass touches).
 * Property: random operation sequences with random clock advances, interleaved with reads, give identical Describe*
 * outputs on an engine that skips, on one forced to run the pass on every call (`alwaysReconcile`), and on one that
 * runs the pass on every call reading every unstopped task (`fullScanReconcile`, the pass before it was incremental).
 */
import {afterEach, describe, expect, it} from '@jest/globals'
import type {ContainerDefinition} from '@aws-sdk/client-ecs'
import fc from 'fast-check'

import type {Engine} from '../../../../../src/lib/engine/engine.js'
import {killInstance} from '../../../../../src/lib/engine/runtime/faults.js'
import {identity, openTestEngine, type TestEngine} from '../../engine-helpers.js'

const open: TestEngine[] = []
afterEach(() => {
  for (const t of open.splice(0)) t.cleanup()
})

type Shape = 'steady' | 'crash' | 'fail' | 'unhealthy'

function containerFor(shape: Shape, memory: number, seconds: number): ContainerDefinition {
  const labels: Record<string, string> =
    shape === 'crash'
      ? {'ecsx.simulate.exit-after': `${seconds}s`, 'ecsx.simulate.exit-code': '1'}
      : shape === 'fail'
        ? {'ecsx.simulate.fail-to-start': 'CannotPullContainerError: nope'}
        : shape === 'unhealthy'
          ? {'ecsx.simulate.health': `unhealthy-after:${seconds}s`}
          : {}
  const healthCheck = shape === 'unhealthy' ? {command: ['CMD', 'true'], interval: 5, retries: 2} : undefined
  return {name: 'app', image: 'app:1', memory, essential: true, dockerLabels: labels, healthCheck}
}

type Op =
  | {kind: 'run'; family: number; count: number}
  | {kind: 'scale'; family: number; count: number}
  | {kind: 'deploy'; family: number; to: number}
  | {kind: 'delete'; family: number}
  | {kind: 'stop'; pick: number}
  | {kind: 'drain' | 'kill'; pick: number}
  | {kind: 'register'; type: string}
  | {kind: 'advance'; ms: number}
  | {kind: 'read'}

const FAMILIES = 3
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('run' as const),
    family: fc.integer({min: 0, max: FAMILIES - 1}),
    count: fc.integer({min: 1, max: 4}),
  }),
  fc.record({
    kind: fc.constant('scale' as const),
    family: fc.integer({min: 0, max: FAMILIES - 1}),
    count: fc.integer({min: 0, max: 5}),
  }),
  fc.record({
    kind: fc.constant('deploy' as const),
    family: fc.integer({min: 0, max: FAMILIES - 1}),
    to: fc.integer({min: 0, max: FAMILIES - 1}),
  }),
  fc.record({kind: fc.constant('delete' as const), family: fc.integer({min: 0, max: FAMILIES - 1})}),
  fc.record({kind: fc.constant('stop' as const), pick: fc.nat()}),
  fc.record({kind: fc.constantFrom('drain' as const, 'kill' as const), pick: fc.nat()}),
  fc.record({kind: fc.constant('register' as const), type: fc.constantFrom('t2.micro', 't2.medium', 'm4.large')}),
  fc.record({
    kind: fc.constant('advance' as const),
    ms: fc.oneof(
      fc.integer({min: 1, max: 5_000}),
      fc.integer({min: 5_000, max: 120_000}),
      fc.integer({min: 3_600_000, max: 8 * 3_600_000}),
    ),
  }),
  fc.constant({kind: 'read' as const}),
)

/** Everything a client can see of the cluster (task lists in every status, services, instances). */
function snapshot(e: Engine): unknown {
  const cluster = 'dev'
  const services = e.callSync('listServices', {cluster}).serviceArns ?? []
  const taskArns = [
    ...(e.callSync('listTasks', {cluster, desiredStatus: 'RUNNING'}).taskArns ?? []),
    ...(e.callSync('listTasks', {cluster, desiredStatus: 'STOPPED'}).taskArns ?? []),
  ]
  const instances = e.callSync('listContainerInstances', {cluster}).containerInstanceArns ?? []
  const draining = e.callSync('listContainerInstances', {cluster, status: 'DRAINING'}).containerInstanceArns ?? []
  const describedTasks = []
  for (let i = 0; i < taskArns.length; i += 100)
    describedTasks.push(...(e.callSync('describeTasks', {cluster, tasks: taskArns.slice(i, i + 100)}).tasks ?? []))
  return {
    now: e.now(),
    clusters: e.callSync('describeClusters', {clusters: [cluster]}),
    services: services.length ? e.callSync('describeServices', {cluster, services}) : [],
    inactive: e.callSync('describeServices', {cluster, services: ['s0', 's1', 's2']}),
    tasks: describedTasks,
    instances: [...instances, ...draining].length
      ? e.callSync('describeContainerInstances', {cluster, containerInstances: [...instances, ...draining]})
      : [],
  }
}

function apply(e: Engine, op: Op): void {
  const cluster = 'dev'
  try {
    switch (op.kind) {
      case 'run':
        e.callSync('runTask', {cluster, taskDefinition: `f${op.family}`, count: op.count})
        break
      case 'scale': {
        const existing = e.callSync('describeServices', {cluster, services: [`s${op.family}`]}).services ?? []
        if (existing.length && existing[0].status === 'ACTIVE')
          e.callSync('updateService', {cluster, service: `s${op.family}`, desiredCount: op.count})
        else
          e.callSync('createService', {
            cluster,
            serviceName: `s${op.family}`,
            taskDefinition: `f${op.family}`,
            desiredCount: op.count,
          })
        break
      }
      case 'deploy':
        e.callSync('updateService', {cluster, service: `s${op.family}`, taskDefinition: `f${op.to}`})
        break
      case 'delete':
        e.callSync('deleteService', {cluster, service: `s${op.family}`, force: true})
        break
      case 'stop': {
        const arns = e.callSync('listTasks', {cluster}).taskArns ?? []
        if (arns.length) e.callSync('stopTask', {cluster, task: arns[op.pick % arns.length]})
        break
      }
      case 'drain':
      case 'kill': {
        const arns = e.callSync('listContainerInstances', {cluster, status: 'ACTIVE'}).containerInstanceArns ?? []
        if (arns.length === 0) break
        const arn = arns[op.pick % arns.length]
        if (op.kind === 'drain')
          e.callSync('updateContainerInstancesState', {cluster, containerInstances: [arn], status: 'DRAINING'})
        else e.transaction((_ops, ctx) => killInstance(ctx, cluster, arn))
        break
      }
      case 'register':
        e.callSync('registerContainerInstance', {cluster, instanceIdentityDocument: identity(op.type, 'us-east-1a')})
        break
      case 'advance':
        e.advance(op.ms)
        break
      case 'read':
        e.callSync('describeServices', {cluster, services: ['s0', 's1', 's2']})
        e.callSync('listTasks', {cluster})
        break
    }
  } catch (error) {
    // ECS errors (e.g. a service that does not exist) are part of the behaviour compared: same on both engines.
    const name = (error as Error).name
    if (!/Exception$/.test(name)) throw error
  }
}

describe('reconcile skip (nothing due)', () => {
  it('gives the same Describe* outputs as always running the full pass', () => {
    let skips = 0
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Shape>('steady', 'crash', 'fail', 'unhealthy'), {
          minLength: FAMILIES,
          maxLength: FAMILIES,
        }),
        fc.integer({min: 1, max: 40}),
        fc.array(opArb, {minLength: 1, maxLength: 25}),
        (shapes, seconds, ops) => {
          const engines = [{}, {alwaysReconcile: true}, {alwaysReconcile: true, fullScanReconcile: true}].map(
            (options) => {
              const t = openTestEngine(options)
              open.push(t)
              const e = t.engine
              e.callSync('createCluster', {clusterName: 'dev'})
              e.callSync('registerContainerInstance', {
                cluster: 'dev',
                instanceIdentityDocument: identity('t2.medium', 'us-east-1a'),
              })
              shapes.forEach((shape, i) =>
                e.callSync('registerTaskDefinition', {
                  family: `f${i}`,
                  containerDefinitions: [containerFor(shape, 200 + 100 * i, seconds)],
                }),
              )
              return e
            },
          )
          const [skipping, full, scanning] = engines
          for (const op of ops) {
            for (const e of engines) apply(e, op)
            const reference = snapshot(scanning)
            expect(snapshot(full)).toEqual(reference)
            expect(snapshot(skipping)).toEqual(reference)
          }
          expect(full.reconcileStats.skips).toBe(0)
          expect(scanning.reconcileStats.skips).toBe(0)
          skips += skipping.reconcileStats.skips
          for (const t of open.splice(0)) t.cleanup()
        },
      ),
      {numRuns: 60},
    )
    expect(skips).toBeGreaterThan(100)
  })

  it('an INACTIVE container instance still disappears after its retention when every call in between skipped the pass', () => {
    let wall = Date.UTC(2026, 0, 1)
    const t = openTestEngine({clock: 'wall', wallClock: () => wall})
    open.push(t)
    const e = t.engine
    e.callSync('createCluster', {clusterName: 'dev'})
    const arn = e.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('t2.micro', 'us-east-1a'),
    }).containerInstance!.containerInstanceArn!
    e.callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: arn})
    const list = () =>
      (
        e.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [arn]}).containerInstances ?? []
      ).map((i) => i.status)
    expect(list()).toEqual(['INACTIVE'])
    wall += 30 * 60_000
    const skipsBefore = e.reconcileStats.skips
    expect(list()).toEqual(['INACTIVE'])
    expect(e.reconcileStats.skips).toBe(skipsBefore + 1)
    wall += 31 * 60_000 // past the 1 h retention: the purge time is due, so this call runs the pass and purges
    expect(list()).toEqual([])
    expect(
      e.callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [arn]}).failures?.[0]?.reason,
    ).toBe('MISSING')
  })

  it('skips the pass on a busy cluster when nothing is due, and runs it again after a write or when something is due', () => {
    const t = openTestEngine()
    open.push(t)
    const e = t.engine
    e.callSync('createCluster', {clusterName: 'dev'})
    e.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('m4.large', 'us-east-1a'),
    })
    e.callSync('registerTaskDefinition', {family: 'web', containerDefinitions: [containerFor('steady', 128, 1)]})
    e.callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'web', desiredCount: 3})
    e.advance(60_000)
    e.callSync('describeServices', {cluster: 'dev', services: ['web']})
    const before = {...e.reconcileStats}
    for (let i = 0; i < 10; i++) e.callSync('describeServices', {cluster: 'dev', services: ['web']})
    expect(e.reconcileStats.skips - before.skips).toBe(10)
    expect(e.reconcileStats.passes).toBe(before.passes)
    // A write makes the next call run the pass.
    e.callSync('updateService', {cluster: 'dev', service: 'web', desiredCount: 4})
    const afterWrite = e.reconcileStats.passes
    const service = e.callSync('describeServices', {cluster: 'dev', services: ['web']}).services![0]
    expect(e.reconcileStats.passes).toBe(afterWrite + 1)
    expect(service.pendingCount! + service.runningCount!).toBe(4)
    // The new task starts after its start delay: a call after it runs the pass and sees it RUNNING.
    e.callSync('describeServices', {cluster: 'dev', services: ['web']})
    e.advance(5_000)
    expect(e.callSync('describeServices', {cluster: 'dev', services: ['web']}).services![0].runningCount).toBe(4)
  })
})
