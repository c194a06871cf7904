import {afterEach, describe, expect, it} from '@jest/globals'

import {
  commandOverrides,
  composeRun,
  composeScale,
  composeStart,
  composeStop,
  composeUp,
  projectTasks,
  shellSplit,
  type TaskProject,
} from '../../../src/lib/workflows/project-tasks.js'
import {InputError, OperationError} from '../../../src/lib/errors.js'
import {projectNames} from '../../../src/lib/workflows/project.js'
import {findTasks} from '../../../src/lib/ecs/lookups.js'
import {registerTaskDefinition} from '../../../src/lib/workflows/register.js'
import {recordingUi} from './wait/fakes.js'
import {type LocalCluster, localCluster, translation, webAndWorker} from './local-cluster.js'

let env: LocalCluster | undefined
afterEach(async () => {
  await env?.cleanup()
  env = undefined
})

function project(c: LocalCluster, td = webAndWorker()): TaskProject {
  return {
    backend: c.backend,
    ui: recordingUi(),
    cluster: c.cluster,
    names: projectNames('shop', {composeProjectNamePrefix: '', composeServiceNamePrefix: ''}),
    translation: translation(td),
    timeoutMs: 60_000,
    register: registerTaskDefinition,
    listTasks: findTasks,
  }
}

const revisions = (tasks: Array<{taskDefinitionArn?: string}>) =>
  tasks.map((t) => t.taskDefinitionArn?.split(':').pop())

describe('compose task workflows on the local engine', () => {
  it('up starts one task with ecs-cli group and startedBy, waits until RUNNING, and is idempotent', async () => {
    env = await localCluster(2)
    const p = project(env)
    const started = await composeUp(p, {forceUpdate: false})
    expect(started).toHaveLength(1)
    expect(started[0]).toMatchObject({lastStatus: 'RUNNING', group: 'task:shop', startedBy: 'shop'})
    expect(await composeUp(p, {forceUpdate: false})).toEqual([])
    expect(await projectTasks(p)).toHaveLength(1)
  })

  it('up replaces tasks of an older revision with as many of the new one; --force-update always replaces', async () => {
    env = await localCluster(2)
    await composeUp(project(env), {forceUpdate: false})
    await composeScale(project(env), 2)
    const changed = project(env, webAndWorker('nginx:1.27'))
    const replaced = await composeUp(changed, {forceUpdate: false})
    expect(revisions(replaced)).toEqual(['2', '2'])
    const running = await projectTasks(changed)
    expect(revisions(running)).toEqual(['2', '2'])
    const forced = await composeUp(changed, {forceUpdate: true})
    expect(forced).toHaveLength(2)
    expect((await projectTasks(changed)).map((t) => t.taskArn).sort()).toEqual(forced.map((t) => t.taskArn).sort())
  })

  it('start starts one task only when none runs', async () => {
    env = await localCluster(1)
    expect(await composeStart(project(env))).toHaveLength(1)
    expect(await composeStart(project(env))).toEqual([])
  })

  it('scale runs the missing tasks and stops the newest extra ones', async () => {
    env = await localCluster(2)
    const p = project(env)
    const first = await composeScale(p, 3)
    expect(first).toHaveLength(3)
    const oldest = (await projectTasks(p))[0].taskArn
    expect(await composeScale(p, 1)).toEqual([])
    const left = await projectTasks(p)
    expect(left.map((t) => t.taskArn)).toEqual([oldest])
    await expect(composeScale(p, -1)).rejects.toBeInstanceOf(InputError)
  })

  it('a static host port that is taken everywhere is a placement failure (exit 1) with a hint', async () => {
    env = await localCluster(1)
    const p = project(env, webAndWorker('nginx', 80))
    await composeUp(p, {forceUpdate: false})
    const err = await composeScale(p, 2).catch((e) => e)
    expect(err).toBeInstanceOf(OperationError)
    expect(err.message).toMatch(/Could not place 1 of 1 task\(s\) of shop:1: RESOURCE:PORTS/)
    expect(err.hint).toContain('dynamic host ports')
  })

  it('stop stops every task of the project and waits until they are STOPPED', async () => {
    env = await localCluster(2)
    const p = project(env)
    await composeScale(p, 2)
    const stopped = await composeStop(p)
    expect(stopped.map((t) => t.lastStatus)).toEqual(['STOPPED', 'STOPPED'])
    expect(await projectTasks(p)).toEqual([])
    expect(await composeStop(p)).toEqual([])
  })

  it('run starts one task with the command overrides', async () => {
    env = await localCluster(1)
    const [task] = await composeRun(project(env), ['worker', "sh -c 'echo hello; sleep 1'"])
    expect(task.overrides?.containerOverrides).toContainEqual({
      name: 'worker',
      command: ['sh', '-c', 'echo hello; sleep 1'],
    })
    expect(task.lastStatus).toBe('RUNNING')
  })
})

describe('command overrides', () => {
  it('splits like a shell', () => {
    expect(shellSplit('echo "a b" c\\ d \'e "f"\'')).toEqual(['echo', 'a b', 'c d', 'e "f"'])
    expect(shellSplit('  ')).toEqual([])
    expect(shellSplit('x ""')).toEqual(['x', ''])
    expect(() => shellSplit('echo "open')).toThrow(InputError)
  })
  it('needs container/command pairs naming real containers', () => {
    expect(commandOverrides(['web', 'ls -l'], ['web', 'db'])).toEqual([{name: 'web', command: ['ls', '-l']}])
    expect(() => commandOverrides(['web'], ['web'])).toThrow('has no command')
    expect(() => commandOverrides(['cache', 'x'], ['web'])).toThrow('the project has no container "cache"')
    expect(() => commandOverrides(['web', 'a', 'web', 'b'], ['web'])).toThrow('given twice')
  })
})
