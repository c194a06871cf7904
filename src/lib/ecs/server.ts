/**
 * The ECS API over HTTP: Amazon's JSON 1.1 protocol (what @aws-sdk/client-ecs, the AWS CLI v1/v2 and botocore speak)
 * in front of any `EcsOperations` implementation — normally the local engine (`ecsx engine serve`).
 *
 *   POST /   X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>   Content-Type: application/x-amz-json-1.1
 *   body: the operation's input as JSON                → 200, the output as JSON (timestamps as epoch seconds)
 *   ECS exception                                      → 400 (ServerException: 500), {"__type": "<Name>", "message": "…"}
 *   unknown operation / missing target                 → 400 UnknownOperationException
 *   body that is not a JSON object, or a member of the wrong type (checked against the SDK's own model of the
 *   operation's input, as ECS's deserializer does)     → 400 SerializationException
 *   any other failure                                  → 500 ServerException
 * Every response carries `x-amzn-RequestId`. SigV4 signatures are accepted without checking (any keys work).
 * `GET /` answers a small JSON description (a readiness probe), as does `GET /health`; a `routes` option may answer
 * other GET requests first (`engine serve` mounts the dashboard page there, `/` for clients asking for HTML).
 *
 * Node's `http` only; no framework. Knows nothing of commands or terminals: callers pass a `log` function.
 */
import {randomUUID} from 'node:crypto'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import type {EcsOperationName, EcsOperations, WireCapability} from './backend.js'
import {type InputValidator, loadInputValidator} from './input-validator.js'
import {ECS_METHOD_BY_WIRE_NAME, ECS_TARGET_PREFIX} from './operations.js'
import {toWireJson} from './wire.js'

export const JSON_11_CONTENT_TYPE = 'application/x-amz-json-1.1'
/** Largest request body accepted (RegisterTaskDefinition with many containers stays far below). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024

export interface EcsServerOptions {
  /** Called once per request: `<status> <Operation> <ms>ms [<ErrorName>]`. */
  log?: (line: string) => void
  /**
   * Check each input against the operation's input shape from @aws-sdk/client-ecs (types of every member, at any
   * depth; unknown members dropped, `null` members treated as absent, epoch-second timestamps turned into Dates), like
   * ECS's own deserializer. Default true. The SDK is loaded on the first request.
   */
  validate?: boolean
  /**
   * The backend's wire capability (Backend.wire), when it has one: responses then come as wire JSON straight from
   * the backend, synchronously, instead of through the async operation and a conversion.
   */
  wire?: WireCapability
  /**
   * Extra read-only routes (the dashboard under `engine serve`): asked first for every request that is not a POST,
   * except `/health` (always the readiness probe); returns true when it answered the request.
   */
  routes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean
}

export interface ListeningAddress {
  host: string
  port: number
  /** `http://host:port` (IPv6 hosts bracketed). */
  url: string
}

export interface EcsHttpServer {
  readonly server: http.Server
  /** Requests answered so far. */
  readonly requestCount: number
  /** Start listening (port 0 = any free port). Rejects with the listen error (e.g. EADDRINUSE). */
  listen(port: number, host: string): Promise<ListeningAddress>
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then drop remaining connections. */
  close(graceMs?: number): Promise<void>
}

interface WireError {
  status: number
  type: string
  message: string
}

/** Hosts that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  if (/^127(\.\d{1,3}){3}$/.test(h)) return true
  return h.startsWith('::ffff:127.')
}

export {toWireJson} from './wire.js'

/** ECS exception names are `…Exception` (plus a few AWS-wide ones); their `$fault` says client or server. */
function wireErrorFor(err: unknown): WireError {
  const e = err as {name?: unknown; message?: unknown; $fault?: unknown}
  const name = typeof e?.name === 'string' ? e.name : ''
  const message = typeof e?.message === 'string' ? e.message : String(err)
  const isServiceError = /^[A-Z][A-Za-z0-9]*Exception$/.test(name) && name !== 'ServerException'
  if (name === 'ServerException') return {status: 500, type: 'ServerException', message}
  if (isServiceError) return {status: e.$fault === 'server' ? 500 : 400, type: name, message}
  return {status: 500, type: 'ServerException', message: message || 'Internal server error.'}
}

