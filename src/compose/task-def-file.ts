/**
 * `register --task-def-file x.json`: a RegisterTaskDefinition request as JSON, either bare (what
 * `aws ecs register-task-definition --cli-input-json` takes) or as DescribeTaskDefinition prints it
 * (`{"taskDefinition": {…}, "tags": […]}`). Read-only fields that ECS fills in are stripped.
 */
import {readFile} from 'node:fs/promises'
import * as path from 'node:path'

import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {ComposeError} from './errors.js'

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const

export async function loadTaskDefinitionFile(file: string): Promise<RegisterTaskDefinitionCommandInput> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ComposeError(
      `cannot read the task definition file: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      {file},
    )
  }
  const value = parseJson(text, file)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ComposeError('a task definition file must hold a JSON object (the RegisterTaskDefinition request)', {
      file,
      line: 1,
      column: 1,
    })
  }
  let obj = value as Record<string, unknown>
  let tags: unknown
  if (obj.taskDefinition !== undefined && obj.containerDefinitions === undefined) {
    if (obj.taskDefinition === null || typeof obj.taskDefinition !== 'object' || Array.isArray(obj.taskDefinition)) {
      throw new ComposeError('"taskDefinition" must be an object', {file, key: 'taskDefinition'})
    }
    tags = obj.tags
    obj = obj.taskDefinition as Record<string, unknown>
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) {
    if ((READ_ONLY_TASK_DEFINITION_FIELDS as readonly string[]).includes(k)) continue
    out[k] = v
  }
  if (tags !== undefined && out.tags === undefined && Array.isArray(tags) && tags.length > 0) out.tags = tags
  if (typeof out.family !== 'string' || out.family === '') {
    throw new ComposeError('the task definition has no "family"', {
      file,
      key: 'family',
      hint: `Add "family": "<name>" to ${path.basename(file)}.`,
    })
  }
  if (!Array.isArray(out.containerDefinitions) || out.containerDefinitions.length === 0) {
    throw new ComposeError('the task definition has no "containerDefinitions" (a non-empty list)', {
      file,
      key: 'containerDefinitions',
    })
  }
  return out as unknown as RegisterTaskDefinitionCommandInput
}

/** JSON.parse with the error position as file:line:column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const m = /position (\d+)/.exec(message)
    const offset = m ? Number(m[1]) : /end of JSON input/.test(message) ? text.length : undefined
    let line: number | undefined
    let column: number | undefined
    if (offset !== undefined) {
      const before = text.slice(0, offset)
      line = before.split('\n').length
      column = offset - before.lastIndexOf('\n')
    }
    const clean = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')
    throw new ComposeError(`invalid JSON: ${clean}`, {file, line, column})
  }
}
