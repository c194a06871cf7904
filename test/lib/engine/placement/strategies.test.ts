import {describe, expect, it} from '@jest/globals'
import {
  createPlacer,
  createPlacerWith,
  unplaceableEventMessage,
  validatePlacementConstraints,
  validatePlacementStrategies,
} from '../../../../src/lib/engine/placement/index.js'
import type {PlaceResult} from '../../../../src/lib/engine/placement/types.js'
import {CLUSTER_ARN, candidate, demand, seededRandom} from './fixtures.js'

const options = (seed = 7) => ({random: seededRandom(seed), clusterArn: CLUSTER_ARN})
const arnOf = (r: PlaceResult) => (r.ok ? r.candidate.containerInstanceArn : `failed: ${r.reason}`)

describe('strategies', () => {
  it.each([true, false])(
    'binpack memory picks the fullest instance that still fits, and keeps filling it (indexes %s)',
    (useIndexes) => {
      const roomy = candidate({memory: 4000})
      const fullest = candidate({memory: 600})
      const tooFull = candidate({memory: 100})
      const middle = candidate({memory: 2000})
      const placer = createPlacerWith([roomy, fullest, tooFull, middle], {...options(), useIndexes})
      const place = () =>
        placer.place({
          demand: demand({memory: 256}),
          strategies: [{type: 'binpack', field: 'memory'}],
          constraints: [],
          group: 'g',
        })
      expect(arnOf(place())).toBe(fullest.containerInstanceArn) // 600 → 344
      expect(arnOf(place())).toBe(fullest.containerInstanceArn) // 344 → 88
      expect(arnOf(place())).toBe(middle.containerInstanceArn) // fullest cannot fit any more
    },
  )

  it('binpack cpu ranks by CPU, not memory', () => {
    const lowCpu = candidate({cpu: 300, memory: 4000})
    const lowMemory = candidate({cpu: 2000, memory: 300})
    const placer = createPlacer([lowMemory, lowCpu], options())
    expect(
      arnOf(
        placer.place({
          demand: demand({cpu: 256, memory: 128}),
          strategies: [{type: 'binpack', field: 'cpu'}],
          constraints: [],
          group: 'g',
        }),
      ),
    ).toBe(lowCpu.containerInstanceArn)
  })

  it.each([true, false])(
    'spread AZ then instance: round-robins zones, then instances within a zone (indexes %s)',
    (useIndexes) => {
      const a1 = candidate({az: 'us-east-1a'})
      const a2 = candidate({az: 'us-east-1a'})
      const b1 = candidate({az: 'us-east-1b'})
      const placer = createPlacerWith([a1, a2, b1], {...options(3), useIndexes})
      const strategies = [
        {type: 'spread', field: 'attribute:ecs.availability-zone'},
        {type: 'spread', field: 'instanceId'},
      ] as const
      const placed = Array.from({length: 4}, () =>
        placer.place({demand: demand(), strategies: [...strategies], constraints: [], group: 'service:web'}),
      )
      const zones = placed.map((r) => (r.ok ? r.candidate.attributes.get('ecs.availability-zone') : 'x'))
      expect(zones.filter((z) => z === 'us-east-1a')).toHaveLength(2)
      expect(zones.filter((z) => z === 'us-east-1b')).toHaveLength(2)
      expect([a1, a2].map((c) => c.taskGroups.get('service:web'))).toEqual([1, 1])
      expect(b1.taskGroups.get('service:web')).toBe(2)
    },
  )

  it('spread counts only the group’s tasks; other groups do not matter', () => {
    const busy = candidate({groups: {'service:other': 9}})
    const hasOne = candidate({groups: {'service:web': 1}})
    const placer = createPlacer([hasOne, busy], options())
    expect(
      arnOf(
        placer.place({
          demand: demand(),
          strategies: [{type: 'spread', field: 'host'}],
          constraints: [],
          group: 'service:web',
        }),
      ),
    ).toBe(busy.containerInstanceArn)
  })

  it('instances lacking the spread attribute form their own bucket', () => {
    const prod = candidate({attributes: {stack: 'prod'}, groups: {g: 1}})
    const none1 = candidate({groups: {g: 1}})
    const none2 = candidate()
    const dev = candidate({attributes: {stack: 'dev'}})
    const placer = createPlacer([prod, none1, none2, dev], options())
    // value counts: prod 1, (missing) 1, dev 0 → dev
    expect(
      arnOf(
        placer.place({
          demand: demand(),
          strategies: [{type: 'spread', field: 'attribute:stack'}],
          constraints: [],
          group: 'g',
        }),
      ),
    ).toBe(dev.containerInstanceArn)
  })

  it('later strategies break ties of earlier ones: spread AZ then binpack memory', () => {
    const aRoomy = candidate({az: 'us-east-1a', memory: 3000})
    const aFull = candidate({az: 'us-east-1a', memory: 500})
    const bBusy = candidate({az: 'us-east-1b', memory: 400, groups: {g: 1}})
    const placer = createPlacer([aRoomy, bBusy, aFull], options())
    expect(
      arnOf(
        placer.place({
          demand: demand({memory: 256}),
          strategies: [
            {type: 'spread', field: 'attribute:ecs.availability-zone'},
            {type: 'binpack', field: 'memory'},
          ],
          constraints: [],
          group: 'g',
        }),
      ),
    ).toBe(aFull.containerInstanceArn)
  })

  it('random (and no strategy) reaches every eligible instance and only eligible ones', () => {
    const instances = [candidate(), candidate(), candidate({memory: 10}), candidate()]
    const seen = new Set<string>()
    for (let seed = 1; seed <= 60; seed++) {
      const placer = createPlacer(
        instances.map((c) => ({...c, taskGroups: new Map(c.taskGroups), tcpPortsInUse: new Set(c.tcpPortsInUse)})),
        options(seed),
      )
      seen.add(
        arnOf(
          placer.place({
            demand: demand({memory: 100}),
            strategies: seed % 2 ? [{type: 'random'}] : [],
            constraints: [],
            group: 'g',
          }),
        ),
      )
    }
    expect(seen).toEqual(new Set([0, 1, 3].map((i) => instances[i].containerInstanceArn)))
  })
})

