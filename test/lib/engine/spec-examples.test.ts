/**
 * Worked examples of spec §10 about tasks and services, and the book's nginx rolling-update walk-through.
 */
import {afterEach, describe, expect, it} from '@jest/globals'
import type {Task} from '@aws-sdk/client-ecs'

import {killInstance} from '../../../src/lib/engine/runtime/faults.js'
import {caught, container, idOf, openRig, type Rig} from './runtime-helpers.js'

let rig: Rig
afterEach(() => rig?.cleanup())

const byDeployment = (tasks: Task[], deploymentId: string | undefined) =>
  tasks.filter((t) => t.startedBy === deploymentId)

describe('§10.8 static host port vs dynamic ports', () => {
  it('static port 80, desired 2, one instance: one placed, one unplaceable with the exact event', () => {
    rig = openRig()
    const instance = rig.addInstance('t2.micro')
    rig.register('web', [container('nginx', {memory: 128, portMappings: [{containerPort: 80, hostPort: 80}]})])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'web', desiredCount: 2})
    rig.advance(5_000)
    const service = rig.describeService('web')
    expect(service.runningCount).toBe(1)
    const messages = service.events!.map((e) => e.message)
    expect(messages).toContain(
      `(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${idOf(instance)}) is already using a port required by your task. For more information, see the Troubleshooting section.`,
    )
    // Duplicate suppression: the same event is not repeated while the cause persists.
    rig.advance(60_000)
    const again = rig.describeService('web').events!.filter((e) => e.message!.includes('unable to place'))
    expect(again).toHaveLength(1)
  })

  it('dynamic host ports: both tasks fit on one instance', () => {
    rig = openRig()
    rig.addInstance('t2.micro')
    rig.register('web', [container('nginx', {memory: 128, portMappings: [{containerPort: 80}]})])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'web', desiredCount: 2})
    rig.advance(5_000)
    expect(rig.describeService('web').runningCount).toBe(2)
    const ports = rig.tasks().map((t) => t.containers![0].networkBindings![0].hostPort!)
    expect(new Set(ports).size).toBe(2)
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(32768)
  })
})

describe('§10.11 AZ balance without a strategy', () => {
  const azCounts = (r: Rig): Map<string, number> => {
    const counts = new Map<string, number>()
    for (const task of r.tasks()) counts.set(task.availabilityZone!, (counts.get(task.availabilityZone!) ?? 0) + 1)
    return counts
  }

  it('places a new task in an AZ without tasks, and scales in from the AZs with the most', () => {
    rig = openRig()
    for (const az of ['us-east-1a', 'us-east-1b', 'us-east-1c']) rig.addInstance('m4.large', az)
    rig.register('app', [container('app', {memory: 256})])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app', desiredCount: 1})
    rig.advance(2_000)
    const first = [...azCounts(rig).keys()]
    expect(first).toHaveLength(1)
    rig.e().callSync('updateService', {cluster: 'dev', service: 'app', desiredCount: 2})
    rig.advance(2_000)
    const two = azCounts(rig)
    expect(two.size).toBe(2)
    expect(two.get(first[0])).toBe(1)
    rig.e().callSync('updateService', {cluster: 'dev', service: 'app', desiredCount: 5})
    rig.advance(2_000)
    const five = [...azCounts(rig).values()].sort()
    expect(five).toEqual([1, 2, 2])
    const single = [...azCounts(rig).entries()].find(([, n]) => n === 1)![0]
    rig.e().callSync('updateService', {cluster: 'dev', service: 'app', desiredCount: 4})
    rig.advance(2_000)
    const four = azCounts(rig)
    expect([...four.values()].sort()).toEqual([1, 1, 2])
    // The stopped task came from an AZ that had 2 (b or c in the guide's example), never from the one with 1.
    expect(four.get(single)).toBe(1)
    const stopped = rig.tasks('STOPPED')
    expect(stopped).toHaveLength(1)
    expect(stopped[0].stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/)
    expect(rig.describeService('app').events![0].message).toMatch(/has reached a steady state\.$/)
  })
})

