import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import type {EcsOperations} from '../../../src/lib/ecs/backend.js'
import {createEcsServer, type EcsHttpServer} from '../../../src/lib/ecs/server.js'

/** createEcsServer's `routes` option: how `engine serve` mounts the dashboard next to the ECS API. */
let server: EcsHttpServer
let url: string
const asked: string[] = []

beforeAll(async () => {
  const api = {listClusters: async () => ({clusterArns: ['arn:aws:ecs:us-east-1:000000000000:cluster/x']})}
  server = createEcsServer(api as unknown as EcsOperations, {
    validate: false,
    routes: (req, res) => {
      asked.push(`${req.method} ${req.url}`)
      if (req.url !== '/page' && req.url !== '/health' && req.url !== '/') return false
      res.writeHead(200, {'Content-Type': 'text/html'})
      res.end('<p>page</p>')
      return true
    },
  })
  url = (await server.listen(0, '127.0.0.1')).url
})
afterAll(() => server.close())

async function request(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(`${url}${path}`, {method, headers, body})
  return {status: res.status, type: res.headers.get('content-type'), text: await res.text()}
}

describe('createEcsServer routes', () => {
  it('lets the routes answer GET requests first', async () => {
    expect(await request('GET', '/page')).toEqual({status: 200, type: 'text/html', text: '<p>page</p>'})
    expect(await request('GET', '/')).toMatchObject({text: '<p>page</p>'})
  })

  it('keeps /health as the readiness probe, never asking the routes', async () => {
    asked.length = 0
    const health = await request('GET', '/health')
    expect(JSON.parse(health.text)).toEqual({
      service: 'ecsx engine',
      protocol: 'awsJson1_1',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    })
    expect(asked).toEqual([])
  })

  it('falls back to its own answers when the routes decline, and sends POST to the ECS API only', async () => {
    expect((await request('GET', '/other')).status).toBe(405)
    asked.length = 0
    const target = {'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.ListClusters'}
    const r = await request('POST', '/', {...target, 'Content-Type': 'application/x-amz-json-1.1'}, '{}')
    expect(JSON.parse(r.text)).toEqual({clusterArns: ['arn:aws:ecs:us-east-1:000000000000:cluster/x']})
    expect(asked).toEqual([])
  })
})
