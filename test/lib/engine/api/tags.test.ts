import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {mergeTags, validateTags} from '../../../../src/lib/engine/api/tags.js'
import {caught, identity, openTestEngine, type TestEngine} from '../engine-helpers.js'

describe('tags', () => {
  let t: TestEngine
  beforeEach(() => {
    t = openTestEngine()
  })
  afterEach(() => t.cleanup())

  const tag = (resourceArn: string, tags: Array<{key: string; value: string}>) =>
    t.engine.callSync('tagResource', {resourceArn, tags})
  const list = (resourceArn: string) => t.engine.callSync('listTagsForResource', {resourceArn}).tags

  it('tags, lists and untags clusters, instances, task definitions, tasks and services', () => {
    const cluster = t.engine.callSync('createCluster', {clusterName: 'dev'}).cluster!.clusterArn!
    const instance = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('t2.micro', 'us-east-1a'),
    }).containerInstance!.containerInstanceArn!
    const taskDefinition = t.engine.callSync('registerTaskDefinition', {
      family: 'web',
      containerDefinitions: [{name: 'web', image: 'nginx', memory: 64}],
    }).taskDefinition!.taskDefinitionArn!
    const task = t.engine.callSync('runTask', {cluster: 'dev', taskDefinition: 'web'}).tasks![0].taskArn!
    const service = t.engine.callSync('createService', {
      cluster: 'dev',
      serviceName: 'web',
      taskDefinition: 'web',
      desiredCount: 0,
    }).service!.serviceArn!
    for (const arn of [cluster, instance, taskDefinition, task, service]) {
      tag(arn, [
        {key: 'team', value: 'a'},
        {key: 'env', value: 'dev'},
      ])
      tag(arn, [{key: 'team', value: 'b'}])
      expect(list(arn)).toEqual([
        {key: 'team', value: 'b'},
        {key: 'env', value: 'dev'},
      ])
      t.engine.callSync('untagResource', {resourceArn: arn, tagKeys: ['team', 'absent']})
      expect(list(arn)).toEqual([{key: 'env', value: 'dev'}])
    }
    expect(t.engine.callSync('describeClusters', {clusters: ['dev'], include: ['TAGS']}).clusters![0].tags).toEqual([
      {key: 'env', value: 'dev'},
    ])
    expect(t.engine.callSync('describeTaskDefinition', {taskDefinition: 'web:1', include: ['TAGS']}).tags).toEqual([
      {key: 'env', value: 'dev'},
    ])
  })

  it('enforces 50 tags per resource, not counting aws: ones', () => {
    const cluster = t.engine.callSync('createCluster', {
      clusterName: 'dev',
      tags: Array.from({length: 50}, (_, i) => ({key: `k${i}`, value: ''})),
    }).cluster!.clusterArn!
    expect(list(cluster)).toHaveLength(50)
    expect(caught(() => tag(cluster, [{key: 'k50', value: 'x'}])).message).toMatch(/at most 50 tags/)
    // Overwriting an existing key stays within the limit.
    tag(cluster, [{key: 'k0', value: 'changed'}])
    expect(
      caught(() =>
        t.engine.callSync('createCluster', {
          clusterName: 'big',
          tags: Array.from({length: 51}, (_, i) => ({key: `k${i}`, value: ''})),
        }),
      ).name,
    ).toBe('InvalidParameterException')
    expect(
      mergeTags(
        [
          {key: 'aws:cloudformation:stack-name', value: 's'},
          ...Array.from({length: 49}, (_, i) => ({key: `k${i}`, value: ''})),
        ],
        [{key: 'last', value: ''}],
      ),
    ).toHaveLength(51)
  })

  it('validates keys and values (§1.5)', () => {
    const cluster = t.engine.callSync('createCluster', {clusterName: 'dev'}).cluster!.clusterArn!
    const bad = [
      {key: '', value: 'x'},
      {key: 'k'.repeat(129), value: 'x'},
      {key: 'k', value: 'v'.repeat(257)},
      {key: 'aws:thing', value: 'x'},
      {key: 'AWS:thing', value: 'x'},
      {key: 'bad*char', value: 'x'},
    ]
    for (const tagged of bad) expect(caught(() => tag(cluster, [tagged])).name).toBe('InvalidParameterException')
    expect(caught(() => t.engine.callSync('tagResource', {resourceArn: cluster, tags: [{key: 'k'}]})).message).toMatch(
      /must not be null/,
    )
    expect(
      caught(() =>
        tag(cluster, [
          {key: 'dup', value: 'a'},
          {key: 'dup', value: 'b'},
        ]),
      ).message,
    ).toMatch(/more than once/)
    expect(caught(() => t.engine.callSync('untagResource', {resourceArn: cluster, tagKeys: ['aws:x']})).name).toBe(
      'InvalidParameterException',
    )
    expect(
      validateTags([
        {key: 'k'.repeat(128), value: 'v'.repeat(256)},
        {key: 'a b+c-d=e.f_g:h/i@j', value: ''},
        {key: 'ключ', value: '值'},
      ]),
    ).toHaveLength(3)
  })

  it('unknown resources and malformed ARNs fail like ECS', () => {
    expect(caught(() => list('arn:aws:ecs:us-east-1:000000000000:cluster/none'))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The specified resource could not be found.',
    })
    expect(
      caught(() => tag('arn:aws:ecs:us-east-1:000000000000:task-definition/none:1', [{key: 'a', value: 'b'}])).name,
    ).toBe('ResourceNotFoundException')
    expect(caught(() => list('not-an-arn')).name).toBe('InvalidParameterException')
  })
})
