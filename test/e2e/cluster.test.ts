/**
 * e2e: the cluster lifecycle through the built CLI (node bin/run.js) on the local backend, manual engine clock:
 * configure → up --size 2 --instance-type t2.medium → engine status --json → ps → engine kill-instance →
 * scale --size 3 → down without --force (no TTY: exit 2) → down --force.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {ContainerInstance} from '@aws-sdk/client-ecs'

import {cleanupTempDirs, hasAnsi, makeWorkspace, runCli} from '../helpers/cli.js'

afterAll(cleanupTempDirs)

const attr = (ci: ContainerInstance, name: string) => ci.attributes?.find((a) => a.name === name)?.value
const resource = (list: ContainerInstance['registeredResources'], name: string) =>
  list?.find((r) => r.name === name)?.integerValue

describe('e2e: cluster lifecycle on the local backend', () => {
  const ws = makeWorkspace()
  const cli = (...args: string[]) => runCli(args, {cwd: ws.project, env: ws.env})

  it('runs configure → up → status → ps → kill-instance → scale → down', async () => {
    const configure = await cli('configure', '--cluster', 'e2e-demo', '--region', 'us-east-1', '--config-name', 'e2e')
    expect(configure).toMatchObject({exitCode: 0, stderr: ''})
    expect(configure.stdout).toBe(`Saved cluster configuration e2e to ${ws.home}/config (default).\n`)

    const up = await cli(
      'up',
      '--size',
      '2',
      '--instance-type',
      't2.medium',
      '--capability-iam',
      '--keypair',
      'id_rsa',
      '--json',
    )
    expect(up.exitCode).toBe(0)
    const upJson = JSON.parse(up.stdout)
    expect(upJson.cluster).toMatchObject({
      clusterName: 'e2e-demo',
      status: 'ACTIVE',
      registeredContainerInstancesCount: 2,
    })
    expect(upJson.containerInstances).toHaveLength(2)
    expect(up.stderr).toBe('')

    const status = await cli('engine', 'status', '--json')
    expect(status.exitCode).toBe(0)
    const s = JSON.parse(status.stdout)
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['cluster', 'containerInstances', 'tasksPerAvailabilityZone']),
    )
    expect(s.containerInstances).toHaveLength(2)
    const zones = new Set(s.containerInstances.map((ci: ContainerInstance) => attr(ci, 'ecs.availability-zone')))
    expect(zones.size).toBe(2)
    expect(Object.keys(s.tasksPerAvailabilityZone).sort()).toEqual([...zones].sort())
    for (const ci of s.containerInstances as ContainerInstance[]) {
      expect(attr(ci, 'ecs.instance-type')).toBe('t2.medium')
      expect(ci.ec2InstanceId).toMatch(/^i-[0-9a-f]{17}$/)
      // t2.medium: 2 vCPU, 4 GiB (less what the OS keeps)
      expect(resource(ci.registeredResources, 'CPU')).toBe(2048)
      expect(resource(ci.registeredResources, 'MEMORY')).toBeGreaterThan(3500)
      expect(resource(ci.registeredResources, 'MEMORY')).toBeLessThan(4096)
    }

    const human = await cli('engine', 'status')
    expect(human.exitCode).toBe(0)
    expect(human.stdout).toMatch(/^Cluster e2e-demo \(ACTIVE\): 2 container instances/)
    expect(human.stdout).toContain('t2.medium')
    expect(hasAnsi(human.stdout + human.stderr)).toBe(false)

    const ps = await cli('ps')
    expect(ps).toEqual({exitCode: 0, stdout: '', stderr: ''})
    const psJson = await cli('ps', '--json')
    expect(JSON.parse(psJson.stdout)).toEqual([])

    const victim = s.containerInstances[0] as ContainerInstance
    const kill = await cli('engine', 'kill-instance', victim.ec2InstanceId as string)
    expect(kill.exitCode).toBe(0)
    expect(kill.stdout).toContain('status INACTIVE')
    const afterKill = JSON.parse((await cli('engine', 'status', '--json')).stdout)
    expect(afterKill.containerInstances).toHaveLength(1)

    const scale = await cli('scale', '--size', '3', '--capability-iam', '--json')
    expect(scale.exitCode).toBe(0)
    const scaled = JSON.parse(scale.stdout)
    expect(scaled.containerInstances).toHaveLength(3)
    expect(scaled.added).toHaveLength(2)
    expect(scaled.added.every((ci: ContainerInstance) => attr(ci, 'ecs.instance-type') === 't2.medium')).toBe(true)

    const refused = await cli('down')
    expect(refused.exitCode).toBe(2)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain('--force')
    expect(JSON.parse((await cli('engine', 'status', '--json')).stdout).containerInstances).toHaveLength(3)

    const down = await cli('down', '--force')
    expect(down.exitCode).toBe(0)
    expect(down.stderr).toContain('Deleted cluster e2e-demo.')

    const gone = await cli('engine', 'status')
    expect(gone.exitCode).toBe(1)
    expect(gone.stderr).toContain('Cluster e2e-demo not found.')
  })

  it('up on a cluster that already has instances says so and exits 0; --launch-type FARGATE registers none', async () => {
    const w = makeWorkspace()
    const run = (...args: string[]) => runCli(args, {cwd: w.project, env: w.env})
    expect((await run('up', '--cluster', 'again')).exitCode).toBe(0)
    const again = await run('up', '--cluster', 'again', '--size', '3')
    expect(again.exitCode).toBe(0)
    expect(again.stderr).toContain('already has 1 container instance; nothing created')
    const fargate = await run('up', '--cluster', 'fg', '--launch-type', 'FARGATE', '--json')
    expect(fargate.exitCode).toBe(0)
    expect(JSON.parse(fargate.stdout).containerInstances).toEqual([])
  })

  it('bad input exits 2 (malformed --tags, unknown --azs zone, unknown flag); a missing cluster exits 1 naming it', async () => {
    const w = makeWorkspace()
    const run = (...args: string[]) => runCli(args, {cwd: w.project, env: w.env})
    const tags = await run('up', '--tags', 'team')
    expect(tags.exitCode).toBe(2)
    expect(tags.stderr).toContain('Tag input not formatted correctly: team')
    const azs = await run('up', '--azs', 'eu-west-1a')
    expect(azs.exitCode).toBe(2)
    expect(azs.stderr).toContain('eu-west-1a is not an availability zone of us-east-1')
    const unknown = await run('scale', '--size', '2', '--sizee', '3')
    expect(unknown.exitCode).toBe(2)
    const missing = await run('ps', '-c', 'nope')
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toBe(
      'Error: ClusterNotFoundException: Cluster not found.\nCluster nope (us-east-1, local backend): create it with `ecsx up`, or choose another with --cluster or --cluster-config.\n',
    )
  })
})
