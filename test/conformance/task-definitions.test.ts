import {afterEach, beforeEach, describe, expect, it} from '@jest/globals'

import {ARN_PREFIX, container, expectEcsError, register, registerInstance, sleepDef} from './fixtures.js'
import {type BackendUnderTest, openBackendUnderTest, VARIANTS} from './harness.js'

describe.each(VARIANTS)('task definitions (%s)', (variant) => {
  let t: BackendUnderTest
  beforeEach(async () => {
    t = await openBackendUnderTest(variant)
  })
  afterEach(async () => {
    await t?.close()
  })

  it('numbers revisions 1, 2, … per family and marks them ACTIVE (spec §10.1)', async () => {
    const first = (await t.backend.registerTaskDefinition(sleepDef())).taskDefinition!
    expect(first).toMatchObject({family: 'sleep360', revision: 1, status: 'ACTIVE'})
    expect(first.taskDefinitionArn).toMatch(ARN_PREFIX)
    expect(first.taskDefinitionArn).toMatch(/:task-definition\/sleep360:1$/)
    expect(first.containerDefinitions![0]).toMatchObject({
      name: 'sleep',
      image: 'busybox',
      cpu: 10,
      memory: 10,
      essential: true,
      command: ['sleep', '360'],
    })
    const second = (await t.backend.registerTaskDefinition(sleepDef())).taskDefinition!
    expect(second.revision).toBe(2)
    const other = (await t.backend.registerTaskDefinition(sleepDef('other'))).taskDefinition!
    expect(other.revision).toBe(1)
  })

  it('describes by family (latest ACTIVE), family:revision and ARN', async () => {
    const arn1 = await register(t.backend, sleepDef())
    const arn2 = await register(t.backend, sleepDef('sleep360', {memory: 20}))
    expect(
      (await t.backend.describeTaskDefinition({taskDefinition: 'sleep360'})).taskDefinition!.taskDefinitionArn,
    ).toBe(arn2)
    expect(
      (await t.backend.describeTaskDefinition({taskDefinition: 'sleep360:1'})).taskDefinition!.taskDefinitionArn,
    ).toBe(arn1)
    expect(
      (await t.backend.describeTaskDefinition({taskDefinition: arn1})).taskDefinition!.containerDefinitions![0].memory,
    ).toBe(10)
    await expectEcsError(t.backend.describeTaskDefinition({taskDefinition: 'sleep360:9'}), 'ClientException')
    await expectEcsError(t.backend.describeTaskDefinition({taskDefinition: 'nothing-here'}), 'ClientException')
  })

  it('deregisters a revision: INACTIVE, unlisted, still describable, not runnable; bare family skips it', async () => {
    await t.backend.createCluster({clusterName: 'web'})
    await registerInstance(t.backend, 'web', {instanceId: 'i-0000000000000001'})
    const arn1 = await register(t.backend, sleepDef())
    const arn2 = await register(t.backend, sleepDef())
    const out = await t.backend.deregisterTaskDefinition({taskDefinition: 'sleep360:2'})
    expect(out.taskDefinition!.status).toBe('INACTIVE')
    expect((await t.backend.listTaskDefinitions({familyPrefix: 'sleep360'})).taskDefinitionArns).toEqual([arn1])
    expect(
      (await t.backend.listTaskDefinitions({familyPrefix: 'sleep360', status: 'INACTIVE'})).taskDefinitionArns,
    ).toEqual([arn2])
    expect((await t.backend.describeTaskDefinition({taskDefinition: arn2})).taskDefinition!.status).toBe('INACTIVE')
    await expect(t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360:2'})).rejects.toMatchObject({
      name: expect.stringMatching(/^(ClientException|InvalidParameterException)$/),
    })
    expect((await t.backend.describeTaskDefinition({taskDefinition: 'sleep360'})).taskDefinition!.revision).toBe(1)
    const run = await t.backend.runTask({cluster: 'web', taskDefinition: 'sleep360'})
    expect(run.tasks![0].taskDefinitionArn).toBe(arn1)
  })

  it('lists families and definitions in order, newest first on request', async () => {
    const a1 = await register(t.backend, sleepDef('alpha'))
    const a2 = await register(t.backend, sleepDef('alpha'))
    const b1 = await register(t.backend, sleepDef('beta'))
    expect((await t.backend.listTaskDefinitionFamilies({})).families).toEqual(['alpha', 'beta'])
    expect((await t.backend.listTaskDefinitionFamilies({familyPrefix: 'al'})).families).toEqual(['alpha'])
    expect((await t.backend.listTaskDefinitions({})).taskDefinitionArns).toEqual([a1, a2, b1])
    expect((await t.backend.listTaskDefinitions({familyPrefix: 'alpha', sort: 'DESC'})).taskDefinitionArns).toEqual([
      a2,
      a1,
    ])
  })

  it('pages ListTaskDefinitions with maxResults and nextToken', async () => {
    const arns: string[] = []
    for (let i = 0; i < 5; i++) arns.push(await register(t.backend, sleepDef('paged')))
    const seen: string[] = []
    let nextToken: string | undefined
    do {
      const page = await t.backend.listTaskDefinitions({familyPrefix: 'paged', maxResults: 2, nextToken})
      expect(page.taskDefinitionArns!.length).toBeLessThanOrEqual(2)
      seen.push(...page.taskDefinitionArns!)
      nextToken = page.nextToken
    } while (nextToken)
    expect(seen).toEqual(arns)
  })

  it('fills Fargate compatibilities and the task-eni requirement for awsvpc (spec §10.2)', async () => {
    const def = (
      await t.backend.registerTaskDefinition({
        family: 'sample-fargate',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          container('web', {
            image: 'httpd:2.4',
            cpu: undefined,
            memory: undefined,
            portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}],
          }),
        ],
      })
    ).taskDefinition!
    expect([...(def.compatibilities ?? [])].sort()).toEqual(['EC2', 'FARGATE'])
    expect(def.requiresAttributes!.map((a) => a.name)).toContain('ecs.capability.task-eni')
    expect(def.cpu).toBe('256')
    expect(def.memory).toBe('512')
  })

  it('rejects an invalid Fargate size (spec §10.3)', async () => {
    await expectEcsError(
      t.backend.registerTaskDefinition({
        family: 'too-big',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '4096',
        containerDefinitions: [container('web', {cpu: undefined, memory: undefined})],
      }),
      'ClientException',
      /Invalid 'cpu' setting for task/,
    )
  })

  it('rejects invalid container settings (spec §10.4–10.6)', async () => {
    // memory below memoryReservation
    await expect(
      t.backend.registerTaskDefinition({
        family: 'bad',
        containerDefinitions: [container('c', {memory: 128, memoryReservation: 256})],
      }),
    ).rejects.toMatchObject({
      name: expect.stringMatching(/^(ClientException|InvalidParameterException)$/),
    })
    // port mappings with networkMode none
    await expect(
      t.backend.registerTaskDefinition({
        family: 'bad',
        networkMode: 'none',
        containerDefinitions: [container('c', {portMappings: [{containerPort: 80}]})],
      }),
    ).rejects.toMatchObject({name: expect.stringMatching(/^(ClientException|InvalidParameterException)$/)})
    // awsvpc with hostPort != containerPort
    await expect(
      t.backend.registerTaskDefinition({
        family: 'bad',
        networkMode: 'awsvpc',
        containerDefinitions: [container('c', {portMappings: [{containerPort: 80, hostPort: 8080}]})],
      }),
    ).rejects.toMatchObject({name: expect.stringMatching(/^(ClientException|InvalidParameterException)$/)})
    // no essential container
    await expect(
      t.backend.registerTaskDefinition({family: 'bad', containerDefinitions: [container('c', {essential: false})]}),
    ).rejects.toMatchObject({
      name: expect.stringMatching(/^(ClientException|InvalidParameterException)$/),
    })
    expect((await t.backend.listTaskDefinitionFamilies({})).families).toEqual([])
  })
})
