import {describe, expect, it} from '@jest/globals'
import type {RegisterTaskDefinitionCommandInput, Service, TaskDefinition} from '@aws-sdk/client-ecs'

import {deploy, type RegisterFn} from '../../../../src/lib/workflows/deploy/run.js'
import {applyPatches} from '../../../../src/lib/workflows/deploy/patch.js'
import {ExitCode, InputError, OperationError, RolledBackError, WaitTimeoutError} from '../../../../src/lib/errors.js'
import type {Backend} from '../../../../src/lib/ecs/backend.js'
import {TD1, TD2, recordingUi, svc} from '../wait/fakes.js'

const td1: TaskDefinition = {
  taskDefinitionArn: TD1,
  family: 'web',
  revision: 1,
  status: 'ACTIVE',
  containerDefinitions: [{name: 'web', image: 'nginx:1.25', memory: 128, essential: true}],
}

function fakeBackend(frames: Service[]): Backend & {updates: unknown[]; sleeps: number[]} {
  let i = 0
  const updates: unknown[] = []
  const sleeps: number[] = []
  return {
    kind: 'local',
    region: 'us-east-1',
    updates,
    sleeps,
    engine: {now: async () => 0, advance: async () => 0, killInstance: async () => ({}), failTask: async () => ({})},
    sleep: async (ms: number) => void sleeps.push(ms),
    close: async () => undefined,
    describeServices: async () => ({services: [frames[Math.min(i++, frames.length - 1)]]}),
    describeTaskDefinition: async () => ({taskDefinition: td1, tags: [{key: 'team', value: 'web'}]}),
    updateService: async (input: unknown) => {
      updates.push(input)
      return {service: frames[Math.min(i, frames.length - 1)]}
    },
    listTasks: async () => ({taskArns: []}),
  } as unknown as Backend & {updates: unknown[]; sleeps: number[]}
}

const registerAs = (arn: string, reused = false): RegisterFn & {calls: RegisterTaskDefinitionCommandInput[]} => {
  const calls: RegisterTaskDefinitionCommandInput[] = []
  const fn = (async (_b: Backend, input: RegisterTaskDefinitionCommandInput) => {
    calls.push(input)
    return {
      taskDefinition: {...input, taskDefinitionArn: arn, revision: Number(arn.split(':').pop())} as TaskDefinition,
      reused,
    }
  }) as RegisterFn & {calls: RegisterTaskDefinitionCommandInput[]}
  fn.calls = calls
  return fn
}

const yesUi = () => {
  const ui = recordingUi()
  return ui
}

const base = {
  cluster: 'default',
  service: 'web',
  diffOnly: false,
  yes: true,
  until: 'stable' as const,
  timeoutMs: 60_000,
  rollback: false,
  pollMs: 1000,
  settleMs: 0,
}
const newImage = (c: RegisterTaskDefinitionCommandInput) => applyPatches(c, {image: ['web=nginx:1.27']})

