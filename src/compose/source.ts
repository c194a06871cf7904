/**
 * YAML source files with positions. Values are handed to the translator as plain JS (fast path); positions are
 * looked up lazily from the parsed document only when an error or warning needs one.
 */
import {readFileSync} from 'node:fs'
import * as path from 'node:path'

import {
  Document,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Node as YamlNode,
} from 'yaml'

import {ComposeError} from './errors.js'

export type PathSeg = string | number
export type Path = readonly PathSeg[]

export interface Position {
  file: string
  line?: number
  column?: number
}

export class SourceFile {
  constructor(
    /** Absolute path. */
    readonly absPath: string,
    /** What messages show: relative to cwd when inside it. */
    readonly display: string,
    readonly doc: Document.Parsed,
    readonly lines: LineCounter,
    /** Prefix mapping a logical path to this document's path (v1 files keep services at the top level). */
    public servicesAtTop = false,
  ) {}

  /** Position of the deepest node along `path` (a map entry's key, a sequence item). */
  locate(logical: Path): Position {
    return this.find(logical).pos
  }

  /** The position and how many path segments matched (to pick the best file among several). */
  find(logical: Path): {pos: Position; depth: number} {
    const top = this.servicesAtTop && logical[0] === 'services'
    const p = top ? logical.slice(1) : logical
    let node: unknown = this.doc.contents
    let offset: number | undefined = rangeStart(node)
    let depth = top ? 1 : 0
    for (const seg of p) {
      const step = this.step(node, seg)
      if (!step) break
      depth++
      node = step.node
      if (step.offset !== undefined) offset = step.offset
    }
    if (offset === undefined) return {pos: {file: this.display}, depth}
    const {line, col} = this.lines.linePos(offset)
    return {pos: {file: this.display, line, column: col}, depth}
  }

  private step(node: unknown, seg: PathSeg): {node: unknown; offset?: number} | undefined {
    if (isAlias(node)) node = node.resolve(this.doc)
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(seg)) {
          return {node: pair.value, offset: rangeStart(pair.key)}
        }
      }
      // `<<: *anchor` merge keys
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && pair.key.value === '<<') {
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value]
          for (const src of sources) {
            const found = this.step(src, seg)
            if (found) return {node: found.node, offset: rangeStart(pair.key)}
          }
        }
      }
      return undefined
    }
    if (isSeq(node)) {
      if (typeof seg === 'number') {
        const item = node.items[seg]
        return item === undefined ? undefined : {node: item, offset: rangeStart(item)}
      }
      // a list written as KEY=value (environment, labels, sysctls, extra_hosts): find the item for KEY
      for (const item of node.items) {
        if (isScalar(item)) {
          const v = String(item.value)
          if (v === seg || v.startsWith(`${seg}=`) || v.startsWith(`${seg}:`))
            return {node: item, offset: rangeStart(item)}
        }
      }
    }
    return undefined
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range
  return range ? range[0] : undefined
}

export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs)
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel
}

export function readText(abs: string, display: string, what: string): string {
  try {
    return readFileSync(abs, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message
    throw new ComposeError(`cannot read ${what}: ${reason}`, {file: display})
  }
}

/** Parse YAML text, keeping positions. Syntax errors become ComposeError with file:line:column. */
export function parseYaml(text: string, abs: string, display: string): {source: SourceFile; value: unknown} {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, merge: true, prettyErrors: true, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const err = doc.errors[0]
    const pos = err.linePos?.[0]
    const first = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    throw new ComposeError(`invalid YAML: ${first}`, {file: display, line: pos?.line, column: pos?.col})
  }
  const source = new SourceFile(abs, display, doc, lines)
  let value: unknown
  try {
    value = doc.toJS({maxAliasCount: 10_000})
  } catch (error) {
    throw new ComposeError(`invalid YAML: ${(error as Error).message}`, {file: display})
  }
  return {source, value}
}
