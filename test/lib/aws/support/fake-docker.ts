/**
 * A fake `docker` executable on PATH: a small node script that appends {argv, stdin} of every invocation to a
 * JSON-lines log, and behaves per environment variables:
 *   FAKE_DOCKER_DAEMON_DOWN=1   `docker info` fails like a machine without a daemon;
 *   FAKE_DOCKER_FAIL=<command>  that sub-command (push, pull, login, tag) exits 1 and echoes its stdin to stderr.
 */
import {chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'

interface DockerInvocation {
  argv: string[]
  stdin: string
}

export interface FakeDocker {
  dir: string
  /** Environment for the child: PATH with the fake first. */
  env: NodeJS.ProcessEnv
  invocations(): DockerInvocation[]
}

const SCRIPT = `#!/usr/bin/env node
const fs = require('fs')
const argv = process.argv.slice(2)
const chunks = []
process.stdin.on('data', (c) => chunks.push(c))
process.stdin.on('end', () => {
  const stdin = Buffer.concat(chunks).toString('utf8')
  fs.appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify({argv, stdin}) + '\\n')
  const cmd = argv[0]
  if (cmd === 'info' && process.env.FAKE_DOCKER_DAEMON_DOWN === '1') {
    process.stderr.write('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\\n')
    process.exit(1)
  }
  if (process.env.FAKE_DOCKER_FAIL === cmd) {
    process.stderr.write('fake docker: ' + cmd + ' failed; stdin was: ' + stdin + '\\n')
    process.exit(1)
  }
  if (cmd === 'info') process.stdout.write('27.3.1\\n')
  if (cmd === 'login') process.stdout.write('Login Succeeded\\n')
  if (cmd === 'push') process.stdout.write('The push refers to repository [' + argv[1] + ']\\nlatest: digest: sha256:abc size: 529\\n')
  if (cmd === 'pull') process.stdout.write('Status: Downloaded newer image for ' + argv[1] + '\\n')
})
`

export function installFakeDocker(extraEnv: Record<string, string> = {}): FakeDocker {
  const dir = mkdtempSync(join(tmpdir(), 'ecsx-fake-docker-'))
  const script = join(dir, 'docker')
  writeFileSync(script, SCRIPT)
  chmodSync(script, 0o755)
  const log = join(dir, 'invocations.jsonl')
  return {
    dir,
    env: {...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, FAKE_DOCKER_LOG: log, ...extraEnv},
    invocations: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as DockerInvocation)
        : [],
  }
}

/** A PATH with no docker on it (only an empty directory). */
export function pathWithoutDocker(): NodeJS.ProcessEnv {
  return {...process.env, PATH: mkdtempSync(join(tmpdir(), 'ecsx-no-docker-'))}
}
