/** How the container starts and stops: depends_on, stop_grace_period, deploy (replicas, GPUs), ecs-params extras. */
import type {ContainerDependency} from '@aws-sdk/client-ecs'

import {DEPLOY_KEYS} from '../schema.js'
import {describe, durationToSeconds, formatDuration, parseDurationMs, parseInteger} from '../units.js'
import {isDict, scalarString} from '../values.js'
import {deployDict} from './resources.js'
import type {ServiceScope} from './scope.js'

export function translateDependsOn(s: ServiceScope): void {
  const out: ContainerDependency[] = []
  if (s.sp?.dependsOn) {
    for (const d of s.sp.dependsOn) {
      out.push(d.v)
      s.dependsOnAt.set(d.v.containerName as string, {paramsPath: d.at})
    }
  } else {
    for (const [name, {v, at}] of s.svc.dependsOn) {
      out.push({containerName: name, condition: v.condition as ContainerDependency['condition']})
      s.dependsOnAt.set(name, {origin: at})
    }
  }
  if (out.length > 0) s.def.dependsOn = out
}

export function translateStopTimeout(s: ServiceScope): void {
  if (!s.has('stop_grace_period')) return
  const ms = s.unitAt('stop_grace_period', () => parseDurationMs(s.raw('stop_grace_period')))
  const {seconds, truncated} = durationToSeconds(ms)
  if (truncated)
    s.warn('stop_grace_period', `${formatDuration(ms)} rounded down to ${seconds}s (ECS counts whole seconds)`)
  if (s.ctx.fargate && seconds > 120) s.fail('stop_grace_period', `Fargate allows at most 120 seconds, got ${seconds}`)
  s.def.stopTimeout = seconds
}

export function translateDeploy(s: ServiceScope): void {
  if (s.has('scale')) s.desiredCount = s.unitAt('scale', () => parseInteger(s.raw('scale'), 'scale'))
  const deploy = s.raw('deploy')
  if (deploy === undefined || deploy === null) return
  if (!isDict(deploy)) s.fail('deploy', `deploy must be a mapping, not ${describe(deploy)}`)
  for (const k of Object.keys(deploy)) {
    const key = `deploy.${k}`
    if (!DEPLOY_KEYS.has(k)) s.fail(key, `unknown key; valid keys: ${[...DEPLOY_KEYS].join(', ')}`)
    if (k === 'replicas') {
      const replicas = s.unitAt(key, () => parseInteger(deploy.replicas, 'replicas'))
      if (s.desiredCount !== undefined && s.desiredCount !== replicas)
        s.fail(key, `scale (${s.desiredCount}) and deploy.replicas (${replicas}) are set to different values; keep one`)
      s.desiredCount = replicas
    } else if (k === 'mode') {
      const mode = scalarString(deploy.mode)
      if (mode !== 'replicated')
        s.warn(
          key,
          `deploy.mode ${describe(deploy.mode)} is ignored: ecsx runs replicated tasks (a DAEMON service is not created from Compose)`,
        )
    } else if (k !== 'resources') {
      s.warn(key, `${key} has no ECS task-definition equivalent and is ignored`)
    }
  }
  gpuReservations(s)
}

/** deploy.resources.reservations.devices with the gpu capability → a GPU resource requirement. */
function gpuReservations(s: ServiceScope): void {
  const devices = (deployDict(s, 'resources', 'reservations') ?? {}).devices
  if (devices === undefined || devices === null) return
  const key = 'deploy.resources.reservations.devices'
  if (!Array.isArray(devices)) s.fail(key, 'devices must be a list')
  let gpus = 0
  for (const d of devices as unknown[]) {
    if (!isDict(d)) s.fail(key, 'device reservations must be mappings {capabilities, count}')
    const caps = Array.isArray(d.capabilities) ? d.capabilities.map(String) : []
    if (!caps.includes('gpu')) {
      s.warn(key, `device reservations without the gpu capability are ignored`)
      continue
    }
    if (d.count === 'all') s.fail(key, 'count: all is not supported: ECS needs a number of GPUs')
    if (d.count !== undefined) gpus += s.unitAt(key, () => parseInteger(d.count, 'count', 1))
    else if (Array.isArray(d.device_ids)) gpus += d.device_ids.length
    else gpus += 1
  }
  if (gpus > 0) {
    s.notOnFargate(key, 'GPUs')
    s.def.resourceRequirements = [{type: 'GPU', value: String(gpus)}]
  }
}

export function translateParamsExtras(s: ServiceScope): void {
  const sp = s.sp
  if (!sp) return
  if (sp.essential) s.def.essential = sp.essential.v
  if (sp.credentialsParameter) s.def.repositoryCredentials = {credentialsParameter: sp.credentialsParameter}
  if (sp.firelens) s.def.firelensConfiguration = sp.firelens
  if (sp.gpu) {
    if (s.ctx.fargate) s.failParams([...sp.at, 'gpu'], 'GPUs are not supported on Fargate')
    s.def.resourceRequirements = [{type: 'GPU', value: sp.gpu}]
  }
}
