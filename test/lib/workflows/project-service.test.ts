import {afterEach, describe, expect, it} from '@jest/globals'

import {
  createServiceInput,
  deploymentConfiguration,
  serviceCreate,
  serviceRm,
  serviceScale,
  serviceStart,
  serviceStop,
  serviceUp,
  type ServiceOptions,
  type ServiceProject,
} from '../../../src/lib/workflows/project-service.js'
import {loadBalancersFromFlags} from '../../../src/lib/workflows/service-options.js'
import {InputError, OperationError} from '../../../src/lib/errors.js'
import {createLocalInfra} from '../../../src/lib/infra/local/index.js'
import {projectNames} from '../../../src/lib/workflows/project.js'
import {registerTaskDefinition} from '../../../src/lib/workflows/register.js'
import {ServiceWaitFailedError} from '../../../src/lib/workflows/wait/service.js'
import {type LocalCluster, localCluster, translation, webAndWorker} from './local-cluster.js'
import {recordingUi} from './wait/fakes.js'

let env: LocalCluster | undefined
afterEach(async () => {
  await env?.cleanup()
  env = undefined
})

function project(
  c: LocalCluster,
  options: ServiceOptions = {},
  td = webAndWorker(),
  replicas?: number,
): ServiceProject {
  return {
    backend: c.backend,
    ui: recordingUi(),
    cluster: c.cluster,
    serviceDiscovery: createLocalInfra(c.settings, recordingUi(), async () => c.backend).serviceDiscovery,
    names: projectNames('shop', {composeProjectNamePrefix: '', composeServiceNamePrefix: 'svc-'}),
    translation: translation(td, {service: {desiredCount: replicas}}),
    options,
    timeoutMs: 120_000,
    register: registerTaskDefinition,
  }
}

