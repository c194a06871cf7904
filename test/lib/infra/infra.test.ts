import {afterEach, describe, expect, it} from '@jest/globals'

import type {ResolvedSettings} from '../../../src/lib/config/types.js'
import type {Backend} from '../../../src/lib/ecs/backend.js'
import {ExitCode, InputError, OperationError} from '../../../src/lib/errors.js'
import {openInfra} from '../../../src/lib/infra/index.js'
import {AWS_BACKEND_HINT, notOnLocalBackend} from '../../../src/lib/infra/local-only.js'
import type {Infrastructure} from '../../../src/lib/infra/types.js'
import {awsSettings, recordingUi, type RecordingUi} from '../aws/support/fakes.js'
import {type LocalCluster, localCluster} from '../workflows/local-cluster.js'

let env: LocalCluster | undefined
afterEach(async () => {
  await env?.cleanup()
  env = undefined
})

/** A backend opener that counts how often it was asked. */
function opener(backend?: Backend): (() => Promise<Backend>) & {calls: number} {
  const open = Object.assign(
    async () => {
      open.calls++
      if (!backend) throw new Error('this test must not open the backend')
      return backend
    },
    {calls: 0},
  )
  return open
}

async function local(ui: RecordingUi = recordingUi()): Promise<{infra: Infrastructure; ui: RecordingUi}> {
  env = await localCluster(1)
  return {infra: await openInfra(env.settings, ui, opener(env.backend)), ui}
}

const awsInfra = (ui: RecordingUi, settings: Partial<ResolvedSettings> = {}) =>
  openInfra(awsSettings(settings), ui, opener())

