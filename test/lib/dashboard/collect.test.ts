import {describe, expect, it} from '@jest/globals'

import {buildView} from '../../../src/lib/dashboard/build-view.js'
import {SnapshotReader} from '../../../src/lib/dashboard/collect.js'
import {localClusterUp} from '../../../src/lib/infra/local/capacity.js'
import type {Backend} from '../../../src/lib/ecs/backend.js'
import {fakeUi} from '../../helpers/fake-terminal.js'
import {localBackendPerTest} from '../../helpers/local-backend.js'

const openBackend = localBackendPerTest()
const OPTIONS = {currentCluster: 'demo', composeServiceNamePrefix: ''}

async function clusterOf(b: Backend, size: number): Promise<void> {
  const {ui} = await fakeUi()
  await localClusterUp(
    b,
    {
      cluster: 'demo',
      region: 'us-east-1',
      size,
      instanceType: 't2.medium',
      launchType: 'EC2',
      empty: false,
      zones: ['us-east-1a', 'us-east-1b'],
      force: false,
    },
    ui,
  )
}

async function webService(b: Backend, desiredCount: number, memory = 256): Promise<void> {
  await b.registerTaskDefinition({
    family: 'web',
    containerDefinitions: [{name: 'web', image: 'nginx', cpu: 256, memoryReservation: memory}],
  })
  await b.createService({cluster: 'demo', serviceName: 'web', taskDefinition: 'web', desiredCount})
}

/** The backend with its describeTasks calls recorded. */
function spyDescribeTasks(b: Backend): {backend: Backend; described: string[]} {
  const described: string[] = []
  const backend = Object.create(b) as Backend
  backend.describeTasks = (input) => {
    described.push(...(input.tasks ?? []))
    return b.describeTasks(input)
  }
  return {backend, described}
}

describe('reading the cluster through the ECS API', () => {
  it('reads instances, unstopped tasks, services and the engine clock', async () => {
    const b = await openBackend()
    await clusterOf(b, 2)
    await webService(b, 3)
    await b.engine!.advance(5000)
    const snap = await new SnapshotReader(b).read()
    expect(snap.engineTime).toBe(await b.engine!.now())
    expect(snap.region).toBe('us-east-1')
    expect(snap.clusters.map((c) => c.cluster.clusterName)).toEqual(['demo'])
    const [demo] = snap.clusters
    expect(demo.instances).toHaveLength(2)
    expect(demo.tasks.map((t) => t.lastStatus)).toEqual(['RUNNING', 'RUNNING', 'RUNNING'])
    expect(demo.services.map((s) => [s.serviceName, s.runningCount])).toEqual([['web', 3]])
    const view = buildView(snap, OPTIONS)
    const placed = view.clusters[0].zones.flatMap((z) => z.instances).reduce((n, i) => n + i.tasks.length, 0)
    expect(placed).toBe(3)
  })

  it('keeps a killed instance on the map as INACTIVE while the engine still describes it', async () => {
    const b = await openBackend()
    await clusterOf(b, 2)
    await webService(b, 2)
    await b.engine!.advance(5000)
    const reader = new SnapshotReader(b)
    const before = (await reader.read()).clusters[0].instances
    const victim = before[0]
    await b.engine!.killInstance('demo', victim.ec2InstanceId!)
    const after = (await reader.read()).clusters[0].instances
    expect(after.map((i) => [i.ec2InstanceId, i.status])).toEqual([
      [victim.ec2InstanceId, 'INACTIVE'],
      [before[1].ec2InstanceId, 'ACTIVE'],
    ])
    // a reader that never saw it cannot list it (ListContainerInstances omits INACTIVE instances)
    expect((await new SnapshotReader(b).read()).clusters[0].instances.map((i) => i.status)).toEqual(['ACTIVE'])
  })

  it('shows tasks told to stop until they have stopped, and does not describe stopped tasks again', async () => {
    const b = await openBackend()
    await clusterOf(b, 2)
    await webService(b, 2)
    await b.engine!.advance(5000)
    const {backend, described} = spyDescribeTasks(b)
    const reader = new SnapshotReader(backend)
    const tasks = (await reader.read()).clusters[0].tasks
    await b.stopTask({cluster: 'demo', task: tasks[0].taskArn!})
    const stopping = (await reader.read()).clusters[0].tasks.find((t) => t.taskArn === tasks[0].taskArn)
    expect(stopping?.desiredStatus).toBe('STOPPED')
    expect(stopping?.lastStatus).not.toBe('STOPPED')
    await b.engine!.advance(60_000)
    const later = (await reader.read()).clusters[0].tasks
    expect(later.map((t) => t.taskArn)).not.toContain(tasks[0].taskArn)
    described.length = 0
    await reader.read()
    expect(described).not.toContain(tasks[0].taskArn)
  })

  it('explains unplaced tasks with the engine’s closest match', async () => {
    const b = await openBackend()
    await clusterOf(b, 1)
    await webService(b, 1, 100_000)
    await b.engine!.advance(1000)
    const view = buildView(await new SnapshotReader(b).read(), OPTIONS)
    const web = view.clusters[0].services[0]
    expect(web.unplaced).toMatch(/^\(service web\) was unable to place a task because no container instance met/)
    expect(web.unplaced).toContain('The closest matching (container-instance')
    expect(web.running).toBe(0)
  })
})
