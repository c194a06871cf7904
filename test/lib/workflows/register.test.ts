import {describe, expect, it} from '@jest/globals'
import type {ContainerDefinition, RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'
import fc from 'fast-check'

import {
  normaliseTaskDefinition,
  registerTaskDefinition,
  sameTaskDefinition,
} from '../../../src/lib/workflows/register.js'
import {localBackendPerTest} from '../../helpers/local-backend.js'

const backend = localBackendPerTest()

const request = (over: Partial<RegisterTaskDefinitionCommandInput> = {}): RegisterTaskDefinitionCommandInput => ({
  family: 'shop',
  taskRoleArn: '',
  executionRoleArn: '',
  containerDefinitions: [
    {
      name: 'web',
      image: 'nginx:1.25',
      memory: 256,
      portMappings: [{containerPort: 80, hostPort: 8080}],
      environment: [
        {name: 'B', value: '2'},
        {name: 'A', value: '1'},
      ],
    },
    {name: 'redis', image: 'redis:7', memory: 128, essential: true, cpu: 0},
  ],
  ...over,
})

describe('registerTaskDefinition against the local engine', () => {
  it('registers the first time, then reuses the identical latest ACTIVE revision', async () => {
    const b = await backend()
    const first = await registerTaskDefinition(b, request())
    expect(first.reused).toBe(false)
    expect(first.taskDefinition.revision).toBe(1)
    const again = await registerTaskDefinition(b, request())
    expect(again).toMatchObject({reused: true, taskDefinition: {family: 'shop', revision: 1}})
  })

  it('ignores env var order, container order and ECS defaults (cpu 0, essential true, tcp)', async () => {
    const b = await backend()
    await registerTaskDefinition(b, request())
    const shuffled = request({
      containerDefinitions: [
        {name: 'redis', image: 'redis:7', memory: 128},
        {
          name: 'web',
          image: 'nginx:1.25',
          memory: 256,
          portMappings: [{containerPort: 80, hostPort: 8080, protocol: 'tcp'}],
          environment: [
            {name: 'A', value: '1'},
            {name: 'B', value: '2'},
          ],
          essential: true,
        },
      ],
    })
    expect((await registerTaskDefinition(b, shuffled)).reused).toBe(true)
  })

  it('registers a new revision when anything real changes', async () => {
    const b = await backend()
    await registerTaskDefinition(b, request())
    const changedImage = request()
    changedImage.containerDefinitions![0] = {...changedImage.containerDefinitions![0], image: 'nginx:1.26'}
    expect(await registerTaskDefinition(b, changedImage)).toMatchObject({reused: false, taskDefinition: {revision: 2}})
    const notEssential = request()
    notEssential.containerDefinitions![1] = {...notEssential.containerDefinitions![1], essential: false}
    expect(await registerTaskDefinition(b, notEssential)).toMatchObject({reused: false, taskDefinition: {revision: 3}})
    expect(await registerTaskDefinition(b, {...request(), tags: [{key: 'team', value: 'web'}]})).toMatchObject({
      reused: false,
      taskDefinition: {revision: 4},
    })
    expect(await registerTaskDefinition(b, {...request(), tags: [{key: 'team', value: 'web'}]})).toMatchObject({
      reused: true,
      taskDefinition: {revision: 4},
    })
  })

  it('compares with the latest ACTIVE revision only', async () => {
    const b = await backend()
    await registerTaskDefinition(b, request())
    const v2 = request({cpu: '256'})
    await registerTaskDefinition(b, v2)
    await b.deregisterTaskDefinition({taskDefinition: 'shop:2'})
    // latest ACTIVE is now 1, which equals request(): reuse it
    expect(await registerTaskDefinition(b, request())).toMatchObject({reused: true, taskDefinition: {revision: 1}})
    // v2 equals an INACTIVE revision only: register anew
    expect(await registerTaskDefinition(b, v2)).toMatchObject({reused: false, taskDefinition: {revision: 3}})
  })

  it('property: whatever the engine echoes back for a request is recognised as the same request', async () => {
    const b = await backend()
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/)
    const container = fc.record({
      name,
      image: fc.constantFrom('nginx', 'redis:7', 'busybox:latest'),
      memory: fc.option(fc.integer({min: 64, max: 1024}), {nil: undefined}),
      cpu: fc.option(fc.integer({min: 0, max: 512}), {nil: undefined}),
      essential: fc.option(fc.boolean(), {nil: undefined}),
      environment: fc.option(
        fc.uniqueArray(
          fc.record({name: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,7}$/), value: fc.string({maxLength: 8})}),
          {selector: (e) => e.name, maxLength: 4},
        ),
        {nil: undefined},
      ),
      portMappings: fc.option(
        fc.uniqueArray(
          fc.record({
            containerPort: fc.integer({min: 1, max: 65535}),
            protocol: fc.option(fc.constantFrom('tcp', 'udp'), {nil: undefined}),
          }),
          {selector: (p) => p.containerPort, maxLength: 2},
        ),
        {nil: undefined},
      ),
      command: fc.option(fc.array(fc.stringMatching(/^[a-z]{1,5}$/), {maxLength: 3}), {nil: undefined}),
    })
    let family = 0
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(container, {selector: (c) => c.name, minLength: 1, maxLength: 3}),
        async (containers) => {
          const defs = containers.map((c) => ({
            ...c,
            memory: c.memory ?? 128,
            essential: c.essential,
          })) as ContainerDefinition[]
          if (!defs.some((d) => d.essential !== false)) defs[0].essential = true
          const input: RegisterTaskDefinitionCommandInput = {family: `prop${family++}`, containerDefinitions: defs}
          const out = await b.registerTaskDefinition(input)
          expect(sameTaskDefinition(input, out.taskDefinition!)).toBe(true)
          expect((await registerTaskDefinition(b, input)).reused).toBe(true)
        },
      ),
      {numRuns: 60},
    )
  })
})

describe('normaliseTaskDefinition', () => {
  it('treats "1 vCPU"/"2 GB" like 1024/2048, and hostPort 0 like no hostPort in bridge mode', () => {
    const a = request({cpu: '1 vCPU', memory: '2 GB'})
    const b = request({cpu: '1024', memory: '2048'})
    expect(normaliseTaskDefinition(a)).toEqual(normaliseTaskDefinition(b))
    const withZero = request()
    withZero.containerDefinitions![0].portMappings = [{containerPort: 80, hostPort: 0}]
    const without = request()
    without.containerDefinitions![0].portMappings = [{containerPort: 80}]
    expect(normaliseTaskDefinition(withZero)).toEqual(normaliseTaskDefinition(without))
  })

  it('fills hostPort = containerPort in awsvpc mode', () => {
    const a = request({networkMode: 'awsvpc'})
    a.containerDefinitions![0].portMappings = [{containerPort: 80}]
    const b = request({networkMode: 'awsvpc'})
    b.containerDefinitions![0].portMappings = [{containerPort: 80, hostPort: 80}]
    expect(normaliseTaskDefinition(a)).toEqual(normaliseTaskDefinition(b))
  })
})
