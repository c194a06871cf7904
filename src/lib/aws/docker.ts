/**
 * The local `docker` CLI, for `ecsx push` / `ecsx pull`. ecsx never talks to the Docker daemon itself: it runs
 * `docker` with arguments, streams its output to stderr (stdout stays for ecsx's own data/JSON), and turns failures
 * into ecsx errors. Registry passwords go to `docker login --password-stdin` through stdin — never in argv, never
 * printed (any echo in docker's output is redacted).
 */
import {spawn} from 'node:child_process'

import {OperationError} from '../errors.js'

export interface DockerCli {
  /** `docker` is on PATH and its daemon answers `docker info`; else exit 1 "Docker is not available: …". */
  ensureAvailable(): Promise<void>
  login(registry: string, username: string, password: string): Promise<void>
  tag(source: string, target: string): Promise<void>
  push(ref: string): Promise<void>
  pull(ref: string): Promise<void>
}

export interface DockerCliOptions {
  /** Executable name or path (default `docker`, looked up on env.PATH). */
  binary?: string
  env?: NodeJS.ProcessEnv
  /** Where docker's progress output goes (default: process.stderr). */
  output?: NodeJS.WritableStream
}

interface RunResult {
  code: number
  stdout: string
  stderr: string
}

const NOT_FOUND_HINT =
  'Install Docker (https://docs.docker.com/get-docker/) and make sure `docker` is on PATH, or run this command where Docker is available.'
const DAEMON_HINT = 'Start the Docker daemon (or point DOCKER_HOST at one), then try again.'

export function createDockerCli(options: DockerCliOptions = {}): DockerCli {
  const binary = options.binary ?? 'docker'
  const env = options.env ?? process.env
  const output = options.output ?? process.stderr
  const secrets: string[] = []
  const redact = (text: string) => secrets.reduce((t, s) => (s ? t.split(s).join('****') : t), text)

  function run(args: string[], runOptions: {input?: string; stream?: boolean} = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, {env, stdio: ['pipe', 'pipe', 'pipe']})
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        if (runOptions.stream) output.write(redact(chunk.toString()))
      })
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (runOptions.stream) output.write(redact(chunk.toString()))
      })
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT')
          reject(
            new OperationError(
              `Docker is not available: the \`${binary}\` command was not found on PATH.`,
              NOT_FOUND_HINT,
            ),
          )
        else
          reject(
            new OperationError(`Docker is not available: cannot run \`${binary}\`: ${err.message}`, NOT_FOUND_HINT),
          )
      })
      child.on('close', (code) => resolve({code: code ?? 1, stdout, stderr}))
      child.stdin.on('error', () => {}) // the child may exit before reading stdin
      child.stdin.end(runOptions.input ?? '')
    })
  }

  function failure(what: string, result: RunResult): OperationError {
    const detail = redact((result.stderr || result.stdout).trim().split('\n').slice(-3).join('\n'))
    return new OperationError(`${what} failed (docker exit code ${result.code})${detail ? `: ${detail}` : '.'}`)
  }

  return {
    async ensureAvailable() {
      const result = await run(['info', '--format', '{{.ServerVersion}}'])
      if (result.code !== 0) {
        const detail =
          (result.stderr || result.stdout)
            .trim()
            .split('\n')
            .find((l) => l.trim()) ?? `exit code ${result.code}`
        throw new OperationError(`Docker is not available: \`${binary} info\` failed: ${detail}`, DAEMON_HINT)
      }
    },
    async login(registry, username, password) {
      secrets.push(password)
      const result = await run(['login', '--username', username, '--password-stdin', registry], {input: password})
      if (result.code !== 0) throw failure(`docker login to ${registry}`, result)
    },
    async tag(source, target) {
      const result = await run(['tag', source, target])
      if (result.code !== 0) throw failure(`docker tag ${source} ${target}`, result)
    },
    async push(ref) {
      const result = await run(['push', ref], {stream: true})
      if (result.code !== 0) throw failure(`docker push ${ref}`, result)
    },
    async pull(ref) {
      const result = await run(['pull', ref], {stream: true})
      if (result.code !== 0) throw failure(`docker pull ${ref}`, result)
    },
  }
}
