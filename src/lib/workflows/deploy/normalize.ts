/**
 * Task definitions in a canonical, comparable and readable form:
 *   - `toRegisterInput`: a registered TaskDefinition → the RegisterTaskDefinition request that would recreate it
 *     (read-only fields ECS fills in are dropped: ARN, revision, status, compatibilities, requiresAttributes,
 *     registeredAt/By, deregisteredAt);
 *   - `canonical`: the comparable form register.ts uses (ECS defaults filled or dropped the same way on both sides,
 *     environment/secrets/containers sorted by name, keys sorted), so a request and the revision registered from it
 *     compare equal and diff cleanly.
 */
import type {RegisterTaskDefinitionCommandInput, TaskDefinition} from '@aws-sdk/client-ecs'

import {normaliseTaskDefinition} from '../register.js'

const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'compatibilities',
  'requiresAttributes',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const

export function toRegisterInput(
  td: TaskDefinition,
  tags?: RegisterTaskDefinitionCommandInput['tags'],
): RegisterTaskDefinitionCommandInput {
  const copy: Record<string, unknown> = structuredClone(td) as Record<string, unknown>
  for (const f of READ_ONLY_FIELDS) delete copy[f]
  const input = copy as unknown as RegisterTaskDefinitionCommandInput
  if (tags && tags.length > 0) input.tags = tags
  return input
}

/**
 * The canonical form of a RegisterTaskDefinition request: the same normalisation `registerTaskDefinition` uses to
 * decide reuse (src/lib/workflows/register.ts), without tags — so "no diff" here means "nothing to register" there.
 */
export function canonical(input: RegisterTaskDefinitionCommandInput): unknown {
  return normaliseTaskDefinition({...input, tags: undefined}) ?? {}
}

/** Canonical JSON text, two-space indented: what the diff compares line by line. */
export function canonicalText(input: RegisterTaskDefinitionCommandInput): string {
  return JSON.stringify(canonical(input), null, 2) + '\n'
}

export function sameDefinition(a: RegisterTaskDefinitionCommandInput, b: RegisterTaskDefinitionCommandInput): boolean {
  return canonicalText(a) === canonicalText(b)
}
