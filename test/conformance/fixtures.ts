/** Shared building blocks of the conformance scenarios: instances, task definitions, lookups, error checks. */
import {expect} from '@jest/globals'
import type {
  Attribute,
  ContainerDefinition,
  ContainerInstance,
  PortMapping,
  RegisterTaskDefinitionCommandInput,
  Resource,
  Service,
  Task,
} from '@aws-sdk/client-ecs'

import type {Backend} from '../../src/lib/ecs/backend.js'

export const ARN_PREFIX = /^arn:aws:ecs:us-east-1:\d{12}:/
/** Default reserved TCP ports the agent registers (spec §3.8). */
export const RESERVED_PORTS = ['22', '2375', '2376', '51678', '51679', '51680']

export interface InstanceSpec {
  instanceId: string
  instanceType?: string
  az?: string
  cpu?: number
  memory?: number
  attributes?: Attribute[]
}

/** Register a container instance the way the agent does: identity document + total resources. */
export async function registerInstance(b: Backend, cluster: string, spec: InstanceSpec): Promise<ContainerInstance> {
  const instanceType = spec.instanceType ?? 't2.micro'
  const az = spec.az ?? 'us-east-1a'
  const totalResources: Resource[] = [
    {name: 'CPU', type: 'INTEGER', integerValue: spec.cpu ?? 1024},
    {name: 'MEMORY', type: 'INTEGER', integerValue: spec.memory ?? 995},
    {name: 'PORTS', type: 'STRINGSET', stringSetValue: RESERVED_PORTS},
    {name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: []},
  ]
  const out = await b.registerContainerInstance({
    cluster,
    instanceIdentityDocument: JSON.stringify({
      instanceId: spec.instanceId,
      instanceType,
      availabilityZone: az,
      region: 'us-east-1',
      imageId: 'ami-0123456789abcdef0',
      accountId: '000000000000',
      privateIp: '10.0.0.10',
    }),
    totalResources,
    ...(spec.attributes ? {attributes: spec.attributes} : {}),
  })
  expect(out.containerInstance).toBeDefined()
  return out.containerInstance!
}

export function container(name: string, over: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {name, image: 'busybox', cpu: 10, memory: 10, essential: true, command: ['sleep', '360'], ...over}
}

/** `sleep360` of the ECS guide (spec §10.1), optionally with a port mapping or bigger reservations. */
export function sleepDef(
  family = 'sleep360',
  over: {cpu?: number; memory?: number; port?: PortMapping} = {},
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    containerDefinitions: [
      container('sleep', {
        cpu: over.cpu ?? 10,
        memory: over.memory ?? 10,
        ...(over.port ? {portMappings: [over.port]} : {}),
      }),
    ],
  }
}

export async function register(b: Backend, input: RegisterTaskDefinitionCommandInput): Promise<string> {
  const out = await b.registerTaskDefinition(input)
  return out.taskDefinition!.taskDefinitionArn!
}

/** Every task of a cluster (both desired statuses), described. */
export async function allTasks(
  b: Backend,
  cluster: string,
  filter: {serviceName?: string; containerInstance?: string} = {},
): Promise<Task[]> {
  const arns: string[] = []
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    let nextToken: string | undefined
    do {
      const page = await b.listTasks({cluster, desiredStatus, nextToken, ...filter})
      arns.push(...(page.taskArns ?? []))
      nextToken = page.nextToken
    } while (nextToken)
  }
  return describeAll(b, cluster, arns)
}

async function describeAll(b: Backend, cluster: string, arns: string[]): Promise<Task[]> {
  const tasks: Task[] = []
  for (let i = 0; i < arns.length; i += 100) {
    const out = await b.describeTasks({cluster, tasks: arns.slice(i, i + 100)})
    tasks.push(...(out.tasks ?? []))
  }
  return tasks
}

export async function liveTasks(
  b: Backend,
  cluster: string,
  filter: {serviceName?: string; containerInstance?: string} = {},
): Promise<Task[]> {
  return (await allTasks(b, cluster, filter)).filter((t) => t.desiredStatus === 'RUNNING')
}

export async function describeTask(b: Backend, cluster: string, arn: string): Promise<Task> {
  const out = await b.describeTasks({cluster, tasks: [arn]})
  expect(out.tasks).toHaveLength(1)
  return out.tasks![0]
}

export async function describeService(b: Backend, cluster: string, name: string): Promise<Service> {
  const out = await b.describeServices({cluster, services: [name]})
  expect(out.failures ?? []).toEqual([])
  return out.services![0]
}

export async function describeInstance(b: Backend, cluster: string, arn: string): Promise<ContainerInstance> {
  const out = await b.describeContainerInstances({cluster, containerInstances: [arn]})
  expect(out.failures ?? []).toEqual([])
  return out.containerInstances![0]
}

export function resource(list: Resource[] | undefined, name: string): Resource | undefined {
  return list?.find((r) => r.name === name)
}

/** The rejection of `p`: must be an ECS API error with this name (and message, when given). */
export async function expectEcsError(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<Error> {
  let thrown: unknown
  try {
    await p
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeDefined()
  const err = thrown as Error
  expect(err.name).toBe(name)
  if (typeof message === 'string') expect(err.message).toBe(message)
  else if (message) expect(err.message).toMatch(message)
  return err
}

export const byInstance = (tasks: Task[]): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const t of tasks) counts.set(t.containerInstanceArn ?? '', (counts.get(t.containerInstanceArn ?? '') ?? 0) + 1)
  return counts
}

/**
 * Step the engine clock in `stepMs` increments, calling `check` after each step, until `check` reports done (true)
 * or `maxMs` have passed. Returns whether it finished.
 */
export async function stepUntil(
  advance: (ms: number) => Promise<void>,
  maxMs: number,
  stepMs: number,
  check: () => Promise<boolean>,
): Promise<boolean> {
  for (let t = 0; t < maxMs; t += stepMs) {
    await advance(stepMs)
    if (await check()) return true
  }
  return false
}