describe('constraints', () => {
  it('memberOf selects with the query language (GPU example: p2.xlarge only)', () => {
    const t2 = candidate({instanceType: 't2.medium'})
    const p2 = candidate({instanceType: 'p2.xlarge', gpu: 1})
    const placer = createPlacer([t2, p2], options())
    const result = placer.place({
      demand: demand({gpu: 1}),
      strategies: [],
      constraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type == p2.xlarge'}],
      group: 'g',
    })
    expect(arnOf(result)).toBe(p2.containerInstanceArn)
  })

  it('memberOf with task:group sees tasks placed earlier in the same batch (affinity)', () => {
    const a = candidate()
    const b = candidate()
    const placer = createPlacer([a, b], options())
    const db = placer.place({demand: demand(), strategies: [{type: 'random'}], constraints: [], group: 'databases'})
    const host = db.ok ? db.candidate : undefined
    for (let i = 0; i < 5; i++) {
      const app = placer.place({
        demand: demand(),
        strategies: [{type: 'spread', field: 'instanceId'}],
        constraints: [{type: 'memberOf', expression: 'task:group == databases'}],
        group: 'app',
      })
      expect(app.ok && app.candidate).toBe(host)
    }
  })

  it('distinctInstance: one task of the group per instance, then DistinctInstance placement constraint unsatisfied.', () => {
    const instances = [candidate(), candidate(), candidate()]
    const placer = createPlacer(instances, options())
    const results = Array.from({length: 4}, () =>
      placer.place({
        demand: demand(),
        strategies: [{type: 'binpack', field: 'memory'}],
        constraints: [{type: 'distinctInstance'}],
        group: 'service:one-per-host',
      }),
    )
    expect(new Set(results.slice(0, 3).map(arnOf)).size).toBe(3)
    expect(results[3]).toEqual({
      ok: false,
      arn: instances[0].containerInstanceArn,
      reason: 'DistinctInstance placement constraint unsatisfied.',
    })
    // another group is unaffected
    expect(
      placer.place({demand: demand(), strategies: [], constraints: [{type: 'distinctInstance'}], group: 'other'}).ok,
    ).toBe(true)
  })

  it('memberOf that matches no feasible instance → MemberOf placement constraint unsatisfied.', () => {
    const t2 = candidate({instanceType: 't2.small'})
    const placer = createPlacer([t2], options())
    expect(
      placer.place({
        demand: demand(),
        strategies: [],
        constraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ g2.*'}],
        group: 'g',
      }),
    ).toEqual({ok: false, arn: t2.containerInstanceArn, reason: 'MemberOf placement constraint unsatisfied.'})
  })

  it('resource failures win over constraint failures when no instance is feasible', () => {
    const small = candidate({memory: 100, instanceType: 't2.small'})
    const placer = createPlacer([small], options())
    expect(
      placer.place({
        demand: demand({memory: 512}),
        strategies: [],
        constraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type == nope'}],
        group: 'g',
      }),
    ).toMatchObject({ok: false, reason: 'RESOURCE:MEMORY'})
  })

  it('allowed AZs (awsvpc subnets) restrict placement and fail as ATTRIBUTE', () => {
    const a = candidate({az: 'us-east-1a'})
    const placer = createPlacer([a], options())
    expect(
      placer.place({
        demand: demand({allowedAvailabilityZones: ['us-east-1b']}),
        strategies: [],
        constraints: [],
        group: 'g',
      }),
    ).toMatchObject({ok: false, reason: 'ATTRIBUTE'})
    expect(
      placer.place({
        demand: demand({allowedAvailabilityZones: ['us-east-1a']}),
        strategies: [],
        constraints: [],
        group: 'g',
      }).ok,
    ).toBe(true)
  })

  it('GPU: required GPUs must be free', () => {
    const one = candidate({gpu: 1})
    const placer = createPlacer([one], options())
    expect(placer.place({demand: demand({gpu: 1}), strategies: [], constraints: [], group: 'g'}).ok).toBe(true)
    expect(placer.place({demand: demand({gpu: 1}), strategies: [], constraints: [], group: 'g'})).toMatchObject({
      ok: false,
      reason: 'RESOURCE:GPU',
    })
  })
})

