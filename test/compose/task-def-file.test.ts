import {describe, expect, it} from '@jest/globals'
import * as path from 'node:path'

import {ComposeError, loadTaskDefinitionFile} from '../../src/compose/index.js'
import {writeProject} from './helpers.js'

const td = {
  family: 'web',
  networkMode: 'bridge',
  containerDefinitions: [{name: 'web', image: 'nginx', memory: 128, essential: true}],
}

async function load(text: string): Promise<unknown> {
  const dir = writeProject({'td.json': text})
  return loadTaskDefinitionFile(path.join(dir, 'td.json'))
}

async function loadError(text: string): Promise<ComposeError> {
  try {
    await load(text)
  } catch (error) {
    if (error instanceof ComposeError) return error
    throw error
  }
  throw new Error('expected a ComposeError')
}

describe('loadTaskDefinitionFile', () => {
  it('accepts the bare register-task-definition input', async () => {
    expect(await load(JSON.stringify(td))).toEqual(td)
  })

  it('accepts DescribeTaskDefinition output and strips the read-only fields, keeping tags', async () => {
    const described = {
      taskDefinition: {
        ...td,
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
        revision: 3,
        status: 'ACTIVE',
        requiresAttributes: [{name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18'}],
        compatibilities: ['EC2'],
        registeredAt: '2026-11-25T00:00:00Z',
        registeredBy: 'arn:aws:iam::000000000000:root',
      },
      tags: [{key: 'team', value: 'a'}],
    }
    expect(await load(JSON.stringify(described, null, 2))).toEqual({...td, tags: [{key: 'team', value: 'a'}]})
  })

  it('reports JSON syntax errors with file:line:column', async () => {
    const e = await loadError('{\n  "family": "web",\n  "containerDefinitions": [\n    {"name": "web",}\n  ]\n}\n')
    expect(e.line).toBe(4)
    expect(e.column).toBe(20)
    expect(e.message).toMatch(/td\.json:4:20: invalid JSON/)
    expect(e.exitCode).toBe(2)
    const end = await loadError('{"family": "web"')
    expect(end.message).toMatch(/td\.json:1:\d+: invalid JSON/)
  })

  it('rejects files without family or containers, and non-objects', async () => {
    expect((await loadError('{"containerDefinitions": [{}]}')).message).toMatch(/family/)
    expect((await loadError('{"family": "x"}')).message).toMatch(/containerDefinitions/)
    expect((await loadError('[1]')).message).toMatch(/JSON object/)
    await expect(loadTaskDefinitionFile('/nonexistent/td.json')).rejects.toThrow(/no such file/)
  })
})
