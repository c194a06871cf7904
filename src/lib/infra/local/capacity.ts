/**
 * `ecsx up`, `down` and `scale` on the local backend: the cluster and its simulated container instances — the local
 * twin of the aws CloudFormation stack and Auto Scaling group (lib/aws/cluster-stack.ts).
 */
import type {Cluster, ContainerInstance, Tag} from '@aws-sdk/client-ecs'

import type {Backend} from '../../ecs/backend.js'
import {
  containerInstanceId,
  describeCluster,
  findTasks,
  instanceTypeOf,
  listActiveServices,
  listInstances,
} from '../../ecs/lookups.js'
import {OperationError} from '../../errors.js'
import type {Ui} from '../../ui/types.js'
import type {LocalClusterDownResult, LocalClusterScaleResult, LocalClusterUpResult} from '../types.js'
import {DEFAULT_INSTANCE_TYPE, registerSimulatedInstances} from './instances.js'

export interface LocalUpOptions {
  cluster: string
  region: string
  size: number
  instanceType: string
  launchType: 'EC2' | 'FARGATE'
  empty: boolean
  zones: string[]
  tags?: Tag[]
  force: boolean
}

function clusterNotFound(cluster: string): OperationError {
  return new OperationError(`Cluster ${cluster} not found.`, 'Create it with `ecsx up`.')
}

/** Terminate instances as EC2 would: through the engine when present (tasks stop, services re-place), else deregister. */
async function terminateInstances(
  backend: Backend,
  cluster: string,
  instances: ContainerInstance[],
  ui: Ui,
): Promise<void> {
  for (const ci of instances) {
    if (backend.engine) await backend.engine.killInstance(cluster, ci.containerInstanceArn as string)
    else await backend.deregisterContainerInstance({cluster, containerInstance: ci.containerInstanceArn, force: true})
    ui.info(`Terminated container instance ${containerInstanceId(ci)} (${ci.ec2InstanceId ?? 'no EC2 id'})`)
  }
}

export async function localClusterUp(backend: Backend, options: LocalUpOptions, ui: Ui): Promise<LocalClusterUpResult> {
  let cluster = await describeCluster(backend, options.cluster)
  if (cluster) {
    ui.info(`Cluster ${options.cluster} already exists in ${options.region}.`)
  } else {
    const out = await backend.createCluster({
      clusterName: options.cluster,
      tags: options.tags && options.tags.length > 0 ? options.tags : undefined,
    })
    cluster = out.cluster as Cluster
    ui.info(`Created cluster ${options.cluster} in ${options.region}.`)
  }

  if (options.empty || options.launchType === 'FARGATE') {
    if (options.launchType === 'FARGATE' && !options.empty)
      ui.info('Launch type FARGATE: no container instances needed.')
    ui.info('Cluster creation succeeded.')
    return {cluster: (await describeCluster(backend, options.cluster)) ?? cluster, containerInstances: []}
  }

  const existing = await listInstances(backend, options.cluster)
  if (existing.length > 0 && !options.force) {
    ui.info(
      `Cluster ${options.cluster} already has ${existing.length} container instance${existing.length === 1 ? '' : 's'}; nothing created. ` +
        'Use `ecsx scale --size N` to change their number, or `ecsx up --force` to recreate them.',
    )
    return {cluster: (await describeCluster(backend, options.cluster)) ?? cluster, containerInstances: existing}
  }
  if (existing.length > 0) await terminateInstances(backend, options.cluster, existing, ui)

  const created = await registerSimulatedInstances(backend, options.cluster, {
    count: options.size,
    instanceType: options.instanceType,
    zones: options.zones,
    region: options.region,
    tags: options.tags,
  })
  for (const ci of created)
    ui.info(`Registered container instance ${containerInstanceId(ci)} (${ci.ec2InstanceId}, ${options.instanceType})`)
  ui.info('Cluster creation succeeded.')
  return {cluster: (await describeCluster(backend, options.cluster)) ?? cluster, containerInstances: created}
}

/** Delete the cluster: refuse while services are active (as ECS does), terminate its instances, then DeleteCluster. */
export interface DownOptions {
  /** Asked after the checks, before anything is deleted; false aborts (exit 1). Absent = --force. */
  confirm?: (question: string) => Promise<boolean>
  /** How long to wait for the stopping tasks of terminated instances (engine time). */
  maxWaitMs?: number
}

