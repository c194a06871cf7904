import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import * as path from 'node:path'

import {buildProject} from '../../src/compose/index.js'
import {ComposeError} from '../../src/compose/errors.js'
import type {ComposeLoadOptions, TranslateOptions, TranslationResult} from '../../src/compose/types.js'

/** Write files into a fresh temp dir (keys are relative paths) and return the dir. */
export function writeProject(files: Record<string, string>, name = 'proj'): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ecsx-compose-'))
  const dir = path.join(root, name)
  mkdirSync(dir, {recursive: true})
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel)
    mkdirSync(path.dirname(abs), {recursive: true})
    writeFileSync(abs, text)
  }
  return dir
}

export async function build(
  files: Record<string, string>,
  opts: {
    load?: Partial<ComposeLoadOptions>
    translate?: TranslateOptions
    env?: Record<string, string | undefined>
  } = {},
): Promise<TranslationResult> {
  const dir = writeProject(files)
  return buildProject({files: [], cwd: dir, env: opts.env ?? {}, ...opts.load}, opts.translate ?? {})
}

/** The first container of a one-service compose file. */
export async function container(service: string, opts: Parameters<typeof build>[1] = {}, extra = '') {
  const r = await build({'docker-compose.yml': `services:\n  web:\n${indent(service, 4)}\n${extra}`}, opts)
  return r.taskDefinition.containerDefinitions![0]
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n)
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : pad + l))
    .join('\n')
}

/** Run and return the ComposeError (fails the test when none is thrown). */
export async function buildError(
  files: Record<string, string>,
  opts: Parameters<typeof build>[1] = {},
): Promise<ComposeError> {
  try {
    await build(files, opts)
  } catch (error) {
    if (error instanceof ComposeError) return error
    throw error
  }
  throw new Error('expected a ComposeError, but the build succeeded')
}

export async function containerError(
  service: string,
  opts: Parameters<typeof build>[1] = {},
  extra = '',
): Promise<ComposeError> {
  return buildError({'docker-compose.yml': `services:\n  web:\n${indent(service, 4)}\n${extra}`}, opts)
}
