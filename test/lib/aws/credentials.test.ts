/**
 * Credentials: the helpers of src/lib/aws/credentials.ts, and the whole precedence chain end to end —
 * resolveSettings (flags + env + ecsx/AWS files) → createAwsBackend → the SDK's signature on a request to a loopback
 * server. The key id in `Authorization: … Credential=<key id>/…` says which source won.
 */
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {
  credentialProviderFor,
  describeCredentialSource,
  maskAccessKeyId,
  mfaCodeProviderFor,
  redactSecrets,
} from '../../../src/lib/aws/credentials.js'
import {createAwsBackend} from '../../../src/lib/backend/aws.js'
import {resolveSettings} from '../../../src/lib/config/resolve.js'
import type {ResolvedCredentials} from '../../../src/lib/config/types.js'
import {InputError} from '../../../src/lib/errors.js'
import {recordingUi} from '../backend/fake-ui.js'

// Node 20: the SDK's one-time NodeVersionSupportWarning is noise here (bin/run.js silences it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

describe('credential helpers', () => {
  it('masks access key ids', () => {
    expect(maskAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE')
    expect(maskAccessKeyId('short')).toBe('****')
  })

  it('describes every source without secrets', () => {
    const creds: ResolvedCredentials = {
      source: 'flag-ecs-profile',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
      sessionToken: 'tok-123456',
    }
    const text = describeCredentialSource({...creds, ecsProfile: 'tutorial'})
    expect(text).toBe('ecsx profile "tutorial" given by --ecs-profile (access key AKIA…MPLE)')
    expect(describeCredentialSource({source: 'flag-aws-profile', awsProfile: 'prod'})).toBe(
      'AWS profile "prod" given by --aws-profile',
    )
    expect(describeCredentialSource({source: 'default-chain'})).toBe("the AWS SDK's default credential chain")
    expect(describeCredentialSource({source: 'aws-profile', awsProfile: 'default'})).toBe(
      'the AWS profile "default" of the AWS shared config files',
    )
    expect(
      describeCredentialSource({source: 'ecs-profile', ecsProfile: 'team', accessKeyId: 'AKIAIOSFODNN7EXAMPLE'}),
    ).toBe('the default ecsx profile "team" (access key AKIA…MPLE)')
  })

  it('names the variable an environment source came from, never just "environment variables" (issue 12)', () => {
    // AWS_PROFILE=nosuch used to read "from environment variables (profile "nosuch")"
    expect(describeCredentialSource({source: 'env', awsProfile: 'nosuch'})).toBe(
      'AWS profile "nosuch" named by AWS_PROFILE',
    )
    expect(describeCredentialSource({source: 'env', ecsProfile: 'ci', accessKeyId: 'AKIAIOSFODNN7EXAMPLE'})).toBe(
      'ecsx profile "ci" named by ECS_PROFILE (access key AKIA…MPLE)',
    )
    expect(describeCredentialSource({source: 'env', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 's'})).toBe(
      'the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (access key AKIA…MPLE)',
    )
  })

  it('never leaves a secret in redacted text (property)', () => {
    const secret = fc.string({minLength: 4, maxLength: 40}).filter((s) => s.trim().length >= 4 && !s.includes('*'))
    fc.assert(
      fc.property(
        secret,
        secret,
        fc.array(fc.string({maxLength: 20}), {maxLength: 5}),
        (secretAccessKey, sessionToken, noise) => {
          const creds: ResolvedCredentials = {
            source: 'env',
            accessKeyId: 'AKIDPROPERTYTEST',
            secretAccessKey,
            sessionToken,
          }
          const text = [...noise, secretAccessKey, ...noise, sessionToken, 'AKIDPROPERTYTEST'].join(' | ')
          const out = redactSecrets(text, creds)
          expect(out).not.toContain(secretAccessKey)
          expect(out).not.toContain(sessionToken)
          expect(out).not.toContain('AKIDPROPERTYTEST')
        },
      ),
    )
  })

  it('hands explicit keys to the SDK as a static identity', async () => {
    await expect(
      credentialProviderFor({source: 'env', accessKeyId: 'AKID1', secretAccessKey: 'S', sessionToken: 'T'}),
    ).resolves.toEqual({
      accessKeyId: 'AKID1',
      secretAccessKey: 'S',
      sessionToken: 'T',
    })
    await expect(credentialProviderFor({source: 'env', secretAccessKey: 'S'})).rejects.toBeInstanceOf(InputError)
  })

  it('asks for an MFA code only on a terminal', async () => {
    await expect(mfaCodeProviderFor(undefined)('arn:aws:iam::1:mfa/a')).rejects.toBeInstanceOf(InputError)
    await expect(mfaCodeProviderFor(recordingUi({interactive: false}))('arn:aws:iam::1:mfa/a')).rejects.toBeInstanceOf(
      InputError,
    )
    await expect(
      mfaCodeProviderFor(recordingUi({interactive: true, answers: [' 654321 ']}))('arn:aws:iam::1:mfa/a'),
    ).resolves.toBe('654321')
  })
})

describe('credential precedence, end to end (ecs-cli order)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecsx-cred-precedence-'))
  const home = path.join(dir, 'ecsx')
  const awsCredentials = path.join(dir, 'aws-credentials')
  const awsConfig = path.join(dir, 'aws-config')
  const seen: string[] = []
  let server: http.Server
  let endpoint: string

  beforeAll(async () => {
    mkdirSync(home, {recursive: true})
    writeFileSync(
      path.join(home, 'credentials'),
      [
        'version: v1',
        'default: ecsdefault',
        'ecs_profiles:',
        '  ecsdefault:',
        '    aws_access_key_id: AKIDECSDEFAULT01',
        '    aws_secret_access_key: ecs-default-secret',
        '  named:',
        '    aws_access_key_id: AKIDECSNAMED0001',
        '    aws_secret_access_key: ecs-named-secret',
        '',
      ].join('\n'),
      {mode: 0o600},
    )
    writeFileSync(
      awsCredentials,
      '[default]\naws_access_key_id = AKIDAWSDEFAULT01\naws_secret_access_key = aws-default-secret\n\n[dev]\naws_access_key_id = AKIDAWSDEV000001\naws_secret_access_key = aws-dev-secret\n',
    )
    writeFileSync(awsConfig, '[default]\nregion = us-east-1\n')
    for (const k of [
      'AWS_PROFILE',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'ECS_PROFILE',
      'AWS_ENDPOINT_URL_ECS',
      'AWS_ENDPOINT_URL',
    ])
      delete process.env[k]
    process.env.AWS_SHARED_CREDENTIALS_FILE = awsCredentials
    process.env.AWS_CONFIG_FILE = awsConfig
    process.env.AWS_EC2_METADATA_DISABLED = 'true'
    server = http.createServer((req, res) => {
      const auth = String(req.headers.authorization ?? '')
      seen.push(/Credential=([^/]+)\//.exec(auth)?.[1] ?? '(unsigned)')
      req.resume()
      req.on('end', () => {
        res.writeHead(200, {'content-type': 'application/x-amz-json-1.1'})
        res.end('{"clusterArns":[]}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  /** The key id the aws backend signs with, for these flags and environment. */
  async function keyIdFor(flags: Record<string, string>, env: Record<string, string>): Promise<string> {
    const fullEnv = {
      HOME: dir,
      ECSX_HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
      AWS_CONFIG_FILE: awsConfig,
      ...env,
    }
    const settings = await resolveSettings(
      {backend: 'aws', region: 'us-east-1', 'endpoint-url': endpoint, ...flags},
      fullEnv,
    )
    const backend = await createAwsBackend(settings, undefined, {maxAttempts: 1})
    try {
      await backend.listClusters({})
    } finally {
      await backend.close()
    }
    return seen.at(-1)!
  }

  const envKeys = {AWS_ACCESS_KEY_ID: 'AKIDENVIRONMENT1', AWS_SECRET_ACCESS_KEY: 'env-secret'}

  it('--ecs-profile beats --aws-profile, AWS_PROFILE and environment keys', async () => {
    expect(await keyIdFor({'ecs-profile': 'named', 'aws-profile': 'dev'}, {...envKeys, AWS_PROFILE: 'dev'})).toBe(
      'AKIDECSNAMED0001',
    )
  })

  it('--aws-profile beats ECS_PROFILE, AWS_PROFILE and environment keys', async () => {
    expect(await keyIdFor({'aws-profile': 'dev'}, {...envKeys, ECS_PROFILE: 'named', AWS_PROFILE: 'default'})).toBe(
      'AKIDAWSDEV000001',
    )
  })

  it('ECS_PROFILE beats AWS_PROFILE; AWS_PROFILE beats environment keys', async () => {
    expect(await keyIdFor({}, {...envKeys, ECS_PROFILE: 'named', AWS_PROFILE: 'dev'})).toBe('AKIDECSNAMED0001')
    expect(await keyIdFor({}, {...envKeys, AWS_PROFILE: 'dev'})).toBe('AKIDAWSDEV000001')
  })

  it('environment keys beat the default ecsx profile', async () => {
    expect(await keyIdFor({}, envKeys)).toBe('AKIDENVIRONMENT1')
  })

  it('the default ecsx profile beats the default AWS profile', async () => {
    expect(await keyIdFor({}, {})).toBe('AKIDECSDEFAULT01')
  })

  it('falls back to the default AWS profile when ecsx has no profile', async () => {
    const emptyHome = mkdtempSync(path.join(tmpdir(), 'ecsx-empty-home-'))
    const settings = await resolveSettings(
      {backend: 'aws', region: 'us-east-1', 'endpoint-url': endpoint},
      {HOME: emptyHome, ECSX_HOME: emptyHome, AWS_SHARED_CREDENTIALS_FILE: awsCredentials, AWS_CONFIG_FILE: awsConfig},
    )
    expect(settings.credentials).toEqual({source: 'aws-profile', awsProfile: 'default'})
    const backend = await createAwsBackend(settings, undefined, {maxAttempts: 1})
    await backend.listClusters({})
    await backend.close()
    expect(seen.at(-1)).toBe('AKIDAWSDEFAULT01')
  })
})
