/**
 * Turn the credentials ecsx resolved (`settings.credentials`, ecs-cli precedence: spec ecs-cli.md §14) into what the
 * AWS SDK takes as `credentials`:
 *   - explicit keys (an ecsx/ecs-cli profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) → a static identity;
 *   - an AWS shared-config profile → `fromIni` (static keys, SSO, credential_process, assume-role incl. MFA);
 *   - nothing chosen → the SDK's default Node chain (env, SSO, shared files, process, web identity, container/instance role).
 * MFA codes are asked for on a TTY through `ui.promptSecret`; without a TTY (or without a UI) the call fails with an
 * InputError (exit 2) naming what to do. Secrets are never put into messages: `redactSecrets` scrubs them from any
 * text that might reach the terminal.
 *
 * The credential-provider package is imported lazily (it pulls in STS/SSO clients).
 */
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable} from '@smithy/types'

import type {ResolvedCredentials} from '../config/types.js'
import {InputError} from '../errors.js'
import type {Ui} from '../ui/types.js'

export interface CredentialProviderOptions {
  /** Prompts for MFA codes; absent → MFA profiles fail with an InputError. */
  ui?: Ui
  /** Region for the STS/SSO clients the chain may create. */
  region?: string
  /** Plugins for those STS/SSO clients (ecsx's error translation: src/lib/aws/sdk-config.ts). */
  clientPlugins?: Array<Pluggable<object, object>>
}

/** What to hand the SDK client as `credentials`. */
export type SdkCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider

const MFA_HINT =
  'The AWS profile assumes a role that requires an MFA code, and there is no terminal to ask for it. ' +
  'Run the command in a terminal, or use temporary credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).'

export const CREDENTIALS_HINT =
  'Configure credentials with `ecsx configure profile --profile-name NAME --access-key ID --secret-key SECRET`, ' +
  'pass --ecs-profile or --aws-profile (or set AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'

/**
 * A human description of which credentials are used and where they come from (for --verbose and error messages):
 * the source, the profile's name and the masked access key id. Never contains a secret.
 */
export function describeCredentialSource(creds: ResolvedCredentials): string {
  const key = creds.accessKeyId ? ` (access key ${maskAccessKeyId(creds.accessKeyId)})` : ''
  const ecsProfile = creds.ecsProfile ? `ecsx profile "${creds.ecsProfile}"` : 'an ecsx profile'
  const awsProfile = `AWS profile "${creds.awsProfile ?? 'default'}"`
  switch (creds.source) {
    case 'flag-ecs-profile':
      return `${ecsProfile} given by --ecs-profile${key}`
    case 'flag-aws-profile':
      return `${awsProfile} given by --aws-profile${key}`
    case 'env':
      if (creds.awsProfile) return `${awsProfile} named by AWS_PROFILE${key}`
      if (creds.ecsProfile) return `${ecsProfile} named by ECS_PROFILE${key}`
      return `the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${key}`
    case 'ecs-profile':
      return `the default ${ecsProfile}${key}`
    case 'aws-profile':
      return `the ${awsProfile} of the AWS shared config files${key}`
    default:
      return `the AWS SDK's default credential chain${key}`
  }
}

/** `AKIA…WXYZ`: enough to tell keys apart, not enough to use one. */
export function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 4)}…${id.slice(-4)}`
}

/** Replace any secret of `creds` that occurs in `text` (secret key, session token, full access key id). */
export function redactSecrets(text: string, creds: ResolvedCredentials | undefined): string {
  if (!creds) return text
  let out = text
  for (const secret of [creds.secretAccessKey, creds.sessionToken]) {
    if (secret && secret.length >= 4) out = out.split(secret).join('****')
  }
  if (creds.accessKeyId && creds.accessKeyId.length > 8) {
    out = out.split(creds.accessKeyId).join(maskAccessKeyId(creds.accessKeyId))
  }
  return out
}

/** The MFA code provider: prompt on a TTY, fail with exit 2 otherwise. */
export function mfaCodeProviderFor(ui: Ui | undefined): (mfaSerial: string) => Promise<string> {
  return async (mfaSerial: string) => {
    if (!ui) throw new InputError(`An MFA code is required for ${mfaSerial}.`, MFA_HINT)
    const code = (await ui.promptSecret(`MFA code for ${mfaSerial}:`, MFA_HINT)).trim()
    if (!/^\d{6}$/.test(code))
      throw new InputError(`The MFA code must be 6 digits.`, 'Enter the current code shown by your MFA device.')
    return code
  }
}

/**
 * The SDK `credentials` value for the resolved credentials. Explicit keys win (both halves must be present);
 * otherwise a named profile goes through `fromIni`, and no choice at all through the default Node chain.
 */
export async function credentialProviderFor(
  creds: ResolvedCredentials,
  options: CredentialProviderOptions = {},
): Promise<SdkCredentials> {
  if (creds.accessKeyId || creds.secretAccessKey) {
    if (!creds.accessKeyId || !creds.secretAccessKey) {
      throw new InputError(
        `Incomplete credentials from ${describeCredentialSource({...creds, accessKeyId: undefined})}: ` +
          `${creds.accessKeyId ? 'the secret access key' : 'the access key id'} is missing.`,
        CREDENTIALS_HINT,
      )
    }
    return {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      ...(creds.sessionToken ? {sessionToken: creds.sessionToken} : {}),
    }
  }
  const providers = await import('@aws-sdk/credential-providers')
  const common = {
    mfaCodeProvider: mfaCodeProviderFor(options.ui),
    ...(options.region ? {clientConfig: {region: options.region}} : {}),
    ...(options.clientPlugins ? {clientPlugins: options.clientPlugins} : {}),
  }
  if (creds.awsProfile)
    return providers.fromIni({...common, profile: creds.awsProfile}) as AwsCredentialIdentityProvider
  return providers.fromNodeProviderChain(common) as AwsCredentialIdentityProvider
}

/** Is this the SDK's "could not load credentials" family of errors? */
export function isCredentialsError(err: unknown): boolean {
  const name = (err as {name?: unknown})?.name
  return name === 'CredentialsProviderError' || name === 'ProviderError' || name === 'TokenProviderError'
}

/** A credential-chain failure as an InputError (exit 2) that says where ecsx looked and how to fix it. */
export function credentialsInputError(err: Error, creds: ResolvedCredentials): InputError {
  const detail = redactSecrets(err.message, creds)
  return new InputError(
    `Could not load AWS credentials from ${describeCredentialSource(creds)}: ${detail}`,
    CREDENTIALS_HINT,
  )
}
