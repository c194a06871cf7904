/**
 * One translation for the errors of every AWS client ecsx builds — ECS, CloudFormation, SSM, ECR, CloudWatch Logs,
 * EC2, and the STS/SSO clients of the credential chain. sdk-config.ts installs it once per client (a middleware
 * around the whole call, retries included), so no call site translates by hand. The model (docs/aws.md "Errors"):
 *
 *   credentials that cannot be loaded, or that AWS rejects (unknown key, bad signature,
 *     expired token, STS refusing the caller)                                        → InputError, exit 2
 *   no region                                                                        → InputError, exit 2
 *   the endpoint cannot be reached (refused, DNS, reset, timeout)                    → OperationError, exit 1
 *   an answer that is not the service's protocol (an HTML page from a proxy …)       → OperationError, exit 1
 *   any other AWS exception → the SDK's exception itself, exit 1: name and message as AWS sent them (code that
 *     branches on `awsErrorName` keeps working, ECS answers stay identical to the local engine's), with the call
 *     attached (call-context.ts: service, operation, endpoint, request id) and a hint for permissions and throttling.
 *
 * Every message names the service, the operation and the endpoint; secrets are scrubbed from every message.
 */
import type {ResolvedCredentials} from '../config/types.js'
import {EcsxError, InputError, OperationError} from '../errors.js'
import {type AwsCall, attachAwsCall} from './call-context.js'
import {
  CREDENTIALS_HINT,
  credentialsInputError,
  describeCredentialSource,
  isCredentialsError,
  redactSecrets,
} from './credentials.js'

export interface AwsServiceInfo {
  label: string
  /** The SDK's per-service endpoint variable. */
  endpointVariable: string
  /** The IAM action prefix (ecs:RunTask). */
  iamPrefix: string
  /** What the service answers in. */
  format: 'JSON' | 'XML'
}

const service = (label: string, variable: string, iamPrefix: string, format: 'JSON' | 'XML'): AwsServiceInfo => ({
  label,
  endpointVariable: `AWS_ENDPOINT_URL_${variable}`,
  iamPrefix,
  format,
})

/** By the SDK's client class name (the middleware context's `clientName`). */
const SERVICES: Record<string, AwsServiceInfo> = {
  ECSClient: service('ECS', 'ECS', 'ecs', 'JSON'),
  CloudFormationClient: service('CloudFormation', 'CLOUDFORMATION', 'cloudformation', 'XML'),
  EC2Client: service('EC2', 'EC2', 'ec2', 'XML'),
  SSMClient: service('SSM', 'SSM', 'ssm', 'JSON'),
  ECRClient: service('ECR', 'ECR', 'ecr', 'JSON'),
  CloudWatchLogsClient: service('CloudWatch Logs', 'CLOUDWATCH_LOGS', 'logs', 'JSON'),
  STSClient: service('STS', 'STS', 'sts', 'XML'),
  SSOClient: service('IAM Identity Center (SSO)', 'SSO', 'sso', 'JSON'),
  SSOOIDCClient: service('IAM Identity Center (SSO OIDC)', 'SSO_OIDC', 'sso-oauth', 'JSON'),
}

export function serviceOfClient(clientName: string | undefined): AwsServiceInfo {
  const known = clientName ? SERVICES[clientName] : undefined
  if (known) return known
  const label = (clientName ?? 'AWS').replace(/Client$/, '')
  return service(label, label.toUpperCase(), label.toLowerCase(), 'JSON')
}

export const REGION_HINT =
  'Set a region with `ecsx configure --region REGION` (the cluster configuration), the --region flag, the AWS_REGION ' +
  'environment variable, or an AWS profile that has a region (--aws-profile or AWS_PROFILE).'

/** What the translation needs to know beyond the error: whose credentials, which endpoint settings. */
export interface AwsErrorContext {
  credentials?: ResolvedCredentials
  /** The ECS endpoint of --endpoint-url / AWS_ENDPOINT_URL_ECS (settings.endpointUrl). */
  ecsEndpoint?: string
  region?: string
  /** Where endpoint variables are looked up (default process.env). */
  env?: Record<string, string | undefined>
}

