/**
 * The local backend: every ECS operation runs in the in-process engine (src/lib/engine), persisted in SQLite
 * under ECSX_HOME. One engine call = one transaction; results are copies without engine-private fields.
 * Imports nothing from commands or UI.
 */
import type * as ecs from '@aws-sdk/client-ecs'

import type {ClockMode} from '../engine/clock.js'
import type {Engine} from '../engine/engine.js'
import {EngineError} from '../engine/errors.js'
import {InputError, OperationError} from '../errors.js'
import type {Backend, EcsOperationName, EcsOperations, EngineControls, WireCapability} from '../ecs/backend.js'

export interface LocalBackendOptions {
  /** ECSX_HOME. */
  home: string
  /** Region for ARNs (default us-east-1). */
  region?: string
  /** Engine clock (default: ECSX_ENGINE_CLOCK, else the persisted mode, else wall). */
  clock?: ClockMode
  /** Environment for ECSX_ENGINE_* settings (default process.env). */
  env?: NodeJS.ProcessEnv
}

type Call = <K extends EcsOperationName>(op: K, input: Parameters<EcsOperations[K]>[0]) => ReturnType<EcsOperations[K]>

export async function createLocalBackend(options: LocalBackendOptions): Promise<Backend> {
  const {openEngine} = await import('../engine/engine.js')
  const engine = asCliErrors(() =>
    openEngine({home: options.home, region: options.region, clock: options.clock, env: options.env}),
  )
  return new LocalBackend(engine)
}

/**
 * Run `fn`, turning the engine's own failures into the CLI's errors: a bad setting is bad input (exit 2), a
 * database failure exit 1. ECS API errors pass through unchanged.
 */
function asCliErrors<T>(fn: () => T): T {
  let result: T
  try {
    result = fn()
  } catch (error) {
    throw cliError(error)
  }
  return (result instanceof Promise ? result.catch((error: unknown) => Promise.reject(cliError(error))) : result) as T
}

function cliError(error: unknown): unknown {
  if (!(error instanceof EngineError)) return error
  return error.kind === 'input'
    ? new InputError(error.message, error.hint)
    : new OperationError(error.message, error.hint)
}

class LocalBackend implements Backend {
  readonly kind = 'local' as const
  readonly region: string
  readonly engine: EngineControls
  /** The operation's output as ECS wire JSON (for `engine serve`; see Engine.callWire). */
  readonly wire: WireCapability
  private closed = false
  private readonly call: Call

  constructor(private readonly core: Engine) {
    this.region = core.settings.region
    this.call = (async (op: EcsOperationName, input: unknown) => {
      this.assertOpen()
      return asCliErrors(() => core.call(op, input as never))
    }) as Call
    this.wire = {
      callWire: (operation, input) => {
        this.assertOpen()
        return core.callWire(operation, input as never)
      },
    }
    this.engine = {
      advance: async (ms) => {
        this.assertOpen()
        return core.advance(ms)
      },
      now: async () => {
        this.assertOpen()
        return core.now()
      },
      killInstance: async (cluster, ref) => {
        this.assertOpen()
        const {killInstance} = await import('../engine/runtime/faults.js')
        return core.transaction((_ops, ctx) => killInstance(ctx, cluster, ref))
      },
      failTask: async (cluster, ref, exitCode) => {
        this.assertOpen()
        const {failTask} = await import('../engine/runtime/faults.js')
        return core.transaction((_ops, ctx) => failTask(ctx, cluster, ref, exitCode))
      },
    }
  }

  async sleep(ms: number): Promise<void> {
    this.assertOpen()
    if (this.core.clockMode === 'manual') {
      this.core.advance(ms)
      return
    }
    await new Promise<void>((resolve) => setTimeout(resolve, ms))
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.core.close()
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The local backend is closed.')
  }

  // clusters
  createCluster(input: ecs.CreateClusterCommandInput) {
    return this.call('createCluster', input)
  }
  deleteCluster(input: ecs.DeleteClusterCommandInput) {
    return this.call('deleteCluster', input)
  }
  describeClusters(input: ecs.DescribeClustersCommandInput) {
    return this.call('describeClusters', input)
  }
  listClusters(input: ecs.ListClustersCommandInput) {
    return this.call('listClusters', input)
  }
  // container instances and attributes
  registerContainerInstance(input: ecs.RegisterContainerInstanceCommandInput) {
    return this.call('registerContainerInstance', input)
  }
  deregisterContainerInstance(input: ecs.DeregisterContainerInstanceCommandInput) {
    return this.call('deregisterContainerInstance', input)
  }
  describeContainerInstances(input: ecs.DescribeContainerInstancesCommandInput) {
    return this.call('describeContainerInstances', input)
  }
  listContainerInstances(input: ecs.ListContainerInstancesCommandInput) {
    return this.call('listContainerInstances', input)
  }
  updateContainerInstancesState(input: ecs.UpdateContainerInstancesStateCommandInput) {
    return this.call('updateContainerInstancesState', input)
  }
  putAttributes(input: ecs.PutAttributesCommandInput) {
    return this.call('putAttributes', input)
  }
  deleteAttributes(input: ecs.DeleteAttributesCommandInput) {
    return this.call('deleteAttributes', input)
  }
  listAttributes(input: ecs.ListAttributesCommandInput) {
    return this.call('listAttributes', input)
  }
  // task definitions
  registerTaskDefinition(input: ecs.RegisterTaskDefinitionCommandInput) {
    return this.call('registerTaskDefinition', input)
  }
  deregisterTaskDefinition(input: ecs.DeregisterTaskDefinitionCommandInput) {
    return this.call('deregisterTaskDefinition', input)
  }
  describeTaskDefinition(input: ecs.DescribeTaskDefinitionCommandInput) {
    return this.call('describeTaskDefinition', input)
  }
  listTaskDefinitions(input: ecs.ListTaskDefinitionsCommandInput) {
    return this.call('listTaskDefinitions', input)
  }
  listTaskDefinitionFamilies(input: ecs.ListTaskDefinitionFamiliesCommandInput) {
    return this.call('listTaskDefinitionFamilies', input)
  }
  // tasks
  runTask(input: ecs.RunTaskCommandInput) {
    return this.call('runTask', input)
  }
  startTask(input: ecs.StartTaskCommandInput) {
    return this.call('startTask', input)
  }
  stopTask(input: ecs.StopTaskCommandInput) {
    return this.call('stopTask', input)
  }
  describeTasks(input: ecs.DescribeTasksCommandInput) {
    return this.call('describeTasks', input)
  }
  listTasks(input: ecs.ListTasksCommandInput) {
    return this.call('listTasks', input)
  }
  // services
  createService(input: ecs.CreateServiceCommandInput) {
    return this.call('createService', input)
  }
  updateService(input: ecs.UpdateServiceCommandInput) {
    return this.call('updateService', input)
  }
  deleteService(input: ecs.DeleteServiceCommandInput) {
    return this.call('deleteService', input)
  }
  describeServices(input: ecs.DescribeServicesCommandInput) {
    return this.call('describeServices', input)
  }
  listServices(input: ecs.ListServicesCommandInput) {
    return this.call('listServices', input)
  }
  // tags
  tagResource(input: ecs.TagResourceCommandInput) {
    return this.call('tagResource', input)
  }
  untagResource(input: ecs.UntagResourceCommandInput) {
    return this.call('untagResource', input)
  }
  listTagsForResource(input: ecs.ListTagsForResourceCommandInput) {
    return this.call('listTagsForResource', input)
  }
}
