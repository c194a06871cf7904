/** Typed access to the parsed ecs-params tree with errors that point at the file and line. */
import {ComposeError} from '../errors.js'
import type {Path, SourceFile} from '../source.js'
import {UnitError, describe} from '../units.js'
import type {Dict} from '../values.js'

export class Reader {
  constructor(readonly source: SourceFile) {}

  fail(p: Path, message: string): never {
    const pos = this.source.locate(p)
    const svc = p[0] === 'task_definition' && p[1] === 'services' && typeof p[2] === 'string' ? p[2] : undefined
    const key = p.filter((s) => typeof s === 'string').join('.') || undefined
    throw new ComposeError(message, {...pos, service: svc, key})
  }

  dict(value: unknown, p: Path, allowed: string[] | undefined, what?: string): Dict {
    if (value === undefined || value === null) return {}
    if (typeof value !== 'object' || Array.isArray(value))
      this.fail(p, `${what ?? p.join('.')} must be a mapping, not ${describe(value)}`)
    const d = value as Dict
    if (allowed) {
      for (const k of Object.keys(d)) {
        if (!allowed.includes(k)) {
          const where = p.length ? ` in ${p.filter((s) => typeof s === 'string').join('.')}` : ''
          this.fail([...p, k], `unknown key "${k}"${where}; valid keys: ${allowed.join(', ')}`)
        }
      }
    }
    return d
  }

  list(value: unknown, p: Path): unknown[] {
    if (!Array.isArray(value))
      this.fail(p, `${p.filter((s) => typeof s === 'string').join('.')} must be a list, not ${describe(value)}`)
    return value as unknown[]
  }

  str(value: unknown, p: Path): string | undefined {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    return this.fail(p, `expected a string, not ${describe(value)}`)
  }

  stringMap(value: unknown, p: Path): Record<string, string> {
    const d = this.dict(value, p, undefined)
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(d)) out[k] = this.str(v, [...p, k]) ?? ''
    return out
  }

  unit<T>(fn: () => T, p: Path): T {
    try {
      return fn()
    } catch (error) {
      if (error instanceof UnitError) this.fail(p, error.message)
      throw error
    }
  }
}
