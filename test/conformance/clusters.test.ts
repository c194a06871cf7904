import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {ARN_PREFIX, expectEcsError, register, registerInstance, sleepDef} from './fixtures.js'
import {type BackendUnderTest, openBackendUnderTest, VARIANTS} from './harness.js'

describe.each(VARIANTS)('clusters (%s)', (variant) => {
  let t: BackendUnderTest
  beforeEach(async () => {
    t = await openBackendUnderTest(variant)
  })
  afterEach(async () => {
    await t?.close()
  })

  it('creates an ACTIVE cluster with zero counts and a real ARN, idempotently', async () => {
    const {cluster} = await t.backend.createCluster({clusterName: 'web'})
    expect(cluster).toMatchObject({
      clusterName: 'web',
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
    })
    expect(cluster!.clusterArn).toMatch(ARN_PREFIX)
    expect(cluster!.clusterArn).toMatch(/:cluster\/web$/)
    const again = await t.backend.createCluster({clusterName: 'web'})
    expect(again.cluster!.clusterArn).toBe(cluster!.clusterArn)
    const list = await t.backend.listClusters({})
    expect(list.clusterArns!.filter((a) => a === cluster!.clusterArn)).toHaveLength(1)
  })

  it('rejects invalid cluster names with InvalidParameterException', async () => {
    await expectEcsError(t.backend.createCluster({clusterName: 'has space'}), 'InvalidParameterException')
    await expectEcsError(t.backend.createCluster({clusterName: 'x'.repeat(256)}), 'InvalidParameterException')
    await t.backend.createCluster({clusterName: 'A-b_9'.padEnd(255, 'z')})
  })

  it('reports unknown clusters as MISSING failures in DescribeClusters', async () => {
    await t.backend.createCluster({clusterName: 'web'})
    const out = await t.backend.describeClusters({clusters: ['web', 'nope']})
    expect(out.clusters!.map((c) => c.clusterName)).toEqual(['web'])
    expect(out.failures).toHaveLength(1)
    expect(out.failures![0].reason).toBe('MISSING')
    expect(out.failures![0].arn).toMatch(/:cluster\/nope$/)
  })

  it('accepts the cluster ARN wherever a name is accepted', async () => {
    const {cluster} = await t.backend.createCluster({clusterName: 'web'})
    const out = await t.backend.describeClusters({clusters: [cluster!.clusterArn!]})
    expect(out.clusters![0].clusterName).toBe('web')
    const listed = await t.backend.listContainerInstances({cluster: cluster!.clusterArn!})
    expect(listed.containerInstanceArns).toEqual([])
  })

  it('answers ClusterNotFoundException for operations on a missing cluster', async () => {
    await expectEcsError(t.backend.deleteCluster({cluster: 'nope'}), 'ClusterNotFoundException', 'Cluster not found.')
    await expectEcsError(t.backend.listServices({cluster: 'nope'}), 'ClusterNotFoundException')
    await expectEcsError(t.backend.listContainerInstances({cluster: 'nope'}), 'ClusterNotFoundException')
    await register(t.backend, sleepDef())
    await expectEcsError(t.backend.runTask({cluster: 'nope', taskDefinition: 'sleep360'}), 'ClusterNotFoundException')
  })

  it('refuses to delete a cluster with a registered instance or an active service (spec §10.23)', async () => {
    await t.backend.createCluster({clusterName: 'web'})
    const instance = await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await expectEcsError(t.backend.deleteCluster({cluster: 'web'}), 'ClusterContainsContainerInstancesException')
    await t.backend.deregisterContainerInstance({
      cluster: 'web',
      containerInstance: instance.containerInstanceArn!,
      force: true,
    })

    await register(t.backend, sleepDef())
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 0})
    await expectEcsError(t.backend.deleteCluster({cluster: 'web'}), 'ClusterContainsServicesException')
    await t.backend.deleteService({cluster: 'web', service: 'api'})
    await t.advance(60_000)

    const deleted = await t.backend.deleteCluster({cluster: 'web'})
    expect(deleted.cluster!.status).toBe('INACTIVE')
    const listed = await t.backend.listClusters({})
    expect(listed.clusterArns!.some((a) => a.endsWith(':cluster/web'))).toBe(false)
  })

  it('counts registered instances, tasks and active services', async () => {
    await t.backend.createCluster({clusterName: 'web'})
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000002'})
    await register(t.backend, sleepDef())
    await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360', count: 2})
    await t.backend.createService({cluster: 'web', serviceName: 'api', taskDefinition: 'sleep360', desiredCount: 0})
    let [cluster] = (await t.backend.describeClusters({clusters: ['web']})).clusters!
    expect(cluster).toMatchObject({
      registeredContainerInstancesCount: 2,
      pendingTasksCount: 2,
      runningTasksCount: 0,
      activeServicesCount: 1,
    })
    await t.advance(30_000)
    ;[cluster] = (await t.backend.describeClusters({clusters: ['web']})).clusters!
    expect(cluster).toMatchObject({
      registeredContainerInstancesCount: 2,
      pendingTasksCount: 0,
      runningTasksCount: 2,
      activeServicesCount: 1,
    })
  })

  it('tags a cluster and lists and removes the tags', async () => {
    const {cluster} = await t.backend.createCluster({clusterName: 'web', tags: [{key: 'team', value: 'blue'}]})
    const arn = cluster!.clusterArn!
    await t.backend.tagResource({
      resourceArn: arn,
      tags: [
        {key: 'env', value: 'dev'},
        {key: 'team', value: 'red'},
      ],
    })
    const tags = (await t.backend.listTagsForResource({resourceArn: arn})).tags!
    expect([...tags].sort((a, b) => a.key!.localeCompare(b.key!))).toEqual([
      {key: 'env', value: 'dev'},
      {key: 'team', value: 'red'},
    ])
    await t.backend.untagResource({resourceArn: arn, tagKeys: ['team']})
    expect((await t.backend.listTagsForResource({resourceArn: arn})).tags).toEqual([{key: 'env', value: 'dev'}])
  })
})
