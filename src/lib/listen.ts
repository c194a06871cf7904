/** What `engine serve` and `engine ui` share about listening: the loopback rule and readable listen errors. */
import {isLoopbackHost} from './ecs/server.js'
import {InputError, OperationError} from './errors.js'

/**
 * Exit 2 unless `host` is a loopback address or remote access was allowed. `why` says what would be exposed,
 * `whoMay` who --allow-remote trusts (`control the engine`, `see the cluster`).
 */
export function assertListenHost(host: string, allowRemote: boolean, why: string, whoMay: string): void {
  if (isLoopbackHost(host) || allowRemote) return
  throw new InputError(
    `Refusing to listen on ${host}: ${why}, so it listens on loopback only.`,
    `Use --host 127.0.0.1, or add --allow-remote if every machine that can reach this address may ${whoMay}.`,
  )
}

export function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new OperationError(
      `Port ${port} on ${host} is already in use.`,
      'Choose another with --port (0 picks any free port).',
    )
  }
  if (error.code === 'EACCES') {
    return new OperationError(
      `Not allowed to listen on ${host}:${port}.`,
      'Ports below 1024 need privileges; choose a higher --port.',
    )
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new InputError(`Cannot listen on ${host}: no such local address.`, 'Use --host 127.0.0.1 (the default).')
  }
  return new OperationError(`Cannot listen on ${host}:${port}: ${error.message}`)
}
