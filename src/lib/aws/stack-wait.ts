/**
 * Waiting for a CloudFormation stack operation: poll DescribeStacks until the status stops ending in `_IN_PROGRESS`,
 * print new stack events as they appear, and turn a failed end state into an ecsx error naming the failed resources
 * (exit 1; a rolled-back update exit 4; running past the timeout exit 3).
 */
import type {CloudFormationClient, Stack, StackEvent} from '@aws-sdk/client-cloudformation'

import {OperationError, RolledBackError, WaitTimeoutError} from '../errors.js'
import type {ProgressReporter, Ui} from '../ui/types.js'
import {awsErrorName, type PollDeps} from './sdk-config.js'

/** A CloudFormation client with its (lazily imported) SDK module. */
export interface CfnHandle {
  cfn: CloudFormationClient
  cfnSdk: typeof import('@aws-sdk/client-cloudformation')
}

export const POLL_INTERVAL_MS = 10_000

export function isMissingStack(err: unknown): boolean {
  return awsErrorName(err) === 'ValidationError' && /does not exist/i.test((err as Error).message ?? '')
}

export async function describeStack(c: CfnHandle, nameOrId: string): Promise<Stack | undefined> {
  try {
    const out = await c.cfn.send(new c.cfnSdk.DescribeStacksCommand({StackName: nameOrId}))
    const stack = out.Stacks?.[0]
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined
    return stack
  } catch (err) {
    if (isMissingStack(err)) return undefined
    throw err
  }
}

export async function recentEvents(c: CfnHandle, stackId: string): Promise<StackEvent[]> {
  const out = await c.cfn.send(new c.cfnSdk.DescribeStackEventsCommand({StackName: stackId}))
  return out.StackEvents ?? []
}

export function outputsOf(stack: Stack): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const o of stack.Outputs ?? [])
    if (o.OutputKey && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue
  return outputs
}

export function formatEvent(e: StackEvent): string {
  const reason = e.ResourceStatusReason ? `: ${e.ResourceStatusReason}` : ''
  return `${e.LogicalResourceId ?? '?'} (${e.ResourceType ?? '?'}) ${e.ResourceStatus ?? '?'}${reason}`
}

export type StackOperation = 'CREATE' | 'UPDATE' | 'DELETE'

export interface WaitContext {
  ui: Ui
  deps: PollDeps
  timeoutMs: number
  /** Event ids that predate this operation (not printed, not blamed). */
  seenEvents: Set<string>
}

/**
 * Poll the stack until its status stops ending in `_IN_PROGRESS`, printing new stack events as they appear.
 * Resolves with the final stack on success (undefined once deleted); throws with the failed events otherwise.
 */
export async function waitForStack(
  c: CfnHandle,
  stackId: string,
  stackName: string,
  op: StackOperation,
  ctx: WaitContext,
): Promise<Stack | undefined> {
  const verb = {CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted'}[op]
  const progress: ProgressReporter = ctx.ui.progress(`Waiting for your cluster resources to be ${verb}`)
  const started = ctx.deps.now()
  const operationEvents: StackEvent[] = []
  let finished = false
  try {
    for (;;) {
      const stack = await describeStack(c, stackId)
      const events = (await recentEvents(c, stackId))
        .filter((e) => e.EventId && !ctx.seenEvents.has(e.EventId))
        .reverse()
      for (const e of events) {
        ctx.seenEvents.add(e.EventId as string)
        operationEvents.push(e)
        progress.event(formatEvent(e))
      }
      if (!stack) {
        if (op === 'DELETE') {
          finished = true
          progress.done(`CloudFormation stack ${stackName} deleted.`)
          return undefined
        }
        throw new OperationError(`CloudFormation stack ${stackName} disappeared while it was being ${verb}.`)
      }
      const status = stack.StackStatus ?? 'UNKNOWN'
      progress.update([`CloudFormation stack status stackStatus=${status}`])
      if (!status.endsWith('_IN_PROGRESS')) {
        finished = true
        if (status === `${op}_COMPLETE`) {
          progress.done(`CloudFormation stack ${stackName}: ${status}`)
          return stack
        }
        progress.done()
        throw stackFailure(stackName, op, status, stack.StackStatusReason, operationEvents)
      }
      if (ctx.deps.now() - started >= ctx.timeoutMs) {
        throw new WaitTimeoutError(
          `Timed out after ${Math.round(ctx.timeoutMs / 1000)} s waiting for CloudFormation stack ${stackName} (status ${status}).`,
          'The stack operation goes on in AWS; follow it in the CloudFormation console or run the command again later.',
        )
      }
      await ctx.deps.sleep(POLL_INTERVAL_MS)
    }
  } finally {
    if (!finished) progress.done()
  }
}

export function stackFailure(
  stackName: string,
  op: StackOperation,
  status: string,
  reason: string | undefined,
  events: StackEvent[],
): Error {
  const failed = events.filter(
    (e) =>
      e.ResourceStatus?.endsWith('_FAILED') && e.ResourceStatusReason && !/cancelled/i.test(e.ResourceStatusReason),
  )
  const lines = [`CloudFormation stack ${stackName} ended in ${status}${reason ? ` (${reason})` : ''}.`]
  if (failed.length > 0) lines.push('Failed resources:', ...failed.map((e) => `  ${formatEvent(e)}`))
  const text = lines.join('\n')
  if (op === 'CREATE') {
    return new OperationError(
      text,
      'Fix the cause above, then run `ecsx up --force` to delete the failed stack and create it again.',
    )
  }
  if (op === 'UPDATE') {
    if (status === 'UPDATE_ROLLBACK_COMPLETE')
      return new RolledBackError(text, 'CloudFormation rolled the stack back to its previous size.')
    return new OperationError(text, 'Inspect the stack in the CloudFormation console.')
  }
  return new OperationError(
    text,
    'Remove the resources CloudFormation could not delete by hand, then run `ecsx down` again.',
  )
}