describe('§10.12 rolling-update arithmetic', () => {
  interface Case {
    desired: number
    min: number
    max: number
    /** Right after UpdateService: old tasks asked to stop, new tasks started. */
    stops: number
    starts: number
  }
  const cases: Case[] = [
    {desired: 4, min: 50, max: 100, stops: 2, starts: 2},
    {desired: 4, min: 100, max: 200, stops: 0, starts: 4},
    {desired: 3, min: 50, max: 100, stops: 1, starts: 1},
    {desired: 3, min: 100, max: 150, stops: 0, starts: 1},
    {desired: 1, min: 50, max: 200, stops: 0, starts: 1},
    // A stopping task is neither RUNNING nor PENDING: its slot under maxTasks is free at once.
    {desired: 1, min: 0, max: 100, stops: 1, starts: 1},
    {desired: 5, min: 80, max: 110, stops: 1, starts: 1},
  ]
  for (const c of cases) {
    it(`D=${c.desired} min ${c.min} max ${c.max}: stops ${c.stops} and starts ${c.starts} first, then completes within bounds`, () => {
      rig = openRig()
      for (let i = 0; i < 4; i++) rig.addInstance('m4.xlarge', `us-east-1${'abcd'[i]}`)
      rig.register('app', [container('app', {memory: 256})])
      rig.register('app', [container('app', {memory: 256, image: 'busybox:2'})])
      rig.e().callSync('createService', {
        cluster: 'dev',
        serviceName: 'app',
        taskDefinition: 'app:1',
        desiredCount: c.desired,
        deploymentConfiguration: {minimumHealthyPercent: c.min, maximumPercent: c.max},
      })
      rig.advance(5_000)
      expect(rig.describeService('app').runningCount).toBe(c.desired)
      const updated = rig
        .e()
        .callSync('updateService', {cluster: 'dev', service: 'app', taskDefinition: 'app:2'}).service!
      const [primary, old] = updated.deployments!
      expect(primary.status).toBe('PRIMARY')
      expect(old.status).toBe('ACTIVE')
      const all = [...rig.tasks('RUNNING'), ...rig.tasks('STOPPED')]
      expect(byDeployment(all, old.id).filter((t) => t.desiredStatus === 'STOPPED')).toHaveLength(c.stops)
      expect(byDeployment(all, primary.id)).toHaveLength(c.starts)
      const maxTasks = Math.floor((c.desired * c.max) / 100)
      const minHealthy = Math.ceil((c.desired * c.min) / 100)
      for (let step = 0; step < 40; step++) {
        const live = rig.tasks('RUNNING')
        const active = live.filter((t) => t.lastStatus === 'RUNNING' || t.lastStatus === 'PENDING')
        expect(active.length).toBeLessThanOrEqual(maxTasks)
        expect(live.filter((t) => t.lastStatus === 'RUNNING').length).toBeGreaterThanOrEqual(minHealthy)
        rig.advance(250)
      }
      const done = rig.describeService('app')
      expect(done.deployments).toHaveLength(1)
      expect(done.deployments![0].rolloutState).toBe('COMPLETED')
      expect(done.runningCount).toBe(c.desired)
      expect(rig.tasks().every((t) => t.taskDefinitionArn!.endsWith(':2'))).toBe(true)
      expect(done.events!.map((e) => e.message)).toContain(
        `(service app) (deployment ${primary.id}) deployment completed.`,
      )
    })
  }
})

