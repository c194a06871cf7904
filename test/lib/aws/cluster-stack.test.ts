import {describe, expect, it} from '@jest/globals'
import {readFileSync, writeFileSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {awsClusterDown, awsClusterScale, awsClusterUp} from '../../../src/lib/aws/cluster-stack.js'
import {loadEcsParams} from '../../../src/compose/ecs-params/index.js'
import {EcsxError} from '../../../src/lib/errors.js'
import {
  describeStacksXml,
  type FakeStackEvent,
  type Reply,
  stackEventsXml,
  fakeAwsForSuite,
} from './support/fake-aws.js'
import {awsSettings, manualClock, recordingUi, TEST_ACCESS_KEY, TEST_SECRET_KEY} from './support/fakes.js'

const here = dirname(fileURLToPath(import.meta.url))
const STACK = 'amazon-ecs-cli-setup-demo'
const STACK_ID = `arn:aws:cloudformation:us-west-2:123456789012:stack/${STACK}/11111111-2222-3333-4444-555555555555`
const OLD_STACK_ID = `arn:aws:cloudformation:us-west-2:123456789012:stack/${STACK}/00000000-0000-0000-0000-000000000000`
const CLUSTER = {clusterArn: 'arn:aws:ecs:us-west-2:123456789012:cluster/demo', clusterName: 'demo', status: 'ACTIVE'}
const MISSING: Reply = {error: {code: 'ValidationError', message: `Stack with id ${STACK} does not exist`}}

const fake = fakeAwsForSuite()

const settings = () => awsSettings({endpointUrl: fake.url})

async function expectExit(promise: Promise<unknown>, code: number): Promise<EcsxError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(EcsxError)
    expect((err as EcsxError).exitCode).toBe(code)
    return err as EcsxError
  }
  throw new Error('expected the call to fail')
}

/** DescribeStacks answers `statuses` in turn (the last one repeats); `missing` answers "does not exist". */
function scriptStack(
  id: string,
  statuses: Array<string | 'missing'>,
  extra: {
    Outputs?: Array<{OutputKey: string; OutputValue: string}>
    Parameters?: Array<{ParameterKey: string; ParameterValue: string}>
    Capabilities?: string[]
    StackStatusReason?: string
  } = {},
) {
  let i = 0
  fake.on('cloudformation:DescribeStacks', () => {
    const status = statuses[Math.min(i++, statuses.length - 1)] as string
    if (status === 'missing') return MISSING
    return describeStacksXml({StackId: id, StackName: STACK, StackStatus: status, ...extra})
  })
}

function scriptEvents(batches: FakeStackEvent[][]) {
  let i = 0
  let all: FakeStackEvent[] = []
  fake.on('cloudformation:DescribeStackEvents', (req) => {
    const batch = batches[Math.min(i++, batches.length - 1)] ?? []
    all = [...batch.filter((e) => !all.some((a) => a.EventId === e.EventId)).reverse(), ...all]
    return stackEventsXml(String(req.params.StackName), STACK, all)
  })
}

const ops = () => fake.requests.map((r) => `${r.service}:${r.operation}`)

