import {describe, expect, it} from '@jest/globals'
import {
  createPlacer,
  runTaskDefaultStrategies,
  serviceDefaultStrategies,
} from '../../../../src/lib/engine/placement/index.js'
import {CLUSTER_ARN, candidate, demand, seededRandom} from './fixtures.js'

const options = (seed = 1) => ({random: seededRandom(seed), clusterArn: CLUSTER_ARN})

describe('createPlacer: worked examples (spec §10)', () => {
  it('item 8: static host port 80 twice on one instance → one placed, one RESOURCE:PORTS', () => {
    const instance = candidate()
    const placer = createPlacer([instance], options())
    const task = demand({staticPorts: [{port: 80, protocol: 'tcp'}]})
    const first = placer.place({demand: task, strategies: [], constraints: [], group: 'service:web'})
    const second = placer.place({demand: task, strategies: [], constraints: [], group: 'service:web'})
    expect(first).toMatchObject({ok: true, hostPorts: [{hostPort: 80, protocol: 'tcp'}]})
    expect(second).toEqual({ok: false, arn: instance.containerInstanceArn, reason: 'RESOURCE:PORTS'})
    expect(instance.tcpPortsInUse.has(80)).toBe(true)
  })

  it('item 8: dynamic host ports → both fit, lowest free ephemeral ports in order', () => {
    const instance = candidate({tcpPorts: [22, 32768]})
    const placer = createPlacer([instance], options())
    const task = demand({dynamicPorts: [{protocol: 'tcp'}]})
    const a = placer.place({demand: task, strategies: [], constraints: [], group: 'g'})
    const b = placer.place({demand: task, strategies: [], constraints: [], group: 'g'})
    expect(a).toMatchObject({ok: true, hostPorts: [{hostPort: 32769, protocol: 'tcp'}]})
    expect(b).toMatchObject({ok: true, hostPorts: [{hostPort: 32770, protocol: 'tcp'}]})
  })

  it('item 9: 1000 MiB tasks on 1024 MiB instances → one per instance, then RESOURCE:MEMORY', () => {
    const instances = [candidate({memory: 1024}), candidate({memory: 1024})]
    const placer = createPlacer(instances, options())
    const task = demand({memory: 1000})
    const results = [1, 2, 3].map(() =>
      placer.place({demand: task, strategies: runTaskDefaultStrategies(), constraints: [], group: 'family:x'}),
    )
    expect(results.slice(0, 2).every((r) => r.ok)).toBe(true)
    const placedOn = results.slice(0, 2).map((r) => (r.ok ? r.candidate.containerInstanceArn : ''))
    expect(new Set(placedOn).size).toBe(2)
    expect(results[2]).toMatchObject({ok: false, reason: 'RESOURCE:MEMORY'})
  })

  it('item 9: CPU 1000 on 1024-unit instances → one per instance, then RESOURCE:CPU', () => {
    const instances = [candidate({cpu: 1024}), candidate({cpu: 1024})]
    const placer = createPlacer(instances, options())
    const task = demand({cpu: 1000, memory: 10})
    const results = [1, 2, 3].map(() =>
      placer.place({demand: task, strategies: [], constraints: [], group: 'family:x'}),
    )
    expect(results.map((r) => r.ok)).toEqual([true, true, false])
    expect(results[2]).toMatchObject({reason: 'RESOURCE:CPU'})
  })

  it('item 25: c5.large (3 ENIs → 2 slots): the third awsvpc task fails with RESOURCE:ENI', () => {
    const instance = candidate({eni: 2, cpu: 2048, memory: 3600})
    const placer = createPlacer([instance], options())
    const task = demand({needsEni: true, memory: 256, requiresAttributes: [{name: 'ecs.capability.task-eni'}]})
    const results = [1, 2, 3].map(() =>
      placer.place({demand: task, strategies: [], constraints: [], group: 'family:vpc'}),
    )
    expect(results.map((r) => r.ok)).toEqual([true, true, false])
    expect(results[2]).toEqual({ok: false, arn: instance.containerInstanceArn, reason: 'RESOURCE:ENI'})
    expect(instance.freeEniSlots).toBe(0)
  })

  it('item 11: REPLICA default (AZ balance): AZ-a has 1 task, b and c none → lands in b or c', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const a = candidate({az: 'us-east-1a', groups: {'service:web': 1}})
      const b = candidate({az: 'us-east-1b'})
      const c = candidate({az: 'us-east-1c'})
      const placer = createPlacer([a, b, c], options(seed))
      const result = placer.place({
        demand: demand(),
        strategies: serviceDefaultStrategies(),
        constraints: [],
        group: 'service:web',
      })
      expect(result.ok).toBe(true)
      if (result.ok)
        expect([b.containerInstanceArn, c.containerInstanceArn]).toContain(result.candidate.containerInstanceArn)
    }
  })
})

describe('createPlacer: failures', () => {
  it('no instances at all → the cluster ARN and the ECS sentence', () => {
    const placer = createPlacer([], options())
    expect(placer.place({demand: demand(), strategies: [], constraints: [], group: 'g'})).toEqual({
      ok: false,
      arn: CLUSTER_ARN,
      reason: 'No Container Instances were found in your cluster.',
    })
  })

  it('only DRAINING instances count as none', () => {
    const placer = createPlacer([candidate({status: 'DRAINING'})], options())
    expect(placer.place({demand: demand(), strategies: [], constraints: [], group: 'g'})).toMatchObject({
      ok: false,
      arn: CLUSTER_ARN,
    })
  })

  it('names the closest matching instance and its first failing check', () => {
    const gpuDriver = {'com.example.driver': 'v1'}
    const disconnected = candidate({agentConnected: false, attributes: gpuDriver})
    const noAttribute = candidate()
    const smallCpu = candidate({cpu: 100, attributes: gpuDriver})
    const smallMemory = candidate({cpu: 4096, memory: 100, attributes: gpuDriver})
    const placer = createPlacer([disconnected, noAttribute, smallCpu, smallMemory], options())
    const task = demand({cpu: 512, memory: 512, requiresAttributes: [{name: 'com.example.driver', value: 'v1'}]})
    expect(placer.place({demand: task, strategies: [], constraints: [], group: 'g'})).toEqual({
      ok: false,
      arn: smallMemory.containerInstanceArn,
      reason: 'RESOURCE:MEMORY',
    })
  })

  it('AGENT when the only instance is disconnected; ATTRIBUTE when a required attribute is missing', () => {
    const off = candidate({agentConnected: false})
    expect(
      createPlacer([off], options()).place({demand: demand(), strategies: [], constraints: [], group: 'g'}),
    ).toEqual({ok: false, arn: off.containerInstanceArn, reason: 'AGENT'})
    const plain = candidate()
    const task = demand({requiresAttributes: [{name: 'com.amazonaws.ecs.capability.privileged-container'}]})
    expect(createPlacer([plain], options()).place({demand: task, strategies: [], constraints: [], group: 'g'})).toEqual(
      {ok: false, arn: plain.containerInstanceArn, reason: 'ATTRIBUTE'},
    )
  })
})
