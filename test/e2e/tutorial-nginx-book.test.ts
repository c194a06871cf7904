/**
 * "Docker in AWS", chapter 4, on the local engine: the simple-web service (nginx, static host port 80) on one
 * t2.micro; a second copy cannot be placed (port 80 taken); revision 2 with a dynamic host port rolls out next to
 * the old task (PRIMARY + ACTIVE deployments, then only PRIMARY) and then two copies fit on the one instance.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {Service, Task} from '@aws-sdk/client-ecs'

import {cleanupTempDirs} from '../helpers/cli.js'
import {expectExit, scenario} from './tutorial-helpers.js'

afterAll(() => cleanupTempDirs())

describe('book: nginx service from static port 80 to dynamic ports', () => {
  const s = scenario('simple-web', 'nginx-static')
  const cluster = ['--cluster', 'test-cluster']

  it('creates a one-instance cluster and the simple-web service with one task on host port 80', async () => {
    expectExit(await s.ecsx('up', '--size', '1', '--instance-type', 't2.micro', '--capability-iam', ...cluster), 0)
    const r = await s.ecsx('compose', 'service', 'up', ...cluster, '--json')
    expectExit(r, 0)
    expect(s.json<Service>(r)).toMatchObject({serviceName: 'simple-web', desiredCount: 1, runningCount: 1})
    const tasks = s.json<Task[]>(
      await s.ecsx('compose', 'service', 'ps', ...cluster, '--desired-status', 'RUNNING', '--json'),
    )
    expect(tasks[0].containers?.[0].networkBindings?.[0]).toMatchObject({hostPort: 80, containerPort: 80})
  })

  it("a second copy with the static port cannot be placed: the wait ends at once with exit 1 and ECS's event", async () => {
    const r = await s.ecsx('compose', 'service', 'scale', '2', ...cluster)
    expectExit(r, 1)
    expect(r.stderr).toContain('(service simple-web) was unable to place a task')
    // as in ecs-cli, the scale keeps its new desired count
    const svc = s.json<Task[]>(
      await s.ecsx('compose', 'service', 'ps', ...cluster, '--desired-status', 'RUNNING', '--json'),
    )
    expect(svc).toHaveLength(1)
    // ECS does not repeat the event while the cause lasts; the next wait still ends at once
    const again = await s.ecsx('compose', 'service', 'up', ...cluster)
    expectExit(again, 1)
    expect(again.stderr).toContain('Service simple-web cannot place its tasks')
    expectExit(await s.ecsx('compose', 'service', 'scale', '1', ...cluster), 0)
  })

  it('revision 2 (dynamic host port) rolls out next to the old task and replaces it', async () => {
    s.use('nginx-dynamic')
    const r = await s.ecsx('compose', 'service', 'up', ...cluster, '--json')
    expectExit(r, 0)
    const svc = s.json<Service>(r)
    expect(svc.taskDefinition).toMatch(/simple-web:2$/)
    expect(svc.deployments).toHaveLength(1)
    expect(svc.deployments?.[0]).toMatchObject({status: 'PRIMARY', runningCount: 1, desiredCount: 1})
    const messages = (svc.events ?? []).map((e) => e.message ?? '')
    expect(messages.some((m) => /has started 1 tasks/.test(m))).toBe(true)
    expect(messages.some((m) => /has stopped 1 running tasks/.test(m))).toBe(true)
  })

  it('with dynamic ports a second copy fits on the same instance', async () => {
    const r = await s.ecsx('compose', 'service', 'scale', '2', ...cluster, '--json')
    expectExit(r, 0)
    expect(s.json<Service>(r)).toMatchObject({desiredCount: 2, runningCount: 2})
    const tasks = s.json<Task[]>(
      await s.ecsx('compose', 'service', 'ps', ...cluster, '--desired-status', 'RUNNING', '--json'),
    )
    expect(tasks).toHaveLength(2)
    expect(new Set(tasks.map((t) => t.containerInstanceArn)).size).toBe(1)
    const ports = tasks.map((t) => t.containers?.[0].networkBindings?.[0].hostPort ?? 0)
    expect(new Set(ports).size).toBe(2)
    for (const p of ports) expect(p).toBeGreaterThanOrEqual(32768)
  })

  it('cleans up', async () => {
    expectExit(await s.ecsx('compose', 'service', 'rm', ...cluster), 0)
    expectExit(await s.ecsx('down', '--force', ...cluster), 0)
  })
})
