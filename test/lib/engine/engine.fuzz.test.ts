/**
 * Every engine-core operation, fed malformed input of any JSON shape (as `ecsx engine serve` may receive), either
 * succeeds or fails with an ECS exception — never a TypeError or another crash.
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import type {EcsOperationName} from '../../../src/lib/ecs/backend.js'
import {identity, openTestEngine, type TestEngine} from './engine-helpers.js'

const ECS_ERRORS = new Set([
  'ClientException',
  'InvalidParameterException',
  'ClusterNotFoundException',
  'ClusterContainsContainerInstancesException',
  'ClusterContainsServicesException',
  'ClusterContainsTasksException',
  'TargetNotFoundException',
  'AttributeLimitExceededException',
  'ResourceNotFoundException',
])

const FIELDS: Partial<Record<EcsOperationName, string[]>> = {
  createCluster: ['clusterName', 'tags', 'settings'],
  deleteCluster: ['cluster'],
  describeClusters: ['clusters', 'include'],
  listClusters: ['maxResults', 'nextToken'],
  registerContainerInstance: [
    'cluster',
    'instanceIdentityDocument',
    'totalResources',
    'versionInfo',
    'containerInstanceArn',
    'attributes',
    'tags',
  ],
  deregisterContainerInstance: ['cluster', 'containerInstance', 'force'],
  describeContainerInstances: ['cluster', 'containerInstances', 'include'],
  listContainerInstances: ['cluster', 'filter', 'status', 'maxResults', 'nextToken'],
  updateContainerInstancesState: ['cluster', 'containerInstances', 'status'],
  putAttributes: ['cluster', 'attributes'],
  deleteAttributes: ['cluster', 'attributes'],
  listAttributes: ['cluster', 'targetType', 'attributeName', 'attributeValue', 'maxResults', 'nextToken'],
  deregisterTaskDefinition: ['taskDefinition'],
  describeTaskDefinition: ['taskDefinition', 'include'],
  listTaskDefinitions: ['familyPrefix', 'status', 'sort', 'maxResults', 'nextToken'],
  listTaskDefinitionFamilies: ['familyPrefix', 'status', 'maxResults', 'nextToken'],
  tagResource: ['resourceArn', 'tags'],
  untagResource: ['resourceArn', 'tagKeys'],
  listTagsForResource: ['resourceArn'],
}

describe('engine core: fuzzed inputs', () => {
  let t: TestEngine
  let instanceArn: string
  beforeAll(() => {
    t = openTestEngine()
    t.engine.callSync('createCluster', {clusterName: 'dev'})
    instanceArn = t.engine.callSync('registerContainerInstance', {
      cluster: 'dev',
      instanceIdentityDocument: identity('t2.micro', 'us-east-1a'),
    }).containerInstance!.containerInstanceArn!
    t.engine.callSync('registerTaskDefinition', {
      family: 'web',
      containerDefinitions: [{name: 'web', image: 'nginx', memory: 64}],
    })
  })
  afterAll(() => t.cleanup())

  it('returns output or throws an ECS exception for any input shape', () => {
    const plausible = fc.constantFrom(
      'dev',
      'default',
      'web:1',
      'web',
      instanceArn ?? 'x',
      'arn:aws:ecs:us-east-1:000000000000:cluster/dev',
      'ACTIVE',
      'DRAINING',
      'TAGS',
      'container-instance',
    )
    const leaf = fc.oneof(
      plausible,
      fc.string({maxLength: 12}),
      fc.integer({min: -3, max: 300}),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    )
    const value = fc.oneof(
      {depthSize: 'small'},
      leaf,
      fc.array(leaf, {maxLength: 3}),
      fc.array(
        fc.dictionary(
          fc.constantFrom('name', 'value', 'key', 'targetId', 'targetType', 'integerValue', 'stringSetValue'),
          leaf,
          {maxKeys: 3},
        ),
        {maxLength: 3},
      ),
      fc.dictionary(fc.string({maxLength: 5}), leaf, {maxKeys: 3}),
    )
    const ops = Object.keys(FIELDS) as EcsOperationName[]
    const call = fc.constantFrom(...ops).chain((op) =>
      fc.record({
        op: fc.constant(op),
        input: fc.oneof(
          fc.constant(undefined),
          fc.constant(null),
          fc.record(Object.fromEntries(FIELDS[op]!.map((f) => [f, value])), {requiredKeys: []}),
        ),
      }),
    )
    fc.assert(
      fc.property(call, ({op, input}) => {
        try {
          t.engine.callSync(op, input as never)
        } catch (error) {
          const name = (error as Error).name
          if (!ECS_ERRORS.has(name))
            throw new Error(`${op}(${JSON.stringify(input)}) crashed: ${(error as Error).stack}`, {cause: error})
        }
      }),
      {numRuns: 1500},
    )
    expect(t.engine.callSync('describeClusters', {clusters: ['dev']}).clusters).toHaveLength(1)
  })
})
