/**
 * The ECS developer guide's EC2 tutorial with `--backend aws`, against moto_server: configure → up (--keypair,
 * --capability-iam, 2 × t2.medium) → compose up / ps / logs / compose scale / compose down → compose service
 * up / ps / scale → deploy --diff-only / deploy --image --yes → images → register --task-def-file → scale --size →
 * compose service rm → down. Then the same capacity in a VPC the user brings (--vpc/--subnets): a clean create and
 * delete.
 *
 * moto runs no ECS agent and its services launch nothing, so the suite plays the agent (it registers the Auto
 * Scaling group's instances as container instances) and checks what an independent implementation can: every
 * request accepted, the template created (and deleted), outputs and exit codes right, nothing leaked or hung.
 * Where moto is wrong, the test says so and asserts ecsx's handling of it.
 */
import {describe, expect, it} from '@jest/globals'
import type {Service, Task} from '@aws-sdk/client-ecs'
import {writeFileSync} from 'node:fs'
import path from 'node:path'

import {
  ACCESS_KEY,
  asgInstances,
  ecr,
  ecs,
  logs,
  type Moto,
  physicalId,
  query,
  REGION,
  registerContainerInstances,
  SECRET_KEY,
  ssm,
  xmlValues,
} from './support/moto.js'
import {expectExit, json, motoSession} from './support/session.js'

const session = motoSession({fixture: 'wordpress', project: 'wordpress'})
const CFG = ['--cluster-config', 'ec2-tutorial', '--ecs-profile', 'tutorial-profile']
const CLUSTER = 'ec2-tutorial'
const STACK = `amazon-ecs-cli-setup-${CLUSTER}`

interface UpJson {
  cluster: {clusterName: string; status: string}
  stack: {stackName: string; status: string; outputs: Record<string, string>}
  network: {vpcId: string; subnetIds: string[]; securityGroupIds: string[]; created: boolean}
}

/** The stack's resources as moto's CloudFormation lists them (type by logical id). */
async function stackResources(moto: Moto, stack: string): Promise<Record<string, string>> {
  const xml = await query(moto, 'cloudformation', {Action: 'DescribeStackResources', StackName: stack})
  const ids = xmlValues(xml, 'LogicalResourceId')
  const types = xmlValues(xml, 'ResourceType')
  return Object.fromEntries(ids.map((id, i) => [id, types[i] as string]))
}

async function instanceStates(moto: Moto, ids: string[]): Promise<string[]> {
  const params: Record<string, string> = {Action: 'DescribeInstances'}
  ids.forEach((id, i) => (params[`InstanceId.${i + 1}`] = id))
  const xml = await query(moto, 'ec2', params)
  return [...xml.matchAll(/<instanceState>\s*<code>\d+<\/code>\s*<name>([a-z-]+)<\/name>/g)].map((m) => m[1] as string)
}

