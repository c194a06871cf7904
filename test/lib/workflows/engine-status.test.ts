import {afterEach, describe, expect, it} from '@jest/globals'

import type {Backend} from '../../../src/lib/ecs/backend.js'
import {localClusterUp} from '../../../src/lib/infra/local/capacity.js'
import {requireEngine} from '../../../src/lib/workflows/engine-controls.js'
import {
  engineStatus,
  INSTANCE_COLUMNS,
  instanceColumns,
  instanceRows,
} from '../../../src/lib/workflows/engine-status.js'
import {cleanupTempDirs} from '../../helpers/cli.js'
import {fakeUi} from '../../helpers/fake-terminal.js'
import {openTestBackend} from '../../helpers/local-backend.js'

const backends: Backend[] = []
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close()
  cleanupTempDirs()
})

describe('engine status', () => {
  it('lists instances with type, zone and resources, and running tasks per zone', async () => {
    const b = await openTestBackend()
    backends.push(b)
    const {ui} = await fakeUi()
    await localClusterUp(
      b,
      {
        cluster: 'demo',
        region: 'us-east-1',
        size: 2,
        instanceType: 't2.medium',
        launchType: 'EC2',
        empty: false,
        zones: ['us-east-1a', 'us-east-1b'],
        force: false,
      },
      ui,
    )
    await b.registerTaskDefinition({
      family: 'job',
      containerDefinitions: [{name: 'job', image: 'busybox', memory: 100, cpu: 10}],
    })
    await b.runTask({cluster: 'demo', taskDefinition: 'job', count: 3})
    await b.engine!.advance(5000)
    const status = await engineStatus(b, requireEngine(b, 'engine status'), 'demo')
    expect(status.containerInstances).toHaveLength(2)
    expect(Object.keys(status.tasksPerAvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b'])
    expect(Object.values(status.tasksPerAvailabilityZone).reduce((a, n) => a + n, 0)).toBe(3)
    const rows = instanceRows(status.containerInstances)
    expect(rows.map((r) => r.type)).toEqual(['t2.medium', 't2.medium'])
    expect(rows.map((r) => r.az)).toEqual(['us-east-1a', 'us-east-1b'])
    // t2.medium: 2 vCPU; the three tasks used 3 × 10 CPU units and 3 × 100 MiB between the two instances
    const cpu = rows.map((r) => r.cpu.split('/').map(Number))
    expect(cpu.every(([, total]) => total === 2048)).toBe(true)
    expect(cpu.reduce((a, [free, total]) => a + total - free, 0)).toBe(30)
    const mem = rows.map((r) => r.memory.split('/').map(Number))
    expect(mem.reduce((a, [free, total]) => a + total - free, 0)).toBe(300)
    expect(status.engineTime).toBe(new Date(await b.engine!.now()).toISOString())
  })

  it('leads the CPU and memory columns with utilisation bars on a terminal, plain numbers otherwise', () => {
    const ci = {
      containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/demo/abc',
      registeredResources: [
        {name: 'CPU', integerValue: 2048},
        {name: 'MEMORY', integerValue: 4000},
      ],
      remainingResources: [
        {name: 'CPU', integerValue: 512},
        {name: 'MEMORY', integerValue: 3000},
      ],
    }
    const [row] = instanceRows([ci])
    expect([row.cpuUsed, row.memoryUsed]).toEqual([0.75, 0.25])
    expect(instanceColumns(false)).toBe(INSTANCE_COLUMNS)
    const cell = (bars: boolean, header: string) =>
      instanceColumns(bars)
        .find((c) => c.header.startsWith(header))!
        .get(row)
    expect([cell(false, 'CPU'), cell(false, 'Memory')]).toEqual(['512/2048', '3000/4000'])
    expect([cell(true, 'CPU'), cell(true, 'Memory')]).toEqual(['███████▌░░ 512/2048', '██▌░░░░░░░ 3000/4000'])
    expect(instanceColumns(true).map((c) => c.header)).toEqual(INSTANCE_COLUMNS.map((c) => c.header))
  })
})
