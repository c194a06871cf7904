/**
 * `ecsx deploy`: roll a service to a new task definition revision.
 *
 *   1. describe the service and the task definition it runs;
 *   2. build the new request (from the compose project, or by patching the current definition);
 *   3. show a unified diff; nothing changed → "nothing to deploy" (exit 0); `--diff-only` stops here;
 *   4. confirm (unless --yes; without a TTY that is exit 2 naming --yes);
 *   5. register (reusing an identical ACTIVE revision) and UpdateService;
 *   6. wait until deployed/stable with progress (the failed-deployment rule of wait/deployment-failure.ts applies);
 *   7. on failure or timeout with --rollback: UpdateService back to the previous revision, wait, exit 4 — or exit 1
 *      when the rollback fails too (its UpdateService is refused, it fails, or it times out).
 */
import type {RegisterTaskDefinitionCommandInput, Service, TaskDefinition} from '@aws-sdk/client-ecs'

import type {Backend} from '../../ecs/backend.js'
import {OperationError, RolledBackError, WaitTimeoutError} from '../../errors.js'
import type {Ui} from '../../ui/types.js'
import {ServiceWaitFailedError, describeService, waitForService} from '../wait/service.js'
import {shortTaskDefinition, type WaitUntil} from '../wait/service-state.js'
import {backendNow} from '../wait/timing.js'
import {colorDiff, taskDefinitionDiff} from './diff.js'
import {toRegisterInput} from './normalize.js'

export type RegisterFn = (
  backend: Backend,
  input: RegisterTaskDefinitionCommandInput,
) => Promise<{taskDefinition: TaskDefinition; reused: boolean}>

export interface DeployOptions {
  cluster: string
  service: string
  /** Build the request to deploy from the current one (already stripped of read-only fields). */
  next: (current: RegisterTaskDefinitionCommandInput) => RegisterTaskDefinitionCommandInput
  diffOnly: boolean
  yes: boolean
  until: WaitUntil
  /** 0 = do not wait. */
  timeoutMs: number
  rollback: boolean
  /** How long the new deployment must stay stable/deployed before it counts as done (ms). Default DEPLOY_SETTLE_MS. */
  settleMs?: number
  pollMs?: number
}

/** A release that crashes shortly after starting must not count as deployed: the target state must hold 10 s. */
export const DEPLOY_SETTLE_MS = 10_000

export interface DeployResult {
  outcome: 'deployed' | 'unchanged' | 'diff-only' | 'updated-no-wait'
  service: Service
  diff: string[]
  /** The request that was (or, with --diff-only, would be) registered. */
  request: RegisterTaskDefinitionCommandInput
  taskDefinition?: TaskDefinition
  reused?: boolean
}

