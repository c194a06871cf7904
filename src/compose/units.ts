/**
 * Unit parsers for Compose and ecs-params values: memory sizes, durations, CPU, ports, shell words, task size.
 * Every parser either returns an exact value or throws `UnitError` with a message that says what would be valid;
 * callers attach the file/line/service/key. Nothing here rounds silently to a wrong value.
 */
import {parseDuration} from '../lib/ecs/duration.js'

export {formatDuration} from '../lib/ecs/duration.js'

export class UnitError extends Error {}

const MIB = 1024 * 1024

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([kmgtp])?(i)?(b)?$/i
const SIZE_MULTIPLIER: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
}

/** Docker's RAMInBytes: a bare number is bytes; `k`,`m`,`g`,`t`,`p` (optionally `b`/`ib`) are binary units. */
export function parseSizeBytes(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
      throw new UnitError(
        `invalid size ${String(value)}: a bare number is a whole number of bytes; use e.g. "512m" or "1g"`,
      )
    }
    return value
  }
  if (typeof value !== 'string')
    throw new UnitError(`invalid size ${describe(value)}: expected bytes or a string like "512m" or "1.5g"`)
  const m = SIZE_RE.exec(value.trim())
  if (!m || (m[3] && !m[2])) {
    throw new UnitError(
      `invalid size "${value}": expected bytes or a number with a unit b, k, m, g (e.g. "512m", "0.5g", "1GB")`,
    )
  }
  const bytes = Math.floor(Number(m[1]) * SIZE_MULTIPLIER[(m[2] ?? '').toLowerCase()])
  if (!Number.isSafeInteger(bytes)) throw new UnitError(`invalid size "${value}": too large`)
  return bytes
}

/** A size in whole MiB (integer division, as ecs-cli). Sizes under 1 MiB are rejected rather than becoming 0. */
export function parseSizeMiB(value: unknown): number {
  const bytes = parseSizeBytes(value)
  const mib = Math.floor(bytes / MIB)
  if (mib < 1) {
    const hint =
      typeof value === 'number' || /^\d+$/.test(String(value).trim())
        ? ` (a bare number is bytes: did you mean "${String(value).trim()}m"?)`
        : ''
    throw new UnitError(`size ${describe(value)} is less than 1 MiB${hint}`)
  }
  return mib
}

/**
 * Go/Compose durations ("1m30s", "2.5s", "500ms", "1h"), or a bare number of seconds (as ecs-params allows) — the one
 * duration syntax of ecsx (src/lib/ecs/duration.ts). Returns milliseconds (may be fractional for sub-millisecond inputs).
 */
export function parseDurationMs(value: unknown): number {
  const result = parseDuration(value)
  if (result.ok) return result.ms
  switch (result.problem) {
    case 'negative':
      throw new UnitError(`invalid duration ${describe(value)}: must not be negative`)
    case 'too-large':
      throw new UnitError(`invalid duration ${describe(value)}: too large`)
    case 'type':
      throw new UnitError(`invalid duration ${describe(value)}: expected e.g. "30s", "1m30s", "500ms"`)
    case 'empty':
      throw new UnitError('empty duration: expected e.g. "30s", "1m30s", "500ms"')
    case 'syntax':
      throw new UnitError(
        `invalid duration "${String(value)}": expected a number with a unit ns, us, ms, s, m, h (e.g. "30s", "1m30s", "500ms")`,
      )
  }
}

/** Whole seconds for an ECS integer-seconds field; the caller warns when `truncated`. */
export function durationToSeconds(ms: number): {seconds: number; truncated: boolean} {
  const seconds = Math.floor(ms / 1000 + 1e-9)
  return {seconds, truncated: Math.abs(seconds * 1000 - ms) > 1e-6}
}

/** Compose `cpus` (fractional CPUs) → ECS CPU units (×1024). Values that round to 0 units are rejected. */
export function cpusToUnits(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d*\.?\d+\s*$/.test(value)
        ? Number(value)
        : NaN
  if (!Number.isFinite(n) || n < 0)
    throw new UnitError(`invalid cpus ${describe(value)}: expected a number of CPUs such as 0.5 or 2`)
  const units = Math.round(n * 1024)
  if (n > 0 && units === 0) throw new UnitError(`cpus ${describe(value)} is less than 1 CPU unit (1/1024 of a CPU)`)
  return units
}

/** A non-negative integer from a number or a numeric string (YAML and interpolation both produce either). */
export function parseInteger(value: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) n = Number(value)
  else throw new UnitError(`invalid ${what} ${describe(value)}: expected a whole number`)
  if (!Number.isInteger(n)) throw new UnitError(`invalid ${what} ${describe(value)}: expected a whole number`)
  if (n < min || n > max) throw new UnitError(`invalid ${what} ${describe(value)}: must be between ${min} and ${max}`)
  return n
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'on', '1'])
const FALSE_WORDS = new Set(['false', 'no', 'n', 'off', '0'])

