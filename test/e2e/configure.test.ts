/** e2e: `ecsx configure …` through the built CLI: files, modes, defaults, secrets never printed, exit codes. */
import {afterAll, describe, expect, it} from '@jest/globals'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {cleanupTempDirs, hasAnsi, makeWorkspace, runCli} from '../helpers/cli.js'

afterAll(cleanupTempDirs)

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

describe('e2e: configure', () => {
  it('saves cluster configurations; the first is the default; --cluster-config selects; configure default switches', async () => {
    const ws = makeWorkspace()
    const cli = (...args: string[]) => runCli(args, {cwd: ws.project, env: ws.env})
    expect(
      (
        await cli(
          'configure',
          '--cluster',
          'tutorial',
          '--region',
          'us-west-2',
          '--default-launch-type',
          'FARGATE',
          '--config-name',
          'tutorial',
        )
      ).exitCode,
    ).toBe(0)
    const second = await cli(
      'configure',
      '--cluster',
      'ec2-tutorial',
      '--region',
      'us-east-1',
      '--default-launch-type',
      'EC2',
      '--config-name',
      'ec2-tutorial',
    )
    expect(second.stdout).toBe(`Saved cluster configuration ec2-tutorial to ${ws.home}/config.\n`)
    const file = path.join(ws.home, 'config')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('default: tutorial\n')

    // the default configuration's cluster is used by up (FARGATE: no instances)
    const up = await cli('up', '--json')
    expect(JSON.parse(up.stdout)).toMatchObject({cluster: {clusterName: 'tutorial'}, containerInstances: []})
    expect(JSON.parse(up.stdout).cluster.clusterArn).toContain(':us-west-2:')
    const up2 = await cli('up', '--cluster-config', 'ec2-tutorial', '--json')
    expect(JSON.parse(up2.stdout)).toMatchObject({cluster: {clusterName: 'ec2-tutorial'}})
    expect(JSON.parse(up2.stdout).containerInstances).toHaveLength(1)

    const def = await cli('configure', 'default', '--config-name', 'ec2-tutorial', '--json')
    expect(JSON.parse(def.stdout)).toMatchObject({configName: 'ec2-tutorial', isDefault: true})
    expect(readFileSync(file, 'utf8')).toContain('default: ec2-tutorial\n')

    const unknown = await cli('ps', '--cluster-config', 'nope')
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain(
      "Cluster Configuration nope could not be found. Configure clusters using 'ecsx configure'.",
    )
    const unknownDefault = await cli('configure', 'default', '--config-name', 'nope')
    expect(unknownDefault.exitCode).toBe(2)
    const missingCluster = await cli('configure', '--config-name', 'x')
    expect(missingCluster.exitCode).toBe(2)
    expect(missingCluster.stderr).toContain('--cluster')
  })

  it('saves profiles with mode 0600 and never prints the secret; the first profile is the default', async () => {
    const ws = makeWorkspace()
    const cli = (...args: string[]) => runCli(args, {cwd: ws.project, env: ws.env})
    const saved = await cli(
      'configure',
      'profile',
      '--access-key',
      'AKIAIOSFODNN7EXAMPLE',
      '--secret-key',
      SECRET,
      '--profile-name',
      'tutorial-profile',
      '--verbose',
    )
    expect(saved.exitCode).toBe(0)
    expect(saved.stdout).toBe(`Saved ECS profile tutorial-profile to ${ws.home}/credentials (default).\n`)
    expect(saved.stdout + saved.stderr).not.toContain(SECRET)
    const file = path.join(ws.home, 'credentials')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain(`aws_secret_access_key: ${SECRET}`)

    const json = await cli(
      'configure',
      'profile',
      '--access-key',
      'AKIA2',
      '--secret-key',
      SECRET,
      '--session-token',
      'tok',
      '--profile-name',
      'other',
      '--json',
    )
    expect(JSON.parse(json.stdout)).toMatchObject({profileName: 'other', isDefault: false})
    expect(json.stdout).not.toContain(SECRET)
    const switched = await cli('configure', 'profile', 'default', '--profile-name', 'other')
    expect(switched.exitCode).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain('default: other\n')
    expect((await cli('configure', 'profile', 'default', '--profile-name', 'ghost')).exitCode).toBe(2)
  })

  it('takes keys from the environment; without a secret and without a TTY it exits 2 naming --secret-key', async () => {
    const ws = makeWorkspace()
    const fromEnv = await runCli(['configure', 'profile'], {
      cwd: ws.project,
      env: {...ws.env, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: SECRET},
    })
    expect(fromEnv.exitCode).toBe(0)
    expect(readFileSync(path.join(ws.home, 'credentials'), 'utf8')).toContain('aws_access_key_id: AKIAENV')
    const noSecret = await runCli(['configure', 'profile', '--access-key', 'AKIA', '--profile-name', 'x'], {
      cwd: ws.project,
      env: ws.env,
    })
    expect(noSecret.exitCode).toBe(2)
    expect(noSecret.stderr).toContain('--secret-key')
    expect(hasAnsi(noSecret.stderr)).toBe(false)
  })

  it('falls back to ~/.ecs/config when ecsx has no configuration', async () => {
    const ws = makeWorkspace()
    mkdirSync(path.join(ws.env.HOME, '.ecs'), {recursive: true})
    writeFileSync(
      path.join(ws.env.HOME, '.ecs', 'config'),
      'version: v1\ndefault: legacy\nclusters:\n  legacy:\n    cluster: from-ecs-cli\n    region: eu-west-1\n    default_launch_type: ""\n',
    )
    const up = await runCli(['up', '--empty', '--json'], {cwd: ws.project, env: ws.env})
    expect(up.exitCode).toBe(0)
    expect(JSON.parse(up.stdout).cluster).toMatchObject({clusterName: 'from-ecs-cli'})
    expect(JSON.parse(up.stdout).cluster.clusterArn).toContain(':eu-west-1:')
  })

  it("migrate: exit 2 without --force and no TTY; --force writes ecsx's files from the legacy INI file", async () => {
    const ws = makeWorkspace()
    mkdirSync(path.join(ws.env.HOME, '.ecs'), {recursive: true})
    writeFileSync(
      path.join(ws.env.HOME, '.ecs', 'config'),
      `[ecs]\ncluster = old\nregion = us-west-2\naws_access_key_id = AKIAOLD\naws_secret_access_key = ${SECRET}\n`,
    )
    const refused = await runCli(['configure', 'migrate'], {cwd: ws.project, env: ws.env})
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('--force')
    expect(refused.stderr).not.toContain(SECRET)
    const done = await runCli(['configure', 'migrate', '--force'], {cwd: ws.project, env: ws.env})
    expect(done.exitCode).toBe(0)
    expect(done.stdout).toBe(`Wrote ${ws.home}/config\nWrote ${ws.home}/credentials\n`)
    expect(readFileSync(path.join(ws.home, 'config'), 'utf8')).toContain(
      'compose-service-name-prefix: ecscompose-service-',
    )
  })
})
