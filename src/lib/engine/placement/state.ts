/**
 * The placer's working copy of the candidates: resources in typed arrays for the hot path, written through to the
 * `PlacementCandidate` objects on every reservation (the engine persists from those objects). Also owns host-port
 * allocation and per-(group, attribute) task counts for spread strategies.
 */
import {AGENT, ATTRIBUTE, CPU, ENI, GPU, MEMORY, OK, PORTS} from './checks.js'
import type {CheckCode} from './checks.js'
import type {PlacementCandidate, Protocol, TaskDemand} from './types.js'

/** Dynamic host ports come from here (ip_local_port_range of the ECS-optimized AMI; spec §2.5, §11.2). */
export const EPHEMERAL_PORT_RANGE = {min: 32768, max: 61000} as const
const EPHEMERAL_SIZE = EPHEMERAL_PORT_RANGE.max - EPHEMERAL_PORT_RANGE.min + 1
const inEphemeral = (port: number): boolean => port >= EPHEMERAL_PORT_RANGE.min && port <= EPHEMERAL_PORT_RANGE.max

/** Key of instances that lack the attribute a spread strategy reads: they form their own bucket. */
export const MISSING_VALUE = '\u0000missing'

/** A demand digested once per place() call. */
export interface PreparedDemand {
  demand: TaskDemand
  /** Attribute/AZ eligibility per candidate: 0 unknown, 1 ok, 2 fails. Shared by demands with the same requirements. */
  attributeOk: Uint8Array
  dynamicTcp: number
  dynamicUdp: number
  /** Static ports inside the ephemeral range (they compete with dynamic ones). */
  staticTcpInRange: number
  staticUdpInRange: number
}

export type ReservationListener = (index: number, group: string) => void

export class PlacementState {
  readonly size: number
  readonly cpu: Float64Array
  readonly memory: Float64Array
  readonly gpu: Float64Array
  readonly eni: Float64Array
  /** 1 when the instance is ACTIVE (the only status that receives tasks). */
  readonly active: Uint8Array
  readonly connected: Uint8Array
  /** Bumped on every reservation/release (invalidates task-dependent caches). */
  readonly version: Uint32Array
  private readonly ephemeralUsedTcp: Int32Array
  private readonly ephemeralUsedUdp: Int32Array
  private readonly nextTcp: Int32Array
  private readonly nextUdp: Int32Array
  private readonly indexByArn = new Map<string, number>()
  private readonly attributeCaches = new Map<string, Uint8Array>()
  /** requiresAttributes array → (allowedAvailabilityZones array → cache), so a batch reusing its demand skips the key. */
  private readonly attributeCacheByIdentity = new WeakMap<object, Map<string[] | undefined, Uint8Array>>()
  /** group → attribute → value → tasks of the group on instances with that value. */
  private readonly spreadCounts = new Map<string, Map<string, Map<string, number>>>()
  private readonly listeners: ReservationListener[] = []
  private readonly attributeValues = new Map<string, string[]>()
  private readonly prepared = new WeakMap<
    TaskDemand,
    {
      prepared: PreparedDemand
      staticPorts: TaskDemand['staticPorts']
      dynamicPorts: TaskDemand['dynamicPorts']
      requiresAttributes: TaskDemand['requiresAttributes']
      zones: TaskDemand['allowedAvailabilityZones']
    }
  >()
  readonly activeCount: number

