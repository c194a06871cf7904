/** The parsed ecs-params file: ECS settings Compose cannot express, each with its path for messages. */
import type {
  ContainerDependency,
  FirelensConfiguration,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  Secret,
  TaskDefinitionPlacementConstraint,
  Volume,
} from '@aws-sdk/client-ecs'

import type {Path, SourceFile} from '../source.js'
import type {ServiceDiscoveryParams} from '../types.js'

export interface HealthcheckParams {
  command?: string[]
  interval?: number
  timeout?: number
  retries?: number
  startPeriod?: number
  /** key → path, for messages */
  at: Path
}

export interface ServiceParams {
  at: Path
  essential?: {v: boolean; at: Path}
  cpuShares?: number
  memory?: number
  memoryReservation?: number
  initProcessEnabled?: boolean
  credentialsParameter?: string
  healthcheck?: HealthcheckParams
  secretOptions?: Secret[]
  secrets?: {v: Secret; at: Path}[]
  firelens?: FirelensConfiguration
  gpu?: string
  dependsOn?: {v: ContainerDependency; at: Path}[]
}

export interface EcsParams {
  source: SourceFile
  networkMode?: {v: string; at: Path}
  taskRoleArn?: string
  executionRoleArn?: string
  pidMode?: {v: string; at: Path}
  ipcMode?: {v: string; at: Path}
  cpu?: {v: string; at: Path}
  memory?: {v: string; at: Path}
  placementConstraints?: {v: TaskDefinitionPlacementConstraint[]; at: Path}
  volumes: {v: Volume; at: Path}[]
  services: Map<string, ServiceParams>
  run: {
    networkConfiguration?: {v: NetworkConfiguration; at: Path; assignPublicIpAt?: Path}
    placementConstraints?: {v: PlacementConstraint[]; at: Path}
    placementStrategy?: {v: PlacementStrategy[]; at: Path}
    serviceDiscovery?: ServiceDiscoveryParams
  }
}
