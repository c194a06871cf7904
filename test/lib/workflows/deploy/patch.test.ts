import {describe, expect, it} from '@jest/globals'
import type {RegisterTaskDefinitionCommandInput, TaskDefinition} from '@aws-sdk/client-ecs'
import fc from 'fast-check'

import {InputError} from '../../../../src/lib/errors.js'
import {colorDiff, taskDefinitionDiff} from '../../../../src/lib/workflows/deploy/diff.js'
import {canonicalText, sameDefinition, toRegisterInput} from '../../../../src/lib/workflows/deploy/normalize.js'
import {applyPatches, hasPatches, retag} from '../../../../src/lib/workflows/deploy/patch.js'

const registered: TaskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/shop:3',
  family: 'shop',
  revision: 3,
  status: 'ACTIVE',
  compatibilities: ['EC2'],
  requiresAttributes: [{name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18'}],
  registeredAt: new Date(0),
  volumes: [],
  placementConstraints: [],
  containerDefinitions: [
    {
      name: 'web',
      image: 'nginx:1.25',
      cpu: 0,
      memory: 256,
      essential: true,
      environment: [
        {name: 'B', value: '2'},
        {name: 'A', value: '1'},
      ],
      portMappings: [{containerPort: 80, hostPort: 80, protocol: 'tcp'}],
      mountPoints: [],
      volumesFrom: [],
    },
    {
      name: 'worker',
      image: 'registry.example.com:5000/team/worker@sha256:abc',
      memory: 128,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      portMappings: [],
    },
  ],
}

describe('normalize', () => {
  it('strips read-only fields and treats ECS-filled defaults as equal to the plain request', () => {
    const input = toRegisterInput(registered)
    expect(input).not.toHaveProperty('taskDefinitionArn')
    expect(input).not.toHaveProperty('revision')
    expect(input).not.toHaveProperty('requiresAttributes')
    const request: RegisterTaskDefinitionCommandInput = {
      family: 'shop',
      containerDefinitions: [
        {name: 'worker', image: 'registry.example.com:5000/team/worker@sha256:abc', memory: 128, essential: true},
        {
          name: 'web',
          image: 'nginx:1.25',
          memory: 256,
          environment: [
            {name: 'A', value: '1'},
            {name: 'B', value: '2'},
          ],
          portMappings: [{containerPort: 80, hostPort: 80}],
        },
      ],
    }
    expect(sameDefinition(input, request)).toBe(true)
  })

  it('is insensitive to key order and environment order (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z]{1,6}$/), fc.string({maxLength: 8})), {
          selector: (t) => t[0],
          maxLength: 8,
        }),
        (pairs) => {
          const env = pairs.map(([name, value]) => ({name, value}))
          const a: RegisterTaskDefinitionCommandInput = {
            family: 'f',
            containerDefinitions: [{name: 'c', image: 'i', environment: env}],
          }
          const b: RegisterTaskDefinitionCommandInput = {
            containerDefinitions: [{environment: [...env].reverse(), image: 'i', name: 'c'}],
            family: 'f',
          }
          expect(canonicalText(a)).toBe(canonicalText(b))
        },
      ),
    )
  })
})

