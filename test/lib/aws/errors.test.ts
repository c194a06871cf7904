/**
 * The one error translation of every AWS client (src/lib/aws/errors.ts, installed by sdk-config.ts): the real SDK
 * clients of ECS, CloudFormation, SSM, ECR, CloudWatch Logs — and STS inside the credential chain — against a loopback
 * server that answers what a dead endpoint, a proxy, or a service refusing the credentials answers. Each case was a
 * bare `Error: connect ECONNREFUSED …`, `Unexpected token '<'…` or an exit-1 message without a hint before (issue 12).
 */
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'
import {mkdtempSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {awsCallOf} from '../../../src/lib/aws/call-context.js'
import {AwsCredentialsRejectedError, serviceOfClient, translateAwsError} from '../../../src/lib/aws/errors.js'
import {createAwsClient} from '../../../src/lib/aws/sdk-config.js'
import {formatError} from '../../../src/lib/base-command.js'
import type {ResolvedSettings} from '../../../src/lib/config/types.js'
import {EcsxError, InputError, OperationError} from '../../../src/lib/errors.js'
import {awsSettings, TEST_ACCESS_KEY, TEST_SECRET_KEY} from './support/fakes.js'

interface Answer {
  status: number
  body: string
  type?: string
}
let answer: (req: {target?: string; body: string}) => Answer = () => ({status: 200, body: '{}'})
let server: http.Server
let url: string
let deadUrl: string
const tmp = mkdtempSync(path.join(tmpdir(), 'ecsx-aws-errors-'))
const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
  'AWS_MAX_ATTEMPTS',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
]
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]))

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const target = req.headers['x-amz-target']
      const a = answer({
        target: typeof target === 'string' ? target : undefined,
        body: Buffer.concat(chunks).toString(),
      })
      res.writeHead(a.status, {'content-type': a.type ?? 'application/x-amz-json-1.1', 'x-amzn-requestid': 'rid-1'})
      res.end(a.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const dead = http.createServer()
  await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
  deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`
  await new Promise((resolve) => dead.close(resolve))
  process.env.AWS_MAX_ATTEMPTS = '1'
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  process.env.AWS_CONFIG_FILE = path.join(tmp, 'no-config')
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmp, 'no-credentials')
})
afterAll(async () => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  process.env.AWS_ENDPOINT_URL = url
  answer = () => ({status: 200, body: '{}'})
})
afterEach(() => {
  delete process.env.AWS_ENDPOINT_URL_STS
})

type Call = (settings: ResolvedSettings) => Promise<unknown>

/** One call per client ecsx builds, through createAwsClient like the product code. */
const CLIENTS: Array<{label: string; variable: string; operation: string; format: string; call: Call}> = [
  {
    label: 'ECS',
    variable: 'AWS_ENDPOINT_URL_ECS',
    operation: 'ListClusters',
    format: 'JSON',
    call: async (s) => {
      const sdk = await import('@aws-sdk/client-ecs')
      const c = await createAwsClient(sdk.ECSClient, s)
      return c.send(new sdk.ListClustersCommand({})).finally(() => c.destroy())
    },
  },
  {
    label: 'CloudFormation',
    variable: 'AWS_ENDPOINT_URL_CLOUDFORMATION',
    operation: 'DescribeStacks',
    format: 'XML',
    call: async (s) => {
      const sdk = await import('@aws-sdk/client-cloudformation')
      const c = await createAwsClient(sdk.CloudFormationClient, s)
      return c.send(new sdk.DescribeStacksCommand({StackName: 'x'})).finally(() => c.destroy())
    },
  },
  {
    label: 'SSM',
    variable: 'AWS_ENDPOINT_URL_SSM',
    operation: 'GetParameter',
    format: 'JSON',
    call: async (s) => {
      const sdk = await import('@aws-sdk/client-ssm')
      const c = await createAwsClient(sdk.SSMClient, s)
      return c.send(new sdk.GetParameterCommand({Name: '/x'})).finally(() => c.destroy())
    },
  },
  {
    label: 'ECR',
    variable: 'AWS_ENDPOINT_URL_ECR',
    operation: 'DescribeRepositories',
    format: 'JSON',
    call: async (s) => {
      const sdk = await import('@aws-sdk/client-ecr')
      const c = await createAwsClient(sdk.ECRClient, s)
      return c.send(new sdk.DescribeRepositoriesCommand({})).finally(() => c.destroy())
    },
  },
  {
    label: 'CloudWatch Logs',
    variable: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
    operation: 'DescribeLogGroups',
    format: 'JSON',
    call: async (s) => {
      const sdk = await import('@aws-sdk/client-cloudwatch-logs')
      const c = await createAwsClient(sdk.CloudWatchLogsClient, s)
      return c.send(new sdk.DescribeLogGroupsCommand({})).finally(() => c.destroy())
    },
  },
]

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e as Error & {hint?: string},
  )

describe('a dead endpoint, for every client', () => {
  it.each(CLIENTS)(
    '$label: exit 1 naming the service, the operation, the endpoint and the variable that set it',
    async (c) => {
      process.env.AWS_ENDPOINT_URL = deadUrl
      const err = await fail(c.call(awsSettings()))
      expect(err).toBeInstanceOf(OperationError)
      expect((err as OperationError).exitCode).toBe(1)
      expect(err.message).toMatch(
        new RegExp(`^Cannot reach ${c.label} at ${deadUrl} \\(${c.operation}\\): .*ECONNREFUSED`),
      )
      expect(err.hint).toMatch(/^Check that the endpoint is running/)
      expect(err.hint).toContain(`and that AWS_ENDPOINT_URL (or ${c.variable} for ${c.label} alone) is right.`)
      expect(formatError(err, true)).not.toContain('    at ') // no stack trace under --verbose
    },
  )

  it('STS inside the credential chain (a profile that assumes a role) is named as STS AssumeRole', async () => {
    writeRoleProfile('deployer')
    process.env.AWS_ENDPOINT_URL_STS = deadUrl
    const settings = awsSettings({credentials: {source: 'flag-aws-profile', awsProfile: 'deployer'}})
    const err = await fail(CLIENTS[0]!.call(settings))
    expect(err).toBeInstanceOf(OperationError)
    expect(err.message).toMatch(new RegExp(`^Cannot reach STS at ${deadUrl} \\(AssumeRole\\): .*ECONNREFUSED`))
    expect(err.hint).toContain('AWS_ENDPOINT_URL_STS is right')
  })
})

function writeRoleProfile(name: string): void {
  const credentials = path.join(tmp, `credentials-${name}`)
  const config = path.join(tmp, `config-${name}`)
  writeFileSync(credentials, '[base]\naws_access_key_id = AKIDBASEPROFILE1\naws_secret_access_key = basesecret\n')
  writeFileSync(
    config,
    `[profile ${name}]\nrole_arn = arn:aws:iam::000000000000:role/deployer\nsource_profile = base\n`,
  )
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentials
  process.env.AWS_CONFIG_FILE = config
}

describe('an answer that is not the protocol (a proxy, a wrong endpoint)', () => {
  const page = '<!doctype html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'

  it.each(CLIENTS)('$label: HTTP status, endpoint, operation and the first line of the body (exit 1)', async (c) => {
    answer = () => ({status: 502, body: page, type: 'text/html'})
    const err = await fail(c.call(awsSettings()))
    expect(err).toBeInstanceOf(OperationError)
    expect(err.message).toBe(
      `${c.label} ${c.operation} at ${url} answered HTTP 502 with a body that is not ${c.format}: ` +
        '<!doctype html> (title "502 Bad Gateway")',
    )
    expect(err.message).not.toMatch(/Unexpected token|hidden field|\$response/)
    expect(err.hint).toMatch(/proxy.*AWS_ENDPOINT_URL.*HTTPS_PROXY/)
  })

  it('a 200 page (captive portal) and an empty 503 are reported the same way', async () => {
    answer = () => ({status: 200, body: 'Welcome to the hotel Wi-Fi\n<form>', type: 'text/html'})
    const portal = await fail(CLIENTS[0]!.call(awsSettings()))
    expect(portal.message).toBe(
      `ECS ListClusters at ${url} answered HTTP 200 with a body that is not JSON: Welcome to the hotel Wi-Fi`,
    )
    answer = () => ({status: 503, body: '', type: 'text/plain'})
    const empty = await fail(CLIENTS[1]!.call(awsSettings()))
    expect(empty).toBeInstanceOf(OperationError)
    expect(empty.message).toBe(`CloudFormation DescribeStacks at ${url} answered HTTP 503 with an empty body`)
  })
})

describe('credentials the service rejects: exit 2, which credentials, how to fix', () => {
  const cases: Array<[code: string, status: number, hint: RegExp]> = [
    ['InvalidClientTokenId', 403, /does not know this access key id/],
    ['UnrecognizedClientException', 400, /does not know this access key id/],
    ['SignatureDoesNotMatch', 403, /secret access key does not match/],
    ['InvalidSignatureException', 400, /secret access key does not match/],
    ['ExpiredToken', 400, /have expired.*aws sso login/],
    ['ExpiredTokenException', 400, /have expired/],
  ]
  it.each(cases)('%s (JSON service)', async (code, status, hint) => {
    answer = () => ({status, body: JSON.stringify({__type: code, message: 'The security token is not valid.'})})
    const err = await fail(CLIENTS[0]!.call(awsSettings()))
    expect(err).toBeInstanceOf(AwsCredentialsRejectedError)
    expect((err as InputError).exitCode).toBe(2)
    expect(err.message).toBe(
      `ECS ListClusters at ${url} rejected the credentials: ${code}: The security token is not valid.\n` +
        'Credentials used: the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (access key AKID…5678).',
    )
    expect(err.hint).toMatch(hint)
    expect(err.hint).toContain('ecsx configure profile')
    expect(`${err.message}${err.hint}`).not.toContain(TEST_SECRET_KEY)
    expect(`${err.message}${err.hint}`).not.toContain(TEST_ACCESS_KEY)
  })

  it('InvalidClientTokenId from CloudFormation (XML), naming the ecsx profile used', async () => {
    answer = () => ({
      status: 403,
      type: 'text/xml',
      body:
        '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>' +
        '<Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>',
    })
    const settings = awsSettings({
      credentials: {
        source: 'flag-ecs-profile',
        ecsProfile: 'tutorial',
        accessKeyId: TEST_ACCESS_KEY,
        secretAccessKey: TEST_SECRET_KEY,
      },
    })
    const err = await fail(CLIENTS[1]!.call(settings))
    expect((err as InputError).exitCode).toBe(2)
    expect(err.message).toContain('CloudFormation DescribeStacks at')
    expect(err.message).toContain(
      'Credentials used: ecsx profile "tutorial" given by --ecs-profile (access key AKID…5678).',
    )
  })

  it('an XML error answered to a JSON service (moto does this) is still read for its code', async () => {
    answer = () => ({
      status: 403,
      type: 'text/html',
      body:
        '<?xml version="1.0" encoding="utf-8"?>\n<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code>' +
        '<Message>The security token included in the request is invalid.</Message></Error></Errors></ErrorResponse>',
    })
    const err = await fail(CLIENTS[4]!.call(awsSettings()))
    expect(err).toBeInstanceOf(AwsCredentialsRejectedError)
    expect(err.message).toMatch(
      /^CloudWatch Logs DescribeLogGroups at .* rejected the credentials: InvalidClientTokenId/,
    )
  })

  it('any other AWS error answered in the wrong format keeps its code: exit 1, with the permission to grant', async () => {
    answer = () => ({
      status: 403,
      type: 'text/html',
      body: '<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>not allowed</Message></Error></Errors></ErrorResponse>',
    })
    const err = await fail(CLIENTS[4]!.call(awsSettings()))
    expect(err).toBeInstanceOf(OperationError)
    expect(err.message).toBe(
      `CloudWatch Logs DescribeLogGroups at ${url} failed: AccessDenied: not allowed (answered in XML, not JSON)`,
    )
    expect(err.hint).toContain('may not call logs:DescribeLogGroups')
  })

  it('STS refusing the source credentials of a role profile (AccessDenied on AssumeRole) is exit 2 too', async () => {
    writeRoleProfile('denied')
    process.env.AWS_ENDPOINT_URL_STS = url
    answer = (req) =>
      req.target
        ? {status: 200, body: '{}'}
        : {
            status: 403,
            type: 'text/xml',
            body:
              '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::0:user/ci ' +
              'is not authorized to perform: sts:AssumeRole</Message></Error></ErrorResponse>',
          }
    const err = await fail(
      CLIENTS[0]!.call(awsSettings({credentials: {source: 'flag-aws-profile', awsProfile: 'denied'}})),
    )
    expect((err as InputError).exitCode).toBe(2)
    expect(err.message).toMatch(/^STS AssumeRole at .* rejected the credentials: AccessDenied: User: /)
    expect(err.message).toContain('Credentials used: AWS profile "denied" given by --aws-profile.')
    expect(err.hint).toMatch(/trust policy/)
  })
})

describe('other AWS exceptions keep their name and message, with the call attached', () => {
  it('AccessDeniedException: exit 1, the IAM action to grant, and "from ECS ListClusters at …" when printed', async () => {
    answer = () => ({status: 400, body: JSON.stringify({__type: 'AccessDeniedException', message: 'not allowed'})})
    const err = await fail(CLIENTS[0]!.call(awsSettings()))
    expect(err).not.toBeInstanceOf(EcsxError)
    expect(err.name).toBe('AccessDeniedException')
    expect(err.message).toBe('not allowed')
    expect(err.hint).toContain('may not call ecs:ListClusters')
    expect(awsCallOf(err)).toEqual({
      service: 'ECS',
      operation: 'ListClusters',
      endpoint: url,
      httpStatus: 400,
      requestId: 'rid-1',
    })
    expect(formatError(err, true).split('\n')).toEqual([
      'Error: AccessDeniedException: not allowed',
      `  from ECS ListClusters at ${url} (HTTP 400, request id rid-1)`,
      expect.stringContaining('may not call ecs:ListClusters'),
    ])
  })

  it('a CloudFormation ValidationError is printed with its code and call (it does not end in "Exception")', async () => {
    answer = () => ({
      status: 400,
      type: 'text/xml',
      body: '<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id x does not exist</Message></Error></ErrorResponse>',
    })
    const err = await fail(CLIENTS[1]!.call(awsSettings()))
    expect(formatError(err)).toBe(
      `Error: ValidationError: Stack with id x does not exist\n  from CloudFormation DescribeStacks at ${url} (HTTP 400, request id rid-1)`,
    )
  })
})

describe('translateAwsError over any AWS error (property)', () => {
  const REJECTED = new Set([
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'SignatureDoesNotMatch',
    'InvalidSignatureException',
    'ExpiredToken',
    'ExpiredTokenException',
  ])
  const creds: ResolvedSettings['credentials'] = {
    source: 'env',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
    sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN',
  }
  it('exit 2 exactly for rejected credentials; never a secret in message or hint; the call always named', () => {
    const code = fc.oneof(
      fc.constantFrom(...REJECTED, 'AccessDeniedException', 'ThrottlingException', 'ClusterNotFoundException'),
      fc.stringMatching(/^[A-Z][A-Za-z]{2,30}$/),
    )
    const secret = fc.constantFrom(creds.secretAccessKey!, creds.sessionToken!, creds.accessKeyId!, '')
    fc.assert(
      fc.property(code, fc.string({maxLength: 40}), secret, (name, text, leak) => {
        const sdkError = Object.assign(new Error(`${text}${leak}`), {
          name,
          $fault: 'client',
          $metadata: {httpStatusCode: 400, requestId: 'r'},
        })
        const label = serviceOfClient('ECSClient')
        const out = translateAwsError(
          sdkError,
          {service: label, operation: 'RunTask', endpoint: url},
          {credentials: creds},
        )
        const e = out as Error & {hint?: string; exitCode?: number}
        const all = `${e.message}\n${e.hint ?? ''}`
        for (const s of [creds.secretAccessKey!, creds.sessionToken!, creds.accessKeyId!]) expect(all).not.toContain(s)
        if (REJECTED.has(name)) {
          expect(e.exitCode).toBe(2)
          expect(e.message).toContain(`ECS RunTask at ${url} rejected the credentials: ${name}`)
        } else {
          expect(e).toBe(sdkError) // the SDK's own exception, unchanged in kind
          expect(awsCallOf(e)).toMatchObject({service: 'ECS', operation: 'RunTask', endpoint: url})
        }
      }),
    )
  })

  it('"Region is missing" is exit 2 with how to set one (never the nonexistent --profile flag)', () => {
    const e = translateAwsError(new Error('Region is missing'), {
      service: serviceOfClient('CloudFormationClient'),
      operation: 'CreateStack',
    }) as InputError
    expect(e).toBeInstanceOf(InputError)
    expect(e.hint).toContain('--aws-profile')
    expect(e.hint).not.toMatch(/--profile\b/)
  })
})
