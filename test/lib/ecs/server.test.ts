import http from 'node:http'

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {ECS_OPERATION_NAMES, ECS_OPERATIONS} from '../../../src/lib/ecs/operations.js'
import type {EcsOperations} from '../../../src/lib/ecs/backend.js'
import {EcsApiError} from '../../../src/lib/engine/errors.js'
import {createEcsServer, isLoopbackHost, toWireJson, type EcsHttpServer} from '../../../src/lib/ecs/server.js'

const T0 = new Date('2026-11-25T01:02:03.456Z')

/** A tiny hand-written ECS: enough operations to exercise the protocol, each recording its input. */
function fakeEcs(calls: Array<{op: string; input: unknown}>): EcsOperations {
  const clusters = new Map<string, {clusterName: string; clusterArn: string; status: string}>()
  const impl: Partial<EcsOperations> = {
    async createCluster(input) {
      calls.push({op: 'createCluster', input})
      const name = input.clusterName ?? 'default'
      const cluster = {
        clusterName: name,
        clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${name}`,
        status: 'ACTIVE',
      }
      clusters.set(name, cluster)
      return {cluster}
    },
    async describeClusters(input) {
      calls.push({op: 'describeClusters', input})
      const names = input.clusters ?? ['default']
      return {
        clusters: names.filter((n) => clusters.has(n)).map((n) => clusters.get(n)!),
        failures: names
          .filter((n) => !clusters.has(n))
          .map((n) => ({arn: `arn:aws:ecs:us-east-1:000000000000:cluster/${n}`, reason: 'MISSING'})),
      }
    },
    async deleteCluster(input) {
      calls.push({op: 'deleteCluster', input})
      throw new EcsApiError('ClusterNotFoundException', 'Cluster not found.')
    },
    async listClusters(input) {
      calls.push({op: 'listClusters', input})
      return {clusterArns: [...clusters.values()].map((c) => c.clusterArn), nextToken: undefined}
    },
    async describeTasks(input) {
      calls.push({op: 'describeTasks', input})
      return {
        tasks: [
          {
            taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/abc',
            createdAt: T0,
            startedAt: new Date(T0.getTime() + 1500),
            containers: [],
          },
        ],
        failures: [],
      }
    },
    async runTask(input) {
      calls.push({op: 'runTask', input})
      throw new EcsApiError('ServerException', 'Engine exploded.')
    },
    async stopTask(input) {
      calls.push({op: 'stopTask', input})
      throw new TypeError('Cannot read properties of undefined')
    },
  }
  return new Proxy(impl as EcsOperations, {
    get(target, prop) {
      const fn = (target as unknown as Record<string | symbol, unknown>)[prop]
      if (fn) return fn
      return async () => {
        throw new EcsApiError('ClientException', `fake: ${String(prop)} not implemented`)
      }
    },
  })
}

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json: Record<string, unknown>
}

function post(url: string, headers: Record<string, string>, body: string, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {method, headers: {...headers, 'content-length': String(Buffer.byteLength(body))}},
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const target = (op: string) => ({
  'x-amz-target': `AmazonEC2ContainerServiceV20141113.${op}`,
  'content-type': 'application/x-amz-json-1.1',
})

describe('ECS JSON 1.1 server', () => {
  const calls: Array<{op: string; input: unknown}> = []
  const logged: string[] = []
  let server: EcsHttpServer
  let url: string

  beforeAll(async () => {
    server = createEcsServer(fakeEcs(calls), {log: (l) => logged.push(l)})
    url = (await server.listen(0, '127.0.0.1')).url
  })
  afterAll(async () => {
    await server.close()
  })

  it('dispatches on X-Amz-Target and answers JSON 1.1 with a request id', async () => {
    const r = await post(url, target('CreateCluster'), JSON.stringify({clusterName: 'web'}))
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/)
    expect(r.json).toEqual({
      cluster: {clusterName: 'web', clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/web', status: 'ACTIVE'},
    })
    expect(calls.at(-1)).toEqual({op: 'createCluster', input: {clusterName: 'web'}})
  })

  it('treats an empty body as {} and omits undefined fields', async () => {
    const r = await post(url, target('ListClusters'), '')
    expect(r.status).toBe(200)
    expect(calls.at(-1)).toEqual({op: 'listClusters', input: {}})
    expect(r.body).not.toContain('nextToken')
  })

  it('encodes timestamps as epoch seconds with milliseconds', async () => {
    const r = await post(url, target('DescribeTasks'), JSON.stringify({tasks: ['abc']}))
    const task = (r.json.tasks as Array<Record<string, unknown>>)[0]
    expect(task.createdAt).toBe(T0.getTime() / 1000)
    expect(task.startedAt).toBe((T0.getTime() + 1500) / 1000)
  })

  it('returns ECS exceptions as 400 with __type and message (and x-amzn-ErrorType)', async () => {
    const r = await post(url, target('DeleteCluster'), JSON.stringify({cluster: 'nope'}))
    expect(r.status).toBe(400)
    expect(r.json).toEqual({__type: 'ClusterNotFoundException', message: 'Cluster not found.'})
    expect(r.headers['x-amzn-errortype']).toBe('ClusterNotFoundException')
    expect(r.headers['x-amzn-requestid']).toBeDefined()
  })

  it('returns ServerException as 500', async () => {
    const r = await post(url, target('RunTask'), JSON.stringify({taskDefinition: 'x'}))
    expect(r.status).toBe(500)
    expect(r.json).toEqual({__type: 'ServerException', message: 'Engine exploded.'})
  })

  it('turns unexpected failures into 500 ServerException', async () => {
    const r = await post(url, target('StopTask'), JSON.stringify({task: 'x'}))
    expect(r.status).toBe(500)
    expect(r.json.__type).toBe('ServerException')
    expect(r.json.message).toBe('Cannot read properties of undefined')
  })

  it('rejects an unknown operation, a foreign target and a missing target with UnknownOperationException', async () => {
    const unknown = await post(url, target('LaunchRockets'), '{}')
    expect(unknown.status).toBe(400)
    expect(unknown.json.__type).toBe('UnknownOperationException')
    expect(unknown.json.message).toContain('LaunchRockets')

    const foreign = await post(url, {'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories'}, '{}')
    expect(foreign.status).toBe(400)
    expect(foreign.json.__type).toBe('UnknownOperationException')

    const missing = await post(url, {'content-type': 'application/x-amz-json-1.1'}, '{}')
    expect(missing.status).toBe(400)
    expect(missing.json).toEqual({__type: 'UnknownOperationException', message: 'Missing X-Amz-Target header.'})
  })

  it('does not expose non-ECS methods of the object behind it (close, sleep)', async () => {
    for (const op of ['Close', 'close', 'Sleep', 'constructor', '__proto__']) {
      const r = await post(url, target(op), '{}')
      expect(r.json.__type).toBe('UnknownOperationException')
    }
  })

  it('rejects malformed JSON and non-object bodies with SerializationException', async () => {
    const bad = await post(url, target('CreateCluster'), '{"clusterName": ')
    expect(bad.status).toBe(400)
    expect(bad.json.__type).toBe('SerializationException')
    for (const body of ['[]', 'null', '42', '"x"']) {
      const r = await post(url, target('CreateCluster'), body)
      expect(r.status).toBe(400)
      expect(r.json.__type).toBe('SerializationException')
    }
  })

  it('checks member types against the SDK model, naming the path, as ECS deserialization does', async () => {
    const bad = async (op: string, body: unknown) => {
      const r = await post(url, target(op), JSON.stringify(body))
      expect(r.status).toBe(400)
      expect(r.json.__type).toBe('SerializationException')
      return r.json.message
    }
    expect(await bad('CreateCluster', {clusterName: 5})).toBe(
      'Invalid CreateCluster request: clusterName must be a string, not a number.',
    )
    expect(await bad('DescribeTasks', {tasks: ['a', 3]})).toBe(
      'Invalid DescribeTasks request: tasks[1] must be a string, not a number.',
    )
    expect(await bad('ListClusters', {nextToken: {}})).toBe(
      'Invalid ListClusters request: nextToken must be a string, not an object.',
    )
    expect(await bad('RunTask', {taskDefinition: 'x', count: '2'})).toBe(
      'Invalid RunTask request: count must be a number, not a string.',
    )
    expect(
      await bad('RegisterTaskDefinition', {
        family: 'f',
        containerDefinitions: [{name: 'c', image: 'i', portMappings: [{containerPort: '80'}]}],
      }),
    ).toBe(
      'Invalid RegisterTaskDefinition request: containerDefinitions[0].portMappings[0].containerPort must be a number, not a string.',
    )
    expect(
      await bad('RegisterTaskDefinition', {family: 'f', containerDefinitions: [{name: 'c', dockerLabels: {a: 1}}]}),
    ).toBe(
      'Invalid RegisterTaskDefinition request: containerDefinitions[0].dockerLabels.a must be a string, not a number.',
    )
    expect(await bad('DeleteCluster', {cluster: ['web']})).toBe(
      'Invalid DeleteCluster request: cluster must be a string, not a list.',
    )
  })

  it('drops unknown and null members before the call, like ECS', async () => {
    const r = await post(url, target('CreateCluster'), JSON.stringify({clusterName: 'tidy', bogus: 1, tags: null}))
    expect(r.status).toBe(200)
    expect(calls.at(-1)).toEqual({op: 'createCluster', input: {clusterName: 'tidy'}})
  })

  it('answers GET / as a readiness probe and refuses other methods', async () => {
    const probe = await post(url, {}, '', 'GET')
    expect(probe.status).toBe(200)
    expect(probe.json).toEqual({
      service: 'ecsx engine',
      protocol: 'awsJson1_1',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    })
    const put = await post(url, target('ListClusters'), '{}', 'PUT')
    expect(put.status).toBe(405)
    expect(put.json.__type).toBe('UnknownOperationException')
  })

  it('logs one line per request and counts requests', async () => {
    const before = server.requestCount
    await post(url, target('ListClusters'), '{}')
    expect(server.requestCount).toBe(before + 1)
    expect(logged.at(-1)).toMatch(/^200 ListClusters \d+ms$/)
    await post(url, target('DeleteCluster'), '{}')
    expect(logged.at(-1)).toMatch(/^400 DeleteCluster \d+ms ClusterNotFoundException$/)
  })

  it('serves every Backend operation name', async () => {
    for (const method of ECS_OPERATION_NAMES) {
      const r = await post(url, target(ECS_OPERATIONS[method]), '{}')
      expect(r.json.__type).not.toBe('UnknownOperationException')
    }
  })
})

describe('listen and close', () => {
  it('reports EADDRINUSE when the port is taken', async () => {
    const a = createEcsServer(fakeEcs([]))
    const {port} = await a.listen(0, '127.0.0.1')
    const b = createEcsServer(fakeEcs([]))
    await expect(b.listen(port, '127.0.0.1')).rejects.toMatchObject({code: 'EADDRINUSE'})
    await a.close()
    await b.close()
  })

  it('closes with keep-alive connections open', async () => {
    const s = createEcsServer(fakeEcs([]))
    const {url} = await s.listen(0, '127.0.0.1')
    const agent = new http.Agent({keepAlive: true})
    await new Promise<void>((resolve, reject) => {
      const req = http.request(url, {method: 'POST', agent, headers: target('ListClusters')}, (res) => {
        res.resume()
        res.on('end', () => resolve())
      })
      req.on('error', reject)
      req.end('{}')
    })
    await s.close(100)
    expect(s.server.listening).toBe(false)
    agent.destroy()
  })
})

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['example.com', false],
    ['128.0.0.1', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })
})

describe('toWireJson', () => {
  it('turns every Date, at any depth, into epoch seconds and leaves other values alone', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        {depthSize: 'small'},
        fc.date({noInvalidDate: true, min: new Date(0), max: new Date('2100-01-01')}),
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.array(tie('node'), {maxLength: 4}),
        fc.dictionary(
          fc.string().filter((k) => k !== '__proto__'),
          tie('node'),
          {maxKeys: 4},
        ),
      ),
    })).node
    const expected = (v: unknown): unknown =>
      v instanceof Date
        ? v.getTime() / 1000
        : Array.isArray(v)
          ? v.map(expected)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x)]))
            : v
    fc.assert(
      fc.property(value, (v) => {
        expect(JSON.parse(toWireJson(v))).toEqual(expected(v))
      }),
    )
  })
})

describe('robustness (fuzz)', () => {
  it('answers every request — any target, any body — with one well-formed JSON response', async () => {
    const s = createEcsServer(fakeEcs([]))
    const {url} = await s.listen(0, '127.0.0.1')
    const targets = fc.oneof(
      fc
        .constantFrom(...ECS_OPERATION_NAMES.map((m) => ECS_OPERATIONS[m]))
        .map((op) => `AmazonEC2ContainerServiceV20141113.${op}`),
      fc.string().map((x) => `AmazonEC2ContainerServiceV20141113.${x}`),
      fc.string(),
    )
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constant(''),
    )
    try {
      await fc.assert(
        fc.asyncProperty(targets, bodies, async (t, body) => {
          const headers: Record<string, string> = {'content-type': 'application/x-amz-json-1.1'}
          // header values cannot carry control characters; such a target is simply absent
          if (/^[\x20-\x7e]*$/.test(t)) headers['x-amz-target'] = t
          const r = await post(url, headers, body)
          expect([200, 400, 500]).toContain(r.status)
          expect(r.headers['content-type']).toBe('application/x-amz-json-1.1')
          expect(r.headers['x-amzn-requestid']).toBeDefined()
          if (r.status !== 200) {
            expect(typeof r.json.__type).toBe('string')
            expect(typeof r.json.message).toBe('string')
          }
        }),
        {numRuns: 300},
      )
    } finally {
      await s.close()
    }
  })
})
