import {describe, expect, it} from '@jest/globals'

import {availabilityZoneOf, instanceTypeOf, listInstances} from '../../../../src/lib/ecs/lookups.js'
import {
  localClusterDown,
  localClusterScale,
  localClusterUp,
  type LocalUpOptions,
} from '../../../../src/lib/infra/local/capacity.js'
import {availabilityZones, pickZones} from '../../../../src/lib/infra/local/zones.js'
import {InputError, OperationError} from '../../../../src/lib/errors.js'
import {fakeUi} from '../../../helpers/fake-terminal.js'
import {localBackendPerTest} from '../../../helpers/local-backend.js'

const backend = localBackendPerTest()

const upOptions = (over: Partial<LocalUpOptions> = {}): LocalUpOptions => ({
  cluster: 'demo',
  region: 'us-east-1',
  size: 2,
  instanceType: 't2.medium',
  launchType: 'EC2',
  empty: false,
  zones: availabilityZones('us-east-1'),
  force: false,
  ...over,
})

describe('zones', () => {
  it('--azs restricts to zones of the region, rejecting others', () => {
    expect(pickZones('us-east-1', undefined)).toHaveLength(6)
    expect(pickZones('us-east-1', 'us-east-1c, us-east-1a')).toEqual(['us-east-1c', 'us-east-1a'])
    expect(() => pickZones('us-east-1', 'eu-west-1a')).toThrow(InputError)
    expect(() => pickZones('us-west-2', 'us-west-2d')).toThrow('us-west-2d is not an availability zone of us-west-2')
  })
})

describe('localClusterUp', () => {
  it('creates the cluster and spreads --size instances of --instance-type round-robin over the zones', async () => {
    const b = await backend()
    const {ui, stderr} = await fakeUi()
    const result = await localClusterUp(b, upOptions({size: 4, tags: [{key: 'team', value: 'web'}]}), ui)
    expect(result.cluster).toMatchObject({clusterName: 'demo', status: 'ACTIVE', registeredContainerInstancesCount: 4})
    expect(result.containerInstances.map(availabilityZoneOf)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
    ])
    expect(result.containerInstances.every((ci) => instanceTypeOf(ci) === 't2.medium')).toBe(true)
    expect(result.containerInstances.every((ci) => /^i-[0-9a-f]{17}$/.test(ci.ec2InstanceId ?? ''))).toBe(true)
    expect(stderr.text).toContain('Created cluster demo in us-east-1.')
    expect(stderr.text).toContain('Cluster creation succeeded.')
    const tags = await b.listTagsForResource({resourceArn: result.cluster.clusterArn})
    expect(tags.tags).toEqual([{key: 'team', value: 'web'}])
  })

  it('honours --azs', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    const result = await localClusterUp(b, upOptions({size: 3, zones: pickZones('us-east-1', 'us-east-1f')}), ui)
    expect(result.containerInstances.map(availabilityZoneOf)).toEqual(['us-east-1f', 'us-east-1f', 'us-east-1f'])
  })

  it('FARGATE and --empty create only the cluster', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    expect((await localClusterUp(b, upOptions({launchType: 'FARGATE'}), ui)).containerInstances).toEqual([])
    expect((await localClusterUp(b, upOptions({cluster: 'e', empty: true}), ui)).containerInstances).toEqual([])
    expect(await listInstances(b, 'demo')).toEqual([])
    expect(await listInstances(b, 'e')).toEqual([])
  })

  it('on a cluster that has instances: changes nothing without --force, recreates them with it', async () => {
    const b = await backend()
    const {ui, stderr} = await fakeUi()
    const first = await localClusterUp(b, upOptions(), ui)
    const again = await localClusterUp(b, upOptions({size: 5}), ui)
    expect(again.containerInstances.map((c) => c.containerInstanceArn)).toEqual(
      first.containerInstances.map((c) => c.containerInstanceArn),
    )
    expect(stderr.text).toContain('already has 2 container instances; nothing created')
    const forced = await localClusterUp(b, upOptions({size: 3, force: true}), ui)
    expect(forced.containerInstances).toHaveLength(3)
    const active = await listInstances(b, 'demo', ['ACTIVE'])
    expect(active.map((c) => c.containerInstanceArn).sort()).toEqual(
      forced.containerInstances.map((c) => c.containerInstanceArn).sort(),
    )
    expect(
      active.some((c) => first.containerInstances.some((f) => f.containerInstanceArn === c.containerInstanceArn)),
    ).toBe(false)
  })
})

