/** ports → portMappings (host ports by network mode), and links (bridge mode only). */
import type {PortMapping} from '@aws-sdk/client-ecs'

import type {Located, Origin} from '../load/model.js'
import {PORT_LONG_KEYS} from '../schema.js'
import {describe, parsePortShort, type ParsedPort} from '../units.js'
import {isDict, scalarString} from '../values.js'
import type {ServiceScope} from './scope.js'

export function translatePorts(s: ServiceScope): void {
  const items = s.svc.lists.get('ports') ?? []
  if (items.length === 0) return
  const mode = s.ctx.networkMode
  if (mode === 'none')
    s.fail(
      'ports',
      'ports cannot be published with network mode "none" (ecs-params ecs_network_mode)',
      ['ports'],
      items[0].at,
    )
  const out: PortMapping[] = []
  const seen = new Set<string>()
  const protocolOf = new Map<number, {protocol: string; at: Origin}>()
  for (const item of items) {
    for (const p of parsePort(s, item)) {
      if (p.hostIp !== undefined && p.hostIp !== '' && p.hostIp !== '0.0.0.0') {
        s.warn('ports', `host IP ${p.hostIp} is ignored: ECS binds published ports on all interfaces`, [], item.at)
      }
      const hostPort = hostPortFor(s, p, item)
      const prev = protocolOf.get(p.containerPort)
      if (prev && prev.protocol !== p.protocol) {
        s.fail(
          'ports',
          `container port ${p.containerPort} is published for both ${prev.protocol} and ${p.protocol}; ` +
            'ECS allows one protocol per container port',
          [],
          item.at,
        )
      }
      protocolOf.set(p.containerPort, {protocol: p.protocol, at: item.at})
      const mapping: PortMapping = {containerPort: p.containerPort, hostPort, protocol: p.protocol}
      if (p.name) mapping.name = p.name
      if (p.appProtocol) mapping.appProtocol = p.appProtocol
      const id = `${mapping.containerPort}/${mapping.hostPort}/${mapping.protocol}`
      if (seen.has(id)) continue
      seen.add(id)
      const twice = out.find((m) => m.containerPort === mapping.containerPort && m.protocol === mapping.protocol)
      if (twice) {
        s.fail(
          'ports',
          `container port ${mapping.containerPort}/${mapping.protocol} is published twice ` +
            `(host ports ${twice.hostPort || 'dynamic'} and ${mapping.hostPort || 'dynamic'}); ECS maps each container port once`,
          [],
          item.at,
        )
      }
      out.push(mapping)
    }
  }
  s.def.portMappings = out
}

/** The host port ECS gets: = container port in awsvpc/host mode, 0 (dynamic) when not given in bridge mode. */
function hostPortFor(s: ServiceScope, p: ParsedPort, item: Located<unknown>): number {
  const mode = s.ctx.networkMode
  let hostPort = p.hostPort
  if (mode === 'awsvpc' || mode === 'host') {
    if (hostPort === undefined || hostPort === 0) hostPort = p.containerPort
    else if (hostPort !== p.containerPort) {
      s.fail(
        'ports',
        `in ${mode} network mode the host port must equal the container port: ${describeItem(item.v)} maps ${hostPort} ` +
          `to ${p.containerPort}; write "${p.containerPort}"`,
        [],
        item.at,
      )
    }
  } else if (hostPort === undefined) hostPort = 0
  return hostPort
}

function parsePort(s: ServiceScope, item: Located<unknown>): ParsedPort[] {
  const v = item.v
  if (!isDict(v)) return s.unitAt('ports', () => parsePortShort(v), [], item.at)
  for (const k of Object.keys(v))
    if (!PORT_LONG_KEYS.includes(k))
      s.fail('ports', `unknown key "${k}" in a port; valid keys: ${PORT_LONG_KEYS.join(', ')}`, [], item.at)
  if (v.target === undefined || v.target === null)
    s.fail('ports', 'a long-syntax port needs a target (the container port)', [], item.at)
  const protocol = v.protocol === undefined || v.protocol === null ? 'tcp' : String(v.protocol).toLowerCase()
  if (protocol !== 'tcp' && protocol !== 'udp')
    s.fail('ports', `invalid protocol ${describe(v.protocol)}: ECS supports tcp and udp`, [], item.at)
  const spec =
    v.published === undefined || v.published === null || v.published === ''
      ? `${v.target}`
      : `${v.published}:${v.target}`
  const parsed = s.unitAt('ports', () => parsePortShort(`${spec}/${protocol}`), [], item.at)
  const hostIp = scalarString(v.host_ip)
  let appProtocol: ParsedPort['appProtocol']
  if (v.app_protocol !== undefined && v.app_protocol !== null) {
    const ap = String(v.app_protocol).toLowerCase()
    if (ap !== 'http' && ap !== 'http2' && ap !== 'grpc')
      s.fail('ports', `invalid app_protocol ${describe(v.app_protocol)}; ECS supports http, http2, grpc`, [], item.at)
    appProtocol = ap as ParsedPort['appProtocol']
  }
  const name = scalarString(v.name)
  return parsed.map((p, i) => ({
    ...p,
    ...(hostIp ? {hostIp} : {}),
    ...(name ? {name: parsed.length > 1 ? `${name}-${i}` : name} : {}),
    ...(appProtocol ? {appProtocol} : {}),
  }))
}

export function translateLinks(s: ServiceScope): void {
  const items = s.svc.lists.get('links') ?? []
  if (items.length === 0) return
  const mode = s.ctx.networkMode
  s.notOnFargate('links', 'links', [], items[0].at)
  if (mode !== 'bridge')
    s.fail(
      'links',
      `links only work in bridge network mode, not ${mode}: containers in one ${mode} task reach each other on localhost`,
      [],
      items[0].at,
    )
  const out: string[] = []
  for (const item of items) {
    const str = scalarString(item.v)
    if (!str) s.fail('links', `links items must be "service" or "service:alias", not ${describe(item.v)}`, [], item.at)
    const target = (str as string).split(':')[0]
    if (!s.ctx.project.services.some((x) => x.name === target))
      s.fail('links', `link to "${target}", which is not a service of this project`, [], item.at)
    out.push(str as string)
  }
  s.def.links = out
}

function describeItem(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' ? String(v) : 'the port'
}
