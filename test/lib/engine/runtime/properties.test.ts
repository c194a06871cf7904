/**
 * Property tests over random clusters and workloads (fast-check):
 *  - a REPLICA service converges to its desired count whenever capacity allows;
 *  - a rolling deployment never breaks floor(D × max%) running+pending nor ceil(D × min%) healthy, at any step;
 *  - no container instance is ever over-committed (Σ demands of its unstopped tasks ≤ registered).
 */
import {afterEach, describe, expect, it} from '@jest/globals'
import type {ContainerInstance, Task} from '@aws-sdk/client-ecs'
import fc from 'fast-check'

import {registeredCapacity} from '../../../../src/lib/engine/model/capacity.js'
import {fastForwardOptions} from '../../../../src/lib/engine/runtime/reconcile/fast-forward.js'
import {killInstance} from '../../../../src/lib/engine/runtime/faults.js'
import {container, openRig, type Rig} from '../runtime-helpers.js'

let rig: Rig | undefined
afterEach(() => {
  rig?.cleanup()
  rig = undefined
})

const INSTANCE_TYPES = ['t2.micro', 't2.small', 't2.medium', 'm4.large', 'c4.large'] as const
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c']

const instanceArb = fc.record({type: fc.constantFrom(...INSTANCE_TYPES), az: fc.constantFrom(...AZS)})
const workloadArb = fc.record({
  memory: fc.integer({min: 32, max: 900}),
  cpu: fc.integer({min: 0, max: 1024}),
  port: fc.constantFrom<'none' | 'dynamic' | 'static'>('none', 'dynamic', 'static'),
})

type Workload = {memory: number; cpu: number; port: 'none' | 'dynamic' | 'static'}

/** How many copies of the workload the fleet can hold at once. */
function capacityFor(instances: Array<{type: string}>, w: Workload): number {
  let total = 0
  for (const instance of instances) {
    const cap = registeredCapacity(instance.type)
    let n = Math.floor(cap.memory / w.memory)
    if (w.cpu > 0) n = Math.min(n, Math.floor(cap.cpu / w.cpu))
    if (w.port === 'static') n = Math.min(n, 1)
    total += n
  }
  return total
}

function registerWorkload(r: Rig, family: string, w: Workload, image = 'app:1'): void {
  const portMappings = w.port === 'none' ? [] : [{containerPort: 8080, hostPort: w.port === 'static' ? 8080 : 0}]
  r.register(family, [container('app', {image, memory: w.memory, cpu: w.cpu, portMappings})])
}

function describeAll(r: Rig): ContainerInstance[] {
  const arns = r.e().callSync('listContainerInstances', {cluster: r.cluster}).containerInstanceArns ?? []
  const inactive =
    r.e().callSync('listContainerInstances', {cluster: r.cluster, status: 'DRAINING'}).containerInstanceArns ?? []
  const all = [...new Set([...arns, ...inactive])]
  return all.length
    ? (r.e().callSync('describeContainerInstances', {cluster: r.cluster, containerInstances: all}).containerInstances ??
        [])
    : []
}

const resource = (
  instance: ContainerInstance,
  which: 'registeredResources' | 'remainingResources',
  name: string,
): number => instance[which]?.find((r) => r.name === name)?.integerValue ?? 0

function assertNotOvercommitted(r: Rig): void {
  const tasks: Task[] = r.tasks('RUNNING').concat(r.tasks('STOPPED').filter((t) => t.lastStatus !== 'STOPPED'))
  for (const instance of describeAll(r)) {
    const mine = tasks.filter((t) => t.containerInstanceArn === instance.containerInstanceArn)
    const memory = mine.reduce((sum, t) => sum + Number(t.memory ?? 0), 0)
    const cpu = mine.reduce((sum, t) => sum + Number(t.cpu ?? 0), 0)
    expect(memory).toBeLessThanOrEqual(resource(instance, 'registeredResources', 'MEMORY'))
    expect(cpu).toBeLessThanOrEqual(resource(instance, 'registeredResources', 'CPU'))
    expect(resource(instance, 'remainingResources', 'MEMORY')).toBe(
      resource(instance, 'registeredResources', 'MEMORY') - memory,
    )
    expect(resource(instance, 'remainingResources', 'CPU')).toBe(resource(instance, 'registeredResources', 'CPU') - cpu)
    const hostPorts = mine.flatMap((t) =>
      t.containers!.flatMap((c) => (c.networkBindings ?? []).map((b) => b.hostPort)),
    )
    expect(new Set(hostPorts).size).toBe(hostPorts.length)
  }
}