describe('localClusterScale', () => {
  it('adds instances in the least-used zones with the same type, and removes the newest first', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    await localClusterUp(b, upOptions({size: 2, zones: ['us-east-1a', 'us-east-1b', 'us-east-1c']}), ui)
    const grown = await localClusterScale(
      b,
      {cluster: 'demo', region: 'us-east-1', size: 4, zones: ['us-east-1a', 'us-east-1b', 'us-east-1c']},
      ui,
    )
    expect(grown.added.map(availabilityZoneOf)).toEqual(['us-east-1c', 'us-east-1a'])
    expect(grown.added.every((ci) => instanceTypeOf(ci) === 't2.medium')).toBe(true)
    expect(grown.containerInstances).toHaveLength(4)
    const shrunk = await localClusterScale(
      b,
      {cluster: 'demo', region: 'us-east-1', size: 1, zones: ['us-east-1a']},
      ui,
    )
    expect(shrunk.removed).toEqual(
      [...grown.added]
        .reverse()
        .map((c) => c.containerInstanceArn)
        .concat(grown.containerInstances[1].containerInstanceArn as string),
    )
    expect(shrunk.containerInstances.map((c) => c.containerInstanceArn)).toEqual([
      grown.containerInstances[0].containerInstanceArn,
    ])
  })

  it('fails (exit 1) on a missing cluster', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    const err = await localClusterScale(
      b,
      {cluster: 'nope', region: 'us-east-1', size: 1, zones: ['us-east-1a']},
      ui,
    ).catch((error: unknown) => error)
    expect(err).toBeInstanceOf(OperationError)
    expect((err as Error).message).toBe('Cluster nope not found.')
  })
})

