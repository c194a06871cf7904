/**
 * The built CLI's AWS-only commands end to end: `up/scale/down --backend aws`, `logs`, `images`, `push`, `pull`,
 * with every AWS endpoint pointed at an in-test loopback server (the SDK's AWS_ENDPOINT_URL_<SERVICE> variables)
 * and a fake `docker` on PATH. Nothing leaves 127.0.0.1. Needs dist/ (npm run build).
 */
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals'
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {cleanupTempDirs, makeWorkspace, runCli} from '../helpers/cli.js'
import {describeStacksXml, type FakeAws, stackEventsXml, startFakeAws} from '../lib/aws/support/fake-aws.js'
import {installFakeDocker, pathWithoutDocker} from '../lib/aws/support/fake-docker.js'

const here = dirname(fileURLToPath(import.meta.url))
const SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY'
const STACK = 'amazon-ecs-cli-setup-demo'
const STACK_ID = `arn:aws:cloudformation:us-west-2:123456789012:stack/${STACK}/11111111-2222-3333-4444-555555555555`
const CLUSTER = {clusterArn: 'arn:aws:ecs:us-west-2:123456789012:cluster/demo', clusterName: 'demo', status: 'ACTIVE'}
const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com'
const ECR_PASSWORD = 'ecr-password-NEVER-PRINT-ME'
const TASK_ID = '0c2862e6e39e4eff92ca3e4f843c5b9a'

let fake: FakeAws
let awsEnv: Record<string, string>

beforeAll(async () => {
  fake = await startFakeAws()
  const ws = makeWorkspace()
  awsEnv = {
    ...ws.env,
    ECSX_BACKEND: 'aws',
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE12345678',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_ENDPOINT_URL_CLOUDFORMATION: fake.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.url,
    AWS_ENDPOINT_URL_ECR: fake.url,
    AWS_ENDPOINT_URL_ECS: fake.url,
    AWS_ENDPOINT_URL_SSM: fake.url,
    AWS_ENDPOINT_URL: fake.url,
    AWS_EC2_METADATA_DISABLED: 'true',
  }
})
afterAll(async () => {
  await fake.close()
  cleanupTempDirs()
})
beforeEach(() => {
  fake.requests.length = 0
})

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli([...args, '--cluster', 'demo'], {env: {...awsEnv, ...env}})
const noSecrets = (text: string) => {
  expect(text).not.toContain(SECRET)
  expect(text).not.toContain(ECR_PASSWORD)
}

