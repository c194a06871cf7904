/**
 * Reads what the dashboard shows through the ECS API of a Backend — clusters, container instances, unstopped tasks,
 * services with their deployments and events — plus the engine clock. Read-only: only List and Describe calls.
 *
 * A reader lives as long as the page server and remembers two things between reads, to see more and cost less:
 * the container instances it has seen (ListContainerInstances never lists INACTIVE ones, but DescribeContainerInstances
 * still returns a deregistered instance for a while, so a killed instance stays on the map, marked, until the engine
 * purges it) and the tasks it has seen STOPPED (final: they are not described again).
 */
import type {Cluster, ContainerInstance, Service, Task} from '@aws-sdk/client-ecs'

import type {Backend} from '../ecs/backend.js'

export interface ClusterSnapshot {
  cluster: Cluster
  /** ACTIVE, DRAINING, … and remembered INACTIVE instances. */
  instances: ContainerInstance[]
  /** Tasks whose lastStatus is not STOPPED yet (also those already told to stop). */
  tasks: Task[]
  /** ACTIVE and DRAINING services. */
  services: Service[]
}

export interface Snapshot {
  region: string
  /** Engine time (epoch ms) on the local backend. */
  engineTime?: number
  clusters: ClusterSnapshot[]
}

const DESCRIBE_TASKS_MAX = 100
const DESCRIBE_SERVICES_MAX = 10
const DESCRIBE_INSTANCES_MAX = 100
const DESCRIBE_CLUSTERS_MAX = 100

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Every page of a List* call. */
async function listAll(
  page: (nextToken?: string) => Promise<{arns?: string[]; nextToken?: string}>,
): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const out = await page(nextToken)
    arns.push(...(out.arns ?? []))
    nextToken = out.nextToken
  } while (nextToken)
  return arns
}

export class SnapshotReader {
  /** Cluster ARN → container instance ARNs seen in that cluster. */
  private readonly seenInstances = new Map<string, Set<string>>()
  /** Cluster ARN → task ARNs known to be STOPPED (forgotten once ListTasks no longer lists them). */
  private readonly stoppedTasks = new Map<string, Set<string>>()

  constructor(private readonly backend: Backend) {}

  async read(): Promise<Snapshot> {
    const b = this.backend
    const clusterArns = await listAll(async (nextToken) => {
      const out = await b.listClusters({nextToken})
      return {arns: out.clusterArns, nextToken: out.nextToken}
    })
    const clusters: Cluster[] = []
    for (const part of chunks(clusterArns, DESCRIBE_CLUSTERS_MAX)) {
      const out = await b.describeClusters({clusters: part})
      clusters.push(...(out.clusters ?? []).filter((c) => c.status === 'ACTIVE'))
    }
    const snapshots: ClusterSnapshot[] = []
    for (const cluster of clusters) {
      const arn = cluster.clusterArn as string
      const [instances, tasks, services] = [await this.instances(arn), await this.tasks(arn), await this.services(arn)]
      snapshots.push({cluster, instances, tasks, services})
    }
    const engineTime = b.engine ? await b.engine.now() : undefined
    return {region: b.region, ...(engineTime === undefined ? {} : {engineTime}), clusters: snapshots}
  }

  private async instances(cluster: string): Promise<ContainerInstance[]> {
    const listed = await listAll(async (nextToken) => {
      const out = await this.backend.listContainerInstances({cluster, nextToken})
      return {arns: out.containerInstanceArns, nextToken: out.nextToken}
    })
    const seen = this.seenInstances.get(cluster) ?? new Set<string>()
    this.seenInstances.set(cluster, seen)
    for (const arn of listed) seen.add(arn)
    const instances: ContainerInstance[] = []
    for (const part of chunks([...seen], DESCRIBE_INSTANCES_MAX)) {
      const out = await this.backend.describeContainerInstances({cluster, containerInstances: part})
      instances.push(...(out.containerInstances ?? []))
      // purged by the engine (or never there): forget it
      for (const f of out.failures ?? []) if (f.arn) seen.delete(f.arn)
    }
    return instances
  }

  private async tasks(cluster: string): Promise<Task[]> {
    const list = (desiredStatus: 'RUNNING' | 'STOPPED') =>
      listAll(async (nextToken) => {
        const out = await this.backend.listTasks({cluster, desiredStatus, nextToken})
        return {arns: out.taskArns, nextToken: out.nextToken}
      })
    const running = await list('RUNNING')
    // Tasks told to stop (a deployment's old tasks, a draining instance) are STOPPING for a while: show them too.
    const stoppedListed = await list('STOPPED')
    const known = this.stoppedTasks.get(cluster) ?? new Set<string>()
    const stopped = new Set(stoppedListed.filter((arn) => known.has(arn)))
    this.stoppedTasks.set(cluster, stopped)
    const stopping = stoppedListed.filter((arn) => !stopped.has(arn))
    const tasks: Task[] = []
    for (const part of chunks([...running, ...stopping], DESCRIBE_TASKS_MAX)) {
      const out = await this.backend.describeTasks({cluster, tasks: part})
      for (const task of out.tasks ?? []) {
        if (task.lastStatus === 'STOPPED') stopped.add(task.taskArn as string)
        else tasks.push(task)
      }
    }
    return tasks
  }

  private async services(cluster: string): Promise<Service[]> {
    const arns = await listAll(async (nextToken) => {
      const out = await this.backend.listServices({cluster, nextToken, maxResults: 100})
      return {arns: out.serviceArns, nextToken: out.nextToken}
    })
    const services: Service[] = []
    for (const part of chunks(arns, DESCRIBE_SERVICES_MAX)) {
      const out = await this.backend.describeServices({cluster, services: part})
      services.push(...(out.services ?? []))
    }
    return services
  }
}
