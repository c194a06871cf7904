/**
 * The corpus: realistic multi-service projects under test/fixtures/compose/<name>/, each with the request ECS gets
 * (expected.json: taskDefinition, run, service, warnings) written down and checked by hand against the rules in
 * docs/compose-mapping.md. Optional options.json: {files, projectName, ecsParamsFile, env, launchType, tags}.
 * "<dir>" in expected.json stands for the fixture's absolute directory.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import * as path from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from '@jest/globals'

import {buildProject} from '../../src/compose/index.js'
import type {LaunchType} from '../../src/compose/types.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/compose')
const fixtures = readdirSync(root, {withFileTypes: true})
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

interface Options {
  files?: string[]
  projectName?: string
  ecsParamsFile?: string
  env?: Record<string, string>
  launchType?: LaunchType
  tags?: {key: string; value: string}[]
}

export async function translateFixture(name: string) {
  const dir = path.join(root, name)
  const optionsFile = path.join(dir, 'options.json')
  const options: Options = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {}
  const result = await buildProject(
    {
      files: options.files ?? [],
      cwd: dir,
      projectName: options.projectName,
      ecsParamsFile: options.ecsParamsFile,
      env: options.env ?? {},
    },
    {launchType: options.launchType, tags: options.tags},
  )
  const actual = {
    taskDefinition: result.taskDefinition,
    run: result.run,
    service: result.service,
    warnings: result.warnings,
  }
  return JSON.parse(JSON.stringify(actual).replaceAll(JSON.stringify(dir).slice(1, -1), '<dir>'))
}

describe('compose corpus', () => {
  it('has at least 25 projects', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25)
  })

  it.each(fixtures)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(path.join(root, name, 'expected.json'), 'utf8'))
    const actual = await translateFixture(name)
    expect(actual).toEqual(expected)
    // every request must survive a JSON round trip unchanged (what --cli-input-json gets)
    expect(JSON.parse(JSON.stringify(actual.taskDefinition))).toEqual(actual.taskDefinition)
  })
})
