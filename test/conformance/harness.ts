/**
 * The conformance harness: one suite of ECS scenarios, written once against the `Backend` interface, runs against
 *   1. `in-process` — the local backend (`createLocalBackend`) with a manual clock, called directly;
 *   2. `over-http`  — the aws backend (`createAwsBackend`: the real @aws-sdk/client-ecs) → HTTP on 127.0.0.1 →
 *                     `createEcsServer` (src/lib/ecs/server.ts) → a second manual-clock local backend.
 * Scenarios move time with `advance(ms)`; in the HTTP variant that advances the engine behind the server (same
 * process), so both runs are deterministic and nothing sleeps. Errors are compared by `name` and `message`, which
 * both paths must preserve.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import type {Backend, EngineControls} from '../../src/lib/ecs/backend.js'
import type {ResolvedSettings} from '../../src/lib/config/types.js'

// Node 20: the SDK's one-time NodeVersionSupportWarning is noise here (bin/run.js silences it the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

export interface BackendUnderTest {
  readonly variant: Variant
  /** What the scenarios call. */
  readonly backend: Backend
  /** Move the engine clock forward and reconcile. */
  advance(ms: number): Promise<void>
  /** Fault injection on the engine behind `backend` (kill an instance, fail a task). */
  readonly controls: EngineControls
  close(): Promise<void>
}

export type Variant = 'in-process' | 'over-http'
export const VARIANTS: Variant[] = ['in-process', 'over-http']

function settingsFor(home: string, over: Partial<ResolvedSettings> = {}): ResolvedSettings {
  return {
    backend: 'local',
    home,
    cluster: 'default',
    region: 'us-east-1',
    composeServiceNamePrefix: '',
    composeProjectNamePrefix: '',
    cfnStackName: 'amazon-ecs-cli-setup-default',
    credentials: {source: 'default-chain'},
    verbose: false,
    ...over,
  }
}

async function openLocalEngine(): Promise<{backend: Backend; controls: EngineControls; close(): Promise<void>}> {
  const home = mkdtempSync(path.join(tmpdir(), 'ecsx-conformance-'))
  const {createLocalBackend} = await import('../../src/lib/backend/local.js')
  const backend = await createLocalBackend({home, region: 'us-east-1', clock: 'manual', env: {}})
  const controls = backend.engine
  if (!controls) throw new Error('the local backend exposes no engine controls')
  return {
    backend,
    controls,
    async close() {
      await backend.close()
      rmSync(home, {recursive: true, force: true})
    },
  }
}

export async function openBackendUnderTest(variant: Variant): Promise<BackendUnderTest> {
  const local = await openLocalEngine()
  const advance = async (ms: number) => {
    await local.controls.advance(ms)
  }
  if (variant === 'in-process') {
    return {variant, backend: local.backend, controls: local.controls, advance, close: local.close}
  }
  const {createEcsServer} = await import('../../src/lib/ecs/server.js')
  const {createAwsBackend} = await import('../../src/lib/backend/aws.js')
  const server = createEcsServer(local.backend, {wire: local.backend.wire})
  const {url} = await server.listen(0, '127.0.0.1')
  const backend = await createAwsBackend(
    settingsFor(tmpdir(), {
      backend: 'aws',
      endpointUrl: url,
      credentials: {source: 'env', accessKeyId: 'AKIDCONFORMANCE1', secretAccessKey: 'conformance-secret'},
    }),
    undefined,
    {maxAttempts: 1},
  )
  return {
    variant,
    backend,
    controls: local.controls,
    advance,
    async close() {
      await backend.close()
      await server.close()
      await local.close()
    },
  }
}
