/**
 * The ECS developer guide's Fargate tutorial with `--backend aws`, against moto_server: configure → up (the stack
 * creates a VPC and two subnets; ecsx prints them, with the VPC's default security group, as an ecs-params.yml) →
 * that file into the project → compose up (a standalone awsvpc task) → compose service up / ps /
 * scale / down → down. Plus `up --json` into an existing VPC, whose network is in the result.
 *
 * The subnets and security group ecsx prints must be the real ones: moto's CreateService rejects unknown subnets and
 * security groups. (moto cannot run awsvpc tasks at all — see the compose up test — so ps shows no Fargate task.)
 */
import {describe, expect, it} from '@jest/globals'
import type {Service} from '@aws-sdk/client-ecs'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {ecs, query, REGION, xmlValues} from './support/moto.js'
import {expectExit, json, motoSession} from './support/session.js'

const session = motoSession({fixture: 'fargate', project: 'fargate-app'})
const CLUSTER = 'fargate-tutorial'
const CFG = ['--cluster-config', 'fargate-tutorial']
const PROJECT = ['--project-name', 'tutorial']

describe('tutorial: Fargate service, against moto', () => {
  let subnets: string[] = []
  let securityGroup = ''
  let vpc = ''

  it('up prints the VPC, both subnets and the default security group, and an ecs-params.yml on stdout', async () => {
    const s = session()
    const configure = ['configure', '--cluster', CLUSTER, '--region', REGION, '--default-launch-type', 'FARGATE']
    expectExit(await s.ecsx([...configure, '--config-name', 'fargate-tutorial'], s.keys), 0)
    const r = await s.ecsx(['up', ...CFG], s.keys)
    expectExit(r, 0)
    vpc = /^VPC created: (vpc-[0-9a-f]+)$/m.exec(r.stderr)?.[1] ?? ''
    subnets = [...r.stderr.matchAll(/^Subnet created: (subnet-[0-9a-f]+)$/gm)].map((m) => m[1] as string)
    securityGroup = /^Default security group of the VPC: (sg-[0-9a-f]+)$/m.exec(r.stderr)?.[1] ?? ''
    expect(vpc).not.toBe('')
    expect(subnets).toHaveLength(2) // one "Subnet created:" line per subnet
    expect(r.stderr).not.toContain('Subnets created')
    expect(securityGroup).not.toBe('')
    // they are what EC2 holds: the subnets are in the VPC, the group is the VPC's default one
    const described = await query(s.moto, 'ec2', {
      Action: 'DescribeSubnets',
      'SubnetId.1': subnets[0] as string,
      'SubnetId.2': subnets[1] as string,
    })
    expect(new Set(xmlValues(described, 'vpcId'))).toEqual(new Set([vpc]))
    const group = await query(s.moto, 'ec2', {Action: 'DescribeSecurityGroups', 'GroupId.1': securityGroup})
    expect(xmlValues(group, 'groupName')).toEqual(['default'])
    expect(xmlValues(group, 'vpcId')).toEqual([vpc])
    expect(r.stdout.trim().split('\n')).toEqual([
      'version: 1',
      'run_params:',
      '  network_configuration:',
      '    awsvpc_configuration:',
      '      subnets:',
      `        - ${subnets[0]}`,
      `        - ${subnets[1]}`,
      '      security_groups:',
      `        - ${securityGroup}`,
      '      assign_public_ip: ENABLED',
    ])
    // the tutorial's ecs-params.yml keeps its task_definition and takes the printed run_params
    const file = path.join(s.dir, 'ecs-params.yml')
    const taskDefinition = readFileSync(file, 'utf8').split('run_params:')[0] as string
    writeFileSync(file, taskDefinition + r.stdout.slice(r.stdout.indexOf('run_params:')))
  })

  it('compose up of a standalone Fargate task: moto cannot run awsvpc tasks, ecsx says what it answered (exit 1)', async () => {
    // moto 5.2.1's RunTask fails on any awsvpc task with an HTML 500 page: it adds up container-level memory (a
    // Fargate container may have none: TypeError) and, given some, builds the task's network interface with an
    // attribute its NetworkInterface lacks (AttributeError: private_dns_name). ECS runs the task. ecsx's part: a
    // readable report naming the operation, the endpoint, the status and the page, and no half-started project.
    const s = session()
    const r = await s.ecsx(['compose', '--project-name', 'tutorial-task', 'up', ...CFG], {
      ...s.keys,
      AWS_MAX_ATTEMPTS: '1',
    })
    expectExit(r, 1)
    expect(r.stderr).toContain(
      `Error: ECS RunTask at ${s.moto.url} answered HTTP 500 with a body that is not JSON: <!doctype html> ` +
        '(title "500 Internal Server Error")',
    )
    expect(r.stderr).toContain('Using ECS task definition tutorial-task:1')
    const tasks = await ecs(s.moto, 'ListTasks', {cluster: CLUSTER})
    expect(tasks.taskArns).toEqual([])
  })

  it('compose service up (ecs-cli argument order, --create-log-groups) creates a FARGATE service in those subnets', async () => {
    const s = session()
    const args = ['compose', ...PROJECT, 'service', 'up', '--create-log-groups', ...CFG, '--timeout', '0', '--json']
    const r = await s.ecsx(args, s.keys)
    expectExit(r, 0)
    const svc = json<Service>(r)
    expect(svc).toMatchObject({serviceName: 'tutorial', launchType: 'FARGATE', desiredCount: 1, status: 'ACTIVE'})
    expect(svc.taskDefinition).toMatch(/task-definition\/tutorial:1$/)
    expect(svc.networkConfiguration?.awsvpcConfiguration).toMatchObject({
      subnets,
      securityGroups: [securityGroup],
      assignPublicIp: 'ENABLED',
    })
    const def = await ecs(s.moto, 'DescribeTaskDefinition', {taskDefinition: 'tutorial:1'})
    expect(def.taskDefinition).toMatchObject({
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
    })
  })

  it('compose service ps and scale 2 (--timeout 0: moto starts no service tasks, so there is nothing to wait for)', async () => {
    const s = session()
    expectExit(await s.ecsx(['compose', ...PROJECT, 'service', 'ps', ...CFG], s.keys), 0)
    const r = await s.ecsx(['compose', ...PROJECT, 'service', 'scale', '2', ...CFG, '--timeout', '0', '--json'], s.keys)
    expectExit(r, 0)
    expect(json<Service>(r).desiredCount).toBe(2)
  })

  it('compose service down deletes the service; down reports moto refusing to delete the VPC, then removes the cluster', async () => {
    const s = session()
    const rm = await s.ecsx(['compose', ...PROJECT, 'service', 'down', ...CFG, '--timeout', '0'], s.keys)
    expectExit(rm, 0)
    expect(rm.stdout + rm.stderr).toMatch(/Service tutorial: (DRAINING|INACTIVE), desired 0/)
    // moto's CloudFormation cannot delete the route table and internet gateway it created (see tutorial-ec2), so
    // DeleteStack is refused with DependencyViolation and moto forgets the stack
    const first = await s.ecsx(['down', '--force', ...CFG], s.keys)
    expectExit(first, 1)
    expect(first.stderr).toMatch(
      /^Error: Could not delete CloudFormation stack amazon-ecs-cli-setup-fargate-tutorial .*DependencyViolation/m,
    )
    const second = await s.ecsx(['down', '--force', ...CFG, '--json'], s.keys)
    expectExit(second, 0)
    expect(json(second)).toMatchObject({cluster: {clusterName: CLUSTER, status: 'INACTIVE'}, stackDeleted: false})
  })
})

