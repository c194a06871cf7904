/** Set-up shared by the engine-runtime tests (tasks, services, reconcile, deployments, faults, spec examples). */
import type {ContainerDefinition, RegisterTaskDefinitionCommandInput, Service, Task} from '@aws-sdk/client-ecs'

import type {Engine} from '../../../src/lib/engine/engine.js'
import {identity, openTestEngine, type TestEngine} from './engine-helpers.js'

export {caught} from './engine-helpers.js'

export interface Rig extends TestEngine {
  cluster: string
  /** Register an instance of `type` in `az` (default t2.micro / us-east-1a); returns its ARN. */
  addInstance(type?: string, az?: string): string
  register(
    family: string,
    containers: ContainerDefinition[],
    extra?: Partial<RegisterTaskDefinitionCommandInput>,
  ): string
  describeService(name: string): Service
  tasks(desiredStatus?: 'RUNNING' | 'STOPPED', filter?: {serviceName?: string; containerInstance?: string}): Task[]
  advance(ms: number): void
  e(): Engine
}

export function openRig(cluster = 'dev', env: NodeJS.ProcessEnv = {}): Rig {
  const t = openTestEngine({env})
  t.engine.callSync('createCluster', {clusterName: cluster})
  const rig: Rig = {
    ...t,
    cluster,
    e: () => t.engine,
    addInstance(type = 't2.micro', az = 'us-east-1a') {
      return t.engine.callSync('registerContainerInstance', {cluster, instanceIdentityDocument: identity(type, az)})
        .containerInstance!.containerInstanceArn!
    },
    register(family, containers, extra = {}) {
      return t.engine.callSync('registerTaskDefinition', {family, containerDefinitions: containers, ...extra})
        .taskDefinition!.taskDefinitionArn!
    },
    describeService(name) {
      return t.engine.callSync('describeServices', {cluster, services: [name]}).services![0]
    },
    tasks(desiredStatus = 'RUNNING', filter = {}) {
      const arns = t.engine.callSync('listTasks', {cluster, desiredStatus, ...filter}).taskArns ?? []
      if (arns.length === 0) return []
      const out: Task[] = []
      for (let i = 0; i < arns.length; i += 100)
        out.push(...(t.engine.callSync('describeTasks', {cluster, tasks: arns.slice(i, i + 100)}).tasks ?? []))
      return out
    },
    advance(ms) {
      t.engine.advance(ms)
    },
  }
  return rig
}

/** A simple container: 128 MiB reserved, no ports. */
export function container(name: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {name, image: 'busybox', memory: 128, essential: true, ...extra}
}

export const idOf = (arn: string | undefined): string => (arn ?? '').slice((arn ?? '').lastIndexOf('/') + 1)