describe('compose service workflows on the local engine', () => {
  it("create makes a service with desired 0 and ecs-cli's deployment defaults; start sets 1; stop sets 0", async () => {
    env = await localCluster(2)
    const created = await serviceCreate(project(env))
    expect(created).toMatchObject({
      serviceName: 'svc-shop',
      desiredCount: 0,
      deploymentConfiguration: {maximumPercent: 200, minimumHealthyPercent: 100},
    })
    await expect(serviceCreate(project(env))).rejects.toBeInstanceOf(OperationError)
    const started = await serviceStart(project(env))
    expect(started).toMatchObject({desiredCount: 1, runningCount: 1})
    const stopped = await serviceStop(project(env))
    expect(stopped).toMatchObject({desiredCount: 0, runningCount: 0})
  })

  it('up creates with max(1, deploy.replicas), then rolls to a new revision keeping the count', async () => {
    env = await localCluster(2)
    const created = await serviceUp(project(env, {}, webAndWorker(), 3))
    expect(created).toMatchObject({desiredCount: 3, runningCount: 3})
    const updated = await serviceUp(project(env, {}, webAndWorker('nginx:1.27'), 1))
    expect(updated.desiredCount).toBe(3)
    expect(updated.taskDefinition).toMatch(/shop:2$/)
    expect(updated.deployments).toHaveLength(1)
    expect(updated.runningCount).toBe(3)
  })

  it('--force-deployment starts a new deployment of the same revision', async () => {
    env = await localCluster(2)
    const first = await serviceUp(project(env))
    const forced = await serviceStart(project(env, {forceDeployment: true}))
    expect(forced.taskDefinition).toBe(first.taskDefinition)
    expect(forced.deployments).toHaveLength(1)
    expect(forced.deployments?.[0].id).not.toBe(first.deployments?.[0].id)
    expect(forced.runningCount).toBe(1)
  })

  it('up on a stopped service brings it back to at least one task', async () => {
    env = await localCluster(1)
    await serviceCreate(project(env))
    const up = await serviceUp(project(env))
    expect(up).toMatchObject({desiredCount: 1, runningCount: 1})
  })

  it('scale waits until stable; an unplaceable task ends the wait at once (exit 1) and keeps the new desired count', async () => {
    env = await localCluster(1, 't2.micro')
    const p = project(env, {}, webAndWorker('nginx', 80))
    await serviceUp(p)
    const err = await serviceScale(p, 2).catch((e) => e)
    expect(err).toBeInstanceOf(ServiceWaitFailedError)
    expect(err.message).toContain('was unable to place a task')
    const out = await env.backend.describeServices({cluster: env.cluster, services: ['svc-shop']})
    expect(out.services?.[0].desiredCount).toBe(2)
    expect(await serviceScale(p, 1)).toMatchObject({desiredCount: 1, runningCount: 1})
  })

  it('rm scales to zero, waits, deletes, and waits until the service is INACTIVE', async () => {
    env = await localCluster(1)
    await serviceUp(project(env))
    const deleted = await serviceRm(project(env))
    expect(deleted.desiredCount).toBe(0)
    expect(deleted.status).toBe('INACTIVE')
    await expect(serviceRm(project(env))).rejects.toThrow('does not exist')
    const now = await serviceRm({...project(env), timeoutMs: 0}).catch((e) => e)
    expect(now).toBeInstanceOf(OperationError)
  })

  it('a DAEMON service runs one task per instance and cannot be scaled', async () => {
    env = await localCluster(2)
    const p = project(env, {schedulingStrategy: 'DAEMON'})
    const up = await serviceUp(p)
    expect(up.schedulingStrategy).toBe('DAEMON')
    expect(up.deploymentConfiguration).toMatchObject({maximumPercent: 100, minimumHealthyPercent: 0})
    expect(up.runningCount).toBe(2)
    await expect(serviceScale(p, 3)).rejects.toBeInstanceOf(InputError)
  })

  it('timeout 0 returns right after the change', async () => {
    env = await localCluster(1)
    const p = {...project(env), timeoutMs: 0}
    const up = await serviceUp(p)
    expect(up.runningCount).toBe(0)
  })

  it('carries load balancers and (locally) service discovery into CreateService', async () => {
    env = await localCluster(1)
    const lbs = loadBalancersFromFlags({
      'target-group-arn': 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1',
      'container-name': 'web',
      'container-port': 80,
    })
    const p = project(env, {
      loadBalancers: lbs,
      role: 'ecsServiceRole',
      healthCheckGracePeriod: 25,
      serviceDiscovery: {
        enable: true,
        privateDnsNamespace: 'corp',
        vpc: 'vpc-1',
        containerName: 'web',
        containerPort: 80,
      },
    })
    const input = createServiceInput(
      p,
      {taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/shop:1'},
      1,
    )
    expect(input.loadBalancers).toEqual([
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1',
        containerName: 'web',
        containerPort: 80,
        loadBalancerName: undefined,
      },
    ])
    expect(input.role).toBe('ecsServiceRole')
    expect(input.healthCheckGracePeriodSeconds).toBe(25)
    expect(input.serviceRegistries?.[0]).toMatchObject({containerName: 'web', containerPort: 80})
    expect(input.serviceRegistries?.[0].registryArn).toMatch(
      /^arn:aws:servicediscovery:us-east-1:000000000000:service\/srv-[0-9a-f]{16}$/,
    )
  })
})

describe('service flag validation (exit 2)', () => {
  it('DAEMON needs max percent 100; min cannot exceed max', () => {
    expect(deploymentConfiguration({schedulingStrategy: 'DAEMON'})).toEqual({
      maximumPercent: 100,
      minimumHealthyPercent: 0,
    })
    expect(deploymentConfiguration({})).toEqual({maximumPercent: 200, minimumHealthyPercent: 100})
    expect(deploymentConfiguration({}, true)).toBeUndefined()
    expect(() => deploymentConfiguration({schedulingStrategy: 'DAEMON', maxPercent: 200})).toThrow(InputError)
    expect(() => deploymentConfiguration({maxPercent: 100, minHealthyPercent: 150})).toThrow(InputError)
  })
  it('load balancer flags need container name and port; --target-groups is parsed', () => {
    expect(() => loadBalancersFromFlags({'target-group-arn': 'arn:tg'})).toThrow(
      'needs --container-name and --container-port',
    )
    expect(() => loadBalancersFromFlags({'container-name': 'web'})).toThrow(InputError)
    expect(
      loadBalancersFromFlags({
        'target-groups': [
          'targetGroupArn=arn:a,containerName=web,containerPort=80',
          'targetGroupArn=arn:b,containerName=api,containerPort=8080',
        ],
      }),
    ).toEqual([
      {targetGroupArn: 'arn:a', containerName: 'web', containerPort: 80},
      {targetGroupArn: 'arn:b', containerName: 'api', containerPort: 8080},
    ])
    expect(() => loadBalancersFromFlags({'target-groups': ['targetGroupArn=arn:a,containerName=web']})).toThrow(
      InputError,
    )
    expect(loadBalancersFromFlags({})).toBeUndefined()
  })
})
