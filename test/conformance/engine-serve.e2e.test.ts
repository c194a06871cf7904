/**
 * `ecsx engine serve` as a user runs it: the built CLI in a child process on a free port, driven by the AWS SDK and by
 * ecsx itself on the aws backend (`--endpoint-url`), sharing state with ecsx on the local backend; then shut down by
 * signal. Needs dist/ (npm test builds first).
 */
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterAll, afterEach, describe, expect, it} from '@jest/globals'

import {createAwsBackend} from '../../src/lib/backend/aws.js'
import type {Backend} from '../../src/lib/ecs/backend.js'
import {baseEnv, BIN, cleanupTempDirs, makeWorkspace, runCli} from '../helpers/cli.js'
import {register, registerInstance, sleepDef} from './fixtures.js'

// Node 20: the SDK's one-time NodeVersionSupportWarning is noise here (bin/run.js silences it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const KEYS = {AWS_ACCESS_KEY_ID: 'AKIDSERVEE2E0001', AWS_SECRET_ACCESS_KEY: 'serve-e2e-secret', AWS_REGION: 'us-east-1'}

interface Served {
  child: ChildProcessWithoutNullStreams
  url: string
  stdout: () => string
  stderr: () => string
  exited: Promise<number>
}

const children: ChildProcessWithoutNullStreams[] = []

function serve(args: string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'engine', 'serve', ...args], {env: {...baseEnv(), ...env}})
  children.push(child)
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine serve did not start: ${err}`)), 20_000)
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString()
      const m = /^Listening on (http:\/\/\S+)\nexport AWS_ENDPOINT_URL_ECS=\S+$/m.exec(err)
      if (m) {
        clearTimeout(timer)
        resolve({child, url: m[1], stdout: () => out, stderr: () => err, exited})
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`engine serve exited ${code} before listening: ${err}`))
    })
  })
}

function awsBackend(url: string): Promise<Backend> {
  return createAwsBackend(
    {
      backend: 'aws',
      home: '/nonexistent',
      cluster: 'e2e',
      region: 'us-east-1',
      composeServiceNamePrefix: '',
      composeProjectNamePrefix: '',
      cfnStackName: 'x',
      endpointUrl: url,
      credentials: {source: 'env', accessKeyId: KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY},
      verbose: false,
    },
    undefined,
    {maxAttempts: 1},
  )
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})
afterAll(() => cleanupTempDirs())

describe('ecsx engine serve (e2e)', () => {
  it('serves the local engine to the SDK and to ecsx --backend aws, shares state with the local backend, stops on SIGTERM', async () => {
    const ws = makeWorkspace()
    const served = await serve(['--port', '0', '--verbose'], ws.env)
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(served.stderr()).toContain(`export AWS_ENDPOINT_URL_ECS=${served.url}`)

    const sdk = await awsBackend(served.url)
    await sdk.createCluster({clusterName: 'e2e'})
    await registerInstance(sdk, 'e2e', {instanceId: 'i-0000000000000e2e'})
    await register(sdk, sleepDef())
    const {tasks} = await sdk.runTask({cluster: 'e2e', taskDefinition: 'sleep360'})
    await sdk.close()
    const taskArn = tasks![0].taskArn!

    // ecsx on the aws backend, through the server
    const viaAws = await runCli(
      ['ps', '--backend', 'aws', '--endpoint-url', served.url, '--cluster', 'e2e', '--json'],
      {cwd: ws.project, env: {...ws.env, ...KEYS}},
    )
    expect(viaAws.stderr).not.toContain(KEYS.AWS_SECRET_ACCESS_KEY)
    expect(viaAws.exitCode).toBe(0)
    expect((JSON.parse(viaAws.stdout) as Array<{taskArn: string}>).map((t) => t.taskArn)).toEqual([taskArn])

    // ecsx on the local backend, same ECSX_HOME, while the server runs
    const local = await runCli(['ps', '--cluster', 'e2e', '--json'], {cwd: ws.project, env: ws.env})
    expect(local.exitCode).toBe(0)
    expect((JSON.parse(local.stdout) as Array<{taskArn: string}>).map((t) => t.taskArn)).toEqual([taskArn])

    // ECS errors come back through the SDK with their names; exit code 1
    const missing = await runCli(['ps', '--backend', 'aws', '--endpoint-url', served.url, '--cluster', 'nope'], {
      cwd: ws.project,
      env: {...ws.env, ...KEYS},
    })
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toContain('ClusterNotFoundException')

    expect(served.stderr()).toMatch(/^200 RunTask \d+ms$/m)
    served.child.kill('SIGTERM')
    expect(await served.exited).toBe(0)
    expect(served.stderr()).toMatch(/Stopped \(SIGTERM\) after \d+ requests\./)
    expect(served.stdout()).toBe('')
  })

  it('prints the result as JSON on shutdown with --json', async () => {
    const ws = makeWorkspace()
    const served = await serve(['--port', '0', '--json'], ws.env)
    const sdk = await awsBackend(served.url)
    await sdk.listClusters({})
    await sdk.close()
    served.child.kill('SIGINT')
    expect(await served.exited).toBe(0)
    const result = JSON.parse(served.stdout()) as {url: string; port: number; requests: number}
    expect(result).toEqual({url: served.url, host: '127.0.0.1', port: Number(new URL(served.url).port), requests: 1})
  })

  it('refuses a non-loopback host without --allow-remote (exit 2)', async () => {
    const ws = makeWorkspace()
    const r = await runCli(['engine', 'serve', '--host', '0.0.0.0', '--port', '0'], {env: ws.env})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('Refusing to listen on 0.0.0.0')
    expect(r.stderr).toContain('--allow-remote')
  })

  it('listens on a wildcard address only with --allow-remote, warns, and prints a loopback URL', async () => {
    const ws = makeWorkspace()
    const served = await serve(['--host', '0.0.0.0', '--allow-remote', '--port', '0'], ws.env)
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(served.stderr()).toMatch(/without authentication/)
    const sdk = await awsBackend(served.url)
    expect((await sdk.listClusters({})).clusterArns).toEqual([])
    await sdk.close()
    served.child.kill('SIGTERM')
    expect(await served.exited).toBe(0)
  })

  it('rejects --backend aws (exit 2)', async () => {
    const ws = makeWorkspace()
    const r = await runCli(['engine', 'serve', '--backend', 'aws', '--port', '0'], {env: ws.env})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('serves the local engine')
  })

  it('reports a port in use (exit 1)', async () => {
    const ws = makeWorkspace()
    const blocker = http.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    try {
      const r = await runCli(['engine', 'serve', '--port', String(port)], {env: ws.env})
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use.`)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })
})
