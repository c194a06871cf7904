/** CPU units and memory (MiB) of one container: Compose cpus/cpu_shares/mem_*, deploy.resources, ecs-params. */
import {cpusToUnits, describe, parseInteger, parseSizeMiB} from '../units.js'
import {isDict, type Dict} from '../values.js'
import type {ServiceScope} from './scope.js'

/** `deploy.<keys…>` as a mapping (undefined when not written); anything else on the way is an error. */
export function deployDict(s: ServiceScope, ...keys: string[]): Dict | undefined {
  let cur: unknown = s.raw('deploy')
  for (const k of keys) {
    if (cur === undefined || cur === null) return undefined
    if (!isDict(cur))
      s.fail(['deploy', ...keys.slice(0, keys.indexOf(k))].join('.'), `expected a mapping, not ${describe(cur)}`)
    cur = (cur as Dict)[k]
  }
  if (cur === undefined || cur === null) return undefined
  if (!isDict(cur)) s.fail(['deploy', ...keys].join('.'), `expected a mapping, not ${describe(cur)}`)
  return cur as Dict
}

export function translateResources(s: ServiceScope): void {
  const limits = deployDict(s, 'resources', 'limits')
  const reservations = deployDict(s, 'resources', 'reservations')
  checkResourceKeys(s, limits, reservations)
  s.def.cpu = cpuUnits(s, limits, reservations)
  memory(s, limits, reservations)
}

function checkResourceKeys(s: ServiceScope, limits: Dict | undefined, reservations: Dict | undefined): void {
  const resources = deployDict(s, 'resources')
  if (resources) {
    for (const k of Object.keys(resources))
      if (k !== 'limits' && k !== 'reservations')
        s.fail(`deploy.resources.${k}`, `unknown key; valid keys: limits, reservations`)
  }
  for (const [which, d] of [
    ['limits', limits],
    ['reservations', reservations],
  ] as const) {
    if (!d) continue
    for (const k of Object.keys(d)) {
      const key = `deploy.resources.${which}.${k}`
      if (k === 'pids' || k === 'generic_resources') s.warn(key, `${key} has no ECS equivalent and is ignored`)
      else if (k === 'devices' && which === 'reservations') continue
      else if (k !== 'cpus' && k !== 'memory')
        s.fail(key, `unknown key; valid keys: cpus, memory${which === 'reservations' ? ', devices' : ''}`)
    }
  }
}

/** CPU units: ecs-params cpu_shares > cpu_shares > deploy reservations.cpus > deploy limits.cpus / cpus. */
function cpuUnits(s: ServiceScope, limits: Dict | undefined, reservations: Dict | undefined): number {
  const cpuShares = s.has('cpu_shares')
    ? s.unitAt('cpu_shares', () => parseInteger(s.raw('cpu_shares'), 'cpu_shares'))
    : undefined
  const cpus = s.has('cpus') ? s.unitAt('cpus', () => cpusToUnits(s.raw('cpus'))) : undefined
  const limitCpus =
    limits?.cpus !== undefined && limits.cpus !== null
      ? s.unitAt('deploy.resources.limits.cpus', () => cpusToUnits(limits.cpus))
      : undefined
  const resCpus =
    reservations?.cpus !== undefined && reservations.cpus !== null
      ? s.unitAt('deploy.resources.reservations.cpus', () => cpusToUnits(reservations.cpus))
      : undefined
  if (cpus !== undefined && limitCpus !== undefined && cpus !== limitCpus) {
    s.fail(
      'deploy.resources.limits.cpus',
      `cpus (${s.raw('cpus')}) and deploy.resources.limits.cpus (${limits?.cpus}) are set to different values; keep one`,
    )
  }
  let cpu = cpuShares ?? resCpus ?? limitCpus ?? cpus ?? 0
  if (s.sp?.cpuShares !== undefined && s.sp.cpuShares > 0) {
    if (cpu !== 0 && cpu !== s.sp.cpuShares)
      s.info('cpu_shares', `using the ecs-params cpu_shares ${s.sp.cpuShares} instead of ${cpu}`, [])
    cpu = s.sp.cpuShares
  }
  return cpu
}

