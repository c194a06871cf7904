/**
 * `ecsx deploy` end to end on the local engine (manual clock): diff, --diff-only, confirmation without a TTY,
 * image patch, nothing to deploy, --no-wait, and a release whose essential container exits (x-ecsx) failing the
 * deployment — exit 1 without --rollback, exit 4 with it and the previous revision restored.
 */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {Service} from '@aws-sdk/client-ecs'

import {cleanupTempDirs} from '../helpers/cli.js'
import {expectExit, scenario} from './tutorial-helpers.js'

afterAll(() => cleanupTempDirs())

describe('deploy', () => {
  const s = scenario('web', 'deploy-good')
  const cluster = ['--cluster', 'deploys']
  /** Read the service straight from the engine's database (read-only; the manual clock does not move). */
  const describeService = async (): Promise<Service> => {
    const {createLocalBackend} = await import('../../src/lib/backend/local.js')
    const backend = await createLocalBackend({home: s.env.ECSX_HOME, clock: 'manual'})
    try {
      const out = await backend.describeServices({cluster: 'deploys', services: ['web']})
      return out.services?.[0] ?? {}
    } finally {
      await backend.close()
    }
  }

  it('sets up a cluster and the web service on revision 1', async () => {
    expectExit(await s.ecsx('up', '--size', '2', '--instance-type', 't2.small', '--capability-iam', ...cluster), 0)
    const r = await s.ecsx('compose', 'service', 'up', ...cluster, '--json')
    expectExit(r, 0)
    expect(s.json<Service>(r).taskDefinition).toMatch(/web:1$/)
  })

  it('--diff-only prints the image change as a unified diff and changes nothing', async () => {
    const r = await s.ecsx('deploy', '--image', 'web=nginx:1.27', '--diff-only', ...cluster)
    expectExit(r, 0)
    expect(r.stdout).toContain('--- web:1 (running)')
    expect(r.stdout).toContain('+++ web (new)')
    expect(r.stdout).toMatch(/^-\s+"image": "nginx:1\.25",$/m)
    expect(r.stdout).toMatch(/^\+\s+"image": "nginx:1\.27",$/m)
    const json = await s.ecsx('deploy', '--image', 'web=nginx:1.27', '--diff-only', ...cluster, '--json')
    expectExit(json, 0)
    expect(s.json<{diff: string[]}>(json).diff).toContain('+      "image": "nginx:1.27",')
    expect((await describeService()).taskDefinition).toMatch(/web:1$/)
  })

  it('without a terminal and without --yes it refuses with exit 2 naming --yes', async () => {
    const r = await s.ecsx('deploy', '--image', 'web=nginx:1.27', ...cluster)
    expectExit(r, 2)
    expect(r.stderr).toContain('--yes')
    expect((await describeService()).taskDefinition).toMatch(/web:1$/)
  })

  it('--yes deploys the new image and waits until the service is stable', async () => {
    const r = await s.ecsx('deploy', '--image', 'web=nginx:1.27', '--yes', ...cluster)
    expectExit(r, 0)
    expect(r.stdout).toMatch(/^\+\s+"image": "nginx:1\.27",$/m)
    expect(r.stderr).toContain('Using ECS task definition web:2')
    expect(r.stderr).toContain('has reached a stable state (web:2)')
    const svc = await describeService()
    expect(svc.deployments).toHaveLength(1)
  })

  it('deploying the same change again has nothing to do (exit 0)', async () => {
    const r = await s.ecsx('deploy', '--image', 'web=nginx:1.27', '--yes', ...cluster)
    expectExit(r, 0)
    expect(r.stderr).toContain('Nothing to deploy')
  })

  it('--no-wait returns right after UpdateService with the new deployment still in progress', async () => {
    const r = await s.ecsx('deploy', '--tag', '1.28', '--yes', '--no-wait', ...cluster, '--json')
    expectExit(r, 0)
    const svc = s.json<Service>(r)
    expect(svc.taskDefinition).toMatch(/web:3$/)
    expect(svc.deployments?.find((d) => d.status === 'PRIMARY')?.runningCount).toBe(0)
  })

  it('a release whose essential container keeps exiting fails the deployment: exit 1 without --rollback', async () => {
    s.use('deploy-bad')
    const r = await s.ecsx('deploy', '--yes', ...cluster)
    expectExit(r, 1)
    expect(r.stderr).toMatch(/Deployment of web:4 failed/)
    expect(r.stderr).toContain('Essential container in task exited')
  })

  it('with --rollback it restores the previous revision and exits 4', async () => {
    // put the service back on a good revision first
    s.use('deploy-good')
    expectExit(await s.ecsx('compose', 'service', 'up', ...cluster), 0)
    const before = (await describeService()).taskDefinition
    s.use('deploy-bad')
    const r = await s.ecsx('deploy', '--yes', '--rollback', ...cluster)
    expectExit(r, 4)
    expect(r.stderr).toContain('Rolled back service web to')
    const after = await describeService()
    expect(after.taskDefinition).toBe(before)
    expect(after.runningCount).toBe(1)
  })
})
