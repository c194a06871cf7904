/**
 * Pins every request the aws backend makes: the real @aws-sdk/client-ecs talks to an in-test HTTP server on
 * 127.0.0.1 that records method, path, headers and body. Nothing reaches a real AWS endpoint: every client gets an
 * explicit endpoint, fake keys, a region and maxAttempts 1 (except the retry test), and the shared config files point
 * at temp files.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'

import {createAwsBackend} from '../../../src/lib/backend/aws.js'
import {ECS_OPERATION_NAMES, ECS_OPERATIONS} from '../../../src/lib/ecs/operations.js'
import type {EcsOperationName} from '../../../src/lib/ecs/backend.js'
import type {ResolvedSettings} from '../../../src/lib/config/types.js'
import {InputError, OperationError} from '../../../src/lib/errors.js'
import {recordingUi} from './fake-ui.js'

// Node 20: the SDK's one-time NodeVersionSupportWarning is noise here (bin/run.js silences it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

interface Captured {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}
type Responder = (req: Captured) => {status: number; body: string; headers?: Record<string, string>}

const ok: Responder = () => ({status: 200, body: '{}'})
let respond: Responder = ok
const captured: Captured[] = []
let server: http.Server
let endpoint: string
const tmp = mkdtempSync(path.join(tmpdir(), 'ecsx-aws-test-'))

const ACCESS_KEY = 'AKIDECSXTEST0001'
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY'

function settings(over: Partial<ResolvedSettings> = {}): ResolvedSettings {
  return {
    backend: 'aws',
    home: tmp,
    cluster: 'default',
    region: 'us-east-1',
    composeServiceNamePrefix: '',
    composeProjectNamePrefix: '',
    cfnStackName: 'amazon-ecs-cli-setup-default',
    endpointUrl: endpoint,
    credentials: {source: 'env', accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY},
    verbose: false,
    ...over,
  }
}

const open = (over: Partial<ResolvedSettings> = {}, ui = recordingUi({interactive: false})) =>
  createAwsBackend(settings(over), ui, {maxAttempts: 1})

beforeAll(async () => {
  for (const k of [
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_ECS',
    'AWS_MAX_ATTEMPTS',
  ])
    delete process.env[k]
  process.env.AWS_CONFIG_FILE = path.join(tmp, 'no-config')
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmp, 'no-credentials')
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const c: Captured = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      captured.push(c)
      const r = respond(c)
      res.writeHead(r.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': `req-${captured.length}`,
        ...r.headers,
      })
      res.end(r.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  captured.length = 0
  respond = ok
})

/** A realistic input for every Backend operation; the SDK must send exactly this JSON. */
const INPUTS: Record<EcsOperationName, Record<string, unknown>> = {
  createCluster: {
    clusterName: 'web',
    tags: [{key: 'team', value: 'blue'}],
    settings: [{name: 'containerInsights', value: 'enabled'}],
  },
  deleteCluster: {cluster: 'web'},
  describeClusters: {clusters: ['web', 'nope'], include: ['TAGS', 'STATISTICS']},
  listClusters: {maxResults: 10, nextToken: 'tok'},
  registerContainerInstance: {
    cluster: 'web',
    instanceIdentityDocument:
      '{"instanceId":"i-0123456789abcdef0","instanceType":"t2.micro","availabilityZone":"us-east-1a"}',
    totalResources: [
      {name: 'CPU', type: 'INTEGER', integerValue: 1024},
      {name: 'MEMORY', type: 'INTEGER', integerValue: 995},
      {name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678']},
    ],
    attributes: [{name: 'stack', value: 'prod'}],
  },
  deregisterContainerInstance: {cluster: 'web', containerInstance: 'abc123', force: true},
  describeContainerInstances: {cluster: 'web', containerInstances: ['abc123'], include: ['CONTAINER_INSTANCE_HEALTH']},
  listContainerInstances: {
    cluster: 'web',
    filter: 'attribute:ecs.instance-type == t2.micro',
    status: 'ACTIVE',
    maxResults: 100,
  },
  updateContainerInstancesState: {cluster: 'web', containerInstances: ['abc123'], status: 'DRAINING'},
  putAttributes: {
    cluster: 'web',
    attributes: [{name: 'stack', value: 'prod', targetType: 'container-instance', targetId: 'abc123'}],
  },
  deleteAttributes: {
    cluster: 'web',
    attributes: [{name: 'stack', targetType: 'container-instance', targetId: 'abc123'}],
  },
  listAttributes: {cluster: 'web', targetType: 'container-instance', attributeName: 'stack', attributeValue: 'prod'},
  registerTaskDefinition: {
    family: 'sleep360',
    networkMode: 'bridge',
    containerDefinitions: [
      {
        name: 'sleep',
        image: 'busybox',
        cpu: 10,
        memory: 10,
        essential: true,
        command: ['sleep', '360'],
        portMappings: [{containerPort: 80, hostPort: 0, protocol: 'tcp'}],
        environment: [{name: 'MODE', value: 'test'}],
      },
    ],
    requiresCompatibilities: ['EC2'],
    tags: [{key: 'project', value: 'demo'}],
  },
  deregisterTaskDefinition: {taskDefinition: 'sleep360:1'},
  describeTaskDefinition: {taskDefinition: 'sleep360', include: ['TAGS']},
  listTaskDefinitions: {familyPrefix: 'sleep', status: 'ACTIVE', sort: 'DESC', maxResults: 5},
  listTaskDefinitionFamilies: {familyPrefix: 'sl', status: 'ALL'},
  runTask: {
    cluster: 'web',
    taskDefinition: 'sleep360:1',
    count: 2,
    launchType: 'EC2',
    group: 'task:demo',
    startedBy: 'ecsx',
    placementStrategy: [
      {type: 'spread', field: 'attribute:ecs.availability-zone'},
      {type: 'binpack', field: 'memory'},
    ],
    placementConstraints: [{type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*'}],
    overrides: {
      containerOverrides: [{name: 'sleep', command: ['sleep', '10'], environment: [{name: 'A', value: '1'}]}],
    },
    enableECSManagedTags: true,
    propagateTags: 'TASK_DEFINITION',
  },
  startTask: {
    cluster: 'web',
    taskDefinition: 'sleep360:1',
    containerInstances: ['abc123'],
    startedBy: 'ecsx',
    group: 'task:demo',
  },
  stopTask: {cluster: 'web', task: 'arn:aws:ecs:us-east-1:000000000000:task/web/0f1e2d', reason: 'Stopped by ecsx'},
  describeTasks: {cluster: 'web', tasks: ['0f1e2d'], include: ['TAGS']},
  listTasks: {cluster: 'web', family: 'sleep360', desiredStatus: 'RUNNING', startedBy: 'ecsx', maxResults: 100},
  createService: {
    cluster: 'web',
    serviceName: 'api',
    taskDefinition: 'sleep360:1',
    desiredCount: 4,
    launchType: 'EC2',
    schedulingStrategy: 'REPLICA',
    deploymentConfiguration: {
      maximumPercent: 200,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: {enable: true, rollback: true},
    },
    placementStrategy: [{type: 'spread', field: 'instanceId'}],
    healthCheckGracePeriodSeconds: 30,
    clientToken: 'token-1',
  },
  updateService: {
    cluster: 'web',
    service: 'api',
    desiredCount: 6,
    taskDefinition: 'sleep360:2',
    forceNewDeployment: true,
  },
  deleteService: {cluster: 'web', service: 'api', force: true},
  describeServices: {cluster: 'web', services: ['api'], include: ['TAGS']},
  listServices: {cluster: 'web', launchType: 'EC2', schedulingStrategy: 'REPLICA'},
  tagResource: {resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/web', tags: [{key: 'env', value: 'dev'}]},
  untagResource: {resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/web', tagKeys: ['env']},
  listTagsForResource: {resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/web'},
}

describe('aws backend: requests on the wire', () => {
  it.each(ECS_OPERATION_NAMES.map((m) => [ECS_OPERATIONS[m], m] as const))('%s', async (opName, method) => {
    const backend = await open()
    try {
      const call = backend[method] as (input: unknown) => Promise<unknown>
      await call.call(backend, INPUTS[method])
    } finally {
      await backend.close()
    }
    expect(captured).toHaveLength(1)
    const req = captured[0]
    expect(req.method).toBe('POST')
    expect(req.url).toBe('/')
    expect(req.headers['x-amz-target']).toBe(`AmazonEC2ContainerServiceV20141113.${opName}`)
    expect(req.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(req.headers['amz-sdk-request']).toBe('attempt=1; max=1')
    expect(req.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/us-east-1/ecs/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$`,
      ),
    )
    const body = JSON.parse(req.body) as Record<string, unknown>
    if (method === 'runTask') {
      // RunTask's clientToken is an idempotency token the SDK fills in when the caller gives none.
      expect(body.clientToken).toMatch(/^[0-9a-f-]{36}$/)
      delete body.clientToken
    }
    expect(body).toEqual(INPUTS[method])
  })

  it('sends {} for an operation called without input fields', async () => {
    const backend = await open()
    await backend.listClusters({})
    await backend.close()
    expect(captured[0].body).toBe('{}')
  })

  it('implements every EcsOperations method and nothing sends before a call', async () => {
    const backend = await open()
    for (const m of ECS_OPERATION_NAMES) expect(typeof backend[m]).toBe('function')
    expect(backend.kind).toBe('aws')
    expect(backend.region).toBe('us-east-1')
    expect(backend.engine).toBeUndefined()
    await backend.close()
    await backend.close()
    expect(captured).toHaveLength(0)
  })
})

describe('aws backend: responses and errors', () => {
  it('parses timestamps to Dates and drops $metadata', async () => {
    respond = () => ({
      status: 200,
      body: JSON.stringify({
        tasks: [{taskArn: 'arn:t', createdAt: 1764032523.456, lastStatus: 'RUNNING'}],
        failures: [],
      }),
    })
    const backend = await open()
    const out = await backend.describeTasks({cluster: 'web', tasks: ['t']})
    await backend.close()
    expect(out).not.toHaveProperty('$metadata')
    expect(out.tasks?.[0].createdAt).toEqual(new Date(1764032523456))
    expect(out.failures).toEqual([])
  })

  it('passes ECS exceptions through with their name, message and SDK class', async () => {
    const sdk = await import('@aws-sdk/client-ecs')
    respond = () => ({
      status: 400,
      body: JSON.stringify({__type: 'ClusterNotFoundException', message: 'Cluster not found.'}),
    })
    const backend = await open()
    const err = (await backend.deleteCluster({cluster: 'nope'}).catch((e: unknown) => e)) as Error
    await backend.close()
    expect(err).toBeInstanceOf(sdk.ClusterNotFoundException)
    expect(err.name).toBe('ClusterNotFoundException')
    expect(err.message).toBe('Cluster not found.')
  })

  it('keeps the name of exceptions the SDK does not model', async () => {
    respond = () => ({status: 400, body: JSON.stringify({__type: 'UnknownOperationException', message: 'nope'})})
    const backend = await open()
    await expect(backend.listClusters({})).rejects.toMatchObject({name: 'UnknownOperationException'})
    await backend.close()
  })

  it('retries throttling (adaptive mode) when attempts allow', async () => {
    let n = 0
    respond = () =>
      ++n === 1
        ? {status: 400, body: JSON.stringify({__type: 'ThrottlingException', message: 'Rate exceeded'})}
        : ok({} as Captured)
    const backend = await createAwsBackend(settings(), undefined, {maxAttempts: 2})
    await expect(backend.listClusters({})).resolves.toEqual({})
    await backend.close()
    expect(captured.map((c) => c.headers['amz-sdk-request'])).toEqual(['attempt=1; max=2', 'attempt=2; max=2'])
  })

  it('reports an unreachable endpoint as an OperationError naming it', async () => {
    const dead = http.createServer()
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`
    await new Promise((resolve) => dead.close(resolve))
    const backend = await open({endpointUrl: deadUrl})
    const err = await backend.listClusters({}).catch((e: unknown) => e)
    await backend.close()
    expect(err).toBeInstanceOf(OperationError)
    expect((err as OperationError).exitCode).toBe(1)
    expect((err as Error).message).toContain(deadUrl)
    expect((err as Error).message).toContain('ECONNREFUSED')
    expect((err as Error).message).not.toContain('wrapper')
  })

  it('rejects a malformed endpoint URL with exit 2', async () => {
    await expect(open({endpointUrl: 'localhost:4566'})).rejects.toBeInstanceOf(InputError)
    await expect(open({endpointUrl: 'ftp://127.0.0.1:21'})).rejects.toThrow(/scheme must be http or https/)
  })

  it('fails with exit 2 and the ecs-cli hint when no region can be found', async () => {
    const err = await open({region: ''}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).hint).toMatch(/--region/)
  })

  it('takes the region from the AWS profile when none is set', async () => {
    const config = path.join(tmp, 'config-region')
    writeFileSync(
      config,
      '[profile regional]\nregion = eu-west-3\naws_access_key_id = AKIDPROFILE00001\naws_secret_access_key = profilesecret\n',
    )
    process.env.AWS_CONFIG_FILE = config
    try {
      const backend = await open({region: '', credentials: {source: 'flag-aws-profile', awsProfile: 'regional'}})
      expect(backend.region).toBe('eu-west-3')
      await backend.listClusters({})
      await backend.close()
      expect(captured[0].headers.authorization).toContain('Credential=AKIDPROFILE00001/')
      expect(captured[0].headers.authorization).toContain('/eu-west-3/ecs/aws4_request')
    } finally {
      process.env.AWS_CONFIG_FILE = path.join(tmp, 'no-config')
    }
  })

  it('sleep really waits', async () => {
    const backend = await open()
    const started = Date.now()
    await backend.sleep(30)
    expect(Date.now() - started).toBeGreaterThanOrEqual(25)
    await backend.close()
  })
})

describe('aws backend: credentials', () => {
  it('signs with explicit keys and sends the session token', async () => {
    const backend = await open({
      credentials: {
        source: 'ecs-profile',
        accessKeyId: 'AKIDSESSION00001',
        secretAccessKey: 'x',
        sessionToken: 'TOKEN-abc',
      },
    })
    await backend.listClusters({})
    await backend.close()
    expect(captured[0].headers.authorization).toContain('Credential=AKIDSESSION00001/')
    expect(captured[0].headers['x-amz-security-token']).toBe('TOKEN-abc')
  })

  it('reads a named profile from the shared credentials file', async () => {
    const file = path.join(tmp, 'credentials-named')
    writeFileSync(file, '[dev]\naws_access_key_id = AKIDDEVPROFILE01\naws_secret_access_key = devsecret\n')
    process.env.AWS_SHARED_CREDENTIALS_FILE = file
    try {
      const backend = await open({credentials: {source: 'aws-profile', awsProfile: 'dev'}})
      await backend.listClusters({})
      await backend.close()
      expect(captured[0].headers.authorization).toContain('Credential=AKIDDEVPROFILE01/')
    } finally {
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmp, 'no-credentials')
    }
  })

  it('explains a missing profile with exit 2, without sending anything', async () => {
    const backend = await open({credentials: {source: 'flag-aws-profile', awsProfile: 'ghost'}})
    const err = await backend.listClusters({}).catch((e: unknown) => e)
    await backend.close()
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toMatch(/profile "ghost"/)
    expect((err as InputError).hint).toMatch(/configure profile/)
    expect(captured).toHaveLength(0)
  })

  it('rejects half a key pair with exit 2', async () => {
    await expect(open({credentials: {source: 'env', accessKeyId: 'AKIDONLYHALF0001'}})).rejects.toBeInstanceOf(
      InputError,
    )
  })

  describe('assume-role with MFA', () => {
    const sts: Captured[] = []
    let stsServer: http.Server
    beforeAll(async () => {
      stsServer = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
          sts.push({
            method: req.method ?? '',
            url: req.url ?? '',
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          })
          res.writeHead(200, {'content-type': 'text/xml'})
          res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAASSUMED00001</AccessKeyId><SecretAccessKey>assumedsecret</SecretAccessKey><SessionToken>assumedtoken</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:ecsx</AssumedRoleId><Arn>arn:aws:sts::000000000000:assumed-role/deployer/ecsx</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata></AssumeRoleResponse>`)
        })
      })
      await new Promise<void>((resolve) => stsServer.listen(0, '127.0.0.1', resolve))
      process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(stsServer.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_STS
      await new Promise((resolve) => stsServer.close(resolve))
    })

    const writeMfaProfile = (name: string) => {
      const credFile = path.join(tmp, `credentials-${name}`)
      const configFile = path.join(tmp, `config-${name}`)
      writeFileSync(credFile, '[base]\naws_access_key_id = AKIDBASEPROFILE1\naws_secret_access_key = basesecret\n')
      writeFileSync(
        configFile,
        `[profile ${name}]\nrole_arn = arn:aws:iam::000000000000:role/deployer\nsource_profile = base\nmfa_serial = arn:aws:iam::000000000000:mfa/alice\nregion = us-east-1\n`,
      )
      process.env.AWS_SHARED_CREDENTIALS_FILE = credFile
      process.env.AWS_CONFIG_FILE = configFile
    }
    afterEach(() => {
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmp, 'no-credentials')
      process.env.AWS_CONFIG_FILE = path.join(tmp, 'no-config')
    })

    it('asks for the MFA code on a TTY and signs with the assumed role', async () => {
      writeMfaProfile('mfa-tty')
      const ui = recordingUi({interactive: true, answers: ['123456']})
      const backend = await open({credentials: {source: 'flag-aws-profile', awsProfile: 'mfa-tty'}}, ui)
      await backend.listClusters({})
      await backend.close()
      expect(ui.prompts).toEqual(['MFA code for arn:aws:iam::000000000000:mfa/alice:'])
      const params = new URLSearchParams(sts.at(-1)!.body)
      expect(params.get('Action')).toBe('AssumeRole')
      expect(params.get('RoleArn')).toBe('arn:aws:iam::000000000000:role/deployer')
      expect(params.get('SerialNumber')).toBe('arn:aws:iam::000000000000:mfa/alice')
      expect(params.get('TokenCode')).toBe('123456')
      expect(sts.at(-1)!.headers.authorization).toContain('Credential=AKIDBASEPROFILE1/')
      expect(captured[0].headers.authorization).toContain('Credential=ASIAASSUMED00001/')
      expect(captured[0].headers['x-amz-security-token']).toBe('assumedtoken')
    })

    it('fails with exit 2 without a TTY, naming what to do', async () => {
      writeMfaProfile('mfa-notty')
      const before = sts.length
      const ui = recordingUi({interactive: false})
      const backend = await open({credentials: {source: 'flag-aws-profile', awsProfile: 'mfa-notty'}}, ui)
      const err = await backend.listClusters({}).catch((e: unknown) => e)
      await backend.close()
      expect(err).toBeInstanceOf(InputError)
      expect((err as InputError).exitCode).toBe(2)
      expect((err as InputError).hint).toMatch(/MFA/)
      expect(sts.length).toBe(before)
      expect(captured).toHaveLength(0)
    })

    it('rejects a code that is not 6 digits', async () => {
      writeMfaProfile('mfa-bad')
      const ui = recordingUi({interactive: true, answers: ['12ab']})
      const backend = await open({credentials: {source: 'flag-aws-profile', awsProfile: 'mfa-bad'}}, ui)
      await expect(backend.listClusters({})).rejects.toThrow(/6 digits/)
      await backend.close()
    })
  })
})

describe('aws backend: secrets never reach output', () => {
  it('scrubs the secret key, token and full key id from error messages and verbose lines', async () => {
    const token = 'FQoGZXIvYXdzEXAMPLETOKEN'
    respond = () => ({
      status: 400,
      body: JSON.stringify({
        __type: 'InvalidParameterException',
        message: `bad request signed by ${ACCESS_KEY} with ${SECRET_KEY} and ${token}`,
      }),
    })
    const ui = recordingUi({interactive: false})
    const backend = await createAwsBackend(
      settings({
        verbose: true,
        credentials: {source: 'env', accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, sessionToken: token},
      }),
      ui,
      {maxAttempts: 1},
    )
    const err = (await backend.listClusters({}).catch((e: unknown) => e)) as Error
    await backend.close()
    expect(err.name).toBe('InvalidParameterException')
    const everything = [err.message, String(err.stack), ...ui.lines].join('\n')
    expect(everything).not.toContain(SECRET_KEY)
    expect(everything).not.toContain(token)
    expect(everything).not.toContain(ACCESS_KEY)
    expect(err.message).toContain('AKID…0001')
    expect(
      ui.lines.some((l) =>
        l.includes('credentials from the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'),
      ),
    ).toBe(true)
  })

  it('does not put secrets into credential errors', async () => {
    const err = (await open({credentials: {source: 'ecs-profile', secretAccessKey: SECRET_KEY}}).catch(
      (e: unknown) => e,
    )) as InputError
    expect(err).toBeInstanceOf(InputError)
    expect(`${err.message}\n${err.hint}`).not.toContain(SECRET_KEY)
  })
})
