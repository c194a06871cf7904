/**
 * Checks across containers and at task level that ECS would otherwise reject at registration or run time: container
 * count, essential containers, dependsOn targets/cycles/HEALTHY, port clashes, Fargate task size and settings,
 * container totals against the task size. Each error points at the file, line, service and key.
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {ComposeError} from './errors.js'
import type {EcsParams} from './ecs-params/index.js'
import type {Project} from './load/model.js'
import type {Path} from './source.js'
import type {TaskContext} from './translate/context.js'
import type {ServiceScope} from './translate/scope.js'
import {FARGATE_CPU_VALUES, fargateMemoryOptions} from './units.js'

export const ECS_MAX_CONTAINERS = 10

function paramsError(params: EcsParams | undefined, p: Path, message: string, service?: string): never {
  const pos = params ? params.source.locate(p) : {}
  throw new ComposeError(message, {...pos, service, key: p.filter((s) => typeof s === 'string').join('.') || undefined})
}

function dependencyPosition(
  project: Project,
  params: EcsParams | undefined,
  t: ServiceScope,
  dep: string,
): {file?: string; line?: number; column?: number; key: string} {
  const at = t.dependsOnAt.get(dep)
  if (at && 'origin' in at) return {...at.origin.src.locate(at.origin.path), key: 'depends_on'}
  if (at && 'paramsPath' in at && params) return {...params.source.locate(at.paramsPath), key: 'depends_on'}
  return {...project.locate(['services', t.svc.name, 'depends_on']), key: 'depends_on'}
}

export function validateContainers(ctx: TaskContext, containers: ServiceScope[], maxContainers: number): void {
  const {project, params} = ctx
  if (containers.length === 0) {
    throw new ComposeError('the project has no services to run', {...project.locate(['services']), key: 'services'})
  }
  if (containers.length > maxContainers) {
    throw new ComposeError(
      `${containers.length} services, but an ECS task definition holds at most ${maxContainers} containers; ` +
        'split the project into several Compose files (one task definition each)',
      {...project.locate(['services']), key: 'services'},
    )
  }
  const byName = new Map(containers.map((c) => [c.svc.name, c]))
  checkDependencies(project, params, containers, byName)
  checkCycles(project, params, containers, byName)
  checkEssential(project, params, containers)
  checkHostPorts(project, containers)
}

/** dependsOn: known targets, not itself, HEALTHY needs a health check. */
function checkDependencies(
  project: Project,
  params: EcsParams | undefined,
  containers: ServiceScope[],
  byName: Map<string, ServiceScope>,
): void {
  for (const c of containers) {
    for (const d of c.def.dependsOn ?? []) {
      const dep = d.containerName as string
      const where = () => ({...dependencyPosition(project, params, c, dep), service: c.svc.name})
      if (dep === c.svc.name) throw new ComposeError('a container cannot depend on itself', where())
      const target = byName.get(dep)
      if (!target) {
        const skipped = project.skipped.has(dep) ? ' (it is in a profile that is not enabled)' : ''
        throw new ComposeError(`depends on "${dep}", which is not a service of this project${skipped}`, where())
      }
      if (d.condition === 'HEALTHY' && !target.hasHealthcheck) {
        throw new ComposeError(
          `waits for "${dep}" to be healthy (service_healthy), but "${dep}" has no healthcheck; ` +
            `add one to "${dep}" or use service_started`,
          where(),
        )
      }
    }
  }
}

/** No dependency cycles: ECS could never start the containers. */
function checkCycles(
  project: Project,
  params: EcsParams | undefined,
  containers: ServiceScope[],
  byName: Map<string, ServiceScope>,
): void {
  const state = new Map<string, 1 | 2>()
  const stack: string[] = []
  const visit = (name: string): void => {
    state.set(name, 1)
    stack.push(name)
    const c = byName.get(name) as ServiceScope
    for (const d of c.def.dependsOn ?? []) {
      const dep = d.containerName as string
      if (state.get(dep) === 1) {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep]
        throw new ComposeError(`dependency cycle: ${cycle.join(' -> ')}; ECS could never start these containers`, {
          ...dependencyPosition(project, params, c, dep),
          service: name,
        })
      }
      if (!state.has(dep)) visit(dep)
    }
    stack.pop()
    state.set(name, 2)
  }
  for (const c of containers) if (!state.has(c.svc.name)) visit(c.svc.name)
}