/** Compose's two spellings of one memory value; both written with different values is an error. */
function composeMemory(
  s: ServiceScope,
  key: 'mem_limit' | 'mem_reservation',
  deployValue: unknown,
  deployKey: string,
): {value?: number; fromKey: boolean} {
  const own = s.has(key) ? s.unitAt(key, () => parseSizeMiB(s.raw(key))) : undefined
  const fromDeploy =
    deployValue !== undefined && deployValue !== null ? s.unitAt(deployKey, () => parseSizeMiB(deployValue)) : undefined
  if (own !== undefined && fromDeploy !== undefined && own !== fromDeploy) {
    s.fail(deployKey, `${key} (${own} MiB) and ${deployKey} (${fromDeploy} MiB) are set to different values; keep one`)
  }
  return {value: own ?? fromDeploy, fromKey: own !== undefined}
}

/** Memory (MiB): ecs-params > mem_limit = deploy limits.memory; the reservation is never copied into memory. */
function memory(s: ServiceScope, limits: Dict | undefined, reservations: Dict | undefined): void {
  const limit = composeMemory(s, 'mem_limit', limits?.memory, 'deploy.resources.limits.memory')
  const res = composeMemory(s, 'mem_reservation', reservations?.memory, 'deploy.resources.reservations.memory')
  let memory = limit.value
  let reservation = res.value
  if (s.sp?.memory !== undefined) {
    if (memory !== undefined && memory !== s.sp.memory)
      s.info('mem_limit', `using the ecs-params mem_limit ${s.sp.memory} MiB instead of ${memory} MiB`, [])
    memory = s.sp.memory
  }
  if (s.sp?.memoryReservation !== undefined) {
    if (reservation !== undefined && reservation !== s.sp.memoryReservation) {
      s.info(
        'mem_reservation',
        `using the ecs-params mem_reservation ${s.sp.memoryReservation} MiB instead of ${reservation} MiB`,
        [],
      )
    }
    reservation = s.sp.memoryReservation
  }
  if (memory === undefined && reservation === undefined && !s.ctx.taskMemory) {
    memory = 512
    s.info(
      'mem_limit',
      'no memory limit or reservation and no task memory: using memory 512 MiB (the ecs-cli default); ' +
        'set mem_limit, mem_reservation or ecs-params task_size.mem_limit',
      [],
    )
  }
  const memKey = s.sp?.memory !== undefined ? undefined : limit.fromKey ? 'mem_limit' : 'deploy.resources.limits.memory'
  if (memory !== undefined) {
    if (memory < 4) failMemory(s, memKey, 'mem_limit', `memory ${memory} MiB is below the 4 MiB minimum ECS accepts`)
    s.def.memory = memory
  }
  if (reservation !== undefined) {
    const resKey =
      s.sp?.memoryReservation !== undefined
        ? undefined
        : res.fromKey
          ? 'mem_reservation'
          : 'deploy.resources.reservations.memory'
    if (reservation < 4)
      failMemory(
        s,
        resKey,
        'mem_reservation',
        `memory reservation ${reservation} MiB is below the 4 MiB minimum ECS accepts`,
      )
    if (memory !== undefined && memory <= reservation) {
      failMemory(
        s,
        resKey,
        'mem_reservation',
        `mem_limit must be greater than mem_reservation: the memory limit is ${memory} MiB but the reservation is ${reservation} MiB`,
      )
    }
    s.def.memoryReservation = reservation
  }
}

function failMemory(s: ServiceScope, composeKey: string | undefined, paramsKey: string, message: string): never {
  if (composeKey === undefined) s.failParams([...(s.sp?.at ?? []), paramsKey], message)
  return s.fail(composeKey as string, message)
}
