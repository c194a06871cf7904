/**
 * Garbage in, ECS errors out: random JSON inputs for every operation, sent over the wire to a real engine behind
 * engine serve. Whatever the input, the server answers one well-formed JSON 1.1 response (200, or 400 with an ECS
 * client exception naming the problem), never crashes, and the engine stays usable afterwards.
 * More runs: ECSX_FUZZ_RUNS=5000 (a failure prints the fast-check seed and path to replay it).
 */
import http from 'node:http'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {createLocalBackend} from '../../src/lib/backend/local.js'
import {ECS_OPERATION_NAMES, ECS_OPERATIONS} from '../../src/lib/ecs/operations.js'
import type {Backend} from '../../src/lib/ecs/backend.js'
import {createEcsServer, type EcsHttpServer} from '../../src/lib/ecs/server.js'
import {registerInstance, sleepDef} from './fixtures.js'

function post(url: string, op: string, body: string): Promise<{status: number; json: Record<string, unknown>}> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'x-amz-target': `AmazonEC2ContainerServiceV20141113.${op}`,
          'content-type': 'application/x-amz-json-1.1',
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('fuzzing the engine through the wire', () => {
  let home: string
  let backend: Backend
  let server: EcsHttpServer
  let url: string
  const serverErrors: string[] = []

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'ecsx-fuzz-'))
    backend = await createLocalBackend({home, region: 'us-east-1', clock: 'manual', env: {}})
    await backend.createCluster({clusterName: 'default'})
    await registerInstance(backend, 'default', {instanceId: 'i-000000000000f022'})
    await backend.registerTaskDefinition(sleepDef())
    server = createEcsServer(backend, {wire: backend.wire})
    url = (await server.listen(0, '127.0.0.1')).url
  })
  afterAll(async () => {
    await server?.close()
    await backend?.close()
    rmSync(home, {recursive: true, force: true})
  })

  // Values that look like ECS inputs: known field names with values of the wrong (or right) types.
  const fieldNames = fc.constantFrom(
    'cluster',
    'clusters',
    'clusterName',
    'taskDefinition',
    'family',
    'count',
    'containerDefinitions',
    'service',
    'services',
    'serviceName',
    'desiredCount',
    'tasks',
    'task',
    'containerInstance',
    'containerInstances',
    'status',
    'filter',
    'maxResults',
    'nextToken',
    'attributes',
    'tags',
    'tagKeys',
    'resourceArn',
    'placementStrategy',
    'placementConstraints',
    'force',
    'include',
    'instanceIdentityDocument',
    'totalResources',
    'deploymentConfiguration',
    'overrides',
    'startedBy',
    'group',
    'desiredStatus',
  )
  const input = fc.dictionary(fieldNames, fc.jsonValue({maxDepth: 3}), {maxKeys: 5})
  const operation = fc.constantFrom(...ECS_OPERATION_NAMES.map((m) => ECS_OPERATIONS[m]))

  it('answers every operation with a 200 or an ECS exception, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(operation, input, async (op, body) => {
        const r = await post(url, op, JSON.stringify(body))
        expect([200, 400, 500]).toContain(r.status)
        if (r.status !== 200) {
          expect(r.json.__type).toMatch(/^[A-Z][A-Za-z]+Exception$/)
          expect(typeof r.json.message).toBe('string')
        }
        if (r.status === 500) serverErrors.push(`${op} ${JSON.stringify(body)} → ${String(r.json.message)}`)
      }),
      {numRuns: Number(process.env.ECSX_FUZZ_RUNS ?? 400)},
    )
    // the engine is still consistent and usable
    const run = await backend.runTask({cluster: 'default', taskDefinition: 'sleep360'})
    expect(run.tasks!.length + run.failures!.length).toBe(1)
  })

  it('rejects malformed input as a client error (400), not a server error', () => {
    expect(serverErrors.slice(0, 5)).toEqual([])
  })
})
