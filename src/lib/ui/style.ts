/** ANSI styling without a dependency; identity functions when colour is off. */
export interface Style {
  bold(s: string): string
  dim(s: string): string
  red(s: string): string
  green(s: string): string
  yellow(s: string): string
}

const wrap = (open: number, close: number) => (s: string) => `\u001B[${open}m${s}\u001B[${close}m`
const identity = (s: string) => s

export function createStyle(color: boolean): Style {
  if (!color) return {bold: identity, dim: identity, red: identity, green: identity, yellow: identity}
  return {bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39)}
}

/** Remove ANSI escape sequences (for width calculations and tests). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replaceAll(/\u001B\[[0-9;?]*[A-Za-z]/g, '')
}
