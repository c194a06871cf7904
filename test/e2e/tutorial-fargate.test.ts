/**
 * The ECS developer guide's Fargate tutorial on the local engine: awsvpc + task_size from ecs-params,
 * compose service up → service ps → service scale 2 → service down → down --force.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {Service, Task} from '@aws-sdk/client-ecs'

import {cleanupTempDirs} from '../helpers/cli.js'
import {expectExit, scenario, tableRows} from './tutorial-helpers.js'

afterAll(() => cleanupTempDirs())

describe('tutorial: Fargate service', () => {
  const s = scenario('fargate-app', 'fargate')
  const cfg = ['--cluster-config', 'tutorial']
  const project = ['--project-name', 'tutorial']

  it('configures a FARGATE cluster configuration and creates the cluster', async () => {
    expectExit(
      await s.ecsx(
        'configure',
        '--cluster',
        'tutorial',
        '--region',
        'us-west-2',
        '--default-launch-type',
        'FARGATE',
        '--config-name',
        'tutorial',
      ),
      0,
    )
    expectExit(await s.ecsx('up', ...cfg), 0)
  })

  it('compose up/down also runs standalone Fargate tasks with the awsvpc configuration of ecs-params', async () => {
    const up = await s.ecsx('compose', '--project-name', 'tutorial-task', 'up', ...cfg, '--json')
    expectExit(up, 0)
    const [task] = s.json<Task[]>(up)
    expect(task).toMatchObject({launchType: 'FARGATE', lastStatus: 'RUNNING', group: 'task:tutorial-task'})
    expect(task.attachments?.[0]?.type).toBe('ElasticNetworkInterface')
    const down = await s.ecsx('compose', '--project-name', 'tutorial-task', 'down', ...cfg, '--json')
    expectExit(down, 0)
    expect(s.json<Task[]>(down).map((t) => t.lastStatus)).toEqual(['STOPPED'])
  })

  it('compose service up runs one awsvpc Fargate task (ecs-cli argument order)', async () => {
    const r = await s.ecsx('compose', ...project, 'service', 'up', '--create-log-groups', ...cfg, '--json')
    expectExit(r, 0)
    const svc = s.json<Service>(r)
    expect(svc.serviceName).toBe('tutorial')
    expect(svc.launchType).toBe('FARGATE')
    expect(svc.runningCount).toBe(1)
    expect(svc.networkConfiguration?.awsvpcConfiguration).toMatchObject({
      subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
      securityGroups: ['sg-0c1d2e3f'],
      assignPublicIp: 'ENABLED',
    })
    expect(svc.taskDefinition).toMatch(/task-definition\/tutorial:1$/)
  })

  it('compose service ps shows the web container with its ENI address on port 80', async () => {
    const r = await s.ecsx('compose', ...project, 'service', 'ps', ...cfg)
    expectExit(r, 0)
    const rows = tableRows(r.stdout)
    expect(rows).toHaveLength(1)
    expect(r.stdout).toMatch(/tutorial\/[0-9a-f]{32}\/web\s+RUNNING\s+\d+\.\d+\.\d+\.\d+:80->80\/tcp\s+tutorial:1/)
  })

  it('compose service scale 2 → two tasks', async () => {
    const r = await s.ecsx('compose', ...project, 'service', 'scale', '2', ...cfg, '--json')
    expectExit(r, 0)
    expect(s.json<Service>(r)).toMatchObject({desiredCount: 2, runningCount: 2})
    const ps = await s.ecsx('compose', ...project, 'service', 'ps', ...cfg, '--json')
    const tasks = s.json<Task[]>(ps).filter((t) => t.lastStatus === 'RUNNING')
    expect(tasks).toHaveLength(2)
    expect(tasks.every((t) => t.launchType === 'FARGATE')).toBe(true)
  })

  it('compose service down deletes the service; down --force removes the cluster', async () => {
    const r = await s.ecsx('compose', ...project, 'service', 'down', ...cfg)
    expectExit(r, 0)
    expect(r.stdout).toMatch(/Service tutorial: (DRAINING|INACTIVE), desired 0/)
    expectExit(await s.ecsx('down', '--force', ...cfg), 0)
  })
})