describe('up --launch-type FARGATE into an existing VPC', () => {
  it('creates no stack; --json carries the network given, human output the ecs-params.yml', async () => {
    const s = session()
    const vpc = xmlValues(await query(s.moto, 'ec2', {Action: 'CreateVpc', CidrBlock: '10.7.0.0/16'}), 'vpcId')[0]
    const subnet = xmlValues(
      await query(s.moto, 'ec2', {Action: 'CreateSubnet', VpcId: vpc as string, CidrBlock: '10.7.1.0/24'}),
      'subnetId',
    )[0] as string
    const flags = ['--launch-type', 'FARGATE', '--vpc', vpc as string, '--subnets', subnet, '--region', REGION]
    const r = await s.ecsx(['up', ...flags, '--cluster', 'fg-json', '--json'], s.keys)
    expectExit(r, 0)
    const result = json<{stack?: unknown; network: unknown}>(r)
    expect(result.stack).toBeUndefined()
    expect(result.network).toEqual({vpcId: vpc, subnetIds: [subnet], securityGroupIds: [], created: false})
    const human = await s.ecsx(['up', ...flags, '--cluster', 'fg-human'], s.keys)
    expectExit(human, 0)
    expect(human.stdout).toContain(`        - ${subnet}`)
    for (const cluster of ['fg-json', 'fg-human'])
      expectExit(await s.ecsx(['down', '--force', '--cluster', cluster, '--region', REGION], s.keys), 0)
  })
})
