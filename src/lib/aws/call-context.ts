/**
 * Which AWS call an error came from: attached by src/lib/aws/errors.ts to every error an AWS service answered, read
 * by the CLI's error renderer (src/lib/base-command.ts) to print the service, operation, endpoint and request id.
 * Neutral and tiny on purpose: the renderer imports it on every run; it imports nothing.
 */

export interface AwsCall {
  /** Human service name: ECS, CloudFormation, EC2, SSM, ECR, CloudWatch Logs, STS. */
  service: string
  /** The API operation, e.g. CreateStack. */
  operation: string
  /** The URL the request went to, when known. */
  endpoint?: string
  /** HTTP status of the answer, when there was one. */
  httpStatus?: number
  requestId?: string
}

const CALL = Symbol.for('ecsx.awsCall')

/** Attach the call to an error (non-enumerable: JSON.stringify and jest's equality ignore it). */
export function attachAwsCall<E extends object>(err: E, call: AwsCall): E {
  Object.defineProperty(err, CALL, {value: call, enumerable: false, configurable: true, writable: true})
  return err
}

export function awsCallOf(err: unknown): AwsCall | undefined {
  if (!err || typeof err !== 'object') return undefined
  return (err as Record<symbol, AwsCall | undefined>)[CALL]
}

/** "ECS DeleteCluster at http://127.0.0.1:4566 (HTTP 400, request id 1f2e…)". */
export function formatAwsCall(call: AwsCall): string {
  const details = [
    call.httpStatus !== undefined ? `HTTP ${call.httpStatus}` : undefined,
    call.requestId ? `request id ${call.requestId}` : undefined,
  ].filter(Boolean)
  return (
    `${call.service} ${call.operation}${call.endpoint ? ` at ${call.endpoint}` : ''}` +
    (details.length > 0 ? ` (${details.join(', ')})` : '')
  )
}
