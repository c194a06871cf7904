/**
 * The error paths of `--backend aws`, against moto_server: a dead endpoint for each service ecsx calls, credentials
 * moto's IAM rejects (moto enforces authentication after POST /moto-api/reset-auth), a missing region, and answers
 * that are not the service's protocol. Each message must name the service, the operation and the endpoint, say
 * what to do, and exit with the documented code (docs/aws.md "Errors"): rejected credentials and no region 2,
 * everything else 1. No stack traces, no secrets (session.ts checks every run).
 */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {writeFileSync} from 'node:fs'
import path from 'node:path'

import {ecs, query, REGION, SECRET_KEY, setAuth, xmlValues} from './support/moto.js'
import {expectExit, motoSession} from './support/session.js'

const session = motoSession({fixture: 'wordpress', project: 'wordpress'})
let dead: string
const CFG = ['--cluster-config', 'errs']

beforeAll(async () => {
  const s = session()
  const r = await s.ecsx(
    ['configure', '--cluster', 'errs', '--region', REGION, '--default-launch-type', 'EC2', '--config-name', 'errs'],
    s.keys,
  )
  expectExit(r, 0)
  await ecs(s.moto, 'CreateCluster', {clusterName: 'errs'})
  // a loopback port nobody listens on
  const srv = http.createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  dead = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`
  await new Promise((resolve) => srv.close(resolve))
})

/** "Error: Cannot reach <Service> at <dead> (<Operation>): connect ECONNREFUSED …" + a hint naming the variable. */
function expectUnreachable(stderr: string, service: string, operation: string, variable: string): void {
  const lines = stderr.trim().split('\n')
  const at = lines.findIndex((l) => l.startsWith('Error: '))
  const [first, second] = [lines[at] ?? stderr, lines[at + 1] ?? '']
  expect(first).toMatch(new RegExp(`^Error: Cannot reach ${service} at ${dead} \\(${operation}\\): .*ECONNREFUSED`))
  expect(second).toMatch(/^Check that the endpoint is running/)
  expect(second).toContain(variable)
}

describe('a dead endpoint: every service is named, with its operation, endpoint and the variable to fix (exit 1)', () => {
  it('ECS (ps), CloudFormation (up, scale), ECS first (down), ECR (images), ECS (logs)', async () => {
    const s = session()
    const all = {...s.keys, AWS_ENDPOINT_URL: dead, AWS_MAX_ATTEMPTS: '1'}
    const cases: Array<[string[], string, string]> = [
      [['ps', ...CFG, '--verbose'], 'ECS', 'ListTasks'],
      [['up', '--launch-type', 'FARGATE', ...CFG, '--verbose'], 'CloudFormation', 'DescribeStacks'],
      [['scale', '--size', '2', ...CFG], 'CloudFormation', 'DescribeStacks'],
      [['down', '--force', ...CFG], 'ECS', 'ListServices'],
      [['images', ...CFG], 'ECR', 'DescribeRepositories'],
      [['logs', '--task-id', '0123456789abcdef0123456789abcdef', ...CFG], 'ECS', 'DescribeTasks'],
    ]
    for (const [args, service, operation] of cases) {
      const r = await s.ecsx(args, all)
      expectExit(r, 1)
      expectUnreachable(r.stderr, service, operation, 'AWS_ENDPOINT_URL')
    }
  })

  it('CloudWatch Logs alone dead: --create-log-groups and logs name it and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', async () => {
    const s = session()
    const env = {...s.keys, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: dead, AWS_MAX_ATTEMPTS: '1'}
    const up = await s.ecsx(['compose', 'up', '--create-log-groups', ...CFG], env)
    expectExit(up, 1)
    expectUnreachable(up.stderr, 'CloudWatch Logs', 'CreateLogGroup', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS')
    expectExit(await s.ecsx(['compose', 'create', ...CFG], s.keys), 0) // registers wordpress:1 (awslogs)
    const logs = await s.ecsx(['logs', '--task-def', 'wordpress:1', '--task-id', 'x', ...CFG], env)
    expectExit(logs, 1)
    expectUnreachable(logs.stderr, 'CloudWatch Logs', 'FilterLogEvents', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS')
  })

  it('SSM dead during `up`: the AMI report is informational, named in --verbose, and up goes on', async () => {
    const s = session()
    const r = await s.ecsx(
      ['up', '--capability-iam', '--size', '0', '--cluster', 'ssm-dead', '--region', REGION, '--verbose'],
      {...s.keys, AWS_ENDPOINT_URL_SSM: dead, AWS_MAX_ATTEMPTS: '1'},
    )
    expectExit(r, 0)
    expect(r.stderr).toMatch(
      new RegExp(`Could not read SSM parameter .*Cannot reach SSM at ${dead} \\(GetParameter\\)`),
    )
    expect(r.stderr).toContain('Cluster creation succeeded.')
  })
})

describe('credentials moto rejects: exit 2, naming the credentials and how to fix them', () => {
  let user: {id: string; secret: string}
  beforeAll(async () => {
    const s = session()
    await query(s.moto, 'iam', {Action: 'CreateUser', UserName: 'ci'})
    const key = await query(s.moto, 'iam', {Action: 'CreateAccessKey', UserName: 'ci'})
    user = {id: xmlValues(key, 'AccessKeyId')[0] as string, secret: xmlValues(key, 'SecretAccessKey')[0] as string}
    await setAuth(s.moto, true)
  })
  afterAll(async () => {
    await setAuth(session().moto, false)
  })

  it('an access key moto does not know: InvalidClientTokenId from ECS, CloudFormation and ECR', async () => {
    const s = session()
    const env = {...s.keys, AWS_MAX_ATTEMPTS: '1'}
    const cases: Array<[string[], string]> = [
      [['ps', ...CFG], 'ECS ListTasks'],
      [['up', '--launch-type', 'FARGATE', ...CFG], 'CloudFormation DescribeStacks'],
      [['images', ...CFG], 'ECR DescribeRepositories'],
    ]
    for (const [args, call] of cases) {
      const r = await s.ecsx(args, env)
      expectExit(r, 2)
      expect(r.stderr).toContain(`Error: ${call} at ${s.moto.url} rejected the credentials: InvalidClientTokenId`)
      expect(r.stderr).toContain(
        'Credentials used: the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (access key AKIA…MPLE).',
      )
      expect(r.stderr).toContain('AWS does not know this access key id')
      expect(r.stderr).toContain('ecsx configure profile')
    }
  })

  it('a known key with the wrong secret: SignatureDoesNotMatch, the secret never printed', async () => {
    const s = session()
    const wrong = `${user.secret.slice(0, -4)}XXXX`
    const r = await s.ecsx(['ps', ...CFG], {AWS_ACCESS_KEY_ID: user.id, AWS_SECRET_ACCESS_KEY: wrong})
    expectExit(r, 2)
    expect(r.stderr).toMatch(/rejected the credentials: SignatureDoesNotMatch/)
    expect(r.stderr).toContain('secret access key does not match')
    expect(r.stderr).not.toContain(wrong)
    expect(r.stderr).not.toContain(user.id)
  })

  it('a valid key without permissions: exit 1 (not a credentials problem), naming the IAM action to grant', async () => {
    const s = session()
    const r = await s.ecsx(['ps', ...CFG], {AWS_ACCESS_KEY_ID: user.id, AWS_SECRET_ACCESS_KEY: user.secret})
    expectExit(r, 1)
    expect(r.stderr).toMatch(/ECS ListTasks at .* failed: AccessDenied/)
    expect(r.stderr).toContain('may not call ecs:ListTasks')
    expect(r.stderr).not.toContain(user.secret)
  })

  it('a profile that assumes a role with rejected source keys: STS AssumeRole is named (exit 2)', async () => {
    const s = session()
    writeFileSync(
      s.env.AWS_SHARED_CREDENTIALS_FILE as string,
      `[base]\naws_access_key_id = AKIAUNKNOWNBASE00001\naws_secret_access_key = ${SECRET_KEY}\n`,
    )
    writeFileSync(
      s.env.AWS_CONFIG_FILE as string,
      `[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\nregion = ${REGION}\n`,
    )
    const r = await s.ecsx(['ps', ...CFG, '--aws-profile', 'deployer'], {AWS_MAX_ATTEMPTS: '1'})
    expectExit(r, 2)
    expect(r.stderr).toContain(`Error: STS AssumeRole at ${s.moto.url} rejected the credentials: InvalidClientTokenId`)
    expect(r.stderr).toContain('Credentials used: AWS profile "deployer" given by --aws-profile.')
  })

  it('AWS_PROFILE naming a profile that does not exist: said as such, not as "environment variables"', async () => {
    const s = session()
    const r = await s.ecsx(['ps', ...CFG], {AWS_PROFILE: 'nosuch'})
    expectExit(r, 2)
    expect(r.stderr).toContain('Could not load AWS credentials from AWS profile "nosuch" named by AWS_PROFILE')
    expect(r.stderr).not.toContain('from environment variables')
  })
})

describe('no region, and answers that are not the protocol', () => {
  it('no region anywhere: exit 2 with the flags and variables that set one (no nonexistent --profile flag)', async () => {
    const s = session()
    const r = await s.ecsx(['ps', '--cluster', 'x'], {
      ...s.keys,
      AWS_REGION: undefined,
      ECSX_HOME: path.join(s.dir, 'none'),
    })
    expectExit(r, 2)
    expect(r.stderr).toContain('--aws-profile or AWS_PROFILE')
    expect(r.stderr).not.toMatch(/--profile flag/)
  })

  it("moto's own HTML error page (RunTask on a cluster without instances answers 500): status, operation, first line", async () => {
    // moto answers an internal exception with a Flask HTML page, not an ECS error (real ECS answers
    // `failures: [{reason: "RESOURCE:MEMORY"}]`-style results); ecsx must still say what happened
    const s = session()
    await ecs(s.moto, 'CreateCluster', {clusterName: 'empty'})
    const r = await s.ecsx(['compose', 'up', '--cluster', 'empty', '--region', REGION], {
      ...s.keys,
      AWS_MAX_ATTEMPTS: '1',
    })
    expectExit(r, 1)
    expect(r.stderr).toContain(
      `Error: ECS RunTask at ${s.moto.url} answered HTTP 500 with a body that is not JSON: <!doctype html> ` +
        '(title "500 Internal Server Error")',
    )
    expect(r.stderr).toMatch(/proxy.*AWS_ENDPOINT_URL/)
    expect(r.stderr).not.toMatch(/Unexpected token|hidden field/)
  })

  it('a wrong endpoint (a web page instead of ECS): the same report, naming the ECS endpoint variable', async () => {
    const s = session()
    const r = await s.ecsx(['ps', ...CFG], {
      ...s.keys,
      AWS_ENDPOINT_URL_ECS: `${s.moto.url}/moto-api/`,
      AWS_MAX_ATTEMPTS: '1',
    })
    expectExit(r, 1)
    expect(r.stderr).toMatch(
      new RegExp(`^Error: ECS ListTasks at ${s.moto.url}/moto-api/ answered HTTP \\d+ with a body that is not JSON: `),
    )
    expect(r.stderr).toContain('AWS_ENDPOINT_URL_ECS')
  })
})