describe('§10.13 draining an instance (min 100, max 200)', () => {
  it('starts 4 replacements elsewhere before stopping the 4 draining tasks; standalone tasks keep running', () => {
    rig = openRig()
    const a = rig.addInstance('m4.large', 'us-east-1a')
    rig.register('app', [container('app', {memory: 256})])
    rig.register('batch', [container('job', {memory: 64})])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app', desiredCount: 4})
    const standalone = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'batch'}).tasks![0].taskArn!
    rig.advance(2_000)
    expect(rig.tasks('RUNNING', {containerInstance: a})).toHaveLength(5)
    const b = rig.addInstance('m4.large', 'us-east-1b')
    rig.e().callSync('updateContainerInstancesState', {cluster: 'dev', containerInstances: [a], status: 'DRAINING'})
    const afterDrain = rig.tasks()
    const onB = afterDrain.filter((t) => t.containerInstanceArn === b)
    const onA = afterDrain.filter((t) => t.containerInstanceArn === a && t.group === 'service:app')
    expect(onB).toHaveLength(4)
    expect(onB.every((t) => t.lastStatus === 'PENDING')).toBe(true)
    expect(onA).toHaveLength(4)
    expect(onA.every((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING')).toBe(true)
    rig.advance(1_000)
    // Replacements are RUNNING (healthy): the draining tasks may now stop.
    expect(rig.tasks('RUNNING', {containerInstance: b}).every((t) => t.lastStatus === 'RUNNING')).toBe(true)
    rig.advance(2_000)
    const left = rig.tasks('RUNNING', {containerInstance: a})
    expect(left.map((t) => t.taskArn)).toEqual([standalone])
    expect(left[0].lastStatus).toBe('RUNNING')
    expect(rig.tasks('STOPPED', {containerInstance: a})).toHaveLength(4)
    expect(rig.describeService('app').runningCount).toBe(4)
  })

  it('PENDING service tasks on a draining instance stop at once', () => {
    rig = openRig()
    const a = rig.addInstance('m4.large', 'us-east-1a')
    rig.register('slow', [container('app', {memory: 256, dockerLabels: {'ecsx.simulate.start-delay': '30s'}})])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'slow', taskDefinition: 'slow', desiredCount: 2})
    rig.advance(1_000)
    rig.e().callSync('updateContainerInstancesState', {cluster: 'dev', containerInstances: [a], status: 'DRAINING'})
    const tasks = rig.tasks('STOPPED')
    expect(tasks).toHaveLength(2)
    expect(tasks.every((t) => t.startedAt === undefined)).toBe(true)
  })
})

describe('§10.14 DAEMON services', () => {
  it('one task per instance; a draining instance loses its task (not replaced); a new instance gets one', () => {
    rig = openRig()
    const a = rig.addInstance('t2.small', 'us-east-1a')
    const b = rig.addInstance('t2.small', 'us-east-1b')
    rig.register('agent', [container('agent', {memory: 64})])
    const created = rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'agent',
      taskDefinition: 'agent',
      schedulingStrategy: 'DAEMON',
    }).service!
    expect(created.deploymentConfiguration).toMatchObject({maximumPercent: 100, minimumHealthyPercent: 0})
    rig.advance(2_000)
    let tasks = rig.tasks()
    expect(tasks.map((t) => t.containerInstanceArn).sort()).toEqual([a, b].sort())
    expect(rig.describeService('agent').desiredCount).toBe(2)
    rig.e().callSync('updateContainerInstancesState', {cluster: 'dev', containerInstances: [a], status: 'DRAINING'})
    rig.advance(3_000)
    tasks = rig.tasks()
    expect(tasks.map((t) => t.containerInstanceArn)).toEqual([b])
    expect(rig.describeService('agent').desiredCount).toBe(1)
    const c = rig.addInstance('t2.small', 'us-east-1c')
    rig.advance(2_000)
    tasks = rig.tasks()
    expect(tasks.map((t) => t.containerInstanceArn).sort()).toEqual([b, c].sort())
    expect(tasks.every((t) => t.lastStatus === 'RUNNING')).toBe(true)
  })

  it('rejects maximumPercent other than 100', () => {
    rig = openRig()
    rig.register('agent', [container('agent', {memory: 64})])
    const error = caught(() =>
      rig.e().callSync('createService', {
        cluster: 'dev',
        serviceName: 'agent',
        taskDefinition: 'agent',
        schedulingStrategy: 'DAEMON',
        deploymentConfiguration: {maximumPercent: 200},
      }),
    )
    expect(error.name).toBe('InvalidParameterException')
  })
})

describe('§10.15 forced deregistration', () => {
  it('stops the tasks with "Container instance deregistration forced by user"', () => {
    rig = openRig()
    const a = rig.addInstance()
    rig.register('app', [container('app')])
    rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'app'})
    rig.advance(1_000)
    expect(
      caught(() => rig.e().callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: a})).name,
    ).toBe('InvalidParameterException')
    rig.e().callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: a, force: true})
    rig.advance(2_000)
    const stopped = rig.tasks('STOPPED')
    expect(stopped).toHaveLength(1)
    expect(stopped[0].lastStatus).toBe('STOPPED')
    expect(stopped[0].stoppedReason).toBe('Container instance deregistration forced by user')
  })
})

