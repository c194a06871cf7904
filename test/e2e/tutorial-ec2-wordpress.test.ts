/**
 * The ECS developer guide's EC2 tutorial, replayed on the local engine with the built CLI:
 * configure → up --size 2 --instance-type t2.medium → compose up → ps → compose scale 2 → ps (4 containers)
 * → compose down → compose service up → compose service rm → down --force.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {Service, Task} from '@aws-sdk/client-ecs'

import {cleanupTempDirs} from '../helpers/cli.js'
import {expectExit, scenario, tableRows} from './tutorial-helpers.js'

afterAll(() => cleanupTempDirs())

describe('tutorial: EC2 cluster with the WordPress compose project', () => {
  const s = scenario('wordpress', 'wordpress')
  const cfg = ['--cluster-config', 'ec2-tutorial']

  it('configures the cluster and a profile, and brings up two t2.medium instances', async () => {
    expectExit(
      await s.ecsx(
        'configure',
        '--cluster',
        'ec2-tutorial',
        '--region',
        'us-east-1',
        '--default-launch-type',
        'EC2',
        '--config-name',
        'ec2-tutorial',
      ),
      0,
    )
    expectExit(
      await s.ecsx(
        'configure',
        'profile',
        '--access-key',
        'AKIAIOSFODNN7EXAMPLE',
        '--secret-key',
        'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        '--profile-name',
        'tutorial-profile',
      ),
      0,
    )
    const up = await s.ecsx(
      'up',
      '--keypair',
      'id_rsa',
      '--capability-iam',
      '--size',
      '2',
      '--instance-type',
      't2.medium',
      ...cfg,
      '--ecs-profile',
      'tutorial-profile',
    )
    expectExit(up, 0)
  })

  it('compose up registers the project and runs one task (both containers RUNNING)', async () => {
    const r = await s.ecsx('compose', 'up', '--create-log-groups', ...cfg, '--ecs-profile', 'tutorial-profile')
    expectExit(r, 0)
    expect(r.stderr).toContain('Using ECS task definition wordpress:1')
    expect(r.stderr).toContain('--create-log-groups')
    const ps = await s.ecsx('ps', ...cfg)
    expectExit(ps, 0)
    const rows = tableRows(ps.stdout)
    expect(rows).toHaveLength(2)
    expect(ps.stdout.split('\n')[0]).toMatch(/^Name\s+State\s+Ports\s+TaskDefinition\s+Health/)
    expect(rows.map((row) => row[0].replace(/^.*\//, '')).sort()).toEqual(['mysql', 'wordpress'])
    expect(ps.stdout).toMatch(/ec2-tutorial\/[0-9a-f]{32}\/wordpress\s+RUNNING\s+\S*:80->80\/tcp\s+wordpress:1/)
  })

  it('compose up again changes nothing (identical revision reused, task kept)', async () => {
    const r = await s.ecsx('compose', 'up', ...cfg, '--json')
    expectExit(r, 0)
    expect(s.json<Task[]>(r)).toEqual([])
  })

  it('compose scale 2 → ps shows 4 containers, the two wordpress containers on different hosts', async () => {
    const r = await s.ecsx('compose', 'scale', '2', ...cfg, '--json')
    expectExit(r, 0)
    const started = s.json<Task[]>(r)
    expect(started).toHaveLength(1)
    expect(started[0].lastStatus).toBe('RUNNING')
    expect(started[0].group).toBe('task:wordpress')
    expect(started[0].startedBy).toBe('wordpress')
    const ps = await s.ecsx('ps', ...cfg)
    const rows = tableRows(ps.stdout)
    expect(rows).toHaveLength(4)
    expect(rows.every((row) => row[1] === 'RUNNING')).toBe(true)
    const json = s.json<Task[]>(await s.ecsx('compose', 'ps', ...cfg, '--json'))
    expect(new Set(json.map((t) => t.containerInstanceArn)).size).toBe(2)
  })

  it('compose down stops every task of the project', async () => {
    const r = await s.ecsx('compose', 'down', ...cfg)
    expectExit(r, 0)
    const ps = await s.ecsx('ps', ...cfg, '--json')
    expect(s.json<Task[]>(ps)).toEqual([])
  })

  it('compose service up creates the service with desired count 1 and waits until it is stable', async () => {
    const r = await s.ecsx('compose', 'service', 'up', ...cfg, '--ecs-profile', 'tutorial-profile', '--json')
    expectExit(r, 0)
    const svc = s.json<Service>(r)
    expect(svc.serviceName).toBe('wordpress')
    expect(svc.desiredCount).toBe(1)
    expect(svc.runningCount).toBe(1)
    expect(svc.deployments).toHaveLength(1)
    expect(svc.deploymentConfiguration).toMatchObject({maximumPercent: 200, minimumHealthyPercent: 100})
    const ps = await s.ecsx('compose', 'service', 'ps', ...cfg)
    expectExit(ps, 0)
    expect(tableRows(ps.stdout)).toHaveLength(2)
  })

  it('compose service rm scales to 0, waits and deletes the service', async () => {
    const r = await s.ecsx('compose', 'service', 'rm', ...cfg, '--ecs-profile', 'tutorial-profile', '--json')
    expectExit(r, 0)
    const svc = s.json<Service>(r)
    expect(svc.desiredCount).toBe(0)
    expect(['DRAINING', 'INACTIVE']).toContain(svc.status)
    const ps = await s.ecsx('ps', ...cfg, '--json')
    expect(s.json<Task[]>(ps)).toEqual([])
  })

  it('down --force removes the cluster', async () => {
    expectExit(await s.ecsx('down', '--force', ...cfg, '--ecs-profile', 'tutorial-profile'), 0)
  })
})
