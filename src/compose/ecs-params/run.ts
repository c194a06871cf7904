/** ecs-params run_params: network configuration, task placement and service discovery for RunTask/CreateService. */
import type {NetworkConfiguration, PlacementConstraint, PlacementStrategy} from '@aws-sdk/client-ecs'

import type {Path} from '../source.js'
import type {ServiceDiscoveryParams} from '../types.js'
import {describe, parseInteger} from '../units.js'
import type {Dict} from '../values.js'
import {KEYS} from './keys.js'
import type {EcsParams} from './model.js'
import type {Reader} from './reader.js'

export function parseRunParams(r: Reader, run: Dict, params: EcsParams): void {
  networkConfiguration(r, run, params)
  taskPlacement(r, run, params)
  if (run.service_discovery !== undefined && run.service_discovery !== null)
    params.run.serviceDiscovery = serviceDiscovery(r, run.service_discovery)
}

function networkConfiguration(r: Reader, run: Dict, params: EcsParams): void {
  const nc = r.dict(run.network_configuration, ['run_params', 'network_configuration'], KEYS.network)
  if (nc.awsvpc_configuration !== undefined && nc.awsvpc_configuration !== null) {
    const ap: Path = ['run_params', 'network_configuration', 'awsvpc_configuration']
    const a = r.dict(nc.awsvpc_configuration, ap, KEYS.awsvpc)
    const awsvpcConfiguration: NonNullable<NetworkConfiguration['awsvpcConfiguration']> = {
      subnets:
        a.subnets === undefined || a.subnets === null
          ? []
          : r.list(a.subnets, [...ap, 'subnets']).map((s, i) => r.str(s, [...ap, 'subnets', i]) ?? ''),
    }
    if (a.security_groups !== undefined && a.security_groups !== null) {
      awsvpcConfiguration.securityGroups = r
        .list(a.security_groups, [...ap, 'security_groups'])
        .map((s, i) => r.str(s, [...ap, 'security_groups', i]) ?? '')
    }
    let assignPublicIpAt: Path | undefined
    const ip = r.str(a.assign_public_ip, [...ap, 'assign_public_ip'])
    if (ip !== undefined && ip !== '') {
      if (ip !== 'ENABLED' && ip !== 'DISABLED')
        r.fail([...ap, 'assign_public_ip'], `invalid value ${JSON.stringify(ip)}; valid: ENABLED, DISABLED`)
      awsvpcConfiguration.assignPublicIp = ip as 'ENABLED' | 'DISABLED'
      assignPublicIpAt = [...ap, 'assign_public_ip']
    }
    params.run.networkConfiguration = {v: {awsvpcConfiguration}, at: ap, assignPublicIpAt}
  }
}

function taskPlacement(r: Reader, run: Dict, params: EcsParams): void {
  const tp = r.dict(run.task_placement, ['run_params', 'task_placement'], KEYS.placement)
  if (tp.strategy !== undefined && tp.strategy !== null) {
    const sp: Path = ['run_params', 'task_placement', 'strategy']
    const list = r.list(tp.strategy, sp).map((item, i) => {
      const ip = [...sp, i]
      const s = r.dict(item, ip, KEYS.strategy)
      const type = r.str(s.type, [...ip, 'type'])
      const field = r.str(s.field, [...ip, 'field'])
      if (type !== 'random' && type !== 'binpack' && type !== 'spread')
        r.fail([...ip, 'type'], `invalid strategy type ${describe(s.type)}; valid: random, binpack, spread`)
      if (type === 'random' && field) r.fail([...ip, 'field'], 'the random strategy takes no field')
      if (type === 'binpack' && field !== 'cpu' && field !== 'memory')
        r.fail([...ip, 'field'], `binpack needs field cpu or memory, not ${describe(s.field)}`)
      if (type === 'spread' && !field) r.fail(ip, 'spread needs a field (instanceId, host, or attribute:<name>)')
      const out: PlacementStrategy = {type}
      if (field) out.field = field
      return out
    })
    params.run.placementStrategy = {v: list, at: sp}
  }
  if (tp.constraints !== undefined && tp.constraints !== null) {
    const cp: Path = ['run_params', 'task_placement', 'constraints']
    const list = r.list(tp.constraints, cp).map((item, i) => {
      const ip = [...cp, i]
      const c = r.dict(item, ip, KEYS.constraint)
      const type = r.str(c.type, [...ip, 'type'])
      const expression = r.str(c.expression, [...ip, 'expression'])
      if (type !== 'distinctInstance' && type !== 'memberOf')
        r.fail([...ip, 'type'], `invalid constraint type ${describe(c.type)}; valid: distinctInstance, memberOf`)
      if (type === 'distinctInstance' && expression)
        r.fail([...ip, 'expression'], 'distinctInstance takes no expression')
      if (type === 'memberOf' && !expression) r.fail(ip, 'memberOf needs an expression')
      const out: PlacementConstraint = {type}
      if (expression) out.expression = expression
      return out
    })
    params.run.placementConstraints = {v: list, at: cp}
  }
}