  constructor(readonly candidates: readonly PlacementCandidate[]) {
    const n = candidates.length
    this.size = n
    this.cpu = new Float64Array(n)
    this.memory = new Float64Array(n)
    this.gpu = new Float64Array(n)
    this.eni = new Float64Array(n)
    this.active = new Uint8Array(n)
    this.connected = new Uint8Array(n)
    this.version = new Uint32Array(n)
    this.ephemeralUsedTcp = new Int32Array(n)
    this.ephemeralUsedUdp = new Int32Array(n)
    this.nextTcp = new Int32Array(n).fill(EPHEMERAL_PORT_RANGE.min)
    this.nextUdp = new Int32Array(n).fill(EPHEMERAL_PORT_RANGE.min)
    let activeCount = 0
    for (let i = 0; i < n; i++) {
      const c = candidates[i]
      this.cpu[i] = c.remainingCpu
      this.memory[i] = c.remainingMemory
      this.gpu[i] = c.remainingGpu
      this.eni[i] = c.freeEniSlots
      this.active[i] = c.status === 'ACTIVE' ? 1 : 0
      activeCount += this.active[i]
      this.connected[i] = c.agentConnected ? 1 : 0
      let tcp = 0
      for (const port of c.tcpPortsInUse) if (inEphemeral(port)) tcp++
      let udp = 0
      for (const port of c.udpPortsInUse) if (inEphemeral(port)) udp++
      this.ephemeralUsedTcp[i] = tcp
      this.ephemeralUsedUdp[i] = udp
      this.indexByArn.set(c.containerInstanceArn, i)
    }
    this.activeCount = activeCount
  }

  indexOf(arn: string): number {
    const index = this.indexByArn.get(arn)
    return index === undefined ? -1 : index
  }

  onReservationChange(listener: ReservationListener): void {
    this.listeners.push(listener)
  }

  groupCount(index: number, group: string): number {
    return this.candidates[index].taskGroups.get(group) ?? 0
  }

  /**
   * Digest a demand. Cached by the demand object's identity while its port arrays are the same arrays (a batch
   * places the same demand object many times); cpu/memory/gpu/needsEni are always read live.
   */
  prepare(demand: TaskDemand): PreparedDemand {
    const cached = this.prepared.get(demand)
    if (
      cached &&
      cached.staticPorts === demand.staticPorts &&
      cached.dynamicPorts === demand.dynamicPorts &&
      cached.requiresAttributes === demand.requiresAttributes &&
      cached.zones === demand.allowedAvailabilityZones
    )
      return cached.prepared
    const prepared = this.digest(demand)
    this.prepared.set(demand, {
      prepared,
      staticPorts: demand.staticPorts,
      dynamicPorts: demand.dynamicPorts,
      requiresAttributes: demand.requiresAttributes,
      zones: demand.allowedAvailabilityZones,
    })
    return prepared
  }

  private digest(demand: TaskDemand): PreparedDemand {
    let dynamicTcp = 0
    let dynamicUdp = 0
    for (const port of demand.dynamicPorts) {
      if (port.protocol === 'udp') dynamicUdp++
      else dynamicTcp++
    }
    let staticTcpInRange = 0
    let staticUdpInRange = 0
    for (const port of demand.staticPorts) {
      if (!inEphemeral(port.port)) continue
      if (port.protocol === 'udp') staticUdpInRange++
      else staticTcpInRange++
    }
    return {
      demand,
      attributeOk: this.attributeCache(demand),
      dynamicTcp,
      dynamicUdp,
      staticTcpInRange,
      staticUdpInRange,
    }
  }

  /**
   * Attribute/AZ eligibility cache for a demand's requirements, shared by every demand with equal requirements.
   * Looked up by the identity of the `requiresAttributes` and `allowedAvailabilityZones` arrays first (callers must not
   * mutate those arrays after passing them), then by their content.
   */
  private attributeCache(demand: TaskDemand): Uint8Array {
    let byZones = this.attributeCacheByIdentity.get(demand.requiresAttributes)
    const known = byZones?.get(demand.allowedAvailabilityZones)
    if (known) return known
    const cache = this.attributeCacheByContent(demand)
    if (!byZones) {
      byZones = new Map()
      this.attributeCacheByIdentity.set(demand.requiresAttributes, byZones)
    }
    byZones.set(demand.allowedAvailabilityZones, cache)
    return cache
  }

  private attributeCacheByContent(demand: TaskDemand): Uint8Array {
    const attributes = demand.requiresAttributes
      .map((a) => `${a.name}\u0001${a.value ?? '\u0002'}`)
      .sort()
      .join('\u0003')
    const key = `${attributes}\u0004${demand.allowedAvailabilityZones ? [...demand.allowedAvailabilityZones].sort().join(',') : '*'}`
    let cache = this.attributeCaches.get(key)
    if (!cache) {
      cache = new Uint8Array(this.size)
      this.attributeCaches.set(key, cache)
    }
    return cache
  }