async function rejection(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

describe('the one "not available on the local backend" answer', () => {
  it('has one wording per missing capability, exit 2, and names --backend aws after any detail', () => {
    const logs = notOnLocalBackend('logs', 'On the aws backend ecsx would read: x')
    expect(logs.message).toBe(
      'Logs are not available on the local backend: its containers are simulated and write no output.',
    )
    expect(logs.exitCode).toBe(ExitCode.USAGE)
    expect(logs.hint).toBe(`On the aws backend ecsx would read: x\n${AWS_BACKEND_HINT}`)
    const ecr = notOnLocalBackend('ecr')
    expect(ecr.message).toBe('Amazon ECR is not available on the local backend: it has no container image registry.')
    expect(ecr.hint).toBe(AWS_BACKEND_HINT)
    expect(AWS_BACKEND_HINT).toContain('--backend aws')
  })
})

describe('openInfra on the local backend', () => {
  it('answers images, push and pull with the ECR error without opening the backend', async () => {
    env = await localCluster(0)
    const open = opener(env.backend)
    const infra = await openInfra(env.settings, recordingUi(), open)
    for (const call of [
      infra.images.list({}),
      infra.images.push('web:1', {}),
      infra.images.pull('web:1', {registryId: '123456789012'}),
    ]) {
      expect((await rejection(call)).message).toMatch(/^Amazon ECR is not available on the local backend/)
    }
    expect(open.calls).toBe(0)
  })

  it('answers logs with exit 2 naming the streams the aws backend would read', async () => {
    const {infra} = await local()
    const c = env as LocalCluster
    await c.backend.registerTaskDefinition({
      family: 'app',
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx',
          memory: 64,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {'awslogs-group': '/ecs/app', 'awslogs-region': 'us-west-2', 'awslogs-stream-prefix': 'ecs'},
          },
        },
        {name: 'sidecar', image: 'busybox', memory: 32},
      ],
    })
    const run = await c.backend.runTask({cluster: c.cluster, taskDefinition: 'app'})
    const arn = run.tasks?.[0]?.taskArn as string
    const id = arn.slice(arn.lastIndexOf('/') + 1)
    const error = await rejection(infra.logs.open({taskId: id}))
    expect(error.message).toMatch(/^Logs are not available on the local backend/)
    expect(error.hint).toBe(
      `On the aws backend ecsx would read:\n  web: log group /ecs/app, stream ecs/web/${id} (us-west-2)\n${AWS_BACKEND_HINT}`,
    )
    const unknown = await rejection(infra.logs.open({taskId: '0123456789abcdef0123456789abcdef'}))
    expect(unknown.hint).toMatch(/^The task could not be looked up locally either: Task 0123456789abcdef/)
  })

  it('notes AWS-only flags that were given (under --verbose), and creates no log groups', async () => {
    const {infra, ui} = await local()
    infra.noteAwsOnlyFlags(
      {keypair: 'id_rsa', vpc: undefined, cidr: '', 'extra-user-data': [], 'capability-iam': true},
      ['keypair', 'vpc', 'cidr', 'extra-user-data', 'capability-iam', 'not-a-flag'],
    )
    expect(ui.lines.verbose).toEqual([
      'Note: --keypair has no effect on the local backend; ignored.',
      'Note: --capability-iam has no effect on the local backend; ignored.',
    ])
    await infra.logs.createLogGroups({
      family: 'app',
      containerDefinitions: [
        {name: 'a', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/app'}}},
        {name: 'b', logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/app'}}},
        {name: 'c'},
      ],
    })
    await infra.logs.createLogGroups({family: 'plain', containerDefinitions: [{name: 'c'}]})
    expect(ui.lines.info).toEqual([
      'Note: --create-log-groups: the local backend keeps no CloudWatch logs; log group(s) /ecs/app not created.',
      'Note: --create-log-groups: the local backend keeps no CloudWatch logs; no awslogs containers.',
    ])
  })

  it('gives services a stable made-up Cloud Map ARN and says there is no namespace to delete', async () => {
    const {infra, ui} = await local()
    expect(() => infra.serviceDiscovery.assertAvailable()).not.toThrow()
    const arn = infra.serviceDiscovery.registryArn('corp', 'web')
    expect(arn).toMatch(/^arn:aws:servicediscovery:us-east-1:000000000000:service\/srv-[0-9a-f]{16}$/)
    expect(infra.serviceDiscovery.registryArn('corp', 'web')).toBe(arn)
    expect(infra.serviceDiscovery.registryArn('corp', 'api')).not.toBe(arn)
    infra.serviceDiscovery.deleteNamespace()
    expect(ui.lines.verbose).toEqual([
      'Note: --delete-namespace: the local backend creates no Cloud Map namespace; nothing to delete.',
    ])
  })

  it('runs up, scale and down on simulated instances in the chosen zones', async () => {
    const {infra, ui} = await local(recordingUi({answer: true}))
    const c = env as LocalCluster
    const aws = {keypair: 'ignored'}
    const upped = await infra.capacity.up({
      size: 2,
      instanceType: 't2.small',
      launchType: 'EC2',
      empty: false,
      azs: 'us-east-1c',
      force: true,
      aws,
    })
    expect(upped.containerInstances).toHaveLength(2)
    await expect(
      infra.capacity.up({
        size: 1,
        instanceType: 't2.small',
        launchType: 'EC2',
        empty: false,
        azs: 'eu-west-1a',
        force: true,
        aws,
      }),
    ).rejects.toThrow('--azs: eu-west-1a is not an availability zone of us-east-1')
    const scaled = await infra.capacity.scale({size: 1})
    expect('removed' in scaled && scaled.removed).toHaveLength(1)
    const down = await infra.capacity.down({force: false})
    expect(ui.confirms.map((q) => q.flag)).toEqual(['--force'])
    expect(down.cluster.status).toBe('INACTIVE')
    expect((await c.backend.describeClusters({clusters: [c.cluster]})).clusters?.[0]?.status).toBe('INACTIVE')
  })
})

describe('openInfra on the aws backend', () => {
  it('says ecsx creates no Cloud Map resources (exit 1), warns about --delete-namespace, notes nothing', async () => {
    const ui = recordingUi()
    const infra = await awsInfra(ui)
    for (const call of [
      () => infra.serviceDiscovery.assertAvailable(),
      () => infra.serviceDiscovery.registryArn('a', 'b'),
    ]) {
      let error: unknown
      try {
        call()
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(OperationError)
      expect((error as OperationError).exitCode).toBe(ExitCode.FAILED)
      expect((error as OperationError).message).toMatch(/^Service discovery needs AWS Cloud Map/)
    }
    infra.serviceDiscovery.deleteNamespace()
    expect(ui.lines.warn).toEqual([
      '--delete-namespace: ecsx does not manage Cloud Map namespaces; delete it with `aws servicediscovery delete-namespace`.',
    ])
    infra.noteAwsOnlyFlags({keypair: 'id_rsa'}, ['keypair'])
    expect(ui.lines.verbose).toEqual([])
  })

  it('validates scale input before any AWS call', async () => {
    const infra = await awsInfra(recordingUi())
    await expect(infra.capacity.scale({size: -1})).rejects.toBeInstanceOf(InputError)
  })
})
