/** An in-process local backend (manual clock) with a cluster of simulated instances, for the workflow tests. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import type {TranslationResult} from '../../../src/compose/types.js'
import {createLocalBackend} from '../../../src/lib/backend/local.js'
import type {ResolvedSettings} from '../../../src/lib/config/types.js'
import type {Backend} from '../../../src/lib/ecs/backend.js'
import {registerSimulatedInstances} from '../../../src/lib/infra/local/instances.js'

export interface LocalCluster {
  backend: Backend
  cluster: string
  /** Settings that point at this cluster on the local backend. */
  settings: ResolvedSettings
  cleanup(): Promise<void>
}

export async function localCluster(
  instances: number,
  instanceType = 't2.medium',
  cluster = 'test',
): Promise<LocalCluster> {
  const home = mkdtempSync(join(tmpdir(), 'ecsx-workflow-'))
  const backend = await createLocalBackend({home, clock: 'manual', env: {}})
  await backend.createCluster({clusterName: cluster})
  if (instances > 0)
    await registerSimulatedInstances(backend, cluster, {
      count: instances,
      instanceType,
      zones: ['us-east-1a', 'us-east-1b'],
      region: 'us-east-1',
    })
  return {
    backend,
    cluster,
    settings: {
      backend: 'local',
      home,
      cluster,
      region: 'us-east-1',
      composeServiceNamePrefix: '',
      composeProjectNamePrefix: '',
      cfnStackName: `amazon-ecs-cli-setup-${cluster}`,
      credentials: {source: 'default-chain'},
      verbose: false,
    },
    async cleanup() {
      await backend.close()
      rmSync(home, {recursive: true, force: true})
    },
  }
}

export function translation(
  taskDefinition: RegisterTaskDefinitionCommandInput,
  extra: Partial<TranslationResult> = {},
): TranslationResult {
  return {
    projectName: taskDefinition.family ?? 'shop',
    files: [],
    taskDefinition,
    run: {},
    service: {},
    warnings: [],
    ...extra,
  }
}

export const webAndWorker = (image = 'nginx:1.25', hostPort?: number): RegisterTaskDefinitionCommandInput => ({
  family: 'shop',
  containerDefinitions: [
    {name: 'web', image, memory: 128, portMappings: [{containerPort: 80, hostPort}]},
    {name: 'worker', image: 'busybox', memory: 64, command: ['sleep', '3600']},
  ],
})