describe('tutorial: EC2 cluster with the WordPress compose project, against moto', () => {
  let up: UpJson
  let instances: string[] = []
  let taskId = ''

  it('configure, then up: the stack is CREATE_COMPLETE with its 14 resources, 2 instances on the SSM AMI', async () => {
    const s = session()
    expectExit(
      await s.ecsx([
        'configure',
        '--cluster',
        CLUSTER,
        '--region',
        REGION,
        '--default-launch-type',
        'EC2',
        '--config-name',
        'ec2-tutorial',
      ]),
      0,
    )
    const profile = ['configure', 'profile', '--access-key', ACCESS_KEY, '--secret-key', SECRET_KEY]
    expectExit(await s.ecsx([...profile, '--profile-name', 'tutorial-profile']), 0)

    const args = ['up', '--keypair', 'id_rsa', '--capability-iam', '--size', '2', '--instance-type', 't2.medium']
    const r = await s.ecsx([...args, ...CFG, '--json'])
    expectExit(r, 0)
    up = json<UpJson>(r)
    expect(up.cluster).toMatchObject({clusterName: CLUSTER, status: 'ACTIVE'})
    expect(up.stack).toMatchObject({stackName: STACK, status: 'CREATE_COMPLETE'})
    expect(up.network.created).toBe(true)
    expect(up.network.subnetIds).toEqual(up.stack.outputs.SubnetIds?.split(','))
    expect(up.network.securityGroupIds).toEqual([up.stack.outputs.SecurityGroupId])

    const resources = await stackResources(s.moto, STACK)
    expect(Object.keys(resources)).toHaveLength(14)
    expect(resources).toMatchObject({
      Vpc: 'AWS::EC2::VPC',
      EcsInstanceRole: 'AWS::IAM::Role',
      EcsInstanceProfile: 'AWS::IAM::InstanceProfile',
      EcsInstanceLaunchTemplate: 'AWS::EC2::LaunchTemplate',
      EcsInstanceAsg: 'AWS::AutoScaling::AutoScalingGroup',
    })
    const asg = await asgInstances(s.moto, up.stack.outputs.AutoScalingGroupName as string)
    expect(asg.ids).toHaveLength(2)
    instances = asg.ids
    // CloudFormation resolved the AMI from the SSM public parameter, as on AWS
    const param = (await ssm(s.moto, 'GetParameter', {
      Name: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id',
    })) as {Parameter: {Value: string}}
    const described = await query(s.moto, 'ec2', {Action: 'DescribeInstances', 'InstanceId.1': instances[0] as string})
    expect(xmlValues(described, 'imageId')).toEqual([param.Parameter.Value])
    expect(xmlValues(described, 'keyName')).toEqual(['id_rsa'])
    expect(xmlValues(described, 'instanceType')).toEqual(['t2.medium'])
  })

  it('(the suite plays the ECS agent) the two instances register with the cluster', async () => {
    const s = session()
    const arns = await registerContainerInstances(s.moto, CLUSTER, instances)
    expect(arns).toHaveLength(2)
  })

  it('compose up --create-log-groups registers wordpress:1, creates both log groups and runs one task', async () => {
    const s = session()
    const r = await s.ecsx(['compose', 'up', '--create-log-groups', ...CFG])
    expectExit(r, 0)
    expect(r.stderr).toContain('Using ECS task definition wordpress:1')
    expect(r.stderr).toContain('Created log group tutorial-wordpress in us-east-1')
    expect(r.stderr).toContain('Created log group tutorial-mysql in us-east-1')
    const groups = await logs(s.moto, 'DescribeLogGroups', {logGroupNamePrefix: 'tutorial-'})
    expect((groups.logGroups as Array<{logGroupName: string}>).map((g) => g.logGroupName).sort()).toEqual([
      'tutorial-mysql',
      'tutorial-wordpress',
    ])
  })

  it('ps shows the running task; its JSON is the task moto describes', async () => {
    const s = session()
    const r = await s.ecsx(['ps', ...CFG, '--json'])
    expectExit(r, 0)
    const tasks = json<Task[]>(r)
    expect(tasks).toHaveLength(1)
    expect(tasks[0]).toMatchObject({lastStatus: 'RUNNING', group: 'task:wordpress', launchType: 'EC2'})
    expect(tasks[0]?.taskDefinitionArn).toMatch(/task-definition\/wordpress:1$/)
    taskId = (tasks[0]?.taskArn ?? '').split('/').pop() as string
    const table = await s.ecsx(['ps', ...CFG])
    expectExit(table, 0)
    expect(table.stdout.split('\n')[0]).toMatch(/^Name\s+State\s+Ports\s+TaskDefinition\s+Health/)
    // moto describes only the first container of a task, as PENDING (ECS would list wordpress and mysql, RUNNING):
    // ecsx shows what the API says
    expect(table.stdout).toContain(`${CLUSTER}/${taskId}/wordpress`)
    expect(table.stdout).toMatch(/wordpress:1/)
  })

  it('logs --task-id prints the lines the container wrote to its awslogs stream', async () => {
    const s = session()
    const stream = `wordpress/wordpress/${taskId}`
    await logs(s.moto, 'CreateLogStream', {logGroupName: 'tutorial-wordpress', logStreamName: stream})
    await logs(s.moto, 'PutLogEvents', {
      logGroupName: 'tutorial-wordpress',
      logStreamName: stream,
      logEvents: [
        {timestamp: Date.now() - 2000, message: 'WordPress not found in /var/www/html - copying now...'},
        {timestamp: Date.now() - 1000, message: 'Apache/2.4 configured -- resuming normal operations'},
      ],
    })
    const r = await s.ecsx(['logs', '--task-id', taskId, ...CFG])
    expectExit(r, 0)
    expect(r.stdout.trim().split('\n')).toEqual([
      'wordpress | WordPress not found in /var/www/html - copying now...',
      'wordpress | Apache/2.4 configured -- resuming normal operations',
    ])
  })

  it('compose scale 2 → two tasks RUNNING; compose down stops both', async () => {
    const s = session()
    expectExit(await s.ecsx(['compose', 'scale', '2', ...CFG]), 0)
    const ps = json<Task[]>(await s.ecsx(['ps', ...CFG, '--json']))
    expect(ps.filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2)
    const down = await s.ecsx(['compose', 'down', ...CFG, '--json'])
    expectExit(down, 0)
    expect(json<Task[]>(down).map((t) => t.lastStatus)).toEqual(['STOPPED', 'STOPPED'])
  })

  it('compose service up/ps/scale: the service is created and scaled; moto launches nothing, so waiting times out (exit 3)', async () => {
    const s = session()
    const r = await s.ecsx(['compose', 'service', 'up', ...CFG, '--timeout', '0', '--json'])
    expectExit(r, 0)
    expect(json<Service>(r)).toMatchObject({serviceName: 'wordpress', status: 'ACTIVE', desiredCount: 1})
    expectExit(await s.ecsx(['compose', 'service', 'ps', ...CFG]), 0)
    // moto's services never start tasks: a bounded wait ends in ecsx's timeout, exit 3, naming what it waited for
    const scale = await s.ecsx(['compose', 'service', 'scale', '2', ...CFG, '--timeout', '0.05'])
    expectExit(scale, 3)
    expect(scale.stderr).toMatch(/Timed out after \d+ seconds waiting for service wordpress/)
    const described = await ecs(s.moto, 'DescribeServices', {cluster: CLUSTER, services: ['wordpress']})
    expect((described.services as Service[])[0]?.desiredCount).toBe(2)
  })

  it('deploy --diff-only changes nothing; deploy --image … --yes registers wordpress:2 and updates the service', async () => {
    const s = session()
    const same = await s.ecsx(['deploy', '--diff-only', ...CFG])
    expectExit(same, 0)
    expect(same.stdout + same.stderr).toContain('Nothing to deploy')
    const diff = await s.ecsx(['deploy', '--diff-only', '--image', 'wordpress=wordpress:6', ...CFG])
    expectExit(diff, 0)
    expect(diff.stdout).toMatch(/^\+.*"image": "wordpress:6"/m)
    const families = await ecs(s.moto, 'ListTaskDefinitions', {familyPrefix: 'wordpress'})
    expect(families.taskDefinitionArns as string[]).toHaveLength(1) // --diff-only registered nothing

    const r = await s.ecsx(['deploy', '--image', 'wordpress=wordpress:6', '--yes', '--no-wait', ...CFG])
    expectExit(r, 0)
    expect(r.stderr).toContain('Updated service wordpress: wordpress:1 -> wordpress:2')
    const described = await ecs(s.moto, 'DescribeServices', {cluster: CLUSTER, services: ['wordpress']})
    expect((described.services as Service[])[0]?.taskDefinition).toMatch(/task-definition\/wordpress:2$/)
  })

  it('images lists what the registry holds', async () => {
    const s = session()
    await ecr(s.moto, 'CreateRepository', {repositoryName: 'wordpress'})
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: 7023,
        digest: `sha256:${'b'.repeat(64)}`,
      },
      layers: [],
    })
    const put = await ecr(s.moto, 'PutImage', {repositoryName: 'wordpress', imageTag: '6', imageManifest: manifest})
    const digest = (put.image as {imageId: {imageDigest: string}}).imageId.imageDigest
    const r = await s.ecsx(['images', ...CFG])
    expectExit(r, 0)
    expect(r.stdout.split('\n')[0]).toMatch(/^REPOSITORY NAME\s+TAG\s+IMAGE DIGEST\s+PUSHED AT\s+SIZE/)
    expect(r.stdout).toMatch(new RegExp(`^wordpress\\s+6\\s+${digest}\\s`, 'm'))
  })

  it('register --task-def-file registers the file as it is', async () => {
    const s = session()
    const file = path.join(s.dir, 'sleep360.json')
    const def = {
      family: 'sleep360',
      containerDefinitions: [{name: 'sleep', image: 'busybox', command: ['sleep', '360'], memory: 64, essential: true}],
    }
    writeFileSync(file, JSON.stringify(def))
    const r = await s.ecsx(['register', '--task-def-file', file, ...CFG])
    expectExit(r, 0)
    const described = await ecs(s.moto, 'DescribeTaskDefinition', {taskDefinition: 'sleep360'})
    expect(described.taskDefinition).toMatchObject({family: 'sleep360', revision: 1})
  })

  it('scale --size 3 needs --capability-iam even though moto reports no Capabilities; with it the group grows to 3', async () => {
    const s = session()
    // moto's DescribeStacks omits the stack's Capabilities: ecsx reads the stack's IAM resources instead
    const refused = await s.ecsx(['scale', '--size', '3', ...CFG])
    expectExit(refused, 2)
    expect(refused.stderr).toContain('contains IAM resources: pass --capability-iam')
    const r = await s.ecsx(['scale', '--size', '3', '--capability-iam', ...CFG, '--json'])
    expectExit(r, 0)
    expect(json(r)).toMatchObject({stackName: STACK, status: 'UPDATE_COMPLETE', size: 3, changed: true})
    const asg = await asgInstances(s.moto, await physicalId(s.moto, STACK, 'EcsInstanceAsg'))
    expect(asg.desired).toBe(3)
    expect(asg.ids).toHaveLength(3)
    instances = asg.ids
  })

  it('compose service rm deletes the service', async () => {
    const s = session()
    const r = await s.ecsx(['compose', 'service', 'rm', ...CFG, '--timeout', '0'])
    expectExit(r, 0)
    expect(r.stderr + r.stdout).toContain('Deleted service wordpress')
    // moto keeps listing the deleted service (INACTIVE) in ListServices; real ECS does not
    const listed = await ecs(s.moto, 'ListServices', {cluster: CLUSTER})
    expect(listed.serviceArns as string[]).toHaveLength(1)
  })

  it('down: moto cannot delete the VPC its CloudFormation created (ecsx says so, exit 1); run again, the cluster goes', async () => {
    const s = session()
    const first = await s.ecsx(['down', '--force', ...CFG])
    // moto's CloudFormation has no delete for AWS::EC2::RouteTable and AWS::EC2::InternetGateway: the VPC keeps
    // them, DeleteStack answers DependencyViolation synchronously (CloudFormation would go DELETE_FAILED) and moto
    // drops the stack anyway. ecsx's part: the INACTIVE service moto still lists did not block `down`, and the
    // refused DeleteStack is reported as such.
    expectExit(first, 1)
    expect(first.stderr).toMatch(
      new RegExp(
        `^Error: Could not delete CloudFormation stack ${STACK} \\(UPDATE_COMPLETE\\) for \`ecsx down\`: DependencyViolation: `,
        'm',
      ),
    )
    expect(first.stderr).toContain(`from CloudFormation DeleteStack at ${s.moto.url}`)
    // what ECS does when the instances of a deleted Auto Scaling group are gone: they leave the cluster
    expect(new Set(await instanceStates(s.moto, instances))).toEqual(new Set(['terminated']))
    const registered = await ecs(s.moto, 'ListContainerInstances', {cluster: CLUSTER})
    for (const arn of registered.containerInstanceArns as string[])
      await ecs(s.moto, 'DeregisterContainerInstance', {cluster: CLUSTER, containerInstance: arn, force: true})

    const second = await s.ecsx(['down', '--force', ...CFG, '--json'])
    expectExit(second, 0)
    expect(json(second)).toMatchObject({cluster: {clusterName: CLUSTER, status: 'INACTIVE'}, stackDeleted: false})
    // nothing of the stack is left but moto's own leftovers: the VPC with its route table and internet gateway
    const vpcs = xmlValues(await query(s.moto, 'ec2', {Action: 'DescribeVpcs', 'VpcId.1': up.network.vpcId}), 'vpcId')
    expect(vpcs).toEqual([up.network.vpcId])
    const subnets = await query(s.moto, 'ec2', {
      Action: 'DescribeSubnets',
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': up.network.vpcId,
    })
    expect(xmlValues(subnets, 'subnetId')).toEqual([])
    const groups = await query(s.moto, 'autoscaling', {Action: 'DescribeAutoScalingGroups'})
    expect(xmlValues(groups, 'AutoScalingGroupName')).toEqual([])
    const roles = await query(s.moto, 'iam', {Action: 'ListInstanceProfiles'})
    expect(xmlValues(roles, 'InstanceProfileName')).toEqual([])
  })
})

