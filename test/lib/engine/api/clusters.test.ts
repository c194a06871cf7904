import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {caught, identity, openTestEngine, type TestEngine} from '../engine-helpers.js'

const ARN = (name: string) => `arn:aws:ecs:us-east-1:000000000000:cluster/${name}`

describe('clusters', () => {
  let t: TestEngine
  beforeEach(() => {
    t = openTestEngine()
  })
  afterEach(() => t.cleanup())

  it('creates an ACTIVE cluster with zero counts and its tags', () => {
    const cluster = t.engine.callSync('createCluster', {clusterName: 'dev', tags: [{key: 'team', value: 'x'}]}).cluster!
    expect(cluster).toMatchObject({
      clusterArn: ARN('dev'),
      clusterName: 'dev',
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags: [{key: 'team', value: 'x'}],
    })
  })

  it('defaults the name to "default" and is idempotent for an ACTIVE name', () => {
    expect(t.engine.callSync('createCluster', {}).cluster!.clusterName).toBe('default')
    t.engine.callSync('createCluster', {clusterName: 'dev', tags: [{key: 'a', value: '1'}]})
    const again = t.engine.callSync('createCluster', {clusterName: 'dev', tags: [{key: 'b', value: '2'}]}).cluster!
    expect(again.tags).toEqual([{key: 'a', value: '1'}])
    expect(t.engine.callSync('listClusters', {}).clusterArns).toEqual([ARN('default'), ARN('dev')])
  })

  it('validates names (§1.3)', () => {
    for (const bad of ['has space', 'dot.name', 'x'.repeat(256), '']) {
      expect(caught(() => t.engine.callSync('createCluster', {clusterName: bad})).name).toBe(
        'InvalidParameterException',
      )
    }
    expect(t.engine.callSync('createCluster', {clusterName: 'A_b-9'.padEnd(255, 'z')}).cluster!.status).toBe('ACTIVE')
    expect(
      t.engine.callSync('createCluster', {
        clusterName: 'insights',
        settings: [{name: 'containerInsights', value: 'enabled'}],
      }).cluster!.settings,
    ).toEqual([{name: 'containerInsights', value: 'enabled'}])
    expect(
      caught(() =>
        t.engine.callSync('createCluster', {
          clusterName: 'bad-setting',
          settings: [{name: 'containerInsights', value: 'maybe'}],
        }),
      ).name,
    ).toBe('InvalidParameterException')
  })

  it('describes known clusters and reports unknown ones as MISSING failures', () => {
    t.engine.callSync('createCluster', {clusterName: 'dev'})
    const out = t.engine.callSync('describeClusters', {clusters: ['dev', ARN('dev'), 'nope']})
    expect(out.clusters!.map((c) => c.clusterName)).toEqual(['dev', 'dev'])
    expect(out.failures).toEqual([{arn: ARN('nope'), reason: 'MISSING'}])
    expect(t.engine.callSync('describeClusters', {}).failures).toEqual([{arn: ARN('default'), reason: 'MISSING'}])
  })

  it('returns tags and statistics only when included', () => {
    t.engine.callSync('createCluster', {clusterName: 'dev', tags: [{key: 'k', value: 'v'}]})
    const plain = t.engine.callSync('describeClusters', {clusters: ['dev']}).clusters![0]
    expect(plain.tags).toBeUndefined()
    expect(plain.statistics).toEqual([])
    const full = t.engine.callSync('describeClusters', {clusters: ['dev'], include: ['TAGS', 'STATISTICS']})
      .clusters![0]
    expect(full.tags).toEqual([{key: 'k', value: 'v'}])
    expect(full.statistics).toEqual(
      expect.arrayContaining([
        {name: 'runningEC2TasksCount', value: '0'},
        {name: 'activeEC2ServiceCount', value: '0'},
      ]),
    )
  })

  it('counts registered instances (ACTIVE and DRAINING, not INACTIVE)', () => {
    t.engine.callSync('createCluster', {clusterName: 'dev'})
    const register = (az: string) =>
      t.engine.callSync('registerContainerInstance', {
        cluster: 'dev',
        instanceIdentityDocument: identity('t2.micro', az),
      }).containerInstance!
    const a = register('us-east-1a')
    register('us-east-1b')
    const c = register('us-east-1c')
    t.engine.callSync('updateContainerInstancesState', {
      cluster: 'dev',
      containerInstances: [a.containerInstanceArn!],
      status: 'DRAINING',
    })
    t.engine.callSync('deregisterContainerInstance', {cluster: 'dev', containerInstance: c.containerInstanceArn!})
    expect(
      t.engine.callSync('describeClusters', {clusters: ['dev']}).clusters![0].registeredContainerInstancesCount,
    ).toBe(2)
  })

  it('§10.23 DeleteCluster is refused while instances are registered; then INACTIVE but describable', () => {
    t.engine.callSync('createCluster', {clusterName: 'dev'})
    const instance = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('t2.micro', 'us-east-1a'),
    }).containerInstance!
    expect(caught(() => t.engine.callSync('deleteCluster', {cluster: 'dev'}))).toEqual({
      name: 'ClusterContainsContainerInstancesException',
      message: 'The Cluster cannot be deleted while Container Instances are active or draining.',
    })
    t.engine.callSync('deregisterContainerInstance', {
      cluster: 'dev',
      containerInstance: instance.containerInstanceArn!,
    })
    const deleted = t.engine.callSync('deleteCluster', {cluster: 'dev'}).cluster!
    expect(deleted.status).toBe('INACTIVE')
    expect(t.engine.callSync('describeClusters', {clusters: ['dev']}).clusters![0].status).toBe('INACTIVE')
    expect(t.engine.callSync('listClusters', {}).clusterArns).toEqual([])
    expect(caught(() => t.engine.callSync('deleteCluster', {cluster: 'dev'}))).toEqual({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    })
    // Recreating the name makes a fresh ACTIVE cluster.
    expect(t.engine.callSync('createCluster', {clusterName: 'dev'}).cluster!.status).toBe('ACTIVE')
  })

  it('§10.23 DeleteCluster is refused while an ACTIVE service exists (even with desiredCount 0)', () => {
    t.engine.callSync('createCluster', {clusterName: 'svc'})
    t.engine.callSync('registerTaskDefinition', {
      family: 'web',
      containerDefinitions: [{name: 'web', image: 'nginx', memory: 128}],
    })
    t.engine.callSync('createService', {cluster: 'svc', serviceName: 'web', taskDefinition: 'web', desiredCount: 0})
    expect(caught(() => t.engine.callSync('deleteCluster', {cluster: 'svc'}))).toEqual({
      name: 'ClusterContainsServicesException',
      message: 'The Cluster cannot be deleted while Services are active.',
    })
    t.engine.callSync('deleteService', {cluster: 'svc', service: 'web'})
    t.engine.advance(60_000)
    expect(t.engine.callSync('deleteCluster', {cluster: 'svc'}).cluster!.status).toBe('INACTIVE')
  })

  it('DeleteCluster is refused while tasks are not stopped (Fargate tasks need no instance)', () => {
    t.engine.callSync('createCluster', {clusterName: 'jobs'})
    t.engine.callSync('registerTaskDefinition', {
      family: 'job',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{name: 'job', image: 'busybox'}],
    })
    const run = t.engine.callSync('runTask', {
      cluster: 'jobs',
      taskDefinition: 'job',
      launchType: 'FARGATE',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-1']}},
    })
    expect(run.failures).toEqual([])
    expect(caught(() => t.engine.callSync('deleteCluster', {cluster: 'jobs'}))).toEqual({
      name: 'ClusterContainsTasksException',
      message: 'The Cluster cannot be deleted while Tasks are active.',
    })
    t.engine.callSync('stopTask', {cluster: 'jobs', task: run.tasks![0].taskArn!})
    t.engine.advance(60_000)
    expect(t.engine.callSync('deleteCluster', {cluster: 'jobs'}).cluster!.status).toBe('INACTIVE')
  })

  it('lists clusters with pagination', () => {
    for (const name of ['a', 'b', 'c']) t.engine.callSync('createCluster', {clusterName: name})
    const first = t.engine.callSync('listClusters', {maxResults: 2})
    expect(first.clusterArns).toEqual([ARN('a'), ARN('b')])
    expect(t.engine.callSync('listClusters', {maxResults: 2, nextToken: first.nextToken}).clusterArns).toEqual([
      ARN('c'),
    ])
    expect(caught(() => t.engine.callSync('listClusters', {maxResults: 101})).name).toBe('InvalidParameterException')
    expect(caught(() => t.engine.callSync('listClusters', {nextToken: 'garbage'})).name).toBe(
      'InvalidParameterException',
    )
  })
})