describe('§10.16 essential and non-essential exits', () => {
  it('essential container exit 0 stops the task with "Essential container in task exited"', () => {
    rig = openRig()
    rig.addInstance()
    rig.register('once', [container('main', {dockerLabels: {'ecsx.simulate.exit-after': '5s'}})])
    rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'once'})
    rig.advance(1_000)
    expect(rig.tasks()[0].lastStatus).toBe('RUNNING')
    rig.advance(5_000)
    const [task] = rig.tasks('STOPPED')
    expect(task.stoppedReason).toBe('Essential container in task exited')
    expect(task.stopCode).toBe('EssentialContainerExited')
    expect(task.containers![0].exitCode).toBe(0)
    expect(task.containers![0].lastStatus).toBe('STOPPED')
    rig.advance(1_000)
    expect(rig.tasks('STOPPED')[0].lastStatus).toBe('STOPPED')
  })

  it('a non-essential container exiting leaves the task running', () => {
    rig = openRig()
    rig.addInstance()
    rig.register('sidecar', [
      container('app'),
      container('busybox', {
        essential: false,
        dockerLabels: {'ecsx.simulate.exit-after': '2s', 'ecsx.simulate.exit-code': '3'},
      }),
    ])
    rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'sidecar'})
    rig.advance(10_000)
    const [task] = rig.tasks()
    expect(task.lastStatus).toBe('RUNNING')
    const sidecar = task.containers!.find((c) => c.name === 'busybox')!
    expect(sidecar.lastStatus).toBe('STOPPED')
    expect(sidecar.exitCode).toBe(3)
    expect(task.containers!.find((c) => c.name === 'app')!.lastStatus).toBe('RUNNING')
  })
})

describe('§10.17 dependsOn HEALTHY and startTimeout', () => {
  const envoy = {
    name: 'envoy',
    image: 'envoy',
    memory: 128,
    essential: true,
    healthCheck: {
      command: ['CMD-SHELL', 'curl -s http://localhost:9901/server_info'],
      interval: 5,
      timeout: 2,
      retries: 3,
    },
  }

  it('starts the app only after envoy is HEALTHY', () => {
    rig = openRig()
    rig.addInstance()
    rig.register('mesh', [envoy, container('app', {dependsOn: [{containerName: 'envoy', condition: 'HEALTHY'}]})])
    const started = rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'mesh'}).tasks![0]
    const t0 = started.createdAt!.getTime()
    rig.advance(1_000)
    let [task] = rig.tasks()
    // envoy runs, app waits: the task is still PENDING.
    expect(task.lastStatus).toBe('PENDING')
    expect(task.containers!.find((c) => c.name === 'envoy')!.lastStatus).toBe('RUNNING')
    expect(task.containers!.find((c) => c.name === 'envoy')!.healthStatus).toBe('UNKNOWN')
    expect(task.containers!.find((c) => c.name === 'app')!.lastStatus).toBe('PENDING')
    rig.advance(4_999)
    expect(rig.tasks()[0].lastStatus).toBe('PENDING')
    rig.advance(1)
    ;[task] = rig.tasks()
    // envoy became HEALTHY 5 s (one interval) after it started at t0+1s; the app started at that moment.
    expect(task.lastStatus).toBe('RUNNING')
    expect(task.startedAt!.getTime()).toBe(t0 + 6_000)
    expect(task.containers!.find((c) => c.name === 'envoy')!.healthStatus).toBe('HEALTHY')
  })

  it('stops the task when the dependency is not met within startTimeout', () => {
    rig = openRig()
    rig.addInstance()
    rig.register('mesh', [
      {...envoy, dockerLabels: {'ecsx.simulate.health': 'unhealthy'}},
      container('app', {dependsOn: [{containerName: 'envoy', condition: 'HEALTHY'}], startTimeout: 10}),
    ])
    rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'mesh'})
    rig.advance(9_000)
    expect(rig.tasks()[0].lastStatus).toBe('PENDING')
    rig.advance(1_000)
    const [task] = rig.tasks('STOPPED')
    expect(task.lastStatus).toBe('STOPPED')
    expect(task.startedAt).toBeUndefined()
    expect(task.stopCode).toBe('TaskFailedToStart')
    expect(task.containers!.find((c) => c.name === 'app')!.reason).toMatch(
      /gave up waiting for its dependencies: envoy \(HEALTHY\)/,
    )
  })
})