function serviceDiscovery(r: Reader, value: unknown): ServiceDiscoveryParams {
  const b: Path = ['run_params', 'service_discovery']
  const sd = r.dict(value, b, KEYS.sd)
  const out: ServiceDiscoveryParams = {}
  const cn = r.str(sd.container_name, [...b, 'container_name'])
  if (cn) out.containerName = cn
  if (sd.container_port !== undefined && sd.container_port !== null)
    out.containerPort = r.unit(
      () => parseInteger(sd.container_port, 'container_port', 1, 65535),
      [...b, 'container_port'],
    )
  if (sd.private_dns_namespace !== undefined && sd.private_dns_namespace !== null) {
    out.privateDnsNamespace = strings(
      r,
      r.dict(sd.private_dns_namespace, [...b, 'private_dns_namespace'], KEYS.privateNs),
      KEYS.privateNs,
      [...b, 'private_dns_namespace'],
    )
  }
  if (sd.public_dns_namespace !== undefined && sd.public_dns_namespace !== null) {
    out.publicDnsNamespace = strings(
      r,
      r.dict(sd.public_dns_namespace, [...b, 'public_dns_namespace'], KEYS.publicNs),
      KEYS.publicNs,
      [...b, 'public_dns_namespace'],
    )
  }
  if (sd.service_discovery_service !== undefined && sd.service_discovery_service !== null)
    out.serviceDiscoveryService = discoveryService(r, sd.service_discovery_service, [...b, 'service_discovery_service'])
  return out
}

/** The non-empty string values of `keys`. */
function strings(r: Reader, d: Dict, keys: string[], at: Path): Record<string, string> {
  const o: Record<string, string> = {}
  for (const k of keys) {
    const v = r.str(d[k], [...at, k])
    if (v) o[k] = v
  }
  return o
}

function discoveryService(
  r: Reader,
  value: unknown,
  sp: Path,
): NonNullable<ServiceDiscoveryParams['serviceDiscoveryService']> {
  const s = r.dict(value, sp, KEYS.sdService)
  const svc: NonNullable<ServiceDiscoveryParams['serviceDiscoveryService']> = strings(r, s, ['name', 'description'], sp)
  if (s.dns_config !== undefined && s.dns_config !== null) {
    const d = r.dict(s.dns_config, [...sp, 'dns_config'], KEYS.dnsConfig)
    svc.dnsConfig = {}
    const type = r.str(d.type, [...sp, 'dns_config', 'type'])
    if (type) {
      if (type !== 'A' && type !== 'SRV')
        r.fail([...sp, 'dns_config', 'type'], `invalid DNS record type ${JSON.stringify(type)}; valid: A, SRV`)
      svc.dnsConfig.type = type
    }
    if (d.ttl !== undefined && d.ttl !== null)
      svc.dnsConfig.ttl = r.unit(() => parseInteger(d.ttl, 'ttl'), [...sp, 'dns_config', 'ttl'])
  }
  if (s.healthcheck_custom_config !== undefined && s.healthcheck_custom_config !== null) {
    const h = r.dict(s.healthcheck_custom_config, [...sp, 'healthcheck_custom_config'], KEYS.customHc)
    svc.healthCheckCustomConfig = {}
    if (h.failure_threshold !== undefined && h.failure_threshold !== null) {
      svc.healthCheckCustomConfig.failureThreshold = r.unit(
        () => parseInteger(h.failure_threshold, 'failure_threshold', 1, 10),
        [...sp, 'healthcheck_custom_config', 'failure_threshold'],
      )
    }
  }
  return svc
}
