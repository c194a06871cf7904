/**
 * The one answer for infrastructure the local backend does not have: "<what> is/are not available on the local
 * backend: <why>." with a hint naming --backend aws, exit 2 (bad input: the command was pointed at the wrong
 * backend). Every local stand-in for a missing capability throws this, and only this.
 */
import {InputError} from '../errors.js'

const CAPABILITIES = {
  logs: 'Logs are not available on the local backend: its containers are simulated and write no output.',
  ecr: 'Amazon ECR is not available on the local backend: it has no container image registry.',
} as const

export type LocalGap = keyof typeof CAPABILITIES

export const AWS_BACKEND_HINT =
  'Run with --backend aws (or ECSX_BACKEND=aws, or a cluster configuration whose backend is aws).'

/** The error for `capability` on the local backend; `detail` (what aws would do) goes before the hint. */
export function notOnLocalBackend(capability: LocalGap, detail?: string): InputError {
  return new InputError(CAPABILITIES[capability], detail ? `${detail}\n${AWS_BACKEND_HINT}` : AWS_BACKEND_HINT)
}