export async function deploy(
  backend: Backend,
  ui: Ui,
  register: RegisterFn,
  options: DeployOptions,
): Promise<DeployResult> {
  const service = await describeService(backend, options.cluster, options.service)
  if (service.status !== 'ACTIVE') {
    throw new OperationError(
      `Service ${options.service} is ${service.status} in cluster ${options.cluster}; there is nothing to deploy to.`,
      'Create it with `ecsx compose service up`.',
    )
  }
  const previousArn = service.taskDefinition
  if (!previousArn) throw new OperationError(`Service ${options.service} has no task definition.`)
  const described = await backend.describeTaskDefinition({taskDefinition: previousArn, include: ['TAGS']})
  if (!described.taskDefinition) throw new OperationError(`Task definition ${previousArn} could not be described.`)
  // the current tags travel with a patched revision
  const current = toRegisterInput(described.taskDefinition, described.tags)
  const request = options.next(structuredClone(current))

  const previous = shortTaskDefinition(previousArn)
  const diff = taskDefinitionDiff(current, request, {before: `${previous} (running)`, after: `${request.family} (new)`})
  if (diff.length === 0) {
    ui.info(`Nothing to deploy: service ${options.service} already runs ${previous} with this definition.`)
    return {outcome: 'unchanged', service, diff, request}
  }
  for (const line of ui.color ? colorDiff(diff, ui.style) : diff) ui.out(line)
  if (options.diffOnly) return {outcome: 'diff-only', service, diff, request}

  if (!options.yes) {
    const ok = await ui.confirm(
      `Deploy this change to service ${options.service} in cluster ${options.cluster}?`,
      '--yes',
    )
    if (!ok) throw new OperationError('Deployment cancelled; nothing was changed.')
  }

  const {taskDefinition, reused} = await register(backend, request)
  const next = shortTaskDefinition(taskDefinition.taskDefinitionArn)
  ui.info(`Using ECS task definition ${next}${reused ? ' (reused)' : ''}`)
  if (taskDefinition.taskDefinitionArn === previousArn) {
    ui.info(`Nothing to deploy: service ${options.service} already runs ${next}.`)
    return {outcome: 'unchanged', service, diff, request, taskDefinition, reused}
  }

  const since = await backendNow(backend)
  const updated = await backend.updateService({
    cluster: options.cluster,
    service: options.service,
    taskDefinition: taskDefinition.taskDefinitionArn,
  })
  ui.info(`Updated service ${options.service}: ${previous} -> ${next}`)
  if (options.timeoutMs <= 0)
    return {outcome: 'updated-no-wait', service: updated.service ?? service, diff, request, taskDefinition, reused}

  try {
    const done = await waitForService(backend, ui, {
      cluster: options.cluster,
      service: options.service,
      timeoutMs: options.timeoutMs,
      until: options.until,
      failFastOnUnplaceable: true,
      detectFailedDeployment: true,
      since,
      knownEvents: service.events ?? [],
      settleMs: options.settleMs ?? DEPLOY_SETTLE_MS,
      pollMs: options.pollMs,
    })
    return {outcome: 'deployed', service: done, diff, request, taskDefinition, reused}
  } catch (error) {
    if (!options.rollback || !(error instanceof ServiceWaitFailedError || error instanceof WaitTimeoutError))
      throw error
    const what = (error as Error).message.replace(/\.?$/, '.')
    ui.warn(`${what}`)
    ui.warn(`Rolling back service ${options.service} to ${previous}.`)
    await rollBack(backend, ui, options, {previous, previousArn, next, what})
    throw new RolledBackError(`${what} Rolled back service ${options.service} to ${previous}.`)
  }
}

/** --rollback: UpdateService back to the previous revision and wait until stable; exit 1 when that fails too. */
async function rollBack(
  backend: Backend,
  ui: Ui,
  options: DeployOptions,
  r: {previous: string; previousArn: string | undefined; next: string; what: string},
): Promise<void> {
  const {previous, previousArn, next, what} = r
  try {
    const rollbackSince = await backendNow(backend)
    const beforeRollback = await describeService(backend, options.cluster, options.service)
    await backend.updateService({cluster: options.cluster, service: options.service, taskDefinition: previousArn})
    await waitForService(backend, ui, {
      cluster: options.cluster,
      service: options.service,
      timeoutMs: options.timeoutMs,
      until: 'stable',
      failFastOnUnplaceable: true,
      since: rollbackSince,
      knownEvents: beforeRollback.events ?? [],
      pollMs: options.pollMs,
    })
  } catch (rollbackError) {
    // exit 1 (README "Exit codes"): not rolled back (4), and no longer only a timeout (3)
    throw new OperationError(
      `${what} Rolling back to ${previous} failed too: ${(rollbackError as Error).message}`,
      `Service ${options.service} may still run ${next}, or a mix of ${next} and ${previous}: look at ` +
        '`ecsx compose service ps` and the service events, then deploy a working revision ' +
        `(for example \`ecsx deploy --service ${options.service}\` with the previous image).`,
    )
  }
}