/** Booleans as Compose casts them after interpolation ("true", "yes", "on", …). */
export function parseBoolean(value: unknown, what: string): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase()
    if (TRUE_WORDS.has(v)) return true
    if (FALSE_WORDS.has(v)) return false
  }
  throw new UnitError(`invalid ${what} ${describe(value)}: expected true or false`)
}

// ---------------------------------------------------------------------------------------------------------------
// Ports

export interface ParsedPort {
  containerPort: number
  /** undefined = not given (dynamic in bridge mode, = containerPort in awsvpc/host). */
  hostPort?: number
  protocol: 'tcp' | 'udp'
  hostIp?: string
  name?: string
  appProtocol?: 'http' | 'http2' | 'grpc'
}

const PORT_FORMS =
  'valid forms: "80", "8080:80", "127.0.0.1:8080:80", "8080:80/udp", "9000-9001:9000-9001", ' +
  'or the long syntax {target, published, protocol}'

function parsePortNumber(text: string, whole: string, allowZero: boolean): number {
  if (!/^\d+$/.test(text)) throw new UnitError(`invalid port "${whole}": "${text}" is not a port number; ${PORT_FORMS}`)
  const n = Number(text)
  if (n > 65535 || (!allowZero && n === 0))
    throw new UnitError(`invalid port "${whole}": ${text} is outside ${allowZero ? 0 : 1}-65535`)
  return n
}

function parsePortRange(text: string, whole: string, allowZero: boolean): [number, number] {
  const dash = text.indexOf('-')
  if (dash < 0) {
    const p = parsePortNumber(text, whole, allowZero)
    return [p, p]
  }
  const a = parsePortNumber(text.slice(0, dash), whole, allowZero)
  const b = parsePortNumber(text.slice(dash + 1), whole, allowZero)
  if (b < a) throw new UnitError(`invalid port range "${whole}": ${a}-${b} is descending`)
  return [a, b]
}

function parseProtocol(text: string, whole: string): 'tcp' | 'udp' {
  const p = text.toLowerCase()
  if (p === 'tcp' || p === 'udp') return p
  throw new UnitError(`invalid protocol "${text}" in port "${whole}": ECS supports tcp and udp`)
}

function expandRanges(
  host: [number, number] | undefined,
  container: [number, number],
  whole: string,
  protocol: 'tcp' | 'udp',
  hostIp: string | undefined,
): ParsedPort[] {
  const count = container[1] - container[0] + 1
  if (host && host[1] - host[0] + 1 !== count && !(host[0] === host[1] && count === 1)) {
    throw new UnitError(
      `invalid port "${whole}": the host range has ${host[1] - host[0] + 1} ports but the container range has ${count}; ` +
        'ECS needs one host port per container port',
    )
  }
  const out: ParsedPort[] = []
  for (let i = 0; i < count; i++) {
    const p: ParsedPort = {containerPort: container[0] + i, protocol}
    if (host) p.hostPort = host[0] + i
    if (hostIp !== undefined) p.hostIp = hostIp
    out.push(p)
  }
  return out
}

/** Compose short port syntax (string or number) → one mapping per port (ranges expanded). */
export function parsePortShort(value: unknown): ParsedPort[] {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new UnitError(`invalid port ${value}; ${PORT_FORMS}`)
    return [{containerPort: parsePortNumber(String(value), String(value), false), protocol: 'tcp'}]
  }
  if (typeof value !== 'string') throw new UnitError(`invalid port ${describe(value)}; ${PORT_FORMS}`)
  const whole = value
  let spec = value.trim()
  let protocol: 'tcp' | 'udp' = 'tcp'
  const slash = spec.lastIndexOf('/')
  if (slash >= 0) {
    protocol = parseProtocol(spec.slice(slash + 1), whole)
    spec = spec.slice(0, slash)
  }
  let hostIp: string | undefined
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']')
    if (close < 0 || spec[close + 1] !== ':')
      throw new UnitError(`invalid port "${whole}": an IPv6 host address must be written [addr]:host:container`)
    hostIp = spec.slice(1, close)
    spec = spec.slice(close + 2)
    const parts = spec.split(':')
    if (parts.length !== 2) throw new UnitError(`invalid port "${whole}"; ${PORT_FORMS}`)
    return expandRanges(
      parts[0] === '' ? undefined : parsePortRange(parts[0], whole, true),
      parsePortRange(parts[1], whole, false),
      whole,
      protocol,
      hostIp,
    )
  }
  const parts = spec.split(':')
  if (parts.length === 1)
    return expandRanges(undefined, parsePortRange(parts[0], whole, false), whole, protocol, undefined)
  if (parts.length === 2)
    return expandRanges(
      parsePortRange(parts[0], whole, true),
      parsePortRange(parts[1], whole, false),
      whole,
      protocol,
      undefined,
    )
  if (parts.length === 3) {
    hostIp = parts[0]
    return expandRanges(
      parts[1] === '' ? undefined : parsePortRange(parts[1], whole, true),
      parsePortRange(parts[2], whole, false),
      whole,
      protocol,
      hostIp,
    )
  }
  throw new UnitError(`invalid port "${whole}"; ${PORT_FORMS} (IPv6 host addresses go in brackets: "[::1]:8080:80")`)
}

