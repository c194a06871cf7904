/** Fault injection: killInstance and failTask, and how services react. */
import {afterEach, describe, expect, it} from '@jest/globals'

import {failTask, killInstance, startInstance, stopInstance} from '../../../../src/lib/engine/runtime/faults.js'
import {caught, container, idOf, openRig, type Rig} from '../runtime-helpers.js'

let rig: Rig
afterEach(() => rig?.cleanup())

describe('killInstance', () => {
  it('accepts the container instance id, ARN or EC2 id; stops tasks at once; standalone tasks are not replaced', () => {
    rig = openRig()
    const a = rig.addInstance('m4.large', 'us-east-1a')
    rig.register('app', [container('app')])
    rig.e().callSync('runTask', {cluster: 'dev', taskDefinition: 'app', count: 2})
    rig.advance(1_000)
    const instance = rig.e().transaction((_ops, ctx) => killInstance(ctx, 'dev', idOf(a)))
    expect(instance.containerInstanceArn).toBe(a)
    expect(instance.status).toBe('INACTIVE')
    const stopped = rig.tasks('STOPPED')
    expect(stopped).toHaveLength(2)
    for (const task of stopped) {
      expect(task.lastStatus).toBe('STOPPED')
      expect(task.stoppedReason).toBe(`Host EC2 (instance ${instance.ec2InstanceId}) stopped/terminated`)
    }
    rig.advance(60_000)
    expect(rig.tasks()).toHaveLength(0)
    expect(caught(() => rig.e().transaction((_ops, ctx) => killInstance(ctx, 'dev', a))).name).toBe(
      'InvalidParameterException',
    )
    expect(caught(() => rig.e().transaction((_ops, ctx) => killInstance(ctx, 'dev', 'i-0000'))).name).toBe(
      'InvalidParameterException',
    )
  })

  it('a DAEMON service does not re-place the killed instance’s task elsewhere', () => {
    rig = openRig()
    const a = rig.addInstance('t2.small', 'us-east-1a')
    const b = rig.addInstance('t2.small', 'us-east-1b')
    rig.register('agent', [container('agent', {memory: 64})])
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'agent',
      taskDefinition: 'agent',
      schedulingStrategy: 'DAEMON',
    })
    rig.advance(1_000)
    rig.e().transaction((_ops, ctx) => killInstance(ctx, 'dev', a))
    rig.advance(5_000)
    expect(rig.tasks().map((t) => t.containerInstanceArn)).toEqual([b])
    expect(rig.describeService('agent').desiredCount).toBe(1)
  })
})

describe('failTask', () => {
  it('makes the essential containers exit with the code; the service replaces the task without throttling', () => {
    rig = openRig()
    rig.addInstance('m4.large')
    rig.register('app', [container('app'), container('log', {essential: false})])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app', desiredCount: 1})
    rig.advance(1_000)
    const [victim] = rig.tasks()
    const failed = rig.e().transaction((_ops, ctx) => failTask(ctx, 'dev', victim.taskArn!, 137))
    expect(failed.desiredStatus).toBe('STOPPED')
    expect(failed.stoppedReason).toBe('Essential container in task exited')
    expect(failed.containers!.find((c) => c.name === 'app')!.exitCode).toBe(137)
    rig.advance(1_000)
    const [replacement] = rig.tasks()
    expect(replacement.taskArn).not.toBe(victim.taskArn)
    expect(replacement.lastStatus).toBe('RUNNING')
    const stopped = rig.tasks('STOPPED')[0]
    expect(stopped.containers!.find((c) => c.name === 'log')!.exitCode).toBe(143)
    const events = rig.describeService('app').events!.map((e) => e.message!)
    expect(events.some((m) => m.includes('unable to consistently start'))).toBe(false)
    expect(caught(() => rig.e().transaction((_ops, ctx) => failTask(ctx, 'dev', victim.taskArn!))).message).toMatch(
      /already/,
    )
  })

  it('failed starts count toward failedTasks; the circuit breaker fails (and rolls back) the deployment', () => {
    rig = openRig()
    rig.addInstance('m4.xlarge')
    rig.register('app', [container('app')])
    rig.register('app', [
      container('app', {dockerLabels: {'ecsx.simulate.fail-to-start': 'CannotPullContainerError: manifest unknown'}}),
    ])
    rig.e().callSync('createService', {
      cluster: 'dev',
      serviceName: 'app',
      taskDefinition: 'app:1',
      desiredCount: 2,
      deploymentConfiguration: {deploymentCircuitBreaker: {enable: true, rollback: true}},
    })
    rig.advance(2_000)
    const bad = rig.e().callSync('updateService', {cluster: 'dev', service: 'app', taskDefinition: 'app:2'}).service!
      .deployments![0]
    // Threshold clamp(ceil(0.5 × 2), 10, 200) = 10 failed tasks; the throttle spaces the attempts (≈ 50 min).
    rig.advance(2 * 3_600_000)
    const service = rig.describeService('app')
    const messages = service.events!.map((e) => e.message!)
    expect(messages).toContain(`(service app) (deployment ${bad.id}) deployment failed: tasks failed to start.`)
    // Rolled back: a new PRIMARY deployment with the last completed definition, running again.
    expect(service.taskDefinition).toMatch(/app:1$/)
    expect(service.deployments![0].taskDefinition).toMatch(/app:1$/)
    expect(service.runningCount).toBe(2)
    expect(rig.tasks().every((t) => t.taskDefinitionArn!.endsWith('app:1'))).toBe(true)
  })
})

describe('stopInstance / startInstance (spec §10.24: stopped, not terminated)', () => {
  it('instance stays ACTIVE with the agent disconnected; tasks STOPPED with the Host EC2 reason; replaced elsewhere; reconnects', () => {
    rig = openRig()
    const a = rig.addInstance('m4.large', 'us-east-1a')
    const b = rig.addInstance('m4.large', 'us-east-1b')
    rig.register('app', [container('app')])
    rig.e().callSync('createService', {cluster: 'dev', serviceName: 'app', taskDefinition: 'app', desiredCount: 2})
    rig.advance(1_000)
    const stoppedInstance = rig.e().transaction((_ops, ctx) => stopInstance(ctx, 'dev', a))
    expect(stoppedInstance.status).toBe('ACTIVE')
    expect(stoppedInstance.agentConnected).toBe(false)
    const [stopped] = rig.tasks('STOPPED')
    expect(stopped.stoppedReason).toBe(`Host EC2 (instance ${stoppedInstance.ec2InstanceId}) stopped/terminated`)
    rig.advance(1_000)
    expect(rig.tasks().map((t) => t.containerInstanceArn)).toEqual([b, b])
    // Nothing lands on a disconnected instance (StartTask names it explicitly: AGENT).
    expect(
      rig.e().callSync('startTask', {cluster: 'dev', taskDefinition: 'app', containerInstances: [a]}).failures,
    ).toEqual([{arn: a, reason: 'AGENT'}])
    const started = rig.e().transaction((_ops, ctx) => startInstance(ctx, 'dev', a))
    expect(started.agentConnected).toBe(true)
    expect(
      rig.e().callSync('startTask', {cluster: 'dev', taskDefinition: 'app', containerInstances: [a]}).tasks,
    ).toHaveLength(1)
  })
})
