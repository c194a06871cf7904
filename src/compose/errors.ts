/**
 * ComposeError (exit code 2) and the warning collector. Every message names the file:line:column, the service and
 * the key it is about, so the user can go straight to the spot.
 */
import {InputError, formatPosition} from '../lib/errors.js'
import type {Diagnostic} from './types.js'

export interface ComposeErrorDetails {
  file?: string
  line?: number
  column?: number
  service?: string
  key?: string
  hint?: string
}

/** "file:line:col: service "web": ports: <message>" (parts left out when unknown). */
export function formatComposeMessage(message: string, d: Omit<ComposeErrorDetails, 'hint'>): string {
  let prefix = ''
  if (d.file) prefix += `${formatPosition({file: d.file, line: d.line, column: d.column})}: `
  if (d.service) prefix += `service "${d.service}": `
  if (d.key) prefix += `${d.key}: `
  return prefix + message
}

export class ComposeError extends InputError {
  readonly file?: string
  readonly line?: number
  readonly column?: number
  readonly service?: string
  readonly key?: string
  /** The message without the location prefix. */
  readonly detail: string

  constructor(message: string, details: ComposeErrorDetails = {}) {
    super(formatComposeMessage(message, details), details.hint)
    this.detail = message
    this.file = details.file
    this.line = details.line
    this.column = details.column
    this.service = details.service
    this.key = details.key
  }
}

/**
 * Collects warnings and infos; one diagnostic per (level, file, service, key, message). `message` is the bare text:
 * the position, service and key are in their own fields (the caller formats them, see src/lib/workflows/project.ts).
 */
export class Diagnostics {
  readonly list: Diagnostic[] = []
  private readonly seen = new Set<string>()

  add(level: Diagnostic['level'], message: string, d: Omit<ComposeErrorDetails, 'hint'> = {}): void {
    const id = `${level}\0${d.file ?? ''}\0${d.service ?? ''}\0${d.key ?? ''}\0${message}`
    if (this.seen.has(id)) return
    this.seen.add(id)
    const diag: Diagnostic = {level, message}
    if (d.file !== undefined) diag.file = d.file
    if (d.line !== undefined) diag.line = d.line
    if (d.column !== undefined) diag.column = d.column
    if (d.service !== undefined) diag.service = d.service
    if (d.key !== undefined) diag.key = d.key
    this.list.push(diag)
  }
}
