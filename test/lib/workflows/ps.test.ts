import {describe, expect, it} from '@jest/globals'
import type {Task, TaskDefinition} from '@aws-sdk/client-ecs'

import {localClusterUp, type LocalUpOptions} from '../../../src/lib/infra/local/capacity.js'
import {availabilityZones} from '../../../src/lib/infra/local/zones.js'
import {ps, renderTaskTable, taskIdOf, taskRows} from '../../../src/lib/workflows/ps.js'
import {fakeUi} from '../../helpers/fake-terminal.js'
import {localBackendPerTest} from '../../helpers/local-backend.js'

const backend = localBackendPerTest()

const ARN = 'arn:aws:ecs:us-east-1:000000000000'

const bridgeTask: Task = {
  taskArn: `${ARN}:task/shop/0f3e9d6c4b1a4c2e9a7d5b3c1e2f4a6b`,
  taskDefinitionArn: `${ARN}:task-definition/shop:7`,
  lastStatus: 'RUNNING',
  containers: [
    {
      name: 'web',
      lastStatus: 'RUNNING',
      healthStatus: 'HEALTHY',
      networkBindings: [
        {bindIP: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp'},
        {bindIP: '0.0.0.0', hostPort: 8443, containerPort: 443},
      ],
    },
    {name: 'worker', lastStatus: 'STOPPED', exitCode: 137, reason: 'OOM kill', healthStatus: 'UNKNOWN'},
  ],
}

const awsvpcTask: Task = {
  taskArn: `${ARN}:task/shop/9a8b7c6d5e4f40312a1b2c3d4e5f6a7b`,
  taskDefinitionArn: `${ARN}:task-definition/api:2`,
  lastStatus: 'RUNNING',
  attachments: [
    {type: 'ElasticNetworkInterface', status: 'ATTACHED', details: [{name: 'privateIPv4Address', value: '10.0.1.23'}]},
  ],
  containers: [{name: 'api', lastStatus: 'RUNNING', networkInterfaces: [{privateIpv4Address: '10.0.1.23'}]}],
}

const pendingAwsvpc: Task = {
  taskArn: `${ARN}:task/shop/11111111111111111111111111111111`,
  taskDefinitionArn: `${ARN}:task-definition/api:2`,
  lastStatus: 'PROVISIONING',
  attachments: [{type: 'ElasticNetworkInterface', status: 'PRECREATED', details: []}],
  containers: [{name: 'api', lastStatus: 'PENDING'}],
}

const apiDef: TaskDefinition = {
  family: 'api',
  revision: 2,
  networkMode: 'awsvpc',
  containerDefinitions: [
    {
      name: 'api',
      image: 'api',
      portMappings: [
        {containerPort: 3000, hostPort: 3000, protocol: 'tcp'},
        {containerPort: 9000, protocol: 'udp'},
      ],
    },
  ],
}
const defs = new Map([[`${ARN}:task-definition/api:2`, apiDef]])

describe('ps table', () => {
  it('task id is everything after the first "/" of the ARN (long ARNs include the cluster)', () => {
    expect(taskIdOf(`${ARN}:task/shop/abc`)).toBe('shop/abc')
    expect(taskIdOf(`${ARN}:task/abc`)).toBe('abc')
  })

  it('prints the ecs-cli transcript exactly', async () => {
    const {ui, stdout, stderr} = await fakeUi()
    renderTaskTable(ui, [bridgeTask, awsvpcTask, pendingAwsvpc], {taskDefinitions: defs})
    expect(stderr.text).toBe('')
    expect(stdout.text).toBe(
      [
        'Name                                          State                                   Ports                                               TaskDefinition  Health',
        'shop/0f3e9d6c4b1a4c2e9a7d5b3c1e2f4a6b/web     RUNNING                                 0.0.0.0:8080->80/tcp, 0.0.0.0:8443->443/tcp         shop:7          HEALTHY',
        'shop/0f3e9d6c4b1a4c2e9a7d5b3c1e2f4a6b/worker  STOPPED ExitCode: 137 Reason: OOM kill                                                      shop:7          UNKNOWN',
        'shop/9a8b7c6d5e4f40312a1b2c3d4e5f6a7b/api     RUNNING                                 10.0.1.23:3000->3000/tcp, 10.0.1.23:9000->9000/udp  api:2',
        'shop/11111111111111111111111111111111/api     PENDING                                 (PENDING):3000->3000/tcp, (PENDING):9000->9000/udp  api:2',
        '',
      ].join('\n'),
    )
  })

  it('uses a host IP for bridge bindings when one is known', () => {
    const rows = taskRows([{...bridgeTask, containerInstanceArn: 'ci-1'}], {hostIps: new Map([['ci-1', '52.1.2.3']])})
    expect(rows[0].ports).toBe('52.1.2.3:8080->80/tcp, 52.1.2.3:8443->443/tcp')
  })

  it('prints nothing at all (no header) without tasks', async () => {
    const {ui, stdout} = await fakeUi()
    renderTaskTable(ui, [])
    expect(stdout.text).toBe('')
  })

  it('leaves out exit code and reason when unknown', () => {
    const rows = taskRows([{taskArn: `${ARN}:task/c/t`, containers: [{name: 'x', lastStatus: 'STOPPED'}]}])
    expect(rows[0]).toEqual({name: 'c/t/x', state: 'STOPPED', ports: '', taskDefinition: '', health: ''})
  })
})

describe('ps against the local engine', () => {
  const upOptions: LocalUpOptions = {
    cluster: 'c',
    region: 'us-east-1',
    size: 6,
    instanceType: 'c5.4xlarge',
    launchType: 'EC2',
    empty: false,
    zones: availabilityZones('us-east-1'),
    force: false,
  }

  it("renders awsvpc tasks with the ENI address and the task definition's ports", async () => {
    const b = await backend()
    await localClusterUp(b, upOptions, (await fakeUi()).ui)
    await b.registerTaskDefinition({
      family: 'api',
      networkMode: 'awsvpc',
      containerDefinitions: [{name: 'api', image: 'api', memory: 64, portMappings: [{containerPort: 3000}]}],
    })
    const run = await b.runTask({
      cluster: 'c',
      taskDefinition: 'api',
      networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-1']}},
    })
    expect(run.failures).toEqual([])
    await b.engine!.advance(30_000)
    const {ui, stdout} = await fakeUi()
    const tasks = await ps(b, ui, 'c', {family: 'api'}, {json: false})
    const ip = tasks[0].containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(stdout.text.split('\n')[1]).toMatch(
      new RegExp(`/api {2}RUNNING {2}${ip!.replaceAll('.', '\\.')}:3000->3000/tcp {2}api:1`),
    )
  })

  it('prints nothing under --json, and nothing for no tasks', async () => {
    const b = await backend()
    await localClusterUp(b, upOptions, (await fakeUi()).ui)
    await b.registerTaskDefinition({family: 'shop', containerDefinitions: [{name: 'web', image: 'nginx', memory: 32}]})
    await b.runTask({cluster: 'c', taskDefinition: 'shop', count: 2})
    const {ui, stdout} = await fakeUi()
    expect(await ps(b, ui, 'c', {family: 'shop'}, {json: true})).toHaveLength(2)
    expect(await ps(b, ui, 'c', {family: 'none'}, {json: false})).toEqual([])
    expect(stdout.text).toBe('')
    expect(await ps(b, ui, 'c', {family: 'shop'}, {json: false})).toHaveLength(2)
    expect(stdout.text.split('\n').filter(Boolean)).toHaveLength(3)
  })
})
