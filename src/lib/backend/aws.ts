/**
 * The `aws` backend: every Backend operation through @aws-sdk/client-ecs against Amazon ECS, or against any
 * ECS-compatible endpoint (`--endpoint-url` / `AWS_ENDPOINT_URL_ECS`, e.g. `ecsx engine serve`).
 *
 * - Credentials: `settings.credentials` (resolved by src/lib/config with ecs-cli precedence) → src/lib/aws/credentials.ts.
 * - Region: `settings.region`; when empty, the SDK's own chain (AWS_REGION, the profile's `region`).
 * - Retries: the SDK's adaptive mode (client-side rate limiting + backoff); `maxAttempts` from the SDK default/env
 *   unless the caller pins it (tests pin 1).
 * - Errors: ECS exceptions pass through unchanged (`name` = ECS exception name, `message` = ECS's message);
 *   credential and region problems become InputError (exit 2); an unreachable endpoint becomes OperationError (exit 1).
 *
 * The SDK is imported lazily, when the backend is created.
 */
import type {ECSClient, ECSClientConfig} from '@aws-sdk/client-ecs'

import {
  credentialProviderFor,
  credentialsInputError,
  describeCredentialSource,
  isCredentialsError,
  redactSecrets,
} from '../aws/credentials.js'
import type {ResolvedSettings} from '../config/types.js'
import {InputError, OperationError} from '../errors.js'
import type {Ui} from '../ui/types.js'
import {ECS_OPERATION_NAMES, ECS_OPERATIONS} from '../ecs/operations.js'
import type {Backend} from '../ecs/backend.js'

export interface AwsBackendOptions {
  /** Total attempts per call (1 = no retries). Default: the SDK's (3, or AWS_MAX_ATTEMPTS / max_attempts). */
  maxAttempts?: number
  /** Extra SDK client configuration (tests: a request handler with short timeouts). Applied last. */
  clientConfig?: Partial<ECSClientConfig>
}

export const REGION_HINT =
  'Set a region using `ecsx configure --region`, the --region flag, the AWS_REGION environment variable, or an AWS profile with a region (--aws-profile).'

type SdkCommandClass = new (input: object) => Parameters<ECSClient['send']>[0]

/** Create the aws backend. Resolves the region up front, so a missing region fails here with exit 2. */
export async function createAwsBackend(
  settings: ResolvedSettings,
  ui?: Ui,
  options: AwsBackendOptions = {},
): Promise<Backend> {
  const sdk = (await import('@aws-sdk/client-ecs')) as unknown as Record<string, unknown> &
    typeof import('@aws-sdk/client-ecs')
  const creds = settings.credentials
  const endpoint = settings.endpointUrl || undefined
  if (endpoint) validateEndpoint(endpoint)

  const credentials = await credentialProviderFor(creds, {ui, region: settings.region || undefined})
  const config: ECSClientConfig = {
    region: settings.region || undefined,
    credentials,
    retryMode: 'adaptive',
    ...(endpoint ? {endpoint} : {}),
    ...(options.maxAttempts !== undefined ? {maxAttempts: options.maxAttempts} : {}),
    ...(creds.awsProfile ? {profile: creds.awsProfile} : {}),
    ...options.clientConfig,
  }
  const client = new sdk.ECSClient(config)

  let region: string
  try {
    region = await client.config.region()
  } catch (err) {
    client.destroy()
    throw translateError(err, settings)
  }
  if (!region) {
    client.destroy()
    throw new InputError('No AWS region is set.', REGION_HINT)
  }
  ui?.verbose(
    `aws backend: region ${region}, endpoint ${endpoint ?? 'default (AWS)'}, credentials from ${describeCredentialSource(creds)}`,
  )

  let closed = false
  const backend: Record<string, unknown> = {
    kind: 'aws',
    region,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
    close: async () => {
      if (closed) return
      closed = true
      client.destroy()
    },
  }
  for (const method of ECS_OPERATION_NAMES) {
    const opName = ECS_OPERATIONS[method]
    const Command = sdk[`${opName}Command`] as SdkCommandClass | undefined
    if (typeof Command !== 'function') throw new Error(`@aws-sdk/client-ecs has no ${opName}Command`)
    backend[method] = async (input: object | undefined) => {
      const started = Date.now()
      try {
        const output = (await client.send(new Command(input ?? {}))) as {$metadata?: {requestId?: string}}
        ui?.verbose(
          `aws: ECS ${opName} ok in ${Date.now() - started} ms${output.$metadata?.requestId ? ` (request ${output.$metadata.requestId})` : ''}`,
        )
        const {$metadata: _metadata, ...rest} = output
        return rest
      } catch (err) {
        ui?.verbose(`aws: ECS ${opName} failed in ${Date.now() - started} ms: ${(err as Error)?.name ?? 'Error'}`)
        throw translateError(err, settings)
      }
    }
  }
  return backend as unknown as Backend
}