describe('§10.18 throttle', () => {
  it('a task that cannot be pulled throttles the service; a new task definition clears it', () => {
    rig = openRig()
    rig.addInstance()
    rig.register('bad', [
      container('app', {
        image: 'nope/missing',
        dockerLabels: {
          'ecsx.simulate.fail-to-start': 'CannotPullContainerError: API error (404): repository nope/missing not found',
        },
      }),
    ])
    rig.register('good', [container('app')])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'web', taskDefinition: 'bad', desiredCount: 1})
    rig.advance(1_000)
    let service = rig.describeService('web')
    expect(service.events![0].message).toBe('(service web) is unable to consistently start tasks successfully.')
    const [failed] = rig.tasks('STOPPED')
    expect(failed.stoppedReason).toBe('CannotPullContainerError: API error (404): repository nope/missing not found')
    expect(failed.stopCode).toBe('TaskFailedToStart')
    expect(failed.startedAt).toBeUndefined()
    // Next attempt only after the 10 s backoff.
    rig.advance(9_999)
    expect(rig.tasks('STOPPED')).toHaveLength(1)
    expect(rig.tasks()).toHaveLength(0)
    rig.advance(1)
    expect(rig.tasks()).toHaveLength(1)
    rig.e().callSync('updateService', {cluster: 'dev', service: 'web', taskDefinition: 'good'})
    rig.advance(1_000)
    service = rig.describeService('web')
    expect(service.runningCount).toBe(1)
    expect(rig.tasks()[0].taskDefinitionArn).toMatch(/good:1$/)
  })
})

describe('§10.21 deregistered task definition in use', () => {
  it('the service keeps running and can scale; CreateService with it fails', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    const arn = rig.register('app', [container('app')])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app:1', desiredCount: 1})
    rig.advance(1_000)
    rig.e().callSync('deregisterTaskDefinition', {taskDefinition: arn})
    rig.e().callSync('updateService', {cluster: 'dev', service: 'app', desiredCount: 3})
    rig.advance(1_000)
    expect(rig.describeService('app').runningCount).toBe(3)
    const error = caught(() =>
      rig
        .e()
        .callSync('createService', {cluster: 'dev', serviceName: 'other', taskDefinition: 'app:1', desiredCount: 1}),
    )
    expect(error.name).toBe('ClientException')
    expect(caught(() => rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'app:1'})).name).toBe(
      'ClientException',
    )
  })
})

describe('§10.22 DeleteService', () => {
  it('DRAINING while tasks stop (hidden from ListServices, describable), then INACTIVE', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    rig.register('app', [container('app')])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app', desiredCount: 2})
    rig.advance(1_000)
    expect(caught(() => rig.e().callSync('deleteService', {cluster: 'dev', service: 'app'})).message).toBe(
      'The service cannot be stopped while it is scaled above 0.',
    )
    const deleted = rig.e().callSync('deleteService', {cluster: 'dev', service: 'app', force: true}).service!
    expect(deleted.status).toBe('DRAINING')
    expect(rig.e().callSync('listServices', {cluster: 'dev'}).serviceArns).toEqual([])
    expect(rig.describeService('app').status).toBe('DRAINING')
    expect(
      caught(() => rig.e().callSync('updateService', {cluster: 'dev', service: 'app', desiredCount: 1})).name,
    ).toBe('ServiceNotActiveException')
    rig.advance(1_000)
    expect(rig.describeService('app').status).toBe('INACTIVE')
    expect(rig.tasks()).toHaveLength(0)
    // INACTIVE services stay describable for a while (the stopped-task retention), then DescribeServices reports MISSING.
    rig.advance(3_600_000)
    expect(rig.e().callSync('describeServices', {cluster: 'dev', services: ['app']}).failures).toEqual([
      {arn: 'arn:aws:ecs:us-east-1:000000000000:service/dev/app', reason: 'MISSING'},
    ])
    // The name can be used again.
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app', desiredCount: 1})
    expect(rig.describeService('app').status).toBe('ACTIVE')
  })
})