describe('deploy', () => {
  it('shows the diff, registers, updates the service and waits until stable', async () => {
    const backend = fakeBackend([
      svc(1, [['PRIMARY', TD1, 1, 1, 0]]),
      svc(1, [
        ['PRIMARY', TD2, 1, 0, 1],
        ['ACTIVE', TD1, 1, 1, 0],
      ]),
      svc(1, [['PRIMARY', TD2, 1, 1, 0]]),
    ])
    const register = registerAs(TD2)
    const ui = yesUi()
    const result = await deploy(backend, ui, register, {...base, next: newImage})
    expect(result.outcome).toBe('deployed')
    expect(register.calls[0].containerDefinitions?.[0].image).toBe('nginx:1.27')
    expect(register.calls[0].tags).toEqual([{key: 'team', value: 'web'}])
    expect(backend.updates).toEqual([{cluster: 'default', service: 'web', taskDefinition: TD2}])
    const out = ui.log.filter((l) => l.kind === 'out').map((l) => l.text)
    expect(out).toContain('-      "image": "nginx:1.25",')
    expect(out).toContain('+      "image": "nginx:1.27",')
    expect(out[0]).toBe('--- web:1 (running)')
    expect(ui.log.filter((l) => l.kind === 'info').map((l) => l.text)).toEqual([
      'Using ECS task definition web:2',
      'Updated service web: web:1 -> web:2',
    ])
  })

  it('--diff-only prints the diff and changes nothing', async () => {
    const backend = fakeBackend([svc(1, [['PRIMARY', TD1, 1, 1, 0]])])
    const register = registerAs(TD2)
    const result = await deploy(backend, yesUi(), register, {...base, diffOnly: true, next: newImage})
    expect(result.outcome).toBe('diff-only')
    expect(result.diff.length).toBeGreaterThan(2)
    expect(register.calls).toEqual([])
    expect(backend.updates).toEqual([])
  })

  it('an identical definition means nothing to deploy', async () => {
    const backend = fakeBackend([svc(1, [['PRIMARY', TD1, 1, 1, 0]])])
    const register = registerAs(TD2)
    const ui = yesUi()
    const result = await deploy(backend, ui, register, {...base, next: (c) => c})
    expect(result.outcome).toBe('unchanged')
    expect(register.calls).toEqual([])
    expect(ui.log).toContainEqual({
      kind: 'info',
      text: 'Nothing to deploy: service web already runs web:1 with this definition.',
    })
  })

  it('without --yes asks; the UI refuses without a TTY (exit 2 naming --yes)', async () => {
    const backend = fakeBackend([svc(1, [['PRIMARY', TD1, 1, 1, 0]])])
    const ui = recordingUi()
    let asked: [string, string] | undefined
    ui.confirm = async (q: string, flag: string) => {
      asked = [q, flag]
      throw new InputError(`${q} needs confirmation. Pass ${flag}.`)
    }
    const err = await deploy(backend, ui, registerAs(TD2), {...base, yes: false, next: newImage}).catch((e) => e)
    expect(err).toBeInstanceOf(InputError)
    expect(err.exitCode).toBe(ExitCode.USAGE)
    expect(asked?.[1]).toBe('--yes')
    expect(backend.updates).toEqual([])
  })

  it('--no-wait (timeout 0) returns right after UpdateService', async () => {
    const backend = fakeBackend([
      svc(1, [['PRIMARY', TD1, 1, 1, 0]]),
      svc(1, [
        ['PRIMARY', TD2, 1, 0, 0],
        ['ACTIVE', TD1, 1, 1, 0],
      ]),
    ])
    const result = await deploy(backend, yesUi(), registerAs(TD2), {...base, timeoutMs: 0, next: newImage})
    expect(result.outcome).toBe('updated-no-wait')
    expect(backend.sleeps).toEqual([])
  })

  it('a failed deployment without --rollback exits 1; with --rollback it rolls back and exits 4', async () => {
    const failed = svc(1, [
      ['PRIMARY', TD2, 1, 0, 0],
      ['ACTIVE', TD1, 1, 1, 0],
    ])
    failed.deployments![0].rolloutState = 'FAILED'
    failed.deployments![0].rolloutStateReason = 'tasks failed to start'
    const stableOld = svc(1, [['PRIMARY', TD1, 1, 1, 0]])

    const noRollback = fakeBackend([svc(1, [['PRIMARY', TD1, 1, 1, 0]]), failed])
    const err1 = await deploy(noRollback, yesUi(), registerAs(TD2), {...base, next: newImage}).catch((e) => e)
    expect(err1).toBeInstanceOf(OperationError)
    expect(err1.exitCode).toBe(ExitCode.FAILED)
    expect(noRollback.updates).toHaveLength(1)

    const withRollback = fakeBackend([svc(1, [['PRIMARY', TD1, 1, 1, 0]]), failed, stableOld])
    const ui = yesUi()
    const err2 = await deploy(withRollback, ui, registerAs(TD2), {...base, rollback: true, next: newImage}).catch(
      (e) => e,
    )
    expect(err2).toBeInstanceOf(RolledBackError)
    expect(err2.exitCode).toBe(ExitCode.ROLLED_BACK)
    expect(err2.message).toBe('Deployment of web:2 failed: tasks failed to start. Rolled back service web to web:1.')
    expect(withRollback.updates).toEqual([
      {cluster: 'default', service: 'web', taskDefinition: TD2},
      {cluster: 'default', service: 'web', taskDefinition: TD1},
    ])
    expect(ui.log).toContainEqual({kind: 'warn', text: 'Rolling back service web to web:1.'})
  })

  it('--rollback whose rollback fails too exits 1, saying both failed and what to do (issue 12)', async () => {
    const failed = svc(1, [
      ['PRIMARY', TD2, 1, 0, 0],
      ['ACTIVE', TD1, 1, 1, 0],
    ])
    failed.deployments![0].rolloutState = 'FAILED'
    failed.deployments![0].rolloutStateReason = 'tasks failed to start'
    const stuck = svc(1, [
      ['PRIMARY', TD1, 1, 0, 1],
      ['ACTIVE', TD2, 1, 0, 0],
    ])
    const backend = fakeBackend([svc(1, [['PRIMARY', TD1, 1, 1, 0]]), failed, failed, stuck])
    const err = await deploy(backend, yesUi(), registerAs(TD2), {
      ...base,
      rollback: true,
      timeoutMs: 3000,
      next: newImage,
    }).catch((e) => e)
    expect(err).toBeInstanceOf(OperationError)
    expect(err.exitCode).toBe(ExitCode.FAILED)
    expect(err.message).toMatch(
      /^Deployment of web:2 failed: tasks failed to start\. Rolling back to web:1 failed too: Timed out/,
    )
    expect(err.hint).toMatch(/may still run web:2, or a mix of web:2 and web:1.*ecsx compose service ps/)
    expect(backend.updates).toHaveLength(2)
  })

  it('a timeout without --rollback exits 3', async () => {
    const backend = fakeBackend([
      svc(1, [['PRIMARY', TD1, 1, 1, 0]]),
      svc(1, [
        ['PRIMARY', TD2, 1, 0, 1],
        ['ACTIVE', TD1, 1, 1, 0],
      ]),
    ])
    const err = await deploy(backend, yesUi(), registerAs(TD2), {...base, timeoutMs: 3000, next: newImage}).catch(
      (e) => e,
    )
    expect(err).toBeInstanceOf(WaitTimeoutError)
    expect(err.exitCode).toBe(ExitCode.TIMEOUT)
  })

  it('refuses a service that is not ACTIVE', async () => {
    const backend = fakeBackend([svc(0, [['PRIMARY', TD1, 0, 0, 0]], [], {status: 'INACTIVE'})])
    const err = await deploy(backend, yesUi(), registerAs(TD2), {...base, next: newImage}).catch((e) => e)
    expect(err).toBeInstanceOf(OperationError)
    expect(err.message).toContain('is INACTIVE')
  })
})
