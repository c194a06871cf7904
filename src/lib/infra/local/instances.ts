/**
 * Simulated EC2 container instances for the local backend: registered with an instance identity document
 * (instanceId `i-` + 17 hex, instanceType, availabilityZone) as the ECS agent would, spread over the zones.
 */
import {randomBytes} from 'node:crypto'

import type {ContainerInstance, Tag} from '@aws-sdk/client-ecs'

import type {Backend} from '../../ecs/backend.js'
import {availabilityZoneOf} from '../../ecs/lookups.js'

export const DEFAULT_INSTANCE_TYPE = 't2.micro'

export function newEc2InstanceId(): string {
  return `i-${randomBytes(9).toString('hex').slice(0, 17)}`
}

/** The zone with the fewest of `existing` instances (ties: the order of `zones`). */
export function leastUsedZone(zones: string[], existing: ContainerInstance[]): string {
  const counts = new Map(zones.map((z) => [z, 0]))
  for (const ci of existing) {
    const az = availabilityZoneOf(ci)
    if (az && counts.has(az)) counts.set(az, (counts.get(az) ?? 0) + 1)
  }
  let best = zones[0]
  for (const z of zones) if ((counts.get(z) ?? 0) < (counts.get(best) ?? 0)) best = z
  return best
}

export interface RegisterInstancesOptions {
  count: number
  instanceType: string
  zones: string[]
  region: string
  tags?: Tag[]
  /** Instances already in the cluster: new ones go to the least-used zones first. */
  existing?: ContainerInstance[]
}

/** Register `count` simulated instances, each in the zone with the fewest instances so far (round-robin). */
export async function registerSimulatedInstances(
  backend: Backend,
  cluster: string,
  options: RegisterInstancesOptions,
): Promise<ContainerInstance[]> {
  const placed = [...(options.existing ?? [])]
  const created: ContainerInstance[] = []
  for (let i = 0; i < options.count; i++) {
    const availabilityZone = leastUsedZone(options.zones, placed)
    const instanceId = newEc2InstanceId()
    const document = {
      instanceId,
      instanceType: options.instanceType,
      availabilityZone,
      region: options.region,
      architecture: options.instanceType.startsWith('a1.') ? 'arm64' : 'x86_64',
      imageId: 'ami-ecsx-local',
      pendingTime: new Date().toISOString(),
    }
    const out = await backend.registerContainerInstance({
      cluster,
      instanceIdentityDocument: JSON.stringify(document),
      instanceIdentityDocumentSignature: '',
      tags: options.tags && options.tags.length > 0 ? options.tags : undefined,
    })
    if (!out.containerInstance)
      throw new Error(`RegisterContainerInstance returned no container instance for ${instanceId}`)
    created.push(out.containerInstance)
    placed.push(
      out.containerInstance.attributes
        ? out.containerInstance
        : {...out.containerInstance, attributes: [{name: 'ecs.availability-zone', value: availabilityZone}]},
    )
  }
  return created
}
