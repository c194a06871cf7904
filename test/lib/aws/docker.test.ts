import {describe, expect, it} from '@jest/globals'
import {PassThrough} from 'node:stream'

import {createDockerCli} from '../../../src/lib/aws/docker.js'
import {EcsxError} from '../../../src/lib/errors.js'
import {installFakeDocker, pathWithoutDocker} from './support/fake-docker.js'

function sink(): PassThrough & {text(): string} {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (c: Buffer) => (text += c.toString()))
  return Object.assign(stream, {text: () => text})
}

async function failure(promise: Promise<unknown>): Promise<EcsxError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(EcsxError)
    return err as EcsxError
  }
  throw new Error('expected a failure')
}

describe('docker CLI wrapper', () => {
  it('no docker on PATH: exit 1 "Docker is not available" with how to fix it', async () => {
    const err = await failure(createDockerCli({env: pathWithoutDocker()}).ensureAvailable())
    expect(err.exitCode).toBe(1)
    expect(err.message).toBe('Docker is not available: the `docker` command was not found on PATH.')
    expect(err.hint).toContain('Install Docker')
  })

  it('docker present but no daemon: exit 1 quoting docker info', async () => {
    const fake = installFakeDocker({FAKE_DOCKER_DAEMON_DOWN: '1'})
    const err = await failure(createDockerCli({env: fake.env}).ensureAvailable())
    expect(err.exitCode).toBe(1)
    expect(err.message).toBe(
      'Docker is not available: `docker info` failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    )
    expect(err.hint).toContain('Start the Docker daemon')
    expect(fake.invocations()).toEqual([{argv: ['info', '--format', '{{.ServerVersion}}'], stdin: ''}])
  })

  it('login sends the password through stdin, never argv', async () => {
    const fake = installFakeDocker()
    const password = 'eyJwYXlsb2FkIjoiU0VDUkVUIn0='
    await createDockerCli({env: fake.env}).login('123456789012.dkr.ecr.us-west-2.amazonaws.com', 'AWS', password)
    const [call] = fake.invocations()
    expect(call).toEqual({
      argv: ['login', '--username', 'AWS', '--password-stdin', '123456789012.dkr.ecr.us-west-2.amazonaws.com'],
      stdin: password,
    })
    expect(call?.argv.join(' ')).not.toContain(password)
  })

  it('a failing login never repeats the password in the error', async () => {
    const fake = installFakeDocker({FAKE_DOCKER_FAIL: 'login'})
    const password = 'TOP-SECRET-TOKEN-123'
    const err = await failure(createDockerCli({env: fake.env}).login('r.example', 'AWS', password))
    expect(err.exitCode).toBe(1)
    expect(err.message).toContain('docker login to r.example failed (docker exit code 1)')
    expect(err.message).toContain('stdin was: ****')
    expect(err.message).not.toContain(password)
  })

  it('push and pull stream docker output to the given stream (stderr by default), tag passes both names', async () => {
    const fake = installFakeDocker()
    const out = sink()
    const docker = createDockerCli({env: fake.env, output: out})
    await docker.tag('web:1', 'r.example/web:1')
    await docker.push('r.example/web:1')
    await docker.pull('r.example/web:1')
    expect(fake.invocations().map((i) => i.argv)).toEqual([
      ['tag', 'web:1', 'r.example/web:1'],
      ['push', 'r.example/web:1'],
      ['pull', 'r.example/web:1'],
    ])
    expect(out.text()).toContain('The push refers to repository [r.example/web:1]')
    expect(out.text()).toContain('Status: Downloaded newer image for r.example/web:1')
  })

  it("a failing push is exit 1 with docker's last lines", async () => {
    const fake = installFakeDocker({FAKE_DOCKER_FAIL: 'push'})
    const err = await failure(createDockerCli({env: fake.env, output: sink()}).push('r.example/web:1'))
    expect(err.message).toMatch(
      /^docker push r\.example\/web:1 failed \(docker exit code 1\): fake docker: push failed/,
    )
  })
})