/** At least one essential container. */
function checkEssential(project: Project, params: EcsParams | undefined, containers: ServiceScope[]): void {
  if (!containers.some((c) => c.def.essential !== false)) {
    const fromParams = containers.find((c) => params?.services.get(c.svc.name)?.essential)
    const p = fromParams ? params?.services.get(fromParams.svc.name)?.essential?.at : undefined
    if (p)
      paramsError(
        params,
        p,
        'Task definition does not have any essential containers: at least one container must be essential',
        fromParams?.svc.name,
      )
    throw new ComposeError(
      'Task definition does not have any essential containers: at least one container must be essential',
      {...project.locate(['services']), key: 'services'},
    )
  }
}

/** Static host ports may be bound once per task (all ports in awsvpc/host mode). */
function checkHostPorts(project: Project, containers: ServiceScope[]): void {
  const bound = new Map<string, string>()
  for (const c of containers) {
    for (const pm of c.def.portMappings ?? []) {
      if (!pm.hostPort) continue
      const id = `${pm.hostPort}/${pm.protocol}`
      const other = bound.get(id)
      if (other && other !== c.svc.name) {
        throw new ComposeError(
          `host port ${pm.hostPort}/${pm.protocol} is already used by service "${other}" in the same task`,
          {
            ...project.locate(['services', c.svc.name, 'ports']),
            service: c.svc.name,
            key: 'ports',
          },
        )
      }
      bound.set(id, c.svc.name)
    }
  }
}

const CPU_AT: Path = ['task_definition', 'task_size', 'cpu_limit']
const MEM_AT: Path = ['task_definition', 'task_size', 'mem_limit']

export function validateTask(
  ctx: TaskContext,
  td: RegisterTaskDefinitionCommandInput,
  containers: ServiceScope[],
  launchTypeGiven: boolean,
): void {
  const {params} = ctx
  if (ctx.fargate) {
    checkFargateTask(ctx, td)
  } else if (launchTypeGiven && params?.run.networkConfiguration?.assignPublicIpAt) {
    paramsError(
      params,
      params.run.networkConfiguration.assignPublicIpAt,
      'assign_public_ip only applies to Fargate; EC2 tasks in awsvpc mode never get a public IP',
    )
  }
  checkTaskTotals(params, td, containers)
}

/** Fargate: awsvpc, a valid task size, and none of the settings Fargate does not support. */
function checkFargateTask(ctx: TaskContext, td: RegisterTaskDefinitionCommandInput): void {
  const {params} = ctx
  if (td.networkMode !== 'awsvpc') {
    paramsError(
      params,
      params?.networkMode?.at ?? ['task_definition'],
      `Fargate requires network mode awsvpc, not ${td.networkMode}: set task_definition.ecs_network_mode: awsvpc`,
    )
  }
  checkFargateSize(params, td)
  if (params?.pidMode) paramsError(params, params.pidMode.at, 'pid_mode is not supported on Fargate')
  if (params?.ipcMode) paramsError(params, params.ipcMode.at, 'ipc_mode is not supported on Fargate')
  if (params?.placementConstraints)
    paramsError(params, params.placementConstraints.at, 'placement constraints are not supported on Fargate')
  if (params?.run.placementConstraints)
    paramsError(params, params.run.placementConstraints.at, 'task placement constraints are not supported on Fargate')
  if (params?.run.placementStrategy)
    paramsError(params, params.run.placementStrategy.at, 'task placement strategies are not supported on Fargate')
  for (const v of params?.volumes ?? []) {
    if (v.v.dockerVolumeConfiguration)
      paramsError(
        params,
        v.at,
        `docker volume "${v.v.name}" is not supported on Fargate (use efs_volumes or a plain named volume)`,
      )
  }
  for (const [name, {at}] of ctx.project.volumes) {
    const vol = ctx.volumes.get(name)
    if (vol?.dockerVolumeConfiguration && !params?.volumes.some((p) => p.v.name === name)) {
      throw new ComposeError(
        `volume "${name}" sets a driver, driver_opts, labels or external, which need Docker volumes; Fargate does not support them`,
        {...at.src.locate(at.path), key: `volumes.${name}`},
      )
    }
  }
}