describe('up / scale / down --backend aws', () => {
  it('up creates the cluster and the pinned stack; --json prints the cluster and stack', async () => {
    let created = false
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    fake.on('ssm:GetParameter', () => ({
      json: {
        Parameter: {
          Name: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended',
          Type: 'String',
          Value: JSON.stringify({
            image_id: 'ami-0e1a2b3c4d5e6f708',
            ecs_agent_version: '1.89.2',
            ecs_runtime_version: 'Docker version 25.0.8',
          }),
        },
      },
    }))
    fake.on('cloudformation:CreateStack', () => ((created = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    fake.on('cloudformation:DescribeStacks', () =>
      created
        ? describeStacksXml({
            StackId: STACK_ID,
            StackName: STACK,
            StackStatus: 'CREATE_COMPLETE',
            Outputs: [{OutputKey: 'VpcId', OutputValue: 'vpc-abcd1234'}],
          })
        : {error: {code: 'ValidationError', message: `Stack with id ${STACK} does not exist`}},
    )
    fake.on('cloudformation:DescribeStackEvents', () => stackEventsXml(STACK_ID, STACK, []))
    const r = await runCli(
      [
        'up',
        '--keypair',
        'id_rsa',
        '--capability-iam',
        '--size',
        '2',
        '--instance-type',
        't2.medium',
        '--tags',
        'team=web',
        '--cluster',
        'demo',
        '--json',
      ],
      {env: awsEnv},
    )
    expect(r.exitCode).toBe(0)
    expect(r.stderr).not.toContain('Cluster creation succeeded.') // info lines are suppressed under --json
    const out = JSON.parse(r.stdout)
    expect(out.cluster).toEqual(CLUSTER)
    expect(out.containerInstances).toEqual([])
    expect(out.stack).toMatchObject({
      stackName: STACK,
      stackId: STACK_ID,
      status: 'CREATE_COMPLETE',
      outputs: {VpcId: 'vpc-abcd1234'},
    })
    const body = fake.calls('cloudformation', 'CreateStack')[0]?.params.TemplateBody as string
    expect(JSON.parse(body)).toEqual(
      JSON.parse(readFileSync(join(here, '../lib/aws/fixtures/template-ec2-new-vpc.json'), 'utf8')),
    )
    noSecrets(r.stdout + r.stderr)
  })

  it('up without --capability-iam or --instance-role is exit 2 before any request', async () => {
    const r = await cli(['up', '--size', '1'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--capability-iam')
    expect(fake.requests).toEqual([])
  })

  it('scale --size 3 updates the stack parameters', async () => {
    let updated = false
    fake.on('cloudformation:DescribeStacks', () =>
      describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: updated ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
        Parameters: [
          {ParameterKey: 'AsgMaxSize', ParameterValue: '2'},
          {ParameterKey: 'DesiredCapacity', ParameterValue: '2'},
        ],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    )
    fake.on('cloudformation:DescribeStackEvents', () => stackEventsXml(STACK_ID, STACK, []))
    fake.on('cloudformation:UpdateStack', () => ((updated = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    const r = await cli(['scale', '--size', '3', '--capability-iam'])
    expect(r.stderr).toContain("Cluster 'demo' scaled to 3 instance(s).")
    expect(r.exitCode).toBe(0)
    expect(fake.calls('cloudformation', 'UpdateStack')[0]?.params).toMatchObject({
      'Parameters.member.1.ParameterValue': '3',
      'Parameters.member.2.ParameterValue': '3',
      'Capabilities.member.1': 'CAPABILITY_IAM',
    })
  })

  it('down needs --force without a terminal (exit 2); with it, the stack and the cluster go', async () => {
    const refused = await cli(['down'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('--force')
    expect(fake.requests).toEqual([])

    let deleting = false
    fake.on('ecs:ListServices', () => ({json: {serviceArns: []}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    fake.on('cloudformation:DescribeStacks', () =>
      deleting
        ? {error: {code: 'ValidationError', message: `Stack with id ${STACK_ID} does not exist`}}
        : describeStacksXml({StackId: STACK_ID, StackName: STACK, StackStatus: 'CREATE_COMPLETE'}),
    )
    fake.on('cloudformation:DescribeStackEvents', () => stackEventsXml(STACK_ID, STACK, []))
    fake.on('cloudformation:DeleteStack', () => ((deleting = true), {xml: ''}))
    fake.on('ecs:DeleteCluster', () => ({json: {cluster: {...CLUSTER, status: 'INACTIVE'}}}))
    const r = await cli(['down', '--force'])
    expect(r.stderr).toContain('Deleted cluster cluster=demo')
    expect(r.exitCode).toBe(0)
    expect(fake.requests.map((q) => q.operation)).toEqual([
      'ListServices',
      'DescribeStacks',
      'ListContainerInstances',
      'DescribeStackEvents',
      'DeleteStack',
      'DescribeStacks',
      'DescribeStackEvents',
      'DeleteCluster',
    ])
  })
})

describe('logs', () => {
  beforeEach(() => {
    fake.on('ecs:DescribeTasks', () => ({
      json: {
        tasks: [
          {
            taskArn: `arn:aws:ecs:us-west-2:123456789012:task/demo/${TASK_ID}`,
            taskDefinitionArn: 'arn:aws:ecs:us-west-2:123456789012:task-definition/web:3',
            lastStatus: 'RUNNING',
          },
        ],
        failures: [],
      },
    }))
    fake.on('ecs:DescribeTaskDefinition', () => ({
      json: {
        taskDefinition: {
          family: 'web',
          revision: 3,
          containerDefinitions: [
            {
              name: 'app',
              image: 'nginx',
              logConfiguration: {
                logDriver: 'awslogs',
                options: {'awslogs-group': '/ecs/web', 'awslogs-region': 'us-west-2', 'awslogs-stream-prefix': 'ecs'},
              },
            },
          ],
        },
      },
    }))
    fake.on('logs:FilterLogEvents', () => ({
      json: {
        events: [
          {
            logStreamName: `ecs/app/${TASK_ID}`,
            timestamp: Date.UTC(2026, 10, 25, 1, 0, 0),
            message: 'listening on :80\n',
            eventId: '1',
          },
          {
            logStreamName: `ecs/app/${TASK_ID}`,
            timestamp: Date.UTC(2026, 10, 25, 1, 0, 5),
            message: 'GET / 200',
            eventId: '2',
          },
        ],
      },
    }))
  })

  it("prints the task's events, with --timestamps, reading stream <prefix>/<container>/<task id>", async () => {
    const r = await cli(['logs', '--task-id', TASK_ID, '--timestamps', '--filter-pattern', 'GET'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('2026-11-25T01:00:00.000Z listening on :80\n2026-11-25T01:00:05.000Z GET / 200\n')
    expect(fake.calls('logs', 'FilterLogEvents')[0]?.params).toEqual({
      logGroupName: '/ecs/web',
      logStreamNames: [`ecs/app/${TASK_ID}`],
      filterPattern: 'GET',
    })
    expect(fake.calls('ecs', 'DescribeTasks')[0]?.params).toEqual({cluster: 'demo', tasks: [TASK_ID]})
  })

  it('--json prints one array of events; --json --follow is exit 2', async () => {
    const r = await cli(['logs', '--task-id', TASK_ID, '--since', '60', '--json'])
    expect(r.exitCode).toBe(0)
    const events = JSON.parse(r.stdout)
    expect(events.map((e: {message: string; container: string}) => [e.container, e.message])).toEqual([
      ['app', 'listening on :80'],
      ['app', 'GET / 200'],
    ])
    expect(typeof fake.calls('logs', 'FilterLogEvents')[0]?.params.startTime).toBe('number')
    const both = await cli(['logs', '--task-id', TASK_ID, '--follow', '--json'])
    expect(both.exitCode).toBe(2)
  })

  it('bad times and conflicting flags are exit 2', async () => {
    expect((await cli(['logs', '--task-id', TASK_ID, '--start-time', 'yesterday'])).exitCode).toBe(2)
    expect(
      (await cli(['logs', '--task-id', TASK_ID, '--since', '5', '--start-time', '2026-11-25T01:00:00Z'])).exitCode,
    ).toBe(2)
    expect((await cli(['logs', '--task-id', TASK_ID, '--follow', '--end-time', '2026-11-25T01:00:00Z'])).exitCode).toBe(
      2,
    )
    expect((await cli(['logs'])).exitCode).toBe(2)
  })

  it('on the local backend: exit 2, "not available", no AWS request', async () => {
    const r = await cli(['logs', '--task-id', TASK_ID], {ECSX_BACKEND: 'local'})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('Logs are not available on the local backend')
    expect(fake.requests).toEqual([])
  })
})

describe('images / push / pull', () => {
  beforeEach(() => {
    fake.on('ecr:DescribeRepositories', (req) =>
      req.params.repositoryNames && (req.params.repositoryNames as string[])[0] === 'newrepo'
        ? {error: {code: 'RepositoryNotFoundException', message: 'The repository with name newrepo does not exist'}}
        : {
            json: {
              repositories: [
                {repositoryName: 'ubuntu', registryId: '123456789012', repositoryUri: `${REGISTRY}/ubuntu`},
              ],
            },
          },
    )
    fake.on('ecr:DescribeImages', () => ({
      json: {
        imageDetails: [
          {
            repositoryName: 'ubuntu',
            registryId: '123456789012',
            imageDigest: 'sha256:6b079ae764a6affcb632231349d4a5e1b084bece8c46883c099863ee2aeb5cf8',
            imageTags: ['xenial'],
            imageSizeInBytes: 51_700_000,
            imagePushedAt: Date.now() / 1000 - 4 * 86400,
          },
        ],
      },
    }))
    fake.on('ecr:GetAuthorizationToken', () => ({
      json: {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:${ECR_PASSWORD}`).toString('base64'),
            proxyEndpoint: `https://${REGISTRY}`,
          },
        ],
      },
    }))
    fake.on('ecr:CreateRepository', (req) => ({
      json: {
        repository: {
          repositoryName: req.params.repositoryName,
          repositoryUri: `${REGISTRY}/${req.params.repositoryName}`,
        },
      },
    }))
  })

  it("images prints ecs-cli's table; --json the ImageDetail array", async () => {
    const r = await cli(['images', 'ubuntu', '--tagged'])
    expect(r.exitCode).toBe(0)
    const [header, row] = r.stdout.trimEnd().split('\n')
    expect(header?.split(/\s{2,}/)).toEqual(['REPOSITORY NAME', 'TAG', 'IMAGE DIGEST', 'PUSHED AT', 'SIZE'])
    expect(row?.split(/\s{2,}/)).toEqual([
      'ubuntu',
      'xenial',
      'sha256:6b079ae764a6affcb632231349d4a5e1b084bece8c46883c099863ee2aeb5cf8',
      '4 days ago',
      '51.7 MB',
    ])
    expect(fake.calls('ecr', 'DescribeImages')[0]?.params).toEqual({
      repositoryName: 'ubuntu',
      registryId: '123456789012',
      filter: {tagStatus: 'TAGGED'},
    })
    const j = await cli(['images', '--json'])
    expect(j.exitCode).toBe(0)
    expect(JSON.parse(j.stdout)[0]).toMatchObject({
      repositoryName: 'ubuntu',
      imageTags: ['xenial'],
      imageSizeInBytes: 51_700_000,
    })
    expect((await cli(['images', '--tagged', '--untagged'])).exitCode).toBe(2)
  })

  it("push creates the repository and pushes through docker; the ECR password only reaches docker's stdin", async () => {
    const docker = installFakeDocker()
    const r = await cli(['push', 'newrepo:1.0', '--tags', 'team=web', '--json'], {
      PATH: docker.env.PATH,
      FAKE_DOCKER_LOG: docker.env.FAKE_DOCKER_LOG,
    })
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('The push refers to repository') // docker's own output goes to stderr, even under --json
    expect(JSON.parse(r.stdout)).toEqual({
      sourceImage: 'newrepo:1.0',
      image: `${REGISTRY}/newrepo:1.0`,
      repositoryName: 'newrepo',
      repositoryUri: `${REGISTRY}/newrepo`,
      tag: '1.0',
      repositoryCreated: true,
    })
    expect(fake.calls('ecr', 'CreateRepository')[0]?.params).toEqual({
      repositoryName: 'newrepo',
      tags: [{Key: 'team', Value: 'web'}],
    })
    const calls = docker.invocations()
    expect(calls.map((c) => c.argv[0])).toEqual(['info', 'tag', 'login', 'push'])
    expect(calls.find((c) => c.argv[0] === 'login')?.stdin).toBe(ECR_PASSWORD)
    expect(JSON.stringify(calls.map((c) => c.argv))).not.toContain(ECR_PASSWORD)
    noSecrets(r.stdout + r.stderr)
  })

  it('pull logs in and pulls', async () => {
    const docker = installFakeDocker()
    const r = await cli(['pull', 'ubuntu:xenial'], {PATH: docker.env.PATH, FAKE_DOCKER_LOG: docker.env.FAKE_DOCKER_LOG})
    expect(r.exitCode).toBe(0)
    expect(docker.invocations().map((c) => c.argv)).toEqual([
      ['info', '--format', '{{.ServerVersion}}'],
      ['login', '--username', 'AWS', '--password-stdin', REGISTRY],
      ['pull', `${REGISTRY}/ubuntu:xenial`],
    ])
    noSecrets(r.stdout + r.stderr)
  })

  it('without docker: exit 1 "Docker is not available", and no AWS request', async () => {
    const r = await cli(['push', 'ubuntu'], {PATH: `${pathWithoutDocker().PATH}:${dirname(process.execPath)}`})
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('Docker is not available')
    expect(fake.requests).toEqual([])
  })

  it('on the local backend: exit 2 naming --backend aws', async () => {
    for (const command of [['images'], ['push', 'ubuntu'], ['pull', 'ubuntu']]) {
      const r = await cli(command, {ECSX_BACKEND: 'local'})
      expect(r.exitCode).toBe(2)
      expect(r.stderr).toContain('--backend aws')
    }
    expect(fake.requests).toEqual([])
  })

  it('help of each command shows examples and the exit codes', async () => {
    for (const command of ['logs', 'images', 'push', 'pull']) {
      const r = await runCli([command, '--help'], {env: awsEnv})
      expect(r.exitCode).toBe(0)
      expect(r.stdout).toContain('EXAMPLES')
      expect(r.stdout).toContain('EXIT CODES')
      expect(r.stdout).toContain('rolled back')
    }
  })
})