/** The call that failed, as the middleware saw it. */
export interface FailedCall {
  service: AwsServiceInfo
  operation: string
  endpoint?: string
  /** The raw response body, when one was captured. */
  body?: Uint8Array
}

type SdkError = Error & {
  $metadata?: {httpStatusCode?: number; requestId?: string; attempts?: number}
  $fault?: string
  code?: string
  cause?: {code?: string}
  hint?: string
}

/** The AWS error name (SDK exceptions carry ECS/CFN/ECR names in `name`; ecsx's own AWS errors in `Code`). */
export function awsErrorName(err: unknown): string | undefined {
  const e = err as {name?: unknown; Code?: unknown}
  if (typeof e?.Code === 'string') return e.Code
  return typeof e?.name === 'string' ? e.name : undefined
}

/** AWS refused the credentials themselves (not a permission): exit 2. */
export class AwsCredentialsRejectedError extends InputError {
  readonly Code: string
  constructor(message: string, hint: string, code: string) {
    super(message, hint)
    this.Code = code
  }
}

type Rejection = 'unknown-key' | 'signature' | 'expired' | 'sts-denied'

const REJECTIONS: Record<string, Rejection> = {
  InvalidClientTokenId: 'unknown-key',
  UnrecognizedClientException: 'unknown-key',
  InvalidAccessKeyId: 'unknown-key',
  AuthFailure: 'unknown-key',
  MissingAuthenticationToken: 'unknown-key',
  MissingAuthenticationTokenException: 'unknown-key',
  SignatureDoesNotMatch: 'signature',
  InvalidSignatureException: 'signature',
  IncompleteSignature: 'signature',
  IncompleteSignatureException: 'signature',
  RequestExpired: 'signature',
  ExpiredToken: 'expired',
  ExpiredTokenException: 'expired',
  TokenRefreshRequired: 'expired',
}

const REJECTION_HINTS: Record<Rejection, string> = {
  'unknown-key':
    'AWS does not know this access key id: check that it is active (IAM console), that it belongs to this ' +
    "region's partition, and that temporary keys (ASIA…) come with their session token.",
  signature:
    "The secret access key does not match the access key id, or this machine's clock is more than 5 minutes off.",
  expired:
    'The temporary credentials have expired: get new ones (`aws sso login --profile NAME` for an SSO profile, ' +
    'otherwise a fresh AWS_SESSION_TOKEN with its keys).',
  'sts-denied':
    'STS refused these credentials: for a profile that assumes a role, the role must trust the source credentials ' +
    '(its trust policy) and they need sts:AssumeRole.',
}

const PERMISSION_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
])
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
])
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
])
/** The SDK sometimes wraps a transport error ("AWS SDK error wrapper for Error: connect ECONNREFUSED …"). */
const NETWORK_CODE_IN_MESSAGE =
  /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED)\b/

/**
 * Map anything an AWS SDK call threw to what ecsx reports (see the table at the top). Errors ecsx already
 * translated (EcsxError) pass through, so nested clients (STS inside the credential chain) keep their attribution.
 */
export function translateAwsError(thrown: unknown, call: FailedCall, ctx: AwsErrorContext = {}): unknown {
  // Duck-typed: errors from Node core may come from another realm (e.g. under jest's vm), so no `instanceof Error`.
  if (!thrown || typeof thrown !== 'object' || typeof (thrown as Error).message !== 'string') return thrown
  if (thrown instanceof EcsxError) return thrown
  const err = thrown as SdkError
  const creds = ctx.credentials ?? {source: 'default-chain'}
  if (isCredentialsError(err)) return credentialsInputError(err, creds)
  if (err.message === 'Region is missing') return new InputError('No AWS region is set.', REGION_HINT)
  const networkCode = networkCodeOf(err)
  if (networkCode) return unreachable(err, call, ctx, networkCode)

  const answered: AwsCall = {
    service: call.service.label,
    operation: call.operation,
    ...(call.endpoint ? {endpoint: displayEndpoint(call.endpoint)} : {}),
    ...(err.$metadata?.httpStatusCode !== undefined ? {httpStatus: err.$metadata.httpStatusCode} : {}),
    ...(err.$metadata?.requestId ? {requestId: err.$metadata.requestId} : {}),
  }
  const text = call.body ? new TextDecoder().decode(call.body) : undefined
  if (isUnreadable(err)) {
    const xml = text !== undefined ? xmlErrorOf(text) : undefined
    const rejection = xml && rejectionOf(xml.code, call)
    if (xml && rejection) return rejected(xml.code, xml.message, rejection, answered, ctx)
    if (xml) return attachAwsCall(misformattedError(xml, answered, call, creds), answered)
    return attachAwsCall(unreadable(answered, call, ctx, text), answered)
  }
  const code = awsErrorName(err) ?? 'Error'
  const rejection = rejectionOf(code, call)
  if (rejection) return rejected(code, err.message, rejection, answered, ctx)

  scrub(err, creds)
  attachAwsCall(err, answered)
  const hint = serviceErrorHint(code, err, call, creds)
  if (hint && !err.hint)
    Object.defineProperty(err, 'hint', {value: hint, enumerable: false, configurable: true, writable: true})
  return err
}

