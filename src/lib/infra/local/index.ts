/**
 * The local implementation of Infrastructure: capacity is simulated container instances registered in the engine
 * (capacity.ts); there are no logs and no image registry (local-only.ts); service discovery gets stable made-up
 * Cloud Map ARNs, since the engine keeps no registry. Its parts load when used.
 */
import {createHash} from 'node:crypto'

import type {ResolvedSettings} from '../../config/types.js'
import type {Backend} from '../../ecs/backend.js'
import type {Ui} from '../../ui/types.js'
import {notOnLocalBackend} from '../local-only.js'
import type {Infrastructure, OpenedTaskLogs, TaskLogQuery} from '../types.js'

/** A stable fake Cloud Map service ARN (ecsx does not call AWS Cloud Map). */
function localRegistryArn(region: string, namespace: string, service: string): string {
  const id = createHash('sha256').update(`${namespace}/${service}`).digest('hex').slice(0, 16)
  return `arn:aws:servicediscovery:${region}:000000000000:service/srv-${id}`
}

/** Exit 2, naming the streams the aws backend would read (looked up in the local engine) or why none. */
async function logsNotAvailable(
  backend: Backend,
  settings: ResolvedSettings,
  query: TaskLogQuery,
): Promise<OpenedTaskLogs> {
  const logs = await import('../../aws/logs.js')
  let detail: string
  try {
    const source = await logs.resolveLogSource(backend, settings.cluster, query, settings.region)
    const reads = logs.describeLogTargets(source.targets)
    detail =
      reads.length > 0
        ? `On the aws backend ecsx would read:\n  ${reads.join('\n  ')}`
        : `On the aws backend there would be nothing to read: ${source.skipped.join('; ')}.\n${logs.AWSLOGS_HINT}`
  } catch (err) {
    detail = `The task could not be looked up locally either: ${(err as Error).message}`
  }
  throw notOnLocalBackend('logs', detail)
}

export function createLocalInfra(settings: ResolvedSettings, ui: Ui, backend: () => Promise<Backend>): Infrastructure {
  const capacity = () => Promise.all([import('./capacity.js'), import('./zones.js')])
  return {
    capacity: {
      async up(options) {
        const [{localClusterUp}, {pickZones}] = await capacity()
        const zones = pickZones(settings.region, options.azs)
        return localClusterUp(
          await backend(),
          {...options, cluster: settings.cluster, region: settings.region, zones},
          ui,
        )
      },
      async down({force}) {
        const [{localClusterDown}] = await capacity()
        return localClusterDown(await backend(), settings.cluster, ui, {
          confirm: force ? undefined : (question) => ui.confirm(question, '--force'),
        })
      },
      async scale({size}) {
        const [{localClusterScale}, {pickZones}] = await capacity()
        const zones = pickZones(settings.region, undefined)
        return localClusterScale(await backend(), {cluster: settings.cluster, region: settings.region, size, zones}, ui)
      },
    },
    logs: {
      open: async (query) => logsNotAvailable(await backend(), settings, query),
      async createLogGroups(taskDefinition) {
        const groups = (taskDefinition.containerDefinitions ?? [])
          .map((c) =>
            c.logConfiguration?.logDriver === 'awslogs' ? c.logConfiguration.options?.['awslogs-group'] : '',
          )
          .filter((group): group is string => Boolean(group))
        const what =
          groups.length > 0 ? `log group(s) ${[...new Set(groups)].join(', ')} not created` : 'no awslogs containers'
        ui.info(`Note: --create-log-groups: the local backend keeps no CloudWatch logs; ${what}.`)
      },
    },
    images: {
      list: async () => Promise.reject(notOnLocalBackend('ecr')),
      push: async () => Promise.reject(notOnLocalBackend('ecr')),
      pull: async () => Promise.reject(notOnLocalBackend('ecr')),
    },
    serviceDiscovery: {
      assertAvailable: () => undefined,
      registryArn: (namespace, service) => localRegistryArn(settings.region, namespace, service),
      deleteNamespace: () =>
        ui.verbose('Note: --delete-namespace: the local backend creates no Cloud Map namespace; nothing to delete.'),
    },
    noteAwsOnlyFlags(flags, names) {
      for (const name of names) {
        const v = (flags as Record<string, unknown>)[name]
        const given = Array.isArray(v) ? v.length > 0 : v !== undefined && v !== false && v !== ''
        if (given) ui.verbose(`Note: --${name} has no effect on the local backend; ignored.`)
      }
    },
  }
}
