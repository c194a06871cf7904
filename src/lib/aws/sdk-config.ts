/**
 * Client configuration shared by ecsx's CloudFormation, CloudWatch Logs and ECR clients: region and credentials
 * from the resolved settings (through src/lib/aws/credentials.ts). Endpoints: the SDK's own per-service variables
 * apply (`AWS_ENDPOINT_URL_CLOUDFORMATION`, `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL_ECR`, or
 * `AWS_ENDPOINT_URL` for all), so LocalStack-style endpoints and the tests' loopback servers need no extra flags;
 * `--endpoint-url` stays the ECS endpoint only.
 */
import type {ResolvedSettings} from '../config/types.js'
import type {Ui} from '../ui/types.js'
import {credentialProviderFor, type SdkCredentials} from './credentials.js'

export interface SdkClientConfig {
  region: string
  credentials: SdkCredentials
  endpoint?: string
  useFipsEndpoint?: boolean
}

export async function sdkClientConfig(
  settings: ResolvedSettings,
  ui?: Ui,
  extra: {endpoint?: string; region?: string; useFips?: boolean} = {},
): Promise<SdkClientConfig> {
  const region = extra.region ?? settings.region
  const credentials = await credentialProviderFor(settings.credentials, {ui, region})
  return {
    region,
    credentials,
    ...(extra.endpoint ? {endpoint: extra.endpoint} : {}),
    ...(extra.useFips ? {useFipsEndpoint: true} : {}),
  }
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

/** The AWS error name (SDK exceptions carry ECS/CFN/ECR names in `name`). */
export function awsErrorName(err: unknown): string | undefined {
  const e = err as {name?: unknown; Code?: unknown}
  if (typeof e?.Code === 'string') return e.Code
  return typeof e?.name === 'string' ? e.name : undefined
}
