/**
 * ARNs in ECS's long format and the parsing of resource references (name, id or ARN).
 */
import type {EngineSettings} from './context.js'

type ArnSettings = Pick<EngineSettings, 'region' | 'accountId'>

const prefix = (s: ArnSettings): string => `arn:aws:ecs:${s.region}:${s.accountId}:`

export const clusterArn = (s: ArnSettings, clusterName: string): string => `${prefix(s)}cluster/${clusterName}`
export const containerInstanceArn = (s: ArnSettings, clusterName: string, id: string): string =>
  `${prefix(s)}container-instance/${clusterName}/${id}`
export const taskArn = (s: ArnSettings, clusterName: string, id: string): string =>
  `${prefix(s)}task/${clusterName}/${id}`
export const serviceArn = (s: ArnSettings, clusterName: string, serviceName: string): string =>
  `${prefix(s)}service/${clusterName}/${serviceName}`
export const taskDefinitionArn = (s: ArnSettings, family: string, revision: number): string =>
  `${prefix(s)}task-definition/${family}:${revision}`

export type EcsResourceType = 'cluster' | 'container-instance' | 'task' | 'service' | 'task-definition'

export interface ParsedArn {
  region: string
  accountId: string
  resourceType: EcsResourceType
  /** Path segments after the resource type, e.g. ['my-cluster', '<id>']. */
  path: string[]
}

const ARN_PATTERN =
  /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):(cluster|container-instance|task|service|task-definition)\/(.+)$/

/** Parse an ECS ARN; undefined when `text` is not one. */
export function parseEcsArn(text: string): ParsedArn | undefined {
  const match = ARN_PATTERN.exec(text)
  if (!match) return undefined
  return {region: match[1], accountId: match[2], resourceType: match[3] as EcsResourceType, path: match[4].split('/')}
}

export const isArn = (text: string): boolean => text.startsWith('arn:')

/** Last path segment of an ARN (an id or a name); the text itself when it is not an ARN. */
export function lastSegment(text: string): string {
  const slash = text.lastIndexOf('/')
  return isArn(text) && slash >= 0 ? text.slice(slash + 1) : text
}

/** Cluster name from a cluster reference (name or ARN). */
export function clusterNameOf(ref: string): string {
  const parsed = parseEcsArn(ref)
  return parsed?.resourceType === 'cluster' ? parsed.path.join('/') : ref
}

/** Cluster ARN for a reference (name or ARN); ARNs of this engine's region/account are kept as given. */
export function clusterArnOf(s: ArnSettings, ref: string): string {
  return clusterArn(s, clusterNameOf(ref))
}