describe('properties', () => {
  it('a service converges to its desired count whenever capacity allows', () => {
    fc.assert(
      fc.property(
        fc.array(instanceArb, {minLength: 1, maxLength: 4}),
        workloadArb,
        fc.integer({min: 0, max: 12}),
        (instances, w, wanted) => {
          const capacity = capacityFor(instances, w)
          fc.pre(capacity > 0)
          const desired = Math.min(wanted, capacity)
          rig = openRig()
          for (const i of instances) rig.addInstance(i.type, i.az)
          registerWorkload(rig, 'app', w)
          rig.e().callSync('createService', {
            cluster: 'dev',
            serviceName: 'app',
            taskDefinition: 'app',
            desiredCount: desired,
          })
          rig.advance(10_000)
          const service = rig.describeService('app')
          expect(service.runningCount).toBe(desired)
          expect(service.pendingCount).toBe(0)
          if (desired > 0) expect(service.events![0].message).toBe('(service app) has reached a steady state.')
          assertNotOvercommitted(rig)
          rig.cleanup()
          rig = undefined
        },
      ),
      {numRuns: 30},
    )
  })

  it('a rolling deployment never breaks its min/max bounds at any step', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 6}),
        fc.integer({min: 0, max: 100}),
        fc.integer({min: 100, max: 200}),
        fc.integer({min: 0, max: 3}),
        (desired, min, max, startDelaySeconds) => {
          rig = openRig('dev', {ECSX_ENGINE_TASK_START_DELAY: `${startDelaySeconds || 1}s`})
          for (const az of AZS) rig.addInstance('m4.xlarge', az)
          registerWorkload(rig, 'app', {memory: 128, cpu: 0, port: 'dynamic'}, 'app:1')
          registerWorkload(rig, 'app', {memory: 128, cpu: 0, port: 'dynamic'}, 'app:2')
          rig.e().callSync('createService', {
            cluster: 'dev',
            serviceName: 'app',
            taskDefinition: 'app:1',
            desiredCount: desired,
            deploymentConfiguration: {minimumHealthyPercent: min, maximumPercent: max},
          })
          rig.advance(10_000)
          const maxTasks = Math.floor((desired * max) / 100)
          const minHealthy = Math.ceil((desired * min) / 100)
          const check = (): void => {
            const live = rig!.tasks('RUNNING')
            const runningOrPending = live.filter(
              (t) => t.lastStatus === 'RUNNING' || t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING',
            )
            expect(runningOrPending.length).toBeLessThanOrEqual(maxTasks)
            expect(live.filter((t) => t.lastStatus === 'RUNNING').length).toBeGreaterThanOrEqual(minHealthy)
          }
          check()
          rig.e().callSync('updateService', {cluster: 'dev', service: 'app', taskDefinition: 'app:2'})
          check()
          const deadlocked = maxTasks <= desired && minHealthy >= desired
          // One task at a time with a 3 s start takes D × (start + stop) — keep checking until it is done.
          for (let step = 0; step < 400; step++) {
            rig.advance(250)
            check()
            const s = rig.describeService('app')
            if (step > 8 && s.deployments!.length === 1 && s.runningCount === desired && s.pendingCount === 0) break
          }
          const service = rig.describeService('app')
          if (!deadlocked) {
            expect(service.deployments).toHaveLength(1)
            expect(service.runningCount).toBe(desired)
            expect(rig.tasks().every((t) => t.taskDefinitionArn!.endsWith('app:2'))).toBe(true)
          }
          rig.cleanup()
          rig = undefined
        },
      ),
      {numRuns: 30},
    )
  })

  it('no instance is ever over-committed under random operations', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('run' as const),
        count: fc.integer({min: 1, max: 10}),
        family: fc.constantFrom('a', 'b'),
      }),
      fc.record({
        kind: fc.constant('scale' as const),
        count: fc.integer({min: 0, max: 8}),
        family: fc.constantFrom('a', 'b'),
      }),
      fc.record({kind: fc.constant('stop' as const), pick: fc.nat()}),
      fc.record({kind: fc.constant('drain' as const), pick: fc.nat()}),
      fc.record({kind: fc.constant('kill' as const), pick: fc.nat()}),
      fc.record({kind: fc.constant('register' as const), instance: instanceArb}),
      fc.record({kind: fc.constant('advance' as const), ms: fc.integer({min: 1, max: 5_000})}),
    )
    fc.assert(
      fc.property(
        fc.array(instanceArb, {minLength: 1, maxLength: 3}),
        workloadArb,
        workloadArb,
        fc.array(op, {minLength: 1, maxLength: 12}),
        (instances, wa, wb, ops) => {
          rig = openRig()
          const r = rig
          for (const i of instances) r.addInstance(i.type, i.az)
          registerWorkload(r, 'a', wa)
          registerWorkload(r, 'b', wb)
          const services = new Set<string>()
          for (const o of ops) {
            switch (o.kind) {
              case 'run':
                r.e().callSync('runTask', {cluster: 'dev', taskDefinition: o.family, count: o.count})
                break
              case 'scale':
                if (services.has(o.family))
                  r.e().callSync('updateService', {cluster: 'dev', service: o.family, desiredCount: o.count})
                else
                  r.e().callSync('createService', {
                    cluster: 'dev',
                    serviceName: o.family,
                    taskDefinition: o.family,
                    desiredCount: o.count,
                  })
                services.add(o.family)
                break
              case 'stop': {
                const tasks = r.tasks()
                if (tasks.length)
                  r.e().callSync('stopTask', {cluster: 'dev', task: tasks[o.pick % tasks.length].taskArn!})
                break
              }
              case 'drain':
              case 'kill': {
                const arns =
                  r.e().callSync('listContainerInstances', {cluster: 'dev', status: 'ACTIVE'}).containerInstanceArns ??
                  []
                if (arns.length === 0) break
                const arn = arns[o.pick % arns.length]
                if (o.kind === 'drain')
                  r.e().callSync('updateContainerInstancesState', {
                    cluster: 'dev',
                    containerInstances: [arn],
                    status: 'DRAINING',
                  })
                else r.e().transaction((_ops, ctx) => killInstance(ctx, 'dev', arn))
                break
              }
              case 'register':
                r.addInstance(o.instance.type, o.instance.az)
                break
              case 'advance':
                r.advance(o.ms)
                break
            }
            assertNotOvercommitted(r)
          }
          r.advance(20_000)
          assertNotOvercommitted(r)
          rig.cleanup()
          rig = undefined
        },
      ),
      {numRuns: 25},
    )
  })
})

