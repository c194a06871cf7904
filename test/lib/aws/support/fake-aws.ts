/**
 * A loopback AWS endpoint for tests: one node:http server that speaks
 *   - awsQuery (CloudFormation): form-encoded POST, XML responses and XML errors;
 *   - awsJson1_1 (ECS, CloudWatch Logs, ECR, SSM): X-Amz-Target dispatch, JSON bodies, `{__type, message}` errors.
 * Every request is recorded (service, operation, decoded parameters) so tests pin exactly what the real SDK sent.
 * Unhandled operations answer 400 UnknownOperationException (never 5xx: the SDK would retry with real sleeps).
 */
import {afterAll, beforeAll, beforeEach} from '@jest/globals'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

export type Service = 'cloudformation' | 'ecs' | 'logs' | 'ecr' | 'ssm'

interface RecordedRequest {
  service: Service
  operation: string
  /** awsQuery: the decoded form fields; JSON protocols: the parsed body. */
  params: Record<string, unknown>
  headers: IncomingMessage['headers']
}

export type Reply = {xml: string} | {json: unknown} | {error: {code: string; message: string; status?: number}}

export type Handler = (req: RecordedRequest) => Reply | Promise<Reply>

const TARGET_PREFIXES: Record<string, Service> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  Logs_20140328: 'logs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  AmazonSSM: 'ssm',
}

export interface FakeAws {
  url: string
  requests: RecordedRequest[]
  /** Requests of one service, optionally one operation. */
  calls(service: Service, operation?: string): RecordedRequest[]
  on(key: `${Service}:${string}`, handler: Handler): void
  close(): Promise<void>
}