function networkCodeOf(err: SdkError): string | undefined {
  const code = err.code ?? err.cause?.code ?? NETWORK_CODE_IN_MESSAGE.exec(err.message)?.[1]
  if (code && NETWORK_CODES.has(code)) return code
  if (err.name === 'TimeoutError' || err.name === 'RequestTimeout') return 'timeout'
  return undefined
}

/** The SDK could not parse the answer: JSON.parse failed, or an XML/JSON error had no recognisable code. */
function isUnreadable(err: SdkError): boolean {
  return (
    err.name === 'SyntaxError' ||
    /Deserialization error/.test(err.message) ||
    err.name === 'Unknown' ||
    (err.$fault !== undefined && err.message === 'UnknownError')
  )
}

function rejectionOf(code: string, call: FailedCall): Rejection | undefined {
  if (REJECTIONS[code]) return REJECTIONS[code]
  // STS runs only while credentials are loaded (assume-role, web identity): a refusal there is a credentials problem.
  if (call.service.label === 'STS' && PERMISSION_DENIED.has(code)) return 'sts-denied'
  return undefined
}

/** `http://127.0.0.1:4566` rather than `http://127.0.0.1:4566/`. */
function displayEndpoint(endpoint: string): string {
  return endpoint.replace(/^(https?:\/\/[^/]+)\/$/, '$1')
}

function endpointOf(call: FailedCall): string {
  return call.endpoint ? displayEndpoint(call.endpoint) : `the ${call.service.label} endpoint`
}

/** Which setting chose the endpoint, for hints; undefined when it is AWS's own. */
function endpointSetting(call: FailedCall, ctx: AwsErrorContext): string | undefined {
  const env = ctx.env ?? process.env
  const own = call.service.endpointVariable
  const all = `AWS_ENDPOINT_URL (or ${own} for ${call.service.label} alone)`
  if (call.service.label === 'ECS' && ctx.ecsEndpoint) {
    // settings.endpointUrl: --endpoint-url, else AWS_ENDPOINT_URL_ECS, else AWS_ENDPOINT_URL (src/lib/config)
    if (env[own] === ctx.ecsEndpoint) return own
    if (!env[own] && env.AWS_ENDPOINT_URL === ctx.ecsEndpoint) return all
    return '--endpoint-url'
  }
  if (env[own]) return own
  if (env.AWS_ENDPOINT_URL) return all
  return undefined
}

function unreachable(err: SdkError, call: FailedCall, ctx: AwsErrorContext, code: string): OperationError {
  const detail = err.message.replace(/^AWS SDK error wrapper for (Error: )?/, '') || code
  const setting = endpointSetting(call, ctx)
  const hint = setting
    ? `Check that the endpoint is running${call.service.label === 'ECS' ? ' (for example `ecsx engine serve`)' : ''} ` +
      `and that ${setting} is right.`
    : `Check your network connection and proxy settings (HTTPS_PROXY), and the region${ctx.region ? ` (${ctx.region})` : ''}.`
  return new OperationError(
    `Cannot reach ${call.service.label} at ${endpointOf(call)} (${call.operation}): ` +
      redactSecrets(detail, ctx.credentials),
    hint,
  )
}