describe('fast-forward equivalence', () => {
  interface ServiceShape {
    kind: 'crash' | 'fail' | 'steady' | 'unhealthy'
    desired: number
    seconds: number
  }
  const shapeArb = fc.record({
    kind: fc.constantFrom<ServiceShape['kind']>('crash', 'fail', 'steady', 'unhealthy'),
    desired: fc.integer({min: 0, max: 4}),
    seconds: fc.integer({min: 1, max: 40}),
  })

  function build(r: Rig, instances: Array<{type: string; az: string}>, shapes: ServiceShape[]): void {
    for (const i of instances) r.addInstance(i.type, i.az)
    shapes.forEach((shape, index) => {
      const labels: Record<string, string> =
        shape.kind === 'crash'
          ? {'ecsx.simulate.exit-after': `${shape.seconds}s`, 'ecsx.simulate.exit-code': '1'}
          : shape.kind === 'fail'
            ? {'ecsx.simulate.fail-to-start': 'CannotPullContainerError: nope'}
            : shape.kind === 'unhealthy'
              ? {'ecsx.simulate.health': `unhealthy-after:${shape.seconds}s`}
              : {}
      const healthCheck = shape.kind === 'unhealthy' ? {command: ['CMD', 'true'], interval: 5, retries: 2} : undefined
      r.register(`s${index}`, [container('app', {memory: 200, dockerLabels: labels, healthCheck})])
      r.e().callSync('createService', {
        cluster: 'dev',
        serviceName: `s${index}`,
        taskDefinition: `s${index}`,
        desiredCount: shape.desired,
      })
    })
  }

  function summary(r: Rig, count: number): unknown {
    const out: unknown[] = []
    for (let i = 0; i < count; i++) {
      const s = r.describeService(`s${i}`)
      const stopped = r.tasks('STOPPED').filter((t) => t.group === `service:s${i}`)
      out.push({
        running: s.runningCount,
        pending: s.pendingCount,
        deployments: s.deployments!.map((d) => [
          d.status,
          d.failedTasks,
          d.rolloutState,
          d.runningCount,
          d.pendingCount,
        ]),
        stopped: stopped.length,
        events: s.events!.length,
        latest: s.events!.slice(0, 3).map((e) => [e.createdAt!.getTime(), e.message!.replace(/[0-9a-f]{32}/g, 'ID')]),
      })
    }
    // Which of two identical instances holds a task depends on random tie-breaks: compare instances as a multiset.
    const instances = describeAll(r)
      .map((i) =>
        JSON.stringify([
          i.attributes!.map((a) => `${a.name}=${a.value ?? ''}`).sort(),
          i.remainingResources!.map((x) => x.integerValue),
        ]),
      )
      .sort()
    out.push(instances)
    return out
  }

  it('skipping periods gives the same visible state as replaying every event', () => {
    const env = {ECSX_ENGINE_STOPPED_TASK_RETENTION: '10m'}
    const skipsBefore = fastForwardOptions.skips
    fc.assert(
      fc.property(
        fc.array(instanceArb, {minLength: 1, maxLength: 2}),
        fc.array(shapeArb, {minLength: 1, maxLength: 3}),
        (instances, shapes) => {
          const run = (fast: boolean): {rig: Rig; summary: unknown} => {
            fastForwardOptions.enabled = fast
            try {
              const r = openRig('dev', env)
              build(r, instances, shapes)
              r.advance(90 * 60_000)
              return {rig: r, summary: summary(r, shapes.length)}
            } finally {
              fastForwardOptions.enabled = true
            }
          }
          const fast = run(true)
          const slow = run(false)
          try {
            expect(fast.summary).toEqual(slow.summary)
          } finally {
            fast.rig.cleanup()
            slow.rig.cleanup()
          }
        },
      ),
      {numRuns: 12},
    )
    // Random workloads need not repeat (a fail-to-start service backs off instead): that skips happen at all is
    // checked deterministically below, not by counting here.
    expect(fastForwardOptions.skips).toBeGreaterThanOrEqual(skipsBefore)
  })

  it('a crash-looping service is fast-forwarded (skips happen) and still matches the full replay', () => {
    const env = {ECSX_ENGINE_STOPPED_TASK_RETENTION: '10m'}
    const instances = [{type: 't2.medium', az: 'us-east-1a'}]
    const shapes: ServiceShape[] = [{kind: 'crash', seconds: 5, desired: 2}]
    const run = (fast: boolean): {rig: Rig; summary: unknown; skips: number} => {
      const before = fastForwardOptions.skips
      fastForwardOptions.enabled = fast
      try {
        const r = openRig('dev', env)
        build(r, instances, shapes)
        r.advance(90 * 60_000)
        return {rig: r, summary: summary(r, shapes.length), skips: fastForwardOptions.skips - before}
      } finally {
        fastForwardOptions.enabled = true
      }
    }
    const fast = run(true)
    const slow = run(false)
    try {
      expect(fast.skips).toBeGreaterThan(0)
      expect(slow.skips).toBe(0)
      expect(fast.summary).toEqual(slow.summary)
    } finally {
      fast.rig.cleanup()
      slow.rig.cleanup()
    }
  })
})