function checkFargateSize(params: EcsParams | undefined, td: RegisterTaskDefinitionCommandInput): void {
  if (td.cpu === undefined || td.memory === undefined) {
    const missing = [td.cpu === undefined ? 'cpu_limit' : '', td.memory === undefined ? 'mem_limit' : '']
      .filter(Boolean)
      .join(' and ')
    const msg =
      `Fargate requires the task size: set task_definition.task_size ${missing} in ecs-params ` +
      '(e.g. cpu_limit: 256, mem_limit: 512)'
    if (!params)
      throw new ComposeError(msg, {
        key: 'task_size',
        hint: 'Create ecs-params.yml with task_definition.task_size, or pass --ecs-params.',
      })
    paramsError(params, ['task_definition', 'task_size'], msg)
  }
  const cpu = Number(td.cpu)
  const memory = Number(td.memory)
  const options = fargateMemoryOptions(cpu)
  if (!options)
    paramsError(
      params,
      CPU_AT,
      `Invalid 'cpu' setting for task: Fargate cpu ${cpu} is not one of ${FARGATE_CPU_VALUES.join(', ')}`,
    )
  if (!(options as number[]).includes(memory)) {
    paramsError(
      params,
      MEM_AT,
      `Invalid 'memory' setting for task: Fargate cpu ${cpu} allows memory ${formatOptions(options as number[])} MiB, not ${memory}`,
    )
  }
}

/** The containers' reservations must fit the task size. */
function checkTaskTotals(
  params: EcsParams | undefined,
  td: RegisterTaskDefinitionCommandInput,
  containers: ServiceScope[],
): void {
  if (td.cpu !== undefined) {
    const total = containers.reduce((n, c) => n + (c.def.cpu ?? 0), 0)
    if (total > Number(td.cpu))
      paramsError(
        params,
        CPU_AT,
        `the containers reserve ${total} CPU units in total, more than the task cpu ${td.cpu}`,
      )
  }
  if (td.memory !== undefined) {
    const total = containers.reduce((n, c) => n + (c.def.memoryReservation ?? c.def.memory ?? 0), 0)
    if (total > Number(td.memory))
      paramsError(
        params,
        MEM_AT,
        `the containers reserve ${total} MiB in total, more than the task memory ${td.memory} MiB`,
      )
    for (const c of containers) {
      if (c.def.memory !== undefined && c.def.memory > Number(td.memory)) {
        paramsError(
          params,
          MEM_AT,
          `container "${c.svc.name}" has a memory limit of ${c.def.memory} MiB, more than the task memory ${td.memory} MiB`,
        )
      }
    }
  }
}

/** ECS's limits on the request as a whole. */
export function validateRequestLimits(ctx: TaskContext, td: RegisterTaskDefinitionCommandInput): void {
  const {params} = ctx
  if (params?.placementConstraints && params.placementConstraints.v.length > 10) {
    paramsError(
      params,
      params.placementConstraints.at,
      `${params.placementConstraints.v.length} placement constraints; a task definition allows at most 10`,
    )
  }
  const bytes = Buffer.byteLength(JSON.stringify(td))
  if (bytes > 32 * 1024) {
    throw new ComposeError(
      `the task definition would be ${bytes} bytes; ECS allows at most 32 KiB (32768 bytes): ` +
        'move large values (environment, commands) to env files in the image, SSM parameters or secrets',
      {
        ...ctx.project.locate(['services']),
        key: 'services',
      },
    )
  }
}

function formatOptions(options: number[]): string {
  if (options.length <= 4) return options.join(', ')
  return `${options[0]} to ${options[options.length - 1]} in steps of 1024`
}
