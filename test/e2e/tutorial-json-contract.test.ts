/**
 * The JSON contract of the workflow commands on the local engine: with --json, stdout holds exactly one JSON
 * document (Task[] for compose up/start/scale/run/stop/ps, Service for compose service create/start/up/scale/stop/rm),
 * stderr has no progress, and nothing has ANSI escapes.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {Service, Task} from '@aws-sdk/client-ecs'

import {cleanupTempDirs} from '../helpers/cli.js'
import {expectExit, scenario} from './tutorial-helpers.js'

afterAll(() => cleanupTempDirs())

describe('--json output of the workflow commands', () => {
  const s = scenario('shop', 'deploy-good')
  const c = ['--cluster', 'json', '--json']

  it('compose tasks: start, run, scale, ps, stop', async () => {
    expectExit(await s.ecsx('up', '--size', '2', '--cluster', 'json'), 0)
    const start = await s.ecsx('compose', 'start', ...c)
    expectExit(start, 0)
    expect(start.stderr).toBe('')
    expect(s.json<Task[]>(start)).toHaveLength(1)

    const run = await s.ecsx('compose', 'run', 'web', 'nginx -g "daemon off;"', ...c)
    expectExit(run, 0)
    const [oneOff] = s.json<Task[]>(run)
    expect(oneOff.overrides?.containerOverrides).toContainEqual({name: 'web', command: ['nginx', '-g', 'daemon off;']})

    const scale = await s.ecsx('compose', 'scale', '3', ...c)
    expectExit(scale, 0)
    expect(s.json<Task[]>(scale)).toHaveLength(1)

    const ps = await s.ecsx('compose', 'list', ...c, '--desired-status', 'RUNNING')
    expectExit(ps, 0)
    expect(s.json<Task[]>(ps).every((t) => t.group === 'task:shop')).toBe(true)
    expect(s.json<Task[]>(ps)).toHaveLength(3)

    const stop = await s.ecsx('compose', 'stop', ...c)
    expectExit(stop, 0)
    expect(s.json<Task[]>(stop).map((t) => t.lastStatus)).toEqual(['STOPPED', 'STOPPED', 'STOPPED'])
  })

  it('compose service: create, start, scale, stop, rm', async () => {
    const create = await s.ecsx(
      'compose',
      'service',
      'create',
      ...c,
      '--deployment-max-percent',
      '150',
      '--deployment-min-healthy-percent',
      '50',
    )
    expectExit(create, 0)
    expect(s.json<Service>(create)).toMatchObject({
      serviceName: 'shop',
      desiredCount: 0,
      deploymentConfiguration: {maximumPercent: 150, minimumHealthyPercent: 50},
    })
    for (const [args, desired] of [
      [['start'], 1],
      [['scale', '2'], 2],
      [['stop'], 0],
    ] as Array<[string[], number]>) {
      const r = await s.ecsx('compose', 'service', ...args, ...c)
      expectExit(r, 0)
      expect(r.stderr).toBe('')
      expect(s.json<Service>(r)).toMatchObject({desiredCount: desired, runningCount: desired})
    }
    const rm = await s.ecsx('compose', 'service', 'delete', ...c)
    expectExit(rm, 0)
    expect(s.json<Service>(rm).status).toBe('INACTIVE')
  })

  it('errors go to stderr as JSON, stdout stays empty', async () => {
    const r = await s.ecsx('compose', 'service', 'scale', '2', ...c)
    expectExit(r, 1)
    expect(r.stdout).toBe('')
    expect(JSON.parse(r.stderr).error.message).toContain('does not exist')
  })
})
