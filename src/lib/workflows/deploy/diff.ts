/**
 * A readable unified diff between the task definition a service runs and the one about to be deployed, over their
 * canonical JSON (normalize.ts). Coloured through the UI's style helpers, which are the identity without colour.
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'
import {structuredPatch} from 'diff'

import type {Ui} from '../../ui/types.js'
import {canonicalText} from './normalize.js'

export interface DiffLabels {
  /** e.g. "web:3 (running)" */
  before: string
  /** e.g. "web (new)" */
  after: string
}

/** Unified diff lines (3 lines of context); empty when the definitions are equivalent. */
export function taskDefinitionDiff(
  before: RegisterTaskDefinitionCommandInput,
  after: RegisterTaskDefinitionCommandInput,
  labels: DiffLabels,
): string[] {
  const a = canonicalText(before)
  const b = canonicalText(after)
  if (a === b) return []
  const patch = structuredPatch(labels.before, labels.after, a, b, undefined, undefined, {context: 3})
  const lines = [`--- ${labels.before}`, `+++ ${labels.after}`]
  for (const h of patch.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`)
    for (const l of h.lines) if (!l.startsWith('\\')) lines.push(l)
  }
  return lines
}

/** Colour a diff for a terminal: removals red, additions green, hunk headers dim. */
export function colorDiff(lines: string[], style: Ui['style']): string[] {
  return lines.map((l) => {
    if (l.startsWith('---') || l.startsWith('+++')) return style.bold(l)
    if (l.startsWith('@@')) return style.dim(l)
    if (l.startsWith('-')) return style.red(l)
    if (l.startsWith('+')) return style.green(l)
    return l
  })
}
