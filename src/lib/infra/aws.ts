/**
 * The aws implementation of Infrastructure, adapting lib/aws: capacity is ecs-cli's CloudFormation stack
 * (cluster-stack.ts), logs are CloudWatch Logs (logs.ts), images are Amazon ECR and the local docker (ecr.ts,
 * image-transfer.ts, docker.ts). Each part, and the SDK client it needs, loads when used.
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Backend} from '../ecs/backend.js'
import {OperationError} from '../errors.js'
import type {Ui} from '../ui/types.js'
import type {ImageRegistry, Infrastructure, OpenedTaskLogs, TaskLogQuery} from './types.js'

/** Resolve the task's awslogs streams (warning about containers without them) and open the CloudWatch clients. */
async function openTaskLogs(
  settings: ResolvedSettings,
  ui: Ui,
  backend: Backend,
  query: TaskLogQuery,
): Promise<OpenedTaskLogs> {
  const logs = await import('../aws/logs.js')
  const source = await logs.resolveLogSource(backend, settings.cluster, query, settings.region)
  for (const reason of source.skipped) ui.warn(`Skipping ${reason}.`)
  if (source.targets.length === 0)
    throw new OperationError(`No CloudWatch Logs to read for task ${source.taskId}.`, logs.AWSLOGS_HINT)
  for (const line of logs.describeLogTargets(source.targets)) ui.verbose(`Reading ${line}`)
  const clients = await logs.openLogsClients(settings, ui)
  return {
    containers: source.targets.length,
    fetch: (range) => logs.fetchLogEvents(clients, source.targets, range),
    follow: (range, emit, options) => logs.followLogEvents(clients, source.targets, range, emit, options),
    close: () => clients.close(),
  }
}

function ecrRegistry(settings: ResolvedSettings, ui: Ui): ImageRegistry {
  const transfer = () => Promise.all([import('../aws/image-transfer.js'), import('../aws/docker.js')])
  return {
    async list({useFips, ...options}) {
      const ecrLib = await import('../aws/ecr.js')
      const ecr = await ecrLib.openEcr(settings, ui, {useFips})
      try {
        return await ecrLib.listImages(ecr, options)
      } finally {
        ecr.close()
      }
    },
    async push(image, {tags, ...options}) {
      const [{pushImage}, {createDockerCli}] = await transfer()
      const ecrTags = tags?.map((t) => ({Key: t.key as string, Value: t.value ?? ''}))
      return pushImage(settings, ui, createDockerCli(), image, {...options, tags: ecrTags})
    },
    async pull(image, options) {
      const [{pullImage}, {createDockerCli}] = await transfer()
      return pullImage(settings, ui, createDockerCli(), image, options)
    },
  }
}

/** ecsx creates no Cloud Map namespaces or services on AWS, so it cannot attach a registry to a service (exit 1). */
function noCloudMap(): OperationError {
  return new OperationError(
    'Service discovery needs AWS Cloud Map namespaces and services, which ecsx does not create on the aws backend.',
    'Create the Cloud Map service yourself and attach it to the ECS service, or rehearse with --backend local.',
  )
}

export function createAwsInfra(settings: ResolvedSettings, ui: Ui, backend: () => Promise<Backend>): Infrastructure {
  const stack = () => import('../aws/cluster-stack.js')
  return {
    capacity: {
      async up({aws, tags, ...options}) {
        const {awsClusterUp} = await stack()
        const stackTags = tags?.map((t) => ({key: t.key as string, value: t.value}))
        return awsClusterUp(settings, {...options, ...aws, tags: stackTags}, ui)
      },
      down: async ({force}) => (await stack()).awsClusterDown(settings, {force}, ui),
      scale: async (options) => (await stack()).awsClusterScale(settings, options, ui),
    },
    logs: {
      open: async (query) => openTaskLogs(settings, ui, await backend(), query),
      async createLogGroups(taskDefinition) {
        const {createLogGroups} = await import('../aws/logs.js')
        await createLogGroups(settings, taskDefinition, ui)
      },
    },
    images: ecrRegistry(settings, ui),
    serviceDiscovery: {
      assertAvailable() {
        throw noCloudMap()
      },
      registryArn() {
        throw noCloudMap()
      },
      deleteNamespace: () =>
        ui.warn(
          '--delete-namespace: ecsx does not manage Cloud Map namespaces; delete it with `aws servicediscovery delete-namespace`.',
        ),
    },
    noteAwsOnlyFlags: () => undefined,
  }
}