  private hasAttributes(index: number, demand: TaskDemand): boolean {
    const attributes = this.candidates[index].attributes
    for (const required of demand.requiresAttributes) {
      if (!attributes.has(required.name)) return false
      if (required.value !== undefined && attributes.get(required.name) !== required.value) return false
    }
    const zones = demand.allowedAvailabilityZones
    if (zones) {
      const zone = attributes.get('ecs.availability-zone')
      if (zone === undefined || !zones.includes(zone)) return false
    }
    return true
  }

  /** First failing check for an ACTIVE candidate, or OK. */
  check(index: number, prepared: PreparedDemand): CheckCode {
    if (this.connected[index] === 0) return AGENT
    let attributeOk = prepared.attributeOk[index]
    if (attributeOk === 0) {
      attributeOk = this.hasAttributes(index, prepared.demand) ? 1 : 2
      prepared.attributeOk[index] = attributeOk
    }
    if (attributeOk === 2) return ATTRIBUTE
    const demand = prepared.demand
    if (this.cpu[index] < demand.cpu) return CPU
    if (this.memory[index] < demand.memory) return MEMORY
    if (demand.staticPorts.length > 0 || prepared.dynamicTcp > 0 || prepared.dynamicUdp > 0) {
      if (!this.portsFit(index, prepared)) return PORTS
    }
    if (this.gpu[index] < demand.gpu) return GPU
    if (demand.needsEni && this.eni[index] < 1) return ENI
    return OK
  }

  private portsFit(index: number, prepared: PreparedDemand): boolean {
    const candidate = this.candidates[index]
    for (const port of prepared.demand.staticPorts) {
      if ((port.protocol === 'udp' ? candidate.udpPortsInUse : candidate.tcpPortsInUse).has(port.port)) return false
    }
    if (
      prepared.dynamicTcp > 0 &&
      this.ephemeralUsedTcp[index] + prepared.staticTcpInRange + prepared.dynamicTcp > EPHEMERAL_SIZE
    )
      return false
    if (
      prepared.dynamicUdp > 0 &&
      this.ephemeralUsedUdp[index] + prepared.staticUdpInRange + prepared.dynamicUdp > EPHEMERAL_SIZE
    )
      return false
    return true
  }

  /** Reserve a task on candidate `index` (which passed `check`); returns the host ports assigned. */
  reserve(index: number, demand: TaskDemand, group: string): Array<{hostPort: number; protocol: Protocol}> {
    const candidate = this.candidates[index]
    this.cpu[index] -= demand.cpu
    this.memory[index] -= demand.memory
    this.gpu[index] -= demand.gpu
    if (demand.needsEni) this.eni[index] -= 1
    const hostPorts: Array<{hostPort: number; protocol: Protocol}> = []
    for (const port of demand.staticPorts) {
      this.addPort(index, port.port, port.protocol)
      hostPorts.push({hostPort: port.port, protocol: port.protocol})
    }
    for (const port of demand.dynamicPorts) {
      const hostPort = this.lowestFreeEphemeral(index, port.protocol)
      this.addPort(index, hostPort, port.protocol)
      hostPorts.push({hostPort, protocol: port.protocol})
    }
    candidate.remainingCpu = this.cpu[index]
    candidate.remainingMemory = this.memory[index]
    candidate.remainingGpu = this.gpu[index]
    candidate.freeEniSlots = this.eni[index]
    candidate.runningTasksCount += 1
    candidate.taskGroups.set(group, (candidate.taskGroups.get(group) ?? 0) + 1)
    this.version[index]++
    this.adjustSpreadCounts(index, group, 1)
    for (const listener of this.listeners) listener(index, group)
    return hostPorts
  }