describe('validation', () => {
  it('rejects bad strategies and constraints with InvalidParameterException', () => {
    const expectInvalid = (fn: () => void, message: RegExp) => {
      expect(fn).toThrow(message)
      try {
        fn()
      } catch (error) {
        expect((error as Error).name).toBe('InvalidParameterException')
      }
    }
    expectInvalid(() => validatePlacementStrategies([{type: 'binpack', field: 'disk'}]), /binpack: use cpu or memory/)
    expectInvalid(
      () => validatePlacementStrategies([{type: 'spread', field: 'zone'}]),
      /spread: use instanceId, host or attribute:<name>/,
    )
    expectInvalid(
      () => validatePlacementStrategies([{type: 'fastest' as never}]),
      /Invalid placement strategy type 'fastest'/,
    )
    expectInvalid(
      () => validatePlacementStrategies(Array.from({length: 6}, () => ({type: 'random' as const}))),
      /5 or fewer/,
    )
    expectInvalid(
      () => validatePlacementConstraints([{type: 'distinctInstance', expression: 'x'}]),
      /cannot have an expression/,
    )
    expectInvalid(() => validatePlacementConstraints([{type: 'memberOf'}]), /requires an expression/)
    expectInvalid(
      () => validatePlacementConstraints([{type: 'memberOf', expression: 'attribute:x =='}]),
      /Invalid query expression/,
    )
    expectInvalid(
      () => validatePlacementConstraints(Array.from({length: 11}, () => ({type: 'distinctInstance' as const}))),
      /10 or fewer/,
    )
    expect(() =>
      validatePlacementStrategies([
        {type: 'spread', field: 'host'},
        {type: 'binpack', field: 'MEMORY'},
        {type: 'random'},
      ]),
    ).not.toThrow()
  })

  it('place() raises the same errors for bad input', () => {
    const placer = createPlacer([candidate()], options())
    expect(() =>
      placer.place({
        demand: demand(),
        strategies: [],
        constraints: [{type: 'memberOf', expression: 'nonsense'}],
        group: 'g',
      }),
    ).toThrow(/unknown subject 'nonsense'/)
  })

  it('release of an unknown instance is a programming error', () => {
    expect(() => createPlacer([], options()).release('arn:nope', demand(), [], 'g')).toThrow(/not a candidate/)
  })
})

describe('unplaceableEventMessage', () => {
  const arn = 'arn:aws:ecs:us-east-1:000000000000:container-instance/default/5e8c9f0a1b2c3d4e5f60718293a4b5c6'
  const head = '(service web) was unable to place a task because no container instance met all of its requirements.'
  it.each([
    [
      'RESOURCE:CPU',
      `${head} The closest matching (container-instance 5e8c9f0a1b2c3d4e5f60718293a4b5c6) has insufficient CPU units available. For more information, see the Troubleshooting section.`,
    ],
    [
      'RESOURCE:MEMORY',
      `${head} The closest matching (container-instance 5e8c9f0a1b2c3d4e5f60718293a4b5c6) has insufficient memory available. For more information, see the Troubleshooting section.`,
    ],
    [
      'RESOURCE:PORTS',
      `${head} The closest matching (container-instance 5e8c9f0a1b2c3d4e5f60718293a4b5c6) is already using a port required by your task. For more information, see the Troubleshooting section.`,
    ],
    [
      'RESOURCE:ENI',
      `${head} The closest matching (container-instance 5e8c9f0a1b2c3d4e5f60718293a4b5c6) has insufficient free network interface attachments available. For more information, see the Troubleshooting section.`,
    ],
    [
      'AGENT',
      `${head} The closest matching (container-instance 5e8c9f0a1b2c3d4e5f60718293a4b5c6) encountered error "AGENT".`,
    ],
    ['MemberOf placement constraint unsatisfied.', `${head} Reason: MemberOf placement constraint unsatisfied.`],
  ])('%s', (reason, message) => {
    expect(unplaceableEventMessage('web', {arn, reason})).toBe(message)
  })

  it('no instances: names the reason, not an instance', () => {
    expect(
      unplaceableEventMessage('web', {arn: CLUSTER_ARN, reason: 'No Container Instances were found in your cluster.'}),
    ).toBe(
      '(service web) was unable to place a task. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section.',
    )
  })
})