export async function localClusterDown(
  backend: Backend,
  cluster: string,
  ui: Ui,
  options: DownOptions = {},
): Promise<LocalClusterDownResult> {
  const maxWaitMs = options.maxWaitMs ?? 60_000
  const current = await describeCluster(backend, cluster)
  if (!current) throw clusterNotFound(cluster)
  const services = await listActiveServices(backend, cluster)
  if (services.length > 0) {
    throw new OperationError(
      `Cluster ${cluster} has active services: ${services.map((s) => s.serviceName).join(', ')}. ` +
        'ECS does not delete a cluster with active services (even with desired count 0).',
      'Delete them first, e.g. `ecsx compose service rm --project-name <name>`.',
    )
  }
  const running = await findTasks(backend, cluster, {desiredStatus: 'RUNNING'})
  const instances = await listInstances(backend, cluster)
  const runningOnInstances = new Set(running.filter((t) => t.containerInstanceArn).map((t) => t.taskArn as string))
  const orphans = running.filter((t) => !t.containerInstanceArn)
  if (orphans.length > 0) {
    throw new OperationError(
      `Cluster ${cluster} still runs ${orphans.length} task(s) on no container instance (Fargate): ` +
        `${orphans.map((t) => (t.taskArn ?? '').split('/').pop()).join(', ')}.`,
      'Stop them first, e.g. `ecsx compose down`.',
    )
  }
  if (options.confirm) {
    const what =
      instances.length > 0
        ? ` and terminate its ${instances.length} container instance${instances.length === 1 ? '' : 's'}`
        : ''
    const tasks =
      runningOnInstances.size > 0
        ? ` (${runningOnInstances.size} running task${runningOnInstances.size === 1 ? '' : 's'} will stop)`
        : ''
    if (!(await options.confirm(`Delete cluster '${cluster}'${what}${tasks}?`))) {
      throw new OperationError('Cluster deletion aborted.', 'Run the command again and confirm, or pass --force.')
    }
  }
  await terminateInstances(backend, cluster, instances, ui)

  let waited = 0
  for (;;) {
    try {
      const out = await backend.deleteCluster({cluster})
      ui.info(`Deleted cluster ${cluster}.`)
      return {
        cluster: out.cluster as Cluster,
        terminatedInstances: instances.map((ci) => ci.containerInstanceArn as string),
      }
    } catch (error) {
      const name = (error as {name?: string}).name
      const retryable =
        name === 'ClusterContainsTasksException' || name === 'ClusterContainsContainerInstancesException'
      if (!retryable || waited >= maxWaitMs) throw error
      await backend.sleep(1000)
      waited += 1000
    }
  }
}

/** Add simulated instances (least-used zones first) or terminate the newest ones until there are `size`. */
export async function localClusterScale(
  backend: Backend,
  options: {cluster: string; region: string; size: number; zones: string[]},
  ui: Ui,
): Promise<LocalClusterScaleResult> {
  const current = await describeCluster(backend, options.cluster)
  if (!current) throw clusterNotFound(options.cluster)
  const instances = await listInstances(backend, options.cluster, ['ACTIVE'])
  let added: ContainerInstance[] = []
  let removed: ContainerInstance[] = []
  if (options.size > instances.length) {
    const instanceType =
      (instances.length > 0 ? instanceTypeOf(instances.at(-1) as ContainerInstance) : undefined) ??
      DEFAULT_INSTANCE_TYPE
    added = await registerSimulatedInstances(backend, options.cluster, {
      count: options.size - instances.length,
      instanceType,
      zones: options.zones,
      region: options.region,
      existing: instances,
    })
    for (const ci of added)
      ui.info(`Registered container instance ${containerInstanceId(ci)} (${ci.ec2InstanceId}, ${instanceType})`)
  } else if (options.size < instances.length) {
    removed = instances.slice(options.size).reverse()
    await terminateInstances(backend, options.cluster, removed, ui)
  } else {
    ui.info(
      `Cluster ${options.cluster} already has ${options.size} container instance${options.size === 1 ? '' : 's'}.`,
    )
  }
  const after = await listInstances(backend, options.cluster, ['ACTIVE'])
  ui.info(`Cluster ${options.cluster} now has ${after.length} container instance${after.length === 1 ? '' : 's'}.`)
  return {
    cluster: (await describeCluster(backend, options.cluster)) ?? current,
    containerInstances: after,
    added,
    removed: removed.map((ci) => ci.containerInstanceArn as string),
  }
}
