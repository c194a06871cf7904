/** e2e: `ecsx engine status|advance|kill-instance|fail-task` through the built CLI, manual engine clock. */
import {afterAll, describe, expect, it} from '@jest/globals'
import type {Task} from '@aws-sdk/client-ecs'
import {writeFileSync} from 'node:fs'
import path from 'node:path'

import {cleanupTempDirs, makeWorkspace, runCli} from '../helpers/cli.js'

afterAll(cleanupTempDirs)

describe('e2e: engine controls', () => {
  it('advance moves the manual clock; fail-task stops a task with the exit code; ps shows it', async () => {
    const ws = makeWorkspace()
    const cli = (...args: string[]) => runCli(args, {cwd: ws.project, env: ws.env})
    expect((await cli('up', '--size', '1')).exitCode).toBe(0)
    const t0 = JSON.parse((await cli('engine', 'status', '--json')).stdout).engineTime as string

    const adv = await cli('engine', 'advance', '1m30s')
    expect(adv.exitCode).toBe(0)
    const expected = new Date(Date.parse(t0) + 90_000).toISOString()
    expect(adv.stdout).toBe(`Engine time: ${expected} (advanced 1m30s)\n`)
    expect(JSON.parse((await cli('engine', 'advance', '500ms', '--json')).stdout)).toEqual({
      advancedMs: 500,
      engineTime: new Date(Date.parse(expected) + 500).toISOString(),
    })
    expect((await cli('engine', 'advance', 'soon')).exitCode).toBe(2)

    // a task to fail: registered from a task definition file, started through the engine's API
    const tdFile = path.join(ws.project, 'td.json')
    writeFileSync(
      tdFile,
      JSON.stringify({
        family: 'job',
        containerDefinitions: [
          {name: 'job', image: 'busybox', memory: 64, portMappings: [{containerPort: 80, hostPort: 8080}]},
        ],
      }),
    )
    const reg = await cli('register', '--task-def-file', tdFile)
    expect(reg.stdout).toBe('Using ECS task definition job:1\n')
    const {openTestBackendAt} = await import('../helpers/local-backend.js')
    const backend = await openTestBackendAt(ws.home)
    const run = await backend.runTask({cluster: 'default', taskDefinition: 'job'})
    await backend.close()
    const taskArn = run.tasks?.[0]?.taskArn as string
    await cli('engine', 'advance', '10s')

    const psRunning = await cli('ps')
    const taskId = taskArn.slice(taskArn.indexOf('/') + 1)
    const name = `${taskId}/job`
    expect(psRunning.stdout).toBe(
      `${'Name'.padEnd(name.length + 2)}State    Ports                 TaskDefinition  Health\n` +
        `${name}  RUNNING  0.0.0.0:8080->80/tcp  job:1           UNKNOWN\n`,
    )

    const fail = await cli('engine', 'fail-task', taskArn.split('/').pop() as string, '--exit-code', '137', '--json')
    expect(fail.exitCode).toBe(0)
    const failed = JSON.parse(fail.stdout) as Task
    expect(failed.taskArn).toBe(taskArn)
    await cli('engine', 'advance', '30s')
    const stopped = JSON.parse((await cli('ps', '--desired-status', 'STOPPED', '--json')).stdout) as Task[]
    expect(stopped.map((t) => t.taskArn)).toEqual([taskArn])
    expect(stopped[0].containers?.[0]).toMatchObject({lastStatus: 'STOPPED', exitCode: 137})
    const table = await cli('ps', '--all')
    expect(table.stdout).toContain(`${taskId}/job  STOPPED ExitCode: 137`)
    expect((await cli('engine', 'fail-task', 'nope')).exitCode).toBe(1)
  })

  it('kill-instance of an unknown instance fails with exit 1; on the aws backend every engine command exits 2', async () => {
    const ws = makeWorkspace()
    const cli = (...args: string[]) => runCli(args, {cwd: ws.project, env: ws.env})
    await cli('up')
    expect((await cli('engine', 'kill-instance', 'i-00000000000000000')).exitCode).toBe(1)
    for (const args of [
      ['engine', 'status'],
      ['engine', 'advance', '1s'],
      ['engine', 'kill-instance', 'x'],
      ['engine', 'fail-task', 'x'],
    ]) {
      const r = await runCli([...args, '--backend', 'aws'], {
        cwd: ws.project,
        env: {...ws.env, AWS_REGION: 'us-east-1'},
      })
      expect(r.exitCode).toBe(2)
      expect(r.stderr).toContain('controls the local engine')
    }
  })
})
