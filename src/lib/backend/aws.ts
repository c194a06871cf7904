/**
 * The `aws` backend: every Backend operation through @aws-sdk/client-ecs against Amazon ECS, or against any
 * ECS-compatible endpoint (`--endpoint-url` / `AWS_ENDPOINT_URL_ECS`, e.g. `ecsx engine serve`).
 *
 * - Credentials: `settings.credentials` (resolved by src/lib/config with ecs-cli precedence) → src/lib/aws/credentials.ts.
 * - Region: `settings.region`; when empty, the SDK's own chain (AWS_REGION, the profile's `region`).
 * - Retries: the SDK's adaptive mode (client-side rate limiting + backoff); `maxAttempts` from the SDK default/env
 *   unless the caller pins it (tests pin 1).
 * - Errors: src/lib/aws/errors.ts, installed on the client (sdk-config.ts `awsErrorPlugin`): ECS exceptions pass
 *   through unchanged (`name` = ECS exception name, `message` = ECS's message) with the call attached; credential
 *   and region problems become InputError (exit 2); an unreachable endpoint or an unreadable answer OperationError (exit 1).
 *
 * The SDK is imported lazily, when the backend is created.
 */
import type {ECSClient, ECSClientConfig} from '@aws-sdk/client-ecs'

import {credentialProviderFor, describeCredentialSource} from '../aws/credentials.js'
import {REGION_HINT, serviceOfClient, translateAwsError} from '../aws/errors.js'
import {awsErrorPlugin, errorContextOf} from '../aws/sdk-config.js'
import type {ResolvedSettings} from '../config/types.js'
import {InputError} from '../errors.js'
import type {Ui} from '../ui/types.js'
import {ECS_OPERATION_NAMES, ECS_OPERATIONS} from '../ecs/operations.js'
import type {Backend} from '../ecs/backend.js'

export interface AwsBackendOptions {
  /** Total attempts per call (1 = no retries). Default: the SDK's (3, or AWS_MAX_ATTEMPTS / max_attempts). */
  maxAttempts?: number
  /** Extra SDK client configuration (tests: a request handler with short timeouts). Applied last. */
  clientConfig?: Partial<ECSClientConfig>
}

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

  const errorContext = errorContextOf(settings, settings.region || undefined)
  const credentials = await credentialProviderFor(creds, {
    ui,
    region: settings.region || undefined,
    clientPlugins: [awsErrorPlugin(errorContext)],
  })
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
  client.middlewareStack.use(awsErrorPlugin(errorContext))

  let region: string
  try {
    region = await client.config.region()
  } catch (err) {
    client.destroy()
    throw translateAwsError(err, {service: serviceOfClient('ECSClient'), operation: 'region lookup'}, errorContext)
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
        const requestId = output.$metadata?.requestId
        ui?.verbose(`aws: ECS ${opName} ok in ${Date.now() - started} ms${requestId ? ` (request ${requestId})` : ''}`)
        const {$metadata: _metadata, ...rest} = output
        return rest
      } catch (err) {
        ui?.verbose(`aws: ECS ${opName} failed in ${Date.now() - started} ms: ${(err as Error)?.name ?? 'Error'}`)
        throw err
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