  /** Undo a reservation made by `reserve` (or any task's reservation the engine wants to give back). */
  release(
    index: number,
    demand: TaskDemand,
    hostPorts: ReadonlyArray<{hostPort: number; protocol: Protocol}>,
    group: string,
  ): void {
    const candidate = this.candidates[index]
    this.cpu[index] += demand.cpu
    this.memory[index] += demand.memory
    this.gpu[index] += demand.gpu
    if (demand.needsEni) this.eni[index] += 1
    for (const port of hostPorts) this.removePort(index, port.hostPort, port.protocol)
    candidate.remainingCpu = this.cpu[index]
    candidate.remainingMemory = this.memory[index]
    candidate.remainingGpu = this.gpu[index]
    candidate.freeEniSlots = this.eni[index]
    candidate.runningTasksCount = Math.max(0, candidate.runningTasksCount - 1)
    const count = (candidate.taskGroups.get(group) ?? 0) - 1
    if (count > 0) candidate.taskGroups.set(group, count)
    else candidate.taskGroups.delete(group)
    this.version[index]++
    this.adjustSpreadCounts(index, group, -1)
    for (const listener of this.listeners) listener(index, group)
  }

  private addPort(index: number, port: number, protocol: Protocol): void {
    const set = protocol === 'udp' ? this.candidates[index].udpPortsInUse : this.candidates[index].tcpPortsInUse
    if (set.has(port)) return
    set.add(port)
    if (inEphemeral(port)) (protocol === 'udp' ? this.ephemeralUsedUdp : this.ephemeralUsedTcp)[index]++
  }

  private removePort(index: number, port: number, protocol: Protocol): void {
    const set = protocol === 'udp' ? this.candidates[index].udpPortsInUse : this.candidates[index].tcpPortsInUse
    if (!set.delete(port)) return
    if (!inEphemeral(port)) return
    ;(protocol === 'udp' ? this.ephemeralUsedUdp : this.ephemeralUsedTcp)[index]--
    const next = protocol === 'udp' ? this.nextUdp : this.nextTcp
    if (port < next[index]) next[index] = port
  }

  private lowestFreeEphemeral(index: number, protocol: Protocol): number {
    const set = protocol === 'udp' ? this.candidates[index].udpPortsInUse : this.candidates[index].tcpPortsInUse
    const next = protocol === 'udp' ? this.nextUdp : this.nextTcp
    let port = next[index]
    while (port <= EPHEMERAL_PORT_RANGE.max && set.has(port)) port++
    if (port > EPHEMERAL_PORT_RANGE.max) throw new Error('no free ephemeral port although the port check passed')
    next[index] = port + 1
    return port
  }

  /** Spread key of candidate `index` for an attribute (attributes do not change during a batch, so it is cached). */
  attributeValue(index: number, attribute: string): string {
    let values = this.attributeValues.get(attribute)
    if (!values) {
      values = new Array<string>(this.size)
      for (let i = 0; i < this.size; i++) {
        const attributes = this.candidates[i].attributes
        values[i] = attributes.has(attribute) ? (attributes.get(attribute) ?? '') : MISSING_VALUE
      }
      this.attributeValues.set(attribute, values)
    }
    return values[index]
  }

  /** value → number of `group` tasks on instances with that value of `attribute` (all statuses counted). */
  spreadCountsFor(group: string, attribute: string): Map<string, number> {
    let byAttribute = this.spreadCounts.get(group)
    if (!byAttribute) {
      byAttribute = new Map()
      this.spreadCounts.set(group, byAttribute)
    }
    let counts = byAttribute.get(attribute)
    if (!counts) {
      counts = new Map()
      for (let i = 0; i < this.size; i++) {
        const value = this.attributeValue(i, attribute)
        counts.set(value, (counts.get(value) ?? 0) + this.groupCount(i, group))
      }
      byAttribute.set(attribute, counts)
    }
    return counts
  }

  private adjustSpreadCounts(index: number, group: string, delta: number): void {
    const byAttribute = this.spreadCounts.get(group)
    if (!byAttribute) return
    for (const [attribute, counts] of byAttribute) {
      const value = this.attributeValue(index, attribute)
      counts.set(value, (counts.get(value) ?? 0) + delta)
    }
  }
}