describe('patches', () => {
  const current = toRegisterInput(registered)

  it('knows when any patch flag was given', () => {
    expect(hasPatches({})).toBe(false)
    expect(hasPatches({image: []})).toBe(false)
    expect(hasPatches({tag: ['v2']})).toBe(true)
  })

  it('replaces one container image', () => {
    const next = applyPatches(current, {image: ['web=nginx:1.27']})
    expect(next.containerDefinitions?.[0].image).toBe('nginx:1.27')
    expect(next.containerDefinitions?.[1].image).toBe(current.containerDefinitions?.[1].image)
    expect(current.containerDefinitions?.[0].image).toBe('nginx:1.25')
  })

  it("retags every image, or one container's", () => {
    const all = applyPatches(current, {tag: ['v2']})
    expect(all.containerDefinitions?.map((c) => c.image)).toEqual([
      'nginx:v2',
      'registry.example.com:5000/team/worker:v2',
    ])
    const one = applyPatches(current, {tag: ['worker=2024.1']})
    expect(one.containerDefinitions?.map((c) => c.image)).toEqual([
      'nginx:1.25',
      'registry.example.com:5000/team/worker:2024.1',
    ])
  })

  it('retag keeps registry ports and drops digests', () => {
    expect(retag('nginx', 'x')).toBe('nginx:x')
    expect(retag('host:5000/app', 'x')).toBe('host:5000/app:x')
    expect(retag('host:5000/app:1', 'x')).toBe('host:5000/app:x')
    expect(retag('app@sha256:00', 'x')).toBe('app:x')
  })

  it('sets environment variables per container, the container named first', () => {
    const next = applyPatches(current, {env: ['web', 'A=10', 'C=3', 'worker', 'MODE=fast', 'EMPTY=']})
    expect(next.containerDefinitions?.[0].environment).toEqual([
      {name: 'B', value: '2'},
      {name: 'A', value: '10'},
      {name: 'C', value: '3'},
    ])
    expect(next.containerDefinitions?.[1].environment).toEqual([
      {name: 'MODE', value: 'fast'},
      {name: 'EMPTY', value: ''},
    ])
  })

  it('needs the container name for --env when there are several containers', () => {
    expect(() => applyPatches(current, {env: ['A=1']})).toThrow(InputError)
    const single = {family: 'x', containerDefinitions: [{name: 'only', image: 'i'}]}
    expect(applyPatches(single, {env: ['A=1']}).containerDefinitions?.[0].environment).toEqual([
      {name: 'A', value: '1'},
    ])
  })

  it('sets task-level or container-level cpu and memory', () => {
    const next = applyPatches(current, {cpu: ['512', 'web=256'], memory: ['1024', 'worker=200']})
    expect(next.cpu).toBe('512')
    expect(next.memory).toBe('1024')
    expect(next.containerDefinitions?.[0].cpu).toBe(256)
    expect(next.containerDefinitions?.[1].memory).toBe(200)
  })

  it('rejects unknown containers and malformed values with exit-2 errors naming the flag', () => {
    expect(() => applyPatches(current, {image: ['db=postgres']})).toThrow(
      '--image: the task definition has no container "db".',
    )
    expect(() => applyPatches(current, {image: ['nginx']})).toThrow('--image nginx: expected <container>=<image>.')
    expect(() => applyPatches(current, {tag: ['bad tag']})).toThrow('is not a valid image tag')
    expect(() => applyPatches(current, {cpu: ['lots']})).toThrow('--cpu lots: expected a number')
    expect(() => applyPatches(current, {memory: ['web=1.5']})).toThrow('whole number of MiB')
    expect(() => applyPatches(current, {env: ['nope', 'A=1']})).toThrow(InputError)
  })
})

describe('taskDefinitionDiff', () => {
  const current = toRegisterInput(registered)
  it('is empty for equivalent definitions', () => {
    expect(taskDefinitionDiff(current, structuredClone(current), {before: 'a', after: 'b'})).toEqual([])
  })
  it('prints a unified diff of the canonical JSON (pinned)', () => {
    const next = applyPatches(current, {image: ['web=nginx:1.27']})
    expect(taskDefinitionDiff(current, next, {before: 'shop:3 (running)', after: 'shop (new)'})).toEqual([
      '--- shop:3 (running)',
      '+++ shop (new)',
      '@@ -11,7 +11,7 @@',
      '           "value": "2"',
      '         }',
      '       ],',
      '-      "image": "nginx:1.25",',
      '+      "image": "nginx:1.27",',
      '       "memory": 256,',
      '       "name": "web",',
      '       "portMappings": [',
    ])
  })
  it('colours through the style helpers', () => {
    const style = {
      bold: (s: string) => `B(${s})`,
      dim: (s: string) => `D(${s})`,
      red: (s: string) => `R(${s})`,
      green: (s: string) => `G(${s})`,
      yellow: (s: string) => s,
    }
    expect(colorDiff(['--- a', '+++ b', '@@ -1 +1 @@', '-x', '+y', ' z'], style)).toEqual([
      'B(--- a)',
      'B(+++ b)',
      'D(@@ -1 +1 @@)',
      'R(-x)',
      'G(+y)',
      ' z',
    ])
  })
})
