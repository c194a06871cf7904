/** Value parsing and comparison for the query language: versions, registration dates, counts. */

/** Parse `1.14.5` (optionally `v1.14.5`) into numeric parts; undefined when not a dotted number. */
export function parseVersion(text: string): number[] | undefined {
  const match = /^v?(\d+(?:\.\d+)*)$/i.exec(text.trim())
  if (!match) return undefined
  return match[1].split('.').map(Number)
}

/** Compare two versions part by part; missing parts count as 0 (1.14 == 1.14.0). */
export function compareVersions(a: number[], b: number[]): number {
  const length = Math.max(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** A registeredAt argument: the instant and the precision the user wrote it in. */
export interface QueryDate {
  epochMs: number
  /** 'day' for `2018-02-13`, 'second' for the three date-time forms. */
  precision: 'day' | 'second'
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?$/

/**
 * The four forms the guide lists: `2018-06-18T22:28:28+00:00`, `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28`
 * (UTC) and `2018-06-18` (the UTC day). Undefined when the text is none of them or not a real date.
 */
export function parseQueryDate(text: string): QueryDate | undefined {
  const day = DATE_ONLY.exec(text)
  if (day) {
    const epochMs = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))
    return isRealDate(epochMs, day[1], day[2], day[3]) ? {epochMs, precision: 'day'} : undefined
  }
  const time = DATE_TIME.exec(text)
  if (!time) return undefined
  const [, y, mo, d, h, mi, s, zone] = time
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined
  let epochMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  if (!isRealDate(Date.UTC(Number(y), Number(mo) - 1, Number(d)), y, mo, d)) return undefined
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))
    epochMs -= sign * offsetMinutes * 60_000
  }
  return {epochMs, precision: 'second'}
}

function isRealDate(epochMs: number, y: string, mo: string, d: string): boolean {
  const date = new Date(epochMs)
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() + 1 === Number(mo) && date.getUTCDate() === Number(d)
}

/** Truncate an instant to the precision of a query date, so `registeredAt == 2018-02-13` means "that day". */
export function truncateTo(epochMs: number, precision: QueryDate['precision']): number {
  const unit = precision === 'day' ? 86_400_000 : 1000
  return Math.floor(epochMs / unit) * unit
}

/** Non-negative integer such as a runningTasksCount argument. */
export function parseCount(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined
}

/** Order two attribute values: numerically when both are numbers, else as versions when both are, else as text. */
export function compareAttributeValues(a: string, b: string): number {
  const na = Number(a)
  const nb = Number(b)
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb))
    return na === nb ? 0 : na < nb ? -1 : 1
  const va = parseVersion(a)
  const vb = parseVersion(b)
  if (va && vb) return compareVersions(va, vb)
  return a === b ? 0 : a < b ? -1 : 1
}