function validateEndpoint(endpoint: string): void {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new InputError(
      `Invalid endpoint URL "${endpoint}".`,
      'Pass a full URL such as http://127.0.0.1:4566 to --endpoint-url or AWS_ENDPOINT_URL_ECS.',
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `Invalid endpoint URL "${endpoint}": the scheme must be http or https.`,
      'For example: --endpoint-url http://127.0.0.1:4566',
    )
  }
}

/** The SDK sometimes wraps a transport error ("AWS SDK error wrapper for Error: connect ECONNREFUSED …"). */
const NETWORK_CODE_IN_MESSAGE =
  /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])

/**
 * Map an SDK failure to what ecsx commands expect: ECS service exceptions unchanged; credential/region problems →
 * InputError; transport failures → OperationError naming the endpoint. Secrets are scrubbed from every message.
 */
export function translateError(
  thrown: unknown,
  settings: Pick<ResolvedSettings, 'credentials' | 'endpointUrl'>,
): unknown {
  // Duck-typed: errors from Node core may come from another realm (e.g. under jest's vm), so no `instanceof Error`.
  if (!thrown || typeof thrown !== 'object' || typeof (thrown as Error).message !== 'string') return thrown
  const err = thrown as Error
  const creds = settings.credentials
  if (err instanceof InputError || err instanceof OperationError) return err
  if (isCredentialsError(err)) return credentialsInputError(err, creds)
  if (err.message === 'Region is missing') return new InputError('No AWS region is set.', REGION_HINT)
  const withMeta = err as Error & {
    $metadata?: {httpStatusCode?: number}
    $fault?: string
    code?: string
    cause?: {code?: string}
  }
  if (withMeta.$metadata?.httpStatusCode !== undefined || withMeta.$fault !== undefined) {
    // An ECS (or other service-side) exception: keep name, message and class; only scrub secrets.
    scrub(err, creds)
    return err
  }
  const code = withMeta.code ?? withMeta.cause?.code ?? NETWORK_CODE_IN_MESSAGE.exec(err.message)?.[1]
  if ((code && NETWORK_CODES.has(code)) || err.name === 'TimeoutError') {
    const where = settings.endpointUrl ?? 'the AWS ECS endpoint'
    return new OperationError(
      `Cannot reach ${where}: ${redactSecrets(err.message.replace(/^AWS SDK error wrapper for (Error: )?/, '') || code || err.name, creds)}`,
      settings.endpointUrl
        ? 'Check that the endpoint is running (for example `ecsx engine serve`) and that --endpoint-url / AWS_ENDPOINT_URL_ECS is right.'
        : 'Check your network connection and the region.',
    )
  }
  scrub(err, creds)
  return err
}

function scrub(err: Error, creds: ResolvedSettings['credentials']): void {
  const message = redactSecrets(err.message, creds)
  if (message !== err.message) err.message = message
  if (err.stack) {
    const stack = redactSecrets(err.stack, creds)
    if (stack !== err.stack) err.stack = stack
  }
}