describe('EC2 capacity in a VPC the user brings (--vpc/--subnets): created and deleted cleanly', () => {
  it('up → DELETE_COMPLETE on down, instances terminated, security group and role gone', async () => {
    const s = session()
    const vpc = xmlValues(await query(s.moto, 'ec2', {Action: 'CreateVpc', CidrBlock: '10.9.0.0/16'}), 'vpcId')[0]
    const subnets: string[] = []
    for (const [cidr, az] of [
      ['10.9.1.0/24', 'us-east-1a'],
      ['10.9.2.0/24', 'us-east-1b'],
    ] as const) {
      const xml = await query(s.moto, 'ec2', {
        Action: 'CreateSubnet',
        VpcId: vpc as string,
        CidrBlock: cidr,
        AvailabilityZone: az,
      })
      subnets.push(xmlValues(xml, 'subnetId')[0] as string)
    }
    const env = s.keys
    const cluster = ['--cluster', 'byo', '--region', REGION]
    const r = await s.ecsx(
      [
        'up',
        '--capability-iam',
        '--size',
        '1',
        '--vpc',
        vpc as string,
        '--subnets',
        subnets.join(','),
        ...cluster,
        '--json',
      ],
      env,
    )
    expectExit(r, 0)
    const created = json<UpJson>(r)
    expect(created.network).toEqual({
      vpcId: vpc,
      subnetIds: subnets,
      securityGroupIds: [created.stack.outputs.SecurityGroupId],
      created: false,
    })
    const asg = await asgInstances(s.moto, created.stack.outputs.AutoScalingGroupName as string)
    await registerContainerInstances(s.moto, 'byo', asg.ids)

    const down = await s.ecsx(['down', '--force', ...cluster, '--json'], env)
    expectExit(down, 0)
    expect(json(down)).toMatchObject({
      cluster: {clusterName: 'byo', status: 'INACTIVE'},
      stackName: 'amazon-ecs-cli-setup-byo',
      stackDeleted: true,
    })
    expect(new Set(await instanceStates(s.moto, asg.ids))).toEqual(new Set(['terminated']))
    const sg = await query(s.moto, 'ec2', {
      Action: 'DescribeSecurityGroups',
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': vpc as string,
    })
    expect(xmlValues(sg, 'groupName')).toEqual(['default']) // only the VPC's own
    const stacks = await query(s.moto, 'cloudformation', {Action: 'ListStacks'})
    expect(stacks).toMatch(/amazon-ecs-cli-setup-byo<\/StackName>[\s\S]*?<StackStatus>DELETE_COMPLETE/)
  })
})
