/**
 * What a launch needs (RunTask, StartTask, the service scheduler): the launch spec, the task demand it places, the
 * Availability Zone of each awsvpc subnet, and the Fargate platform version.
 */
import type {
  Cluster,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  Tag,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../context.js'
import {availabilityZones, demandOf} from '../model/capacity.js'
import type {TaskDemand} from '../placement/types.js'

/** Fargate platform version LATEST resolves to (spec §2.2: known versions 1.0.0 … 1.3.0). */
export const FARGATE_LATEST_PLATFORM_VERSION = '1.3.0'

export function resolvePlatformVersion(version: string | undefined): string {
  return version === undefined || version === 'LATEST' ? FARGATE_LATEST_PLATFORM_VERSION : version
}

export interface LaunchSpec {
  cluster: Cluster
  taskDef: TaskDefinition
  launchType: 'EC2' | 'FARGATE'
  group: string
  startedBy?: string
  overrides?: TaskOverride
  networkConfiguration?: NetworkConfiguration
  platformVersion?: string
  tags?: Tag[]
  serviceArn?: string
  deploymentId?: string
  /** Load balancers or service discovery: ACTIVATING / DEACTIVATING phases. */
  hasLoadBalancer?: boolean
  strategies: PlacementStrategy[]
  constraints: PlacementConstraint[]
  /** Subnet → AZ, resolved once per launch spec (see `subnetZones`). */
  subnetZones?: Map<string, string>
}

/** Task demand for a launch, including the AZ restriction of awsvpc subnets. */
export function launchDemand(ctx: EngineContext, spec: LaunchSpec): TaskDemand {
  const demand = demandOf(spec.taskDef, spec.overrides)
  const subnets = spec.networkConfiguration?.awsvpcConfiguration?.subnets
  if (spec.taskDef.networkMode === 'awsvpc' && subnets?.length) {
    const zones = subnetZones(ctx, spec, subnets)
    if (spec.launchType === 'EC2') demand.allowedAvailabilityZones = [...new Set(zones.values())]
  }
  return demand
}

/**
 * The AZ of each subnet. The engine has no VPC model: a subnet id that names a zone (`subnet-us-east-1b-…`) is in
 * that zone; any other id is placed, by a stable hash, in one of the zones where the cluster has instances (EC2), or
 * of the region (Fargate, or no instances yet) — so awsvpc tasks can always find the cluster's instances.
 */
export function subnetZones(ctx: EngineContext, spec: LaunchSpec, subnets: string[]): Map<string, string> {
  if (spec.subnetZones) return spec.subnetZones
  const region = availabilityZones(ctx.settings.region)
  let pool = region
  if (spec.launchType === 'EC2') {
    const clusterZones = new Set<string>()
    for (const doc of ctx.tx.list<{attributes?: Array<{name?: string; value?: string}>}>('instance', {
      cluster: spec.cluster.clusterArn,
      statusIn: ['ACTIVE', 'DRAINING'],
    })) {
      const zone = doc.body.attributes?.find((a) => a.name === 'ecs.availability-zone')?.value
      if (zone) clusterZones.add(zone)
    }
    if (clusterZones.size > 0) pool = [...clusterZones].sort()
  }
  const zones = new Map<string, string>()
  for (const subnet of subnets) {
    const named = region.find((zone) => subnet.includes(zone))
    if (named) {
      zones.set(subnet, named)
      continue
    }
    let hash = 0
    for (const ch of subnet) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0
    zones.set(subnet, pool[hash % pool.length])
  }
  spec.subnetZones = zones
  return zones
}