describe('awsClusterUp', () => {
  it('creates the cluster and the stack with the pinned template, waits for CREATE_COMPLETE and reports the outputs', async () => {
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    fake.on('ecs:ListContainerInstances', () => ({
      json: {containerInstanceArns: ['arn:aws:ecs:us-west-2:123456789012:container-instance/demo/ci-1']},
    }))
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
    fake.on('ecs:DescribeContainerInstances', (req) => ({
      json: {
        containerInstances: (req.params.containerInstances as string[]).map((a) => ({
          containerInstanceArn: a,
          ec2InstanceId: 'i-0abc',
          status: 'ACTIVE',
        })),
        failures: [],
      },
    }))
    let stackCreated = false
    fake.on('cloudformation:CreateStack', () => {
      stackCreated = true
      return {xml: `<StackId>${STACK_ID}</StackId>`}
    })
    let polls = 0
    fake.on('cloudformation:DescribeStacks', () => {
      if (!stackCreated) return MISSING
      polls++
      return describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: polls < 3 ? 'CREATE_IN_PROGRESS' : 'CREATE_COMPLETE',
        Outputs: [
          {OutputKey: 'VpcId', OutputValue: 'vpc-abcd1234'},
          {OutputKey: 'SubnetIds', OutputValue: 'subnet-abcd1234,subnet-dcba4321'},
          {OutputKey: 'SecurityGroupId', OutputValue: 'sg-abcd1234'},
          {OutputKey: 'AutoScalingGroupName', OutputValue: 'demo-asg'},
        ],
      })
    })
    scriptEvents([
      [
        {
          EventId: 'e1',
          LogicalResourceId: STACK,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'CREATE_IN_PROGRESS',
          ResourceStatusReason: 'User Initiated',
        },
      ],
      [{EventId: 'e2', LogicalResourceId: 'Vpc', ResourceType: 'AWS::EC2::VPC', ResourceStatus: 'CREATE_COMPLETE'}],
      [
        {
          EventId: 'e3',
          LogicalResourceId: STACK,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'CREATE_COMPLETE',
        },
      ],
    ])
    const ui = recordingUi()
    const clock = manualClock()
    const result = await awsClusterUp(
      settings(),
      {keypair: 'id_rsa', capabilityIam: true, size: 2, instanceType: 't2.medium', tags: {team: 'web'}},
      ui,
      clock,
    )

    expect(ops()).toEqual([
      'cloudformation:DescribeStacks',
      'ssm:GetParameter',
      'ecs:CreateCluster',
      'cloudformation:CreateStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'ecs:ListContainerInstances',
      'ecs:DescribeContainerInstances',
    ])
    expect(fake.calls('ecs', 'ListContainerInstances')[0]?.params).toEqual({cluster: 'demo'})
    expect(fake.calls('ecs', 'DescribeContainerInstances')[0]?.params).toEqual({
      cluster: 'demo',
      containerInstances: ['arn:aws:ecs:us-west-2:123456789012:container-instance/demo/ci-1'],
    })
    expect(result.containerInstances).toEqual([
      {
        containerInstanceArn: 'arn:aws:ecs:us-west-2:123456789012:container-instance/demo/ci-1',
        ec2InstanceId: 'i-0abc',
        status: 'ACTIVE',
      },
    ])
    expect(fake.calls('ecs', 'CreateCluster')[0]?.params).toEqual({
      clusterName: 'demo',
      tags: [{key: 'team', value: 'web'}],
    })
    const create = fake.calls('cloudformation', 'CreateStack')[0]?.params as Record<string, string>
    expect(create).toMatchObject({
      Action: 'CreateStack',
      Version: '2010-05-15',
      StackName: STACK,
      'Capabilities.member.1': 'CAPABILITY_IAM',
      'Parameters.member.1.ParameterKey': 'EcsAmiId',
      'Parameters.member.1.ParameterValue': '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id',
      'Parameters.member.2.ParameterKey': 'AsgMaxSize',
      'Parameters.member.2.ParameterValue': '2',
      'Parameters.member.3.ParameterKey': 'DesiredCapacity',
      'Parameters.member.3.ParameterValue': '2',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'web',
    })
    expect(JSON.parse(create.TemplateBody as string)).toEqual(
      JSON.parse(readFileSync(join(here, 'fixtures', 'template-ec2-new-vpc.json'), 'utf8')),
    )
    // signed for the right service and region with the resolved keys; the secret never travels
    const auth = String(fake.calls('cloudformation', 'CreateStack')[0]?.headers.authorization)
    expect(auth).toContain(`Credential=${TEST_ACCESS_KEY}/`)
    expect(auth).toContain('/us-west-2/cloudformation/aws4_request')
    expect(String(fake.calls('ecs', 'CreateCluster')[0]?.headers.authorization)).toContain(
      '/us-west-2/ecs/aws4_request',
    )
    expect(JSON.stringify(fake.requests)).not.toContain(TEST_SECRET_KEY)

    expect(clock.sleeps).toEqual([10_000, 10_000])
    expect(ui.lines.events).toEqual([
      `${STACK} (AWS::CloudFormation::Stack) CREATE_IN_PROGRESS: User Initiated`,
      'Vpc (AWS::EC2::VPC) CREATE_COMPLETE',
      `${STACK} (AWS::CloudFormation::Stack) CREATE_COMPLETE`,
    ])
    expect(ui.lines.progress).toContain('CloudFormation stack status stackStatus=CREATE_IN_PROGRESS')
    expect(fake.calls('ssm', 'GetParameter')[0]?.params).toEqual({
      Name: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended',
    })
    expect(ui.lines.info).toEqual([
      'Using recommended Amazon Linux 2 AMI ami-0e1a2b3c4d5e6f708 (ECS agent 1.89.2, Docker version 25.0.8)',
      'Created cluster cluster=demo region=us-west-2',
      'Cluster creation succeeded.',
      'VPC created: vpc-abcd1234',
      'Security Group created: sg-abcd1234',
      'Subnet created: subnet-abcd1234',
      'Subnet created: subnet-dcba4321',
      'Auto Scaling group created: demo-asg',
    ])
    expect(result.cluster).toEqual(CLUSTER)
    expect(result.network).toEqual({
      vpcId: 'vpc-abcd1234',
      subnetIds: ['subnet-abcd1234', 'subnet-dcba4321'],
      securityGroupIds: ['sg-abcd1234'],
      created: true,
    })
    expect(ui.lines.out).toEqual([]) // the ecs-params.yml for awsvpc tasks is a Fargate thing
    expect(result.stack).toEqual({
      stackName: STACK,
      stackId: STACK_ID,
      status: 'CREATE_COMPLETE',
      outputs: {
        VpcId: 'vpc-abcd1234',
        SubnetIds: 'subnet-abcd1234,subnet-dcba4321',
        SecurityGroupId: 'sg-abcd1234',
        AutoScalingGroupName: 'demo-asg',
      },
    })
  })

  it('the AMI report is informational: without SSM access it is a --verbose note and up goes on', async () => {
    fake.on('ssm:GetParameter', () => ({
      error: {code: 'AccessDeniedException', message: 'not authorized to perform: ssm:GetParameter'},
    }))
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    let created = false
    fake.on('cloudformation:CreateStack', () => ((created = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    fake.on('cloudformation:DescribeStacks', () =>
      created ? describeStacksXml({StackId: STACK_ID, StackName: STACK, StackStatus: 'CREATE_COMPLETE'}) : MISSING,
    )
    scriptEvents([[]])
    const ui = recordingUi()
    const result = await awsClusterUp(
      settings(),
      {capabilityIam: true, keypair: 'k', instanceType: 't4g.small'},
      ui,
      manualClock(),
    )
    expect(fake.calls('ssm', 'GetParameter')[0]?.params).toEqual({
      Name: '/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended',
    })
    expect(ui.lines.verbose.some((l) => l.includes('not authorized to perform: ssm:GetParameter'))).toBe(true)
    expect(ui.lines.info[0]).toBe('Using Arm ECS-optimised AMI because instance type was t4g.small.')
    expect(result.stack?.status).toBe('CREATE_COMPLETE')
  })

  it('refuses an existing stack without --force (exit 1) before creating anything', async () => {
    scriptStack(STACK_ID, ['CREATE_COMPLETE'])
    const err = await expectExit(awsClusterUp(settings(), {capabilityIam: true}, recordingUi(), manualClock()), 1)
    expect(err.message).toContain(
      `A CloudFormation stack already exists for cluster 'demo': ${STACK} (CREATE_COMPLETE)`,
    )
    expect(err.hint).toContain('--force')
    expect(ops()).toEqual(['cloudformation:DescribeStacks'])
  })

  it('--force deletes the existing stack, waits, and creates it again', async () => {
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    let phase: 'old' | 'deleting' | 'gone' | 'new' = 'old'
    let deletePolls = 0
    fake.on('cloudformation:DescribeStacks', (req) => {
      const name = String(req.params.StackName)
      if (phase === 'old')
        return describeStacksXml({StackId: OLD_STACK_ID, StackName: STACK, StackStatus: 'ROLLBACK_COMPLETE'})
      if (phase === 'deleting') {
        expect(name).toBe(OLD_STACK_ID)
        deletePolls++
        return describeStacksXml({
          StackId: OLD_STACK_ID,
          StackName: STACK,
          StackStatus: deletePolls < 2 ? 'DELETE_IN_PROGRESS' : 'DELETE_COMPLETE',
        })
      }
      return describeStacksXml({StackId: STACK_ID, StackName: STACK, StackStatus: 'CREATE_COMPLETE'})
    })
    fake.on('cloudformation:DescribeStackEvents', (req) =>
      stackEventsXml(
        String(req.params.StackName),
        STACK,
        req.params.StackName === OLD_STACK_ID
          ? [
              {
                EventId: 'old-1',
                LogicalResourceId: 'EcsInstanceAsg',
                ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
                ResourceStatus: 'CREATE_FAILED',
                ResourceStatusReason: 'old failure',
              },
            ]
          : [
              {
                EventId: 'new-1',
                LogicalResourceId: STACK,
                ResourceType: 'AWS::CloudFormation::Stack',
                ResourceStatus: 'CREATE_COMPLETE',
              },
            ],
      ),
    )
    fake.on('cloudformation:DeleteStack', () => {
      phase = 'deleting'
      return {xml: ''}
    })
    fake.on('cloudformation:CreateStack', () => {
      phase = 'new'
      return {xml: `<StackId>${STACK_ID}</StackId>`}
    })
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    const ui = recordingUi()
    const result = await awsClusterUp(settings(), {force: true, launchType: 'FARGATE'}, ui, manualClock())
    expect(ops()).toEqual([
      'cloudformation:DescribeStacks',
      'ecs:CreateCluster',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DeleteStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:CreateStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'ecs:ListContainerInstances',
    ])
    expect(result.containerInstances).toEqual([])
    expect(fake.calls('cloudformation', 'DeleteStack')[0]?.params.StackName).toBe(OLD_STACK_ID)
    const create = fake.calls('cloudformation', 'CreateStack')[0]?.params as Record<string, string>
    expect(create.Capabilities).toBeUndefined()
    expect(Object.keys(create).some((k) => k.startsWith('Capabilities'))).toBe(false)
    expect(ui.lines.events).toEqual([`${STACK} (AWS::CloudFormation::Stack) CREATE_COMPLETE`]) // the old stack's events are not replayed
    expect(ui.lines.info).toContain(`Deleting the existing CloudFormation stack ${STACK} (--force)`)
    expect(result.stack?.status).toBe('CREATE_COMPLETE')
  })

  it('Fargate: prints the VPC, each subnet and the default security group, an ecs-params.yml on stdout, and the network in the result', async () => {
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    let created = false
    fake.on('cloudformation:CreateStack', () => ((created = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    fake.on('cloudformation:DescribeStacks', () =>
      created
        ? describeStacksXml({
            StackId: STACK_ID,
            StackName: STACK,
            StackStatus: 'CREATE_COMPLETE',
            Outputs: [
              {OutputKey: 'VpcId', OutputValue: 'vpc-0f1e2d3c'},
              {OutputKey: 'SubnetIds', OutputValue: 'subnet-0a1b2c3d,subnet-4e5f6a7b'},
              {OutputKey: 'DefaultSecurityGroupId', OutputValue: 'sg-0c1d2e3f'},
            ],
          })
        : MISSING,
    )
    scriptEvents([[]])
    const ui = recordingUi()
    const result = await awsClusterUp(settings(), {launchType: 'FARGATE'}, ui, manualClock())
    const template = JSON.parse(String(fake.calls('cloudformation', 'CreateStack')[0]?.params.TemplateBody))
    expect(template.Outputs.DefaultSecurityGroupId.Value).toEqual({'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup']})
    expect(ui.lines.info).toEqual([
      'Created cluster cluster=demo region=us-west-2',
      'Cluster creation succeeded.',
      'VPC created: vpc-0f1e2d3c',
      'Subnet created: subnet-0a1b2c3d',
      'Subnet created: subnet-4e5f6a7b',
      'Default security group of the VPC: sg-0c1d2e3f',
      'Fargate tasks and services in this cluster need these subnets and security groups in ecs-params.yml:',
    ])
    expect(result.network).toEqual({
      vpcId: 'vpc-0f1e2d3c',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
      securityGroupIds: ['sg-0c1d2e3f'],
      created: true,
    })
    // stdout is a complete ecs-params.yml that ecsx itself accepts: `ecsx up --launch-type FARGATE > ecs-params.yml`
    const dir = mkdtempSync(join(tmpdir(), 'ecsx-fargate-params-'))
    writeFileSync(join(dir, 'ecs-params.yml'), ui.lines.out.join('\n') + '\n')
    const params = loadEcsParams(undefined, dir, () => undefined)
    expect(params?.run.networkConfiguration?.v).toEqual({
      awsvpcConfiguration: {
        subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
        securityGroups: ['sg-0c1d2e3f'],
        assignPublicIp: 'ENABLED',
      },
    })
  })

  it('--force whose DeleteStack is refused: "Could not delete …" with the error and the call, nothing created (exit 1)', async () => {
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    fake.on('cloudformation:DescribeStacks', () =>
      describeStacksXml({StackId: OLD_STACK_ID, StackName: STACK, StackStatus: 'UPDATE_IN_PROGRESS'}),
    )
    scriptEvents([[]])
    fake.on('cloudformation:DeleteStack', () => ({
      error: {
        code: 'ValidationError',
        message: `Stack [${STACK}] cannot be deleted while in status UPDATE_IN_PROGRESS`,
      },
    }))
    const err = await expectExit(
      awsClusterUp(settings(), {force: true, launchType: 'FARGATE'}, recordingUi(), manualClock()),
      1,
    )
    expect(err.message).toMatch(
      new RegExp(
        `^Could not delete CloudFormation stack ${STACK} \\(UPDATE_IN_PROGRESS\\) for \`ecsx up --force\`: ValidationError: `,
      ),
    )
    expect(err.message).toContain(`from CloudFormation DeleteStack at ${fake.url}`)
    expect(err.hint).toMatch(/^Look at the stack in the CloudFormation console/)
    expect(fake.calls('cloudformation', 'CreateStack')).toEqual([])
  })

  it('a failed creation exits 1 and names the failed resources and --force', async () => {
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    let created = false
    fake.on('cloudformation:CreateStack', () => ((created = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    let polls = 0
    fake.on('cloudformation:DescribeStacks', () => {
      if (!created) return MISSING
      polls++
      return describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: polls === 1 ? 'ROLLBACK_IN_PROGRESS' : 'ROLLBACK_COMPLETE',
        StackStatusReason: 'The following resource(s) failed to create: [EcsInstanceAsg].',
      })
    })
    scriptEvents([
      [
        {
          EventId: 'f1',
          LogicalResourceId: 'EcsInstanceAsg',
          ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'You have requested more instances (2) than your current instance limit of 0 allows',
        },
        {
          EventId: 'f2',
          LogicalResourceId: 'EcsSecurityGroup',
          ResourceType: 'AWS::EC2::SecurityGroup',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'Resource creation cancelled',
        },
      ],
    ])
    const err = await expectExit(
      awsClusterUp(settings(), {capabilityIam: true, keypair: 'k'}, recordingUi(), manualClock()),
      1,
    )
    expect(err.message).toBe(
      [
        `CloudFormation stack ${STACK} ended in ROLLBACK_COMPLETE (The following resource(s) failed to create: [EcsInstanceAsg].).`,
        'Failed resources:',
        '  EcsInstanceAsg (AWS::AutoScaling::AutoScalingGroup) CREATE_FAILED: You have requested more instances (2) than your current instance limit of 0 allows',
      ].join('\n'),
    )
    expect(err.hint).toContain('ecsx up --force')
  })

  it('gives up after the timeout with exit 3', async () => {
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    let created = false
    fake.on('cloudformation:CreateStack', () => ((created = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    fake.on('cloudformation:DescribeStacks', () =>
      created ? describeStacksXml({StackId: STACK_ID, StackName: STACK, StackStatus: 'CREATE_IN_PROGRESS'}) : MISSING,
    )
    scriptEvents([[]])
    const clock = manualClock()
    const err = await expectExit(
      awsClusterUp(settings(), {capabilityIam: true, keypair: 'k', timeoutMs: 60_000}, recordingUi(), clock),
      3,
    )
    expect(err.message).toContain('Timed out after 60 s')
    expect(clock.sleeps).toHaveLength(6)
  })

  it('--empty creates only the ECS cluster', async () => {
    fake.on('ecs:CreateCluster', () => ({json: {cluster: CLUSTER}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    const ui = recordingUi()
    const result = await awsClusterUp(settings(), {empty: true, keypair: 'ignored'}, ui, manualClock())
    expect(ops()).toEqual(['ecs:CreateCluster', 'ecs:ListContainerInstances'])
    expect(fake.calls('ecs', 'CreateCluster')[0]?.params).toEqual({clusterName: 'demo'})
    expect(ui.lines.warn).toEqual([])
    expect(ui.lines.info).toEqual(['Created cluster cluster=demo region=us-west-2', 'Cluster creation succeeded.'])
    expect(result).toEqual({cluster: CLUSTER, containerInstances: []})
  })

  it('reads --extra-user-data files, and exits 2 for an unreadable or unrecognised one without calling AWS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsx-userdata-'))
    writeFileSync(join(dir, 'notes.txt'), 'just text')
    const e1 = await expectExit(
      awsClusterUp(
        settings(),
        {capabilityIam: true, extraUserData: [join(dir, 'absent.sh')]},
        recordingUi(),
        manualClock(),
      ),
      2,
    )
    expect(e1.message).toContain('Cannot read --extra-user-data file')
    const e2 = await expectExit(
      awsClusterUp(
        settings(),
        {capabilityIam: true, extraUserData: [join(dir, 'notes.txt')]},
        recordingUi(),
        manualClock(),
      ),
      2,
    )
    expect(e2.message).toContain('notes.txt: unrecognised user data format')
    expect(fake.requests).toEqual([])
  })

  it('exits 2 when EC2 capacity has neither --capability-iam nor --instance-role, before any request', async () => {
    await expectExit(awsClusterUp(settings(), {}, recordingUi(), manualClock()), 2)
    expect(fake.requests).toEqual([])
  })
})

describe('awsClusterDown', () => {
  it('deletes the stack, waits, then deletes the cluster (retrying while instances deregister)', async () => {
    fake.on('ecs:ListServices', () => ({json: {serviceArns: []}}))
    fake.on('ecs:ListContainerInstances', () => ({
      json: {containerInstanceArns: ['arn:aws:ecs:us-west-2:123456789012:container-instance/demo/ci-1']},
    }))
    let deleting = false
    let polls = 0
    fake.on('cloudformation:DescribeStacks', () => {
      if (!deleting) return describeStacksXml({StackId: STACK_ID, StackName: STACK, StackStatus: 'CREATE_COMPLETE'})
      polls++
      return polls < 2
        ? describeStacksXml({StackId: STACK_ID, StackName: STACK, StackStatus: 'DELETE_IN_PROGRESS'})
        : MISSING
    })
    scriptEvents([
      [
        {
          EventId: 'old',
          LogicalResourceId: STACK,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'CREATE_COMPLETE',
        },
      ],
      [
        {
          EventId: 'd1',
          LogicalResourceId: 'EcsInstanceAsg',
          ResourceType: 'AWS::AutoScaling::AutoScalingGroup',
          ResourceStatus: 'DELETE_COMPLETE',
        },
      ],
    ])
    fake.on('cloudformation:DeleteStack', () => ((deleting = true), {xml: ''}))
    let attempts = 0
    fake.on('ecs:DeleteCluster', () =>
      ++attempts === 1
        ? {
            error: {
              code: 'ClusterContainsContainerInstancesException',
              message: 'The Cluster cannot be deleted while Container Instances are active or draining.',
            },
          }
        : {json: {cluster: {...CLUSTER, status: 'INACTIVE'}}},
    )
    const ui = recordingUi()
    const clock = manualClock()
    const result = await awsClusterDown(settings(), {force: true}, ui, clock)
    expect(ops()).toEqual([
      'ecs:ListServices',
      'cloudformation:DescribeStacks',
      'ecs:ListContainerInstances',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DeleteStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'ecs:DeleteCluster',
      'ecs:DeleteCluster',
    ])
    expect(fake.calls('ecs', 'ListServices')[0]?.params).toEqual({cluster: 'demo'})
    expect(fake.calls('cloudformation', 'DeleteStack')[0]?.params).toMatchObject({StackName: STACK_ID})
    expect(fake.calls('ecs', 'DeleteCluster')[0]?.params).toEqual({cluster: 'demo'})
    expect(ui.lines.events).toEqual(['EcsInstanceAsg (AWS::AutoScaling::AutoScalingGroup) DELETE_COMPLETE'])
    expect(ui.lines.info).toEqual(['Deleted cluster cluster=demo'])
    expect(clock.sleeps).toEqual([10_000, 10_000])
    expect(fake.calls('ecs', 'ListContainerInstances')[0]?.params).toEqual({cluster: 'demo'})
    expect(result).toEqual({
      cluster: {...CLUSTER, status: 'INACTIVE'},
      terminatedInstances: ['arn:aws:ecs:us-west-2:123456789012:container-instance/demo/ci-1'],
      stackName: STACK,
      stackDeleted: true,
    })
  })

  it('an empty cluster without a stack: "No CloudFormation stack found", then the cluster is deleted', async () => {
    fake.on('ecs:ListServices', () => ({json: {serviceArns: []}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    fake.on('cloudformation:DescribeStacks', () => MISSING)
    fake.on('ecs:DeleteCluster', () => ({json: {cluster: {...CLUSTER, status: 'INACTIVE'}}}))
    const ui = recordingUi()
    await awsClusterDown(settings(), {force: true}, ui, manualClock())
    expect(ops()).toEqual([
      'ecs:ListServices',
      'cloudformation:DescribeStacks',
      'ecs:ListContainerInstances',
      'ecs:DeleteCluster',
    ])
    expect(fake.calls('ecs', 'ListContainerInstances')[0]?.params).toEqual({cluster: 'demo', status: 'ACTIVE'})
    expect(ui.lines.info).toEqual(["No CloudFormation stack found for cluster 'demo'.", 'Deleted cluster cluster=demo'])
  })

  it('refuses while services exist (even at desired count 0)', async () => {
    const arn = 'arn:aws:ecs:us-west-2:123456789012:service/demo/web'
    fake.on('ecs:ListServices', () => ({json: {serviceArns: [arn]}}))
    fake.on('ecs:DescribeServices', () => ({
      json: {
        services: [
          {serviceArn: arn, serviceName: 'web', clusterArn: CLUSTER.clusterArn, status: 'ACTIVE', desiredCount: 0},
        ],
        failures: [],
      },
    }))
    const err = await expectExit(awsClusterDown(settings(), {force: true}, recordingUi(), manualClock()), 1)
    expect(err.message).toBe("Cluster 'demo' still has 1 service(s): web.")
    expect(ops()).toEqual(['ecs:ListServices', 'ecs:DescribeServices'])
    expect(fake.calls('ecs', 'DescribeServices')[0]?.params).toEqual({cluster: 'demo', services: [arn]})
  })

  it('counts only ACTIVE/DRAINING services of this cluster: a listed INACTIVE one, or one of another cluster, does not block', async () => {
    // Real ECS lists neither; moto lists deleted services and matches cluster names by substring (issue 12).
    const gone = 'arn:aws:ecs:us-west-2:123456789012:service/demo/old'
    const other = 'arn:aws:ecs:us-west-2:123456789012:service/demo2/web'
    fake.on('ecs:ListServices', () => ({json: {serviceArns: [gone, other]}}))
    fake.on('ecs:DescribeServices', () => ({
      json: {
        services: [
          {serviceArn: gone, serviceName: 'old', clusterArn: CLUSTER.clusterArn, status: 'INACTIVE'},
          {serviceArn: other, serviceName: 'web', clusterArn: `${CLUSTER.clusterArn}2`, status: 'ACTIVE'},
        ],
        failures: [],
      },
    }))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    fake.on('cloudformation:DescribeStacks', () => MISSING)
    fake.on('ecs:DeleteCluster', () => ({json: {cluster: {...CLUSTER, status: 'INACTIVE'}}}))
    const result = await awsClusterDown(settings(), {force: true}, recordingUi(), manualClock())
    expect(result.cluster.status).toBe('INACTIVE')
    expect(fake.calls('ecs', 'DeleteCluster')).toHaveLength(1)
  })

  it('a refused DeleteStack says the stack could not be deleted, with the AWS error, the call and a hint (exit 1)', async () => {
    fake.on('ecs:ListServices', () => ({json: {serviceArns: []}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    fake.on('cloudformation:DescribeStacks', () =>
      describeStacksXml({StackId: STACK_ID, StackName: STACK, StackStatus: 'CREATE_COMPLETE'}),
    )
    scriptEvents([[]])
    fake.on('cloudformation:DeleteStack', () => ({
      error: {
        code: 'ValidationError',
        message: `Stack [${STACK}] cannot be deleted while TerminationProtection is enabled`,
      },
    }))
    const err = await expectExit(awsClusterDown(settings(), {force: true}, recordingUi(), manualClock()), 1)
    expect(err.message).toContain(`Could not delete CloudFormation stack ${STACK} (CREATE_COMPLETE) for \`ecsx down\``)
    expect(err.message).toContain('ValidationError: Stack [amazon-ecs-cli-setup-demo] cannot be deleted')
    expect(err.message).toContain(
      `from CloudFormation DeleteStack at ${fake.url} (HTTP 400, request id fake-request-id)`,
    )
    expect(err.hint).toMatch(/termination protection.*run the command again/)
    expect(fake.calls('ecs', 'DeleteCluster')).toEqual([])
  })

  it('refuses to delete instances ecsx did not create', async () => {
    fake.on('ecs:ListServices', () => ({json: {serviceArns: []}}))
    fake.on('ecs:ListContainerInstances', () => ({
      json: {containerInstanceArns: ['arn:aws:ecs:us-west-2:123456789012:container-instance/demo/abc']},
    }))
    fake.on('cloudformation:DescribeStacks', () => MISSING)
    const err = await expectExit(awsClusterDown(settings(), {force: true}, recordingUi(), manualClock()), 1)
    expect(err.message).toContain('1 registered container instance(s) that ecsx up did not create')
    expect(fake.calls('ecs', 'DeleteCluster')).toEqual([])
  })

  it('without --force asks; without a terminal that is exit 2 naming --force, and nothing is called', async () => {
    const ui = recordingUi()
    const err = await expectExit(awsClusterDown(settings(), {}, ui, manualClock()), 2)
    expect(err.message).toContain('--force')
    expect(ui.confirms[0]?.flag).toBe('--force')
    expect(fake.requests).toEqual([])
    await expectExit(awsClusterDown(settings(), {}, recordingUi({answer: false}), manualClock()), 1)
    expect(fake.requests).toEqual([])
  })

  it('a DELETE_FAILED stack exits 1 listing what could not be deleted', async () => {
    fake.on('ecs:ListServices', () => ({json: {serviceArns: []}}))
    fake.on('ecs:ListContainerInstances', () => ({json: {containerInstanceArns: []}}))
    let deleting = false
    fake.on('cloudformation:DescribeStacks', () =>
      describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: deleting ? 'DELETE_FAILED' : 'CREATE_COMPLETE',
      }),
    )
    scriptEvents([
      [],
      [
        {
          EventId: 'x',
          LogicalResourceId: 'EcsSecurityGroup',
          ResourceType: 'AWS::EC2::SecurityGroup',
          ResourceStatus: 'DELETE_FAILED',
          ResourceStatusReason: 'resource sg-1 has a dependent object',
        },
      ],
    ])
    fake.on('cloudformation:DeleteStack', () => ((deleting = true), {xml: ''}))
    const err = await expectExit(awsClusterDown(settings(), {force: true}, recordingUi(), manualClock()), 1)
    expect(err.message).toContain('ended in DELETE_FAILED')
    expect(err.message).toContain(
      'EcsSecurityGroup (AWS::EC2::SecurityGroup) DELETE_FAILED: resource sg-1 has a dependent object',
    )
    expect(fake.calls('ecs', 'DeleteCluster')).toEqual([])
  })
})

describe('awsClusterScale', () => {
  /** DescribeStackResources: the stack's resources (what decides CAPABILITY_IAM when Capabilities are absent). */
  const stackResources = (...types: string[]) =>
    fake.on('cloudformation:DescribeStackResources', () => ({
      xml:
        '<StackResources>' +
        types
          .map(
            (t, i) =>
              `<member><StackName>${STACK}</StackName><StackId>${STACK_ID}</StackId><LogicalResourceId>R${i}</LogicalResourceId>` +
              `<ResourceType>${t}</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus>` +
              '<Timestamp>2026-11-25T01:00:00.000Z</Timestamp></member>',
          )
          .join('') +
        '</StackResources>',
    }))
  const params = [
    {ParameterKey: 'EcsAmiId', ParameterValue: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id'},
    {ParameterKey: 'AsgMaxSize', ParameterValue: '1'},
    {ParameterKey: 'DesiredCapacity', ParameterValue: '1'},
  ]

  it('updates AsgMaxSize and DesiredCapacity with the previous template and values, and waits', async () => {
    let updating = false
    let polls = 0
    fake.on('cloudformation:DescribeStacks', () => {
      const status = !updating ? 'CREATE_COMPLETE' : ++polls < 2 ? 'UPDATE_IN_PROGRESS' : 'UPDATE_COMPLETE'
      return describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: status,
        Parameters: params,
        Capabilities: ['CAPABILITY_IAM'],
      })
    })
    scriptEvents([[]])
    fake.on('cloudformation:UpdateStack', () => ((updating = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    const ui = recordingUi()
    const result = await awsClusterScale(settings(), {size: 3, capabilityIam: true}, ui, manualClock())
    expect(ops()).toEqual([
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:UpdateStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
    ])
    const update = fake.calls('cloudformation', 'UpdateStack')[0]?.params
    expect(update).toEqual({
      Action: 'UpdateStack',
      Version: '2010-05-15',
      StackName: STACK_ID,
      UsePreviousTemplate: 'true',
      'Parameters.member.1.ParameterKey': 'EcsAmiId',
      'Parameters.member.1.UsePreviousValue': 'true',
      'Parameters.member.2.ParameterKey': 'AsgMaxSize',
      'Parameters.member.2.ParameterValue': '3',
      'Parameters.member.3.ParameterKey': 'DesiredCapacity',
      'Parameters.member.3.ParameterValue': '3',
      'Capabilities.member.1': 'CAPABILITY_IAM',
    })
    expect(result).toEqual({stackName: STACK, stackId: STACK_ID, status: 'UPDATE_COMPLETE', size: 3, changed: true})
    expect(ui.lines.info).toEqual(["Cluster 'demo' scaled to 3 instance(s)."])
  })

  it('scales a stack ecs-cli created (AsgMaxSize only; other parameters keep their values)', async () => {
    let updating = false
    fake.on('cloudformation:DescribeStacks', () =>
      describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
        Parameters: [
          {ParameterKey: 'AsgMaxSize', ParameterValue: '1'},
          {ParameterKey: 'EcsInstanceType', ParameterValue: 't2.micro'},
        ],
      }),
    )
    scriptEvents([[]])
    stackResources('AWS::AutoScaling::AutoScalingGroup', 'AWS::EC2::LaunchTemplate')
    fake.on('cloudformation:UpdateStack', () => ((updating = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    await awsClusterScale(settings(), {size: 2}, recordingUi(), manualClock())
    expect(fake.calls('cloudformation', 'UpdateStack')[0]?.params).toEqual({
      Action: 'UpdateStack',
      Version: '2010-05-15',
      StackName: STACK_ID,
      UsePreviousTemplate: 'true',
      'Parameters.member.1.ParameterKey': 'AsgMaxSize',
      'Parameters.member.1.ParameterValue': '2',
      'Parameters.member.2.ParameterKey': 'EcsInstanceType',
      'Parameters.member.2.UsePreviousValue': 'true',
    })
  })

  it('"No updates are to be performed" is success without waiting', async () => {
    scriptStack(STACK_ID, ['CREATE_COMPLETE'], {Parameters: params})
    scriptEvents([[]])
    stackResources('AWS::AutoScaling::AutoScalingGroup')
    fake.on('cloudformation:UpdateStack', () => ({
      error: {code: 'ValidationError', message: 'No updates are to be performed.'},
    }))
    const ui = recordingUi()
    const result = await awsClusterScale(settings(), {size: 1}, ui, manualClock())
    expect(result.changed).toBe(false)
    expect(ui.lines.info).toEqual(["Cluster 'demo' already has size 1; nothing to update."])
  })

  it('a stack with IAM resources needs --capability-iam (exit 2)', async () => {
    scriptStack(STACK_ID, ['CREATE_COMPLETE'], {Parameters: params, Capabilities: ['CAPABILITY_IAM']})
    const err = await expectExit(awsClusterScale(settings(), {size: 2}, recordingUi(), manualClock()), 2)
    expect(err.message).toContain('--capability-iam')
    expect(fake.calls('cloudformation', 'UpdateStack')).toEqual([])
  })

  it('when DescribeStacks omits Capabilities, the IAM resources of the stack still gate (exit 2) and --capability-iam is sent', async () => {
    // moto reports no Capabilities for a stack created with CAPABILITY_IAM (issue 12): the resources decide
    scriptStack(STACK_ID, ['CREATE_COMPLETE'], {Parameters: params})
    stackResources('AWS::IAM::Role', 'AWS::IAM::InstanceProfile', 'AWS::AutoScaling::AutoScalingGroup')
    const err = await expectExit(awsClusterScale(settings(), {size: 2}, recordingUi(), manualClock()), 2)
    expect(err.message).toContain('--capability-iam')
    expect(fake.calls('cloudformation', 'DescribeStackResources')[0]?.params.StackName).toBe(STACK_ID)
    expect(fake.calls('cloudformation', 'UpdateStack')).toEqual([])

    let updating = false
    fake.on('cloudformation:DescribeStacks', () =>
      describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: updating ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
        Parameters: params,
      }),
    )
    fake.on('cloudformation:UpdateStack', () => ((updating = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    await awsClusterScale(settings(), {size: 2, capabilityIam: true}, recordingUi(), manualClock())
    expect(fake.calls('cloudformation', 'UpdateStack')[0]?.params['Capabilities.member.1']).toBe('CAPABILITY_IAM')
  })

  it('a rolled-back update exits 4', async () => {
    let updating = false
    fake.on('cloudformation:DescribeStacks', () =>
      describeStacksXml({
        StackId: STACK_ID,
        StackName: STACK,
        StackStatus: updating ? 'UPDATE_ROLLBACK_COMPLETE' : 'CREATE_COMPLETE',
        Parameters: params,
      }),
    )
    scriptEvents([[]])
    stackResources('AWS::AutoScaling::AutoScalingGroup')
    fake.on('cloudformation:UpdateStack', () => ((updating = true), {xml: `<StackId>${STACK_ID}</StackId>`}))
    const err = await expectExit(awsClusterScale(settings(), {size: 5}, recordingUi(), manualClock()), 4)
    expect(err.message).toContain('UPDATE_ROLLBACK_COMPLETE')
  })

  it('no stack: exit 1 naming the stack and how to create it; a Fargate stack has nothing to scale', async () => {
    scriptStack(STACK_ID, ['missing'])
    const err = await expectExit(awsClusterScale(settings(), {size: 2}, recordingUi(), manualClock()), 1)
    expect(err.message).toBe(`No CloudFormation stack found for cluster 'demo' (looked for ${STACK} in us-west-2).`)
    scriptStack(STACK_ID, ['CREATE_COMPLETE'], {Parameters: []})
    const err2 = await expectExit(awsClusterScale(settings(), {size: 2}, recordingUi(), manualClock()), 1)
    expect(err2.message).toContain('no container instances to scale')
  })
})