export async function startFakeAws(handlers: Partial<Record<`${Service}:${string}`, Handler>> = {}): Promise<FakeAws> {
  const table = new Map<string, Handler>(Object.entries(handlers) as Array<[string, Handler]>)
  const requests: RecordedRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const target = req.headers['x-amz-target']
      let service: Service
      let operation: string
      let params: Record<string, unknown>
      if (typeof target === 'string') {
        const [prefix, op] = target.split('.')
        service = TARGET_PREFIXES[prefix as string] ?? ('unknown' as Service)
        operation = op ?? ''
        params = body ? (JSON.parse(body) as Record<string, unknown>) : {}
      } else {
        const form = Object.fromEntries(new URLSearchParams(body))
        service = 'cloudformation'
        operation = form.Action ?? ''
        params = form
      }
      const recorded: RecordedRequest = {service, operation, params, headers: req.headers}
      requests.push(recorded)
      const handler = table.get(`${service}:${operation}`)
      let reply: Reply
      try {
        reply = handler
          ? await handler(recorded)
          : {error: {code: 'UnknownOperationException', message: `fake-aws: no handler for ${service}:${operation}`}}
      } catch (err) {
        reply = {error: {code: 'InternalFailure', message: String(err), status: 400}}
      }
      respond(res, service, operation, reply)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls: (service, operation) =>
      requests.filter((r) => r.service === service && (!operation || r.operation === operation)),
    on: (key, handler) => void table.set(key, handler),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function respond(res: import('node:http').ServerResponse, service: Service, operation: string, reply: Reply): void {
  const requestId = 'fake-request-id'
  if (service === 'cloudformation') {
    res.setHeader('content-type', 'text/xml')
    res.setHeader('x-amzn-requestid', requestId)
    if ('error' in reply) {
      res.statusCode = reply.error.status ?? 400
      res.end(
        `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>` +
          `<Code>${esc(reply.error.code)}</Code><Message>${esc(reply.error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      )
      return
    }
    const xml = 'xml' in reply ? reply.xml : ''
    res.statusCode = 200
    res.end(
      `<${operation}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${operation}Result>${xml}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
    )
    return
  }
  res.setHeader('content-type', 'application/x-amz-json-1.1')
  res.setHeader('x-amzn-requestid', requestId)
  if ('error' in reply) {
    res.statusCode = reply.error.status ?? 400
    res.end(JSON.stringify({__type: reply.error.code, message: reply.error.message}))
    return
  }
  res.statusCode = 200
  res.end(JSON.stringify('json' in reply ? reply.json : {}))
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** XML of one CloudFormation Stack (the fields ecsx reads). */
export function stackXml(stack: {
  StackId: string
  StackName: string
  StackStatus: string
  StackStatusReason?: string
  Parameters?: Array<{ParameterKey: string; ParameterValue: string}>
  Outputs?: Array<{OutputKey: string; OutputValue: string}>
  Capabilities?: string[]
}): string {
  const params = (stack.Parameters ?? [])
    .map(
      (p) =>
        `<member><ParameterKey>${esc(p.ParameterKey)}</ParameterKey><ParameterValue>${esc(p.ParameterValue)}</ParameterValue></member>`,
    )
    .join('')
  const outputs = (stack.Outputs ?? [])
    .map(
      (o) =>
        `<member><OutputKey>${esc(o.OutputKey)}</OutputKey><OutputValue>${esc(o.OutputValue)}</OutputValue></member>`,
    )
    .join('')
  const caps = (stack.Capabilities ?? []).map((c) => `<member>${c}</member>`).join('')
  return (
    `<member><StackId>${esc(stack.StackId)}</StackId><StackName>${esc(stack.StackName)}</StackName>` +
    `<CreationTime>2026-11-25T01:00:00.000Z</CreationTime><StackStatus>${stack.StackStatus}</StackStatus>` +
    (stack.StackStatusReason ? `<StackStatusReason>${esc(stack.StackStatusReason)}</StackStatusReason>` : '') +
    `<Parameters>${params}</Parameters><Outputs>${outputs}</Outputs><Capabilities>${caps}</Capabilities></member>`
  )
}

export function describeStacksXml(...stacks: Parameters<typeof stackXml>[0][]): {xml: string} {
  return {xml: `<Stacks>${stacks.map(stackXml).join('')}</Stacks>`}
}

export interface FakeStackEvent {
  EventId: string
  LogicalResourceId: string
  ResourceType: string
  ResourceStatus: string
  ResourceStatusReason?: string
}

/** DescribeStackEvents result, newest first like CloudFormation. */
export function stackEventsXml(stackId: string, stackName: string, events: FakeStackEvent[]): {xml: string} {
  const members = events
    .map(
      (e) =>
        `<member><EventId>${esc(e.EventId)}</EventId><StackId>${esc(stackId)}</StackId><StackName>${esc(stackName)}</StackName>` +
        `<LogicalResourceId>${esc(e.LogicalResourceId)}</LogicalResourceId><ResourceType>${esc(e.ResourceType)}</ResourceType>` +
        `<Timestamp>2026-11-25T01:00:00.000Z</Timestamp><ResourceStatus>${e.ResourceStatus}</ResourceStatus>` +
        (e.ResourceStatusReason ? `<ResourceStatusReason>${esc(e.ResourceStatusReason)}</ResourceStatusReason>` : '') +
        `</member>`,
    )
    .join('')
  return {xml: `<StackEvents>${members}</StackEvents>`}
}

/** Point the SDK's per-service endpoint variables at the fake; returns a restore function. */
function useFakeEndpoints(url: string): () => void {
  const keys = [
    'AWS_ENDPOINT_URL_CLOUDFORMATION',
    'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
    'AWS_ENDPOINT_URL_ECR',
    'AWS_ENDPOINT_URL_ECS',
    'AWS_ENDPOINT_URL_SSM',
    'AWS_ENDPOINT_URL',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  ]
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]))
  // every service, including any not listed, goes to the loopback server (AWS_ENDPOINT_URL is the SDK's catch-all)
  for (const k of keys.slice(0, 6)) process.env[k] = url
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  return () => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  }
}

/**
 * One fake AWS endpoint for the enclosing suite: started before all tests with every SDK endpoint variable pointing at
 * it, its recorded requests cleared before each test, closed (and the variables restored) after all. Call it at the
 * top level of a file or of a `describe`; the returned object delegates to the running server.
 */
export function fakeAwsForSuite(): FakeAws {
  let current: FakeAws | undefined
  let restore = (): void => {}
  beforeAll(async () => {
    current = await startFakeAws()
    restore = useFakeEndpoints(current.url)
  })
  afterAll(async () => {
    restore()
    await current?.close()
  })
  beforeEach(() => {
    if (current) current.requests.length = 0
  })
  const live = (): FakeAws => {
    if (!current) throw new Error("the fake AWS endpoint runs only while the suite's tests run")
    return current
  }
  return {
    get url() {
      return live().url
    },
    get requests() {
      return live().requests
    },
    calls: (service, operation) => live().calls(service, operation),
    on: (key, handler) => live().on(key, handler),
    close: () => live().close(),
  }
}