describe('§10.24 instance terminated', () => {
  it('tasks stop with "Host EC2 (instance id) stopped/terminated" and the service re-places them', () => {
    rig = openRig()
    const a = rig.addInstance('m4.large', 'us-east-1a')
    const b = rig.addInstance('m4.large', 'us-east-1b')
    rig.register('app', [container('app')])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app', desiredCount: 2})
    rig.advance(1_000)
    const ec2 = rig.e().callSync('describeContainerInstances', {cluster: 'dev', containerInstances: [a]})
      .containerInstances![0].ec2InstanceId!
    {
      const instance = rig.e().transaction((_ops, ctx) => killInstance(ctx, 'dev', ec2))
      expect(instance.status).toBe('INACTIVE')
      expect(instance.agentConnected).toBe(false)
      const stopped = rig.tasks('STOPPED')
      expect(stopped).toHaveLength(1)
      expect(stopped[0].lastStatus).toBe('STOPPED')
      expect(stopped[0].stoppedReason).toBe(`Host EC2 (instance ${ec2}) stopped/terminated`)
      rig.advance(1_000)
      const running = rig.tasks()
      expect(running).toHaveLength(2)
      expect(running.every((t) => t.containerInstanceArn === b && t.lastStatus === 'RUNNING')).toBe(true)
    }
  })
})

describe("the book's nginx rolling update (D=1, defaults 100/200)", () => {
  it('dynamic ports on one t2.micro: PRIMARY pending 1 → running 1 while ACTIVE runs 1 → old stopped → ACTIVE disappears', () => {
    rig = openRig()
    rig.addInstance('t2.micro')
    rig.register('nginx', [
      container('nginx', {image: 'nginx', memory: 300, portMappings: [{containerPort: 80, hostPort: 0}]}),
    ])
    rig.register('nginx', [
      container('nginx', {image: 'nginx:1.25', memory: 300, portMappings: [{containerPort: 80, hostPort: 0}]}),
    ])
    rig
      .e()
      .callSync('createService', {cluster: 'dev', serviceName: 'nginx', taskDefinition: 'nginx:1', desiredCount: 1})
    rig.advance(2_000)
    let service = rig
      .e()
      .callSync('updateService', {cluster: 'dev', service: 'nginx', taskDefinition: 'nginx:2'}).service!
    expect(service.deployments!.map((d) => [d.status, d.desiredCount, d.pendingCount, d.runningCount])).toEqual([
      ['PRIMARY', 1, 1, 0],
      ['ACTIVE', 1, 0, 1],
    ])
    rig.advance(1_000)
    service = rig.describeService('nginx')
    // The new task runs; the old one has been asked to stop.
    expect(service.deployments![0]).toMatchObject({status: 'PRIMARY', runningCount: 1, pendingCount: 0})
    expect(service.deployments![1]).toMatchObject({status: 'ACTIVE', runningCount: 0})
    rig.advance(1_000)
    service = rig.describeService('nginx')
    expect(service.deployments!.map((d) => d.status)).toEqual(['PRIMARY'])
    expect(service.runningCount).toBe(1)
  })

  it('static port 80 on one instance: the new task cannot start first', () => {
    rig = openRig()
    rig.addInstance('t2.micro')
    rig.register('nginx', [
      container('nginx', {image: 'nginx', memory: 300, portMappings: [{containerPort: 80, hostPort: 80}]}),
    ])
    rig.register('nginx', [
      container('nginx', {image: 'nginx:1.25', memory: 300, portMappings: [{containerPort: 80, hostPort: 80}]}),
    ])
    rig
      .e()
      .callSync('createService', {cluster: 'dev', serviceName: 'nginx', taskDefinition: 'nginx:1', desiredCount: 1})
    rig.advance(2_000)
    rig.e().callSync('updateService', {cluster: 'dev', service: 'nginx', taskDefinition: 'nginx:2'})
    rig.advance(30_000)
    const service = rig.describeService('nginx')
    expect(service.deployments!.map((d) => [d.status, d.runningCount, d.pendingCount])).toEqual([
      ['PRIMARY', 0, 0],
      ['ACTIVE', 1, 0],
    ])
    expect(service.events![0].message).toMatch(
      /^\(service nginx\) was unable to place a task because no container instance met all of its requirements\./,
    )
  })
})