describe('localClusterDown', () => {
  it('refuses while a service is active, even at desired count 0, naming it', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    await localClusterUp(b, upOptions({size: 1}), ui)
    await b.registerTaskDefinition({family: 'web', containerDefinitions: [{name: 'web', image: 'nginx', memory: 128}]})
    await b.createService({cluster: 'demo', serviceName: 'shop', taskDefinition: 'web', desiredCount: 0})
    const err = await localClusterDown(b, 'demo', ui).catch((error: unknown) => error)
    expect(err).toBeInstanceOf(OperationError)
    expect((err as Error).message).toContain('active services: shop')
    expect(await listInstances(b, 'demo')).toHaveLength(1)
  })

  it('asks before deleting; a "no" aborts with exit 1 and changes nothing', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    await localClusterUp(b, upOptions({size: 2}), ui)
    const questions: string[] = []
    const err = await localClusterDown(b, 'demo', ui, {
      confirm: async (q) => {
        questions.push(q)
        return false
      },
    }).catch((error: unknown) => error)
    expect(questions).toEqual(["Delete cluster 'demo' and terminate its 2 container instances?"])
    expect((err as OperationError).exitCode).toBe(1)
    expect(await listInstances(b, 'demo')).toHaveLength(2)
  })

  it('terminates the instances (their tasks stop) and deletes the cluster', async () => {
    const b = await backend()
    const {ui, stderr} = await fakeUi()
    await localClusterUp(b, upOptions({size: 2}), ui)
    await b.registerTaskDefinition({family: 'job', containerDefinitions: [{name: 'job', image: 'busybox', memory: 64}]})
    const run = await b.runTask({cluster: 'demo', taskDefinition: 'job', count: 2})
    expect(run.tasks).toHaveLength(2)
    const result = await localClusterDown(b, 'demo', ui)
    expect(result.cluster.status).toBe('INACTIVE')
    expect(result.terminatedInstances).toHaveLength(2)
    expect(stderr.text).toContain('Deleted cluster demo.')
    const described = await b.describeClusters({clusters: ['demo']})
    expect(described.clusters?.[0]?.status ?? 'MISSING').not.toBe('ACTIVE')
  })

  it('fails (exit 1) on a missing cluster', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    await expect(localClusterDown(b, 'ghost', ui)).rejects.toThrow('Cluster ghost not found.')
  })

  it('refuses while Fargate tasks run (no instance to terminate), naming them; mentions tasks that will stop', async () => {
    const b = await backend()
    const {ui} = await fakeUi()
    await localClusterUp(b, upOptions({size: 1}), ui)
    await b.registerTaskDefinition({
      family: 'fg',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{name: 'app', image: 'nginx'}],
    })
    const fg = await b.runTask({
      cluster: 'demo',
      taskDefinition: 'fg',
      launchType: 'FARGATE',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-1']}},
    })
    expect(fg.tasks).toHaveLength(1)
    const err = await localClusterDown(b, 'demo', ui).catch((error: unknown) => error)
    expect(err).toBeInstanceOf(OperationError)
    expect((err as Error).message).toContain(
      `1 task(s) on no container instance (Fargate): ${fg.tasks![0].taskArn!.split('/').pop()}`,
    )
    await b.stopTask({cluster: 'demo', task: fg.tasks![0].taskArn!})
    await b.registerTaskDefinition({family: 'job', containerDefinitions: [{name: 'job', image: 'busybox', memory: 64}]})
    await b.runTask({cluster: 'demo', taskDefinition: 'job'})
    const questions: string[] = []
    await localClusterDown(b, 'demo', ui, {
      confirm: async (q) => {
        questions.push(q)
        return true
      },
    })
    expect(questions).toEqual([
      "Delete cluster 'demo' and terminate its 1 container instance (1 running task will stop)?",
    ])
  })
})

describe('openBackend under --verbose', () => {
  it('logs every ECS operation of the local backend on stderr, including failures', async () => {
    const {withOperationLog} = await import('../../../../src/lib/backend/index.js')
    const b = await backend()
    const {ui, stderr} = await fakeUi({verbose: true})
    const logged = withOperationLog(b, ui, 'local')
    await logged.createCluster({clusterName: 'v'})
    await expect(logged.deleteCluster({cluster: 'missing'})).rejects.toMatchObject({name: 'ClusterNotFoundException'})
    expect(logged.engine).toBe(b.engine)
    expect(stderr.text).toMatch(
      /^local: ECS CreateCluster ok in \d+ ms\nlocal: ECS DeleteCluster failed in \d+ ms: ClusterNotFoundException\n$/,
    )
  })

  it('logs the synchronous wire path (engine serve) under the operation name, and keeps it synchronous', async () => {
    const {withOperationLog} = await import('../../../../src/lib/backend/index.js')
    const b = await backend()
    const {ui, stderr} = await fakeUi({verbose: true})
    const logged = withOperationLog(b, ui, 'local').wire!
    const text = logged.callWire('createCluster', {clusterName: 'w'})
    expect(typeof text).toBe('string')
    expect(JSON.parse(text)).toMatchObject({cluster: {clusterName: 'w', status: 'ACTIVE'}})
    expect(() => logged.callWire('deleteCluster', {cluster: 'missing'})).toThrow(
      expect.objectContaining({name: 'ClusterNotFoundException'}),
    )
    expect(stderr.text).toMatch(
      /^local: ECS CreateCluster ok in \d+ ms\nlocal: ECS DeleteCluster failed in \d+ ms: ClusterNotFoundException\n$/,
    )
  })
})