// ---------------------------------------------------------------------------------------------------------------
// Shell words

/** Split a command string like a POSIX shell (quotes, backslash escapes); no expansion. */
export function shellSplit(text: string): string[] {
  const words: string[] = []
  let cur = ''
  let inWord = false
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) {
        words.push(cur)
        cur = ''
        inWord = false
      }
      i++
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) throw new UnitError(`unterminated single quote in ${JSON.stringify(text)}`)
      cur += text.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      inWord = true
      let closed = false
      while (i < text.length) {
        const d = text[i]
        if (d === '"') {
          closed = true
          i++
          break
        }
        if (d === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) {
          if (text[i + 1] !== '\n') cur += text[i + 1]
          i += 2
          continue
        }
        cur += d
        i++
      }
      if (!closed) throw new UnitError(`unterminated double quote in ${JSON.stringify(text)}`)
    } else if (c === '\\') {
      if (i + 1 < text.length) {
        if (text[i + 1] !== '\n') {
          cur += text[i + 1]
          inWord = true
        }
        i += 2
      } else {
        i++
      }
    } else {
      cur += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(cur)
  return words
}

// ---------------------------------------------------------------------------------------------------------------
// Task size

const VCPU_RE = /^(\d+(?:\.\d+)?|\.\d+)\s*vcpus?$/i
const GB_RE = /^(\d+(?:\.\d+)?|\.\d+)\s*(gb|gib|g)$/i
const MB_RE = /^(\d+)\s*(mb|mib|m)$/i

/** Task-level cpu: "1024", 1024, "1 vCPU", "0.5 vcpu" → integer CPU units as a string. */
export function normalizeTaskCpu(value: unknown): string {
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined
  if (s !== undefined) {
    if (/^\d+$/.test(s) && Number(s) > 0) return String(Number(s))
    const m = VCPU_RE.exec(s)
    if (m) {
      const units = Number(m[1]) * 1024
      if (Number.isInteger(units) && units > 0) return String(units)
    }
  }
  throw new UnitError(
    `invalid task cpu ${describe(value)}: expected CPU units ("256", "1024") or vCPUs ("0.25 vCPU", "1 vCPU")`,
  )
}

/** Task-level memory: "2048", 2048, "2GB", "2 GB", "0.5GB", "512MiB" → integer MiB as a string. */
export function normalizeTaskMemory(value: unknown): string {
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined
  if (s !== undefined) {
    if (/^\d+$/.test(s) && Number(s) > 0) return String(Number(s))
    const g = GB_RE.exec(s)
    if (g) {
      const mib = Number(g[1]) * 1024
      if (Number.isInteger(mib) && mib > 0) return String(mib)
    }
    const m = MB_RE.exec(s)
    if (m && Number(m[1]) > 0) return String(Number(m[1]))
  }
  throw new UnitError(`invalid task memory ${describe(value)}: expected MiB ("512", "2048") or GB ("0.5GB", "2 GB")`)
}

/** The valid Fargate memory values (MiB) for a task cpu value, or undefined when the cpu value itself is invalid. */
export function fargateMemoryOptions(cpu: number): number[] | undefined {
  const range = (from: number, to: number) => Array.from({length: (to - from) / 1024 + 1}, (_, i) => from + i * 1024)
  switch (cpu) {
    case 256:
      return [512, 1024, 2048]
    case 512:
      return range(1024, 4096)
    case 1024:
      return range(2048, 8192)
    case 2048:
      return range(4096, 16384)
    case 4096:
      return range(8192, 30720)
    default:
      return undefined
  }
}
export const FARGATE_CPU_VALUES = [256, 512, 1024, 2048, 4096]

/** A short, safe rendering of a value for messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping'
  return String(value)
}
