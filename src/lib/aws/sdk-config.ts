/**
 * Building AWS SDK clients: every client ecsx creates goes through here, so every one gets the same region,
 * credentials (through src/lib/aws/credentials.ts) and error translation (src/lib/aws/errors.ts, installed as a
 * middleware around the whole call — the STS/SSO clients of the credential chain get it as a client plugin).
 * Endpoints: the SDK's own per-service variables apply (`AWS_ENDPOINT_URL_CLOUDFORMATION`,
 * `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL_ECR`, `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_STS`, or
 * `AWS_ENDPOINT_URL` for all), so LocalStack-style endpoints, moto and the tests' loopback servers need no extra
 * flags; `--endpoint-url` stays the ECS endpoint only.
 */
import type {
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  DeserializeMiddleware,
  HandlerExecutionContext,
  InitializeMiddleware,
  Pluggable,
} from '@smithy/types'

import type {ResolvedSettings} from '../config/types.js'
import type {Ui} from '../ui/types.js'
import {credentialProviderFor, type SdkCredentials} from './credentials.js'
import {type AwsErrorContext, serviceOfClient, translateAwsError} from './errors.js'

export {awsErrorName} from './errors.js'

export interface SdkClientConfig {
  region: string
  credentials: SdkCredentials
  endpoint?: string
  useFipsEndpoint?: boolean
}

/** What every SDK client ecsx builds has (`use` takes the client's own plugin type: any parameter type fits `never`). */
export interface SdkClient {
  middlewareStack: {use(plugin: never): void}
  destroy(): void
}

async function sdkClientConfig(
  settings: ResolvedSettings,
  ui?: Ui,
  extra: {endpoint?: string; region?: string; useFips?: boolean} = {},
): Promise<SdkClientConfig> {
  const region = extra.region ?? settings.region
  const credentials = await credentialProviderFor(settings.credentials, {
    ui,
    region,
    clientPlugins: [awsErrorPlugin(errorContextOf(settings, region))],
  })
  return {
    region,
    credentials,
    ...(extra.endpoint ? {endpoint: extra.endpoint} : {}),
    ...(extra.useFips ? {useFipsEndpoint: true} : {}),
  }
}

/**
 * A client of `Client` (an SDK client class) configured from the settings, with ecsx's error translation installed.
 * `extra.endpoint`: an explicit endpoint (the ECS client gets `--endpoint-url`); `extra.region`: another region.
 */
export async function createAwsClient<C extends SdkClient>(
  Client: new (config: SdkClientConfig) => C,
  settings: ResolvedSettings,
  ui?: Ui,
  extra: {endpoint?: string; region?: string; useFips?: boolean} = {},
): Promise<C> {
  const config = await sdkClientConfig(settings, ui, extra)
  const client = new Client(config)
  const stack = client.middlewareStack as unknown as {use(plugin: Pluggable<object, object>): void}
  stack.use(awsErrorPlugin(errorContextOf(settings, config.region)))
  return client
}

export function errorContextOf(settings: Pick<ResolvedSettings, 'credentials' | 'endpointUrl'>, region?: string) {
  return {credentials: settings.credentials, ecsEndpoint: settings.endpointUrl || undefined, region}
}

/**
 * The error translation as an SDK plugin: one middleware keeps the body of an error (or non-JSON/XML) response so
 * the translation can quote it; one around the whole call (initialize step, so retries and credential loading are
 * inside) translates whatever is thrown, naming the client's service, the command's operation and the endpoint.
 */
export function awsErrorPlugin<I extends object = object, O extends object = object>(
  ctx: AwsErrorContext,
): Pluggable<I, O> {
  const bodies = new WeakMap<object, Uint8Array>()
  const translate: InitializeMiddleware<I, O> = (next, context) => async (args) => {
    try {
      return await next(args)
    } catch (err) {
      const endpoint = (context as {endpointV2?: {url?: URL}}).endpointV2?.url
      throw translateAwsError(
        err,
        {
          service: serviceOfClient(context.clientName),
          operation: (context.commandName ?? 'call').replace(/Command$/, ''),
          ...(endpoint ? {endpoint: String(endpoint)} : {}),
          ...(bodies.has(context) ? {body: bodies.get(context)} : {}),
        },
        ctx,
      )
    }
  }
  const capture: DeserializeMiddleware<I, O> =
    (next, context: HandlerExecutionContext) =>
    async (args: DeserializeHandlerArguments<I>): Promise<DeserializeHandlerOutput<O>> => {
      const out = await next(args)
      const response = out.response as {statusCode?: number; headers?: Record<string, string>; body?: unknown}
      if (shouldCapture(response)) {
        const bytes = await readBody(response.body)
        if (bytes) {
          response.body = bytes
          bodies.set(context, bytes)
        }
      }
      return out
    }
  return {
    applyToStack(stack) {
      stack.add(translate, {step: 'initialize', priority: 'high', name: 'ecsxTranslateErrors', override: true})
      // low priority in the deserialize step: inside the SDK's deserializer, so `next` returns the raw response
      stack.add(capture, {step: 'deserialize', priority: 'low', name: 'ecsxCaptureErrorBody', override: true})
    },
  }
}

/** Error statuses, and answers that are neither JSON nor XML (what a proxy or captive portal sends). */
function shouldCapture(response: {statusCode?: number; headers?: Record<string, string>}): boolean {
  if ((response.statusCode ?? 200) >= 300) return true
  const type = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? ''
  return !/json|xml/i.test(type)
}

async function readBody(body: unknown): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body
  if (typeof body === 'string') return new TextEncoder().encode(body)
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return undefined
  const chunks: Uint8Array[] = []
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk)
  const total = chunks.reduce((n, c) => n + c.length, 0)
  // a Uint8Array of this realm (the SDK checks `instanceof Uint8Array`; Node's Buffer may come from another one)
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    bytes.set(c, offset)
    offset += c.length
  }
  return bytes
}

/** Sleep and clock used while polling AWS; tests inject instant ones (nothing in tests sleeps on real time). */
export interface PollDeps {
  sleep(ms: number): Promise<void>
  now(): number
}

export const realPollDeps: PollDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
}