function unreadable(
  answered: AwsCall,
  call: FailedCall,
  ctx: AwsErrorContext,
  text: string | undefined,
): OperationError {
  const status = answered.httpStatus !== undefined ? `HTTP ${answered.httpStatus}` : 'a response'
  const lines = (text ?? '').split(/\r?\n/).map((l) => l.trim())
  const first = lines.find((l) => l.length > 0)
  const title = /<title>([^<]{1,120})<\/title>/i.exec(text ?? '')?.[1]?.trim()
  const body =
    text === undefined
      ? `a response that is not ${call.service.format}`
      : first === undefined
        ? 'an empty body'
        : `a body that is not ${call.service.format}: ${clip(first)}${title && !first.includes(title) ? ` (title "${title}")` : ''}`
  const setting = endpointSetting(call, ctx)
  return new OperationError(
    redactSecrets(
      `${call.service.label} ${call.operation} at ${endpointOf(call)} answered ${status} with ${body}`,
      ctx.credentials,
    ),
    'A proxy, a captive portal or an endpoint that is not this AWS service answers like this: check ' +
      (setting ? `${setting}, ` : 'the region, ') +
      'and HTTPS_PROXY / HTTP_PROXY / NO_PROXY.',
  )
}

/** An AWS error in the other format (XML to a JSON call): still an AWS error, said with its code. */
function misformattedError(
  xml: {code: string; message: string},
  answered: AwsCall,
  call: FailedCall,
  creds: ResolvedCredentials,
): OperationError {
  const where = `${answered.service} ${answered.operation}${answered.endpoint ? ` at ${answered.endpoint}` : ''}`
  const other = call.service.format === 'JSON' ? 'XML' : 'JSON'
  return new OperationError(
    redactSecrets(
      `${where} failed: ${xml.code}: ${xml.message} (answered in ${other}, not ${call.service.format})`,
      creds,
    ),
    serviceErrorHint(xml.code, {} as SdkError, call, creds),
  )
}

function clip(line: string): string {
  return line.length > 160 ? `${line.slice(0, 157)}...` : line
}

/** `<Code>…</Code>` and `<Message>…</Message>` of an XML error document (some endpoints answer XML to JSON calls). */
function xmlErrorOf(text: string): {code: string; message: string} | undefined {
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1]?.trim()
  if (!code) return undefined
  return {code, message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1]?.trim() ?? ''}
}

function rejected(
  code: string,
  message: string,
  rejection: Rejection,
  answered: AwsCall,
  ctx: AwsErrorContext,
): AwsCredentialsRejectedError {
  const creds = ctx.credentials ?? {source: 'default-chain'}
  const where = `${answered.service} ${answered.operation}${answered.endpoint ? ` at ${answered.endpoint}` : ''}`
  const err = new AwsCredentialsRejectedError(
    redactSecrets(
      `${where} rejected the credentials: ${code}${message ? `: ${message}` : ''}\n` +
        `Credentials used: ${describeCredentialSource(creds)}.`,
      creds,
    ),
    `${REJECTION_HINTS[rejection]} ${CREDENTIALS_HINT}`,
    code,
  )
  return attachAwsCall(err, answered)
}

function serviceErrorHint(
  code: string,
  err: SdkError,
  call: FailedCall,
  creds: ResolvedCredentials,
): string | undefined {
  if (PERMISSION_DENIED.has(code)) {
    return (
      `The credentials (${describeCredentialSource(creds)}) may not call ${call.service.iamPrefix}:${call.operation}: ` +
      'grant that permission (docs/aws.md lists what each command needs).'
    )
  }
  if (THROTTLED.has(code)) {
    const attempts = err.$metadata?.attempts
    return (
      `${call.service.label} kept throttling the requests${attempts ? ` after ${attempts} attempts` : ''}: ` +
      'wait a little and run the command again, or allow more attempts with AWS_MAX_ATTEMPTS.'
    )
  }
  return undefined
}

function scrub(err: Error, creds: ResolvedCredentials): void {
  const message = redactSecrets(err.message, creds)
  if (message !== err.message) err.message = message
  if (err.stack) {
    const stack = redactSecrets(err.stack, creds)
    if (stack !== err.stack) err.stack = stack
  }
}