/**
 * The SDK's input model, loaded once (on the first request, or while the socket opens). Once it is there, requests
 * are checked synchronously (no promise per request).
 */
class InputValidation {
  private loading: Promise<InputValidator> | undefined
  private loaded: InputValidator | undefined

  constructor(private readonly enabled: boolean) {}

  load(): Promise<InputValidator> {
    this.loading ??= loadInputValidator().then((check) => (this.loaded = check))
    return this.loading
  }

  check(operation: string, input: Record<string, unknown>): Promise<string | undefined> | string | undefined {
    if (!this.enabled) return undefined
    if (this.loaded) return this.loaded(operation, input)
    return this.load().then((check) => check(operation, input))
  }
}

function send(res: http.ServerResponse, status: number, body: string, requestId: string, errorType?: string): void {
  const bytes = Buffer.from(body, 'utf8')
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': JSON_11_CONTENT_TYPE,
    'Content-Length': bytes.length,
    'x-amzn-RequestId': requestId,
  }
  if (errorType) headers['x-amzn-ErrorType'] = errorType
  res.writeHead(status, headers)
  res.end(bytes)
}

function sendError(res: http.ServerResponse, err: WireError, requestId: string): void {
  send(res, err.status, JSON.stringify({__type: err.type, message: err.message}), requestId, err.type)
}

/** The operation a POST names in its X-Amz-Target header, or the UnknownOperationException to answer. */
function operationOf(
  target: string | string[] | undefined,
  opName: string | undefined,
): {method: EcsOperationName} | {error: WireError} {
  const method = opName === undefined ? undefined : ECS_METHOD_BY_WIRE_NAME.get(opName)
  if (method) return {method}
  const message =
    typeof target !== 'string' || target === ''
      ? 'Missing X-Amz-Target header.'
      : opName === undefined
        ? `Unknown target "${target}": this endpoint serves ${ECS_TARGET_PREFIX}<Operation>.`
        : `Operation ${opName} is not supported by this endpoint.`
  return {error: {status: 400, type: 'UnknownOperationException', message}}
}

/** The request body as the operation's input (empty = `{}`), or the SerializationException to answer. */
function inputOf(body: Buffer): {input: Record<string, unknown>} | {error: WireError} {
  if (body.length === 0) return {input: {}}
  let input: unknown
  try {
    input = JSON.parse(body.toString('utf8'))
  } catch (parseErr) {
    const message = `Request body is not valid JSON: ${(parseErr as Error).message}`
    return {error: {status: 400, type: 'SerializationException', message}}
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return {error: {status: 400, type: 'SerializationException', message: 'Request body must be a JSON object.'}}
  return {input: input as Record<string, unknown>}
}

type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => Promise<void>

/** One request: route, parse, check, call the backend (its wire path when it has one), answer, log. */
function requestHandler(
  api: EcsOperations,
  options: EcsServerOptions,
  validation: InputValidation,
  counted: () => void,
): RequestHandler {
  const {wire, log} = options
  return async (req, res, body) => {
    const started = Date.now()
    const requestId = randomUUID()
    counted()
    const target = req.headers['x-amz-target']
    const opName =
      typeof target === 'string' && target.startsWith(ECS_TARGET_PREFIX)
        ? target.slice(ECS_TARGET_PREFIX.length)
        : undefined
    const finish = (status: number, errorType?: string): void => {
      const what = opName ?? (req.method === 'POST' ? '(no operation)' : req.method + ' ' + req.url)
      log?.(`${status} ${what} ${Date.now() - started}ms${errorType ? ' ' + errorType : ''}`)
    }
    const fail = (err: WireError): void => {
      sendError(res, err, requestId)
      finish(err.status, err.type)
    }

    if (req.method !== 'POST' && req.url !== '/health' && options.routes?.(req, res)) {
      finish(res.statusCode)
      return
    }
    if (req.method === 'GET' && (req.url === '/' || req.url === '/health')) {
      const about = {service: 'ecsx engine', protocol: 'awsJson1_1', targetPrefix: ECS_TARGET_PREFIX.slice(0, -1)}
      send(res, 200, JSON.stringify(about), requestId)
      finish(200)
      return
    }
    if (req.method !== 'POST') {
      const message = `Method ${req.method} is not supported: send POST / with an X-Amz-Target header.`
      return fail({status: 405, type: 'UnknownOperationException', message})
    }
    const operation = operationOf(target, opName)
    if ('error' in operation) return fail(operation.error)
    const {method} = operation
    const parsed = inputOf(body)
    if ('error' in parsed) return fail(parsed.error)
    const {input} = parsed

    const checked = validation.check(opName!, input)
    const problem = typeof checked === 'object' ? await checked : checked
    if (problem) {
      const message = `Invalid ${opName} request: ${problem.replace(/^\./, '')}`
      return fail({status: 400, type: 'SerializationException', message})
    }

    let text: string
    try {
      // The local backend: the wire JSON straight from the engine, synchronously.
      text = wire ? wire.callWire(method, input) : await callOperation(api, method, input)
    } catch (callErr) {
      return fail(wireErrorFor(callErr))
    }
    send(res, 200, text, requestId)
    finish(200)
  }
}

/** A backend without a wire path: the async operation, its output converted to wire JSON. */
async function callOperation(api: EcsOperations, method: EcsOperationName, input: unknown): Promise<string> {
  const output = await (api[method] as (i: unknown) => Promise<unknown>).call(api, input)
  const {$metadata: _ignored, ...result} = (output ?? {}) as Record<string, unknown>
  return toWireJson(result)
}

/** Collect the body (at most MAX_BODY_BYTES: larger requests get a 413 and are not handled). */
function onRequest(handle: RequestHandler): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        tooLarge = true
        sendError(
          res,
          {status: 413, type: 'SerializationException', message: `Request body exceeds ${MAX_BODY_BYTES} bytes.`},
          randomUUID(),
        )
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (tooLarge) return
      handle(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, wireErrorFor(err), randomUUID())
        else res.destroy()
      })
    })
    req.on('error', () => res.destroy())
  }
}

function listen(server: http.Server, port: number, host: string): Promise<ListeningAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening)
      reject(err)
    }
    const onListening = (): void => {
      server.off('error', onError)
      const address = server.address() as AddressInfo
      const shownHost =
        address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address
      resolve({host: address.address, port: address.port, url: `http://${shownHost}:${address.port}`})
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

function close(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve()
      return
    }
    const timer = setTimeout(() => server.closeAllConnections(), graceMs)
    timer.unref()
    server.close(() => {
      clearTimeout(timer)
      resolve()
    })
    server.closeIdleConnections()
  })
}

export function createEcsServer(api: EcsOperations, options: EcsServerOptions = {}): EcsHttpServer {
  let requestCount = 0
  const validation = new InputValidation(options.validate !== false)
  const handle = requestHandler(api, options, validation, () => requestCount++)
  const server = http.createServer(onRequest(handle))
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000

  return {
    server,
    get requestCount() {
      return requestCount
    },
    listen(port: number, host: string): Promise<ListeningAddress> {
      // Load the SDK's input model while the socket opens, so the first request does not pay for it.
      if (options.validate !== false) {
        validation.load().catch(() => undefined) // a load failure surfaces on the first request (500), not as an unhandled rejection
      }
      return listen(server, port, host)
    },
    close(graceMs = 2000): Promise<void> {
      return close(server, graceMs)
    },
  }
}
