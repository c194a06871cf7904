#!/usr/bin/env node
// The import graph of src: cycles (strongly connected components of two or more files) and forbidden edges by the
// room rules of scripts/rooms.mjs (the same matcher ESLint's `ecsx/rooms` uses). Every import form is an edge:
// import, import type, export … from, import() and typeof import() — a type-only import still ties two modules.
// Exits 1 if there is any cycle or forbidden edge. Run by .ci/run.
// usage: node scripts/import-graph.mjs [root=.] [--json]
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import ts from 'typescript'

import {checkImport, resolveSpecifier} from './rooms.mjs'

/** Every import of one TypeScript source: [{specifier, typeOnly}]. */
export function importsOf(text, fileName = 'file.ts') {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const found = []
  const allTypes = (elements) => elements.length > 0 && elements.every((e) => e.isTypeOnly)
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const bindings = clause?.namedBindings
      const typeOnly = Boolean(
        clause &&
        (clause.isTypeOnly || (!clause.name && bindings && ts.isNamedImports(bindings) && allTypes(bindings.elements))),
      )
      found.push({specifier: node.moduleSpecifier.text, typeOnly})
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause
      const typeOnly = node.isTypeOnly || Boolean(clause && ts.isNamedExports(clause) && allTypes(clause.elements))
      found.push({specifier: node.moduleSpecifier.text, typeOnly})
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({specifier: node.arguments[0].text, typeOnly: false})
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({specifier: node.argument.literal.text, typeOnly: true})
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return found
}

/** Strongly connected components with two or more nodes (Tarjan, iterative). graph: Map<node, Iterable<node>>. */
export function cyclesOf(graph) {
  let counter = 0
  const index = new Map()
  const low = new Map()
  const onStack = new Set()
  const stack = []
  const components = []
  for (const start of graph.keys()) {
    if (index.has(start)) continue
    const work = [{node: start, next: [...(graph.get(start) ?? [])], i: 0}]
    index.set(start, counter)
    low.set(start, counter++)
    stack.push(start)
    onStack.add(start)
    while (work.length) {
      const frame = work[work.length - 1]
      if (frame.i < frame.next.length) {
        const w = frame.next[frame.i++]
        if (!index.has(w)) {
          index.set(w, counter)
          low.set(w, counter++)
          stack.push(w)
          onStack.add(w)
          work.push({node: w, next: [...(graph.get(w) ?? [])], i: 0})
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node), index.get(w)))
        continue
      }
      work.pop()
      if (work.length) {
        const parent = work[work.length - 1].node
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)))
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = []
        let w
        do {
          w = stack.pop()
          onStack.delete(w)
          component.push(w)
        } while (w !== frame.node)
        if (component.length > 1) components.push(component.sort())
      }
    }
  }
  return components
}

function sourceFiles(dir, root) {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full, root)
    const ok = /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')
    return ok ? [path.relative(root, full).split(path.sep).join('/')] : []
  })
}

/**
 * The graph of root/src: {files, edges: [{from, to, typeOnly}] (one per importing/imported pair; typeOnly if every
 * import between them is), cycles: [[file]], forbidden: [{from, to, room, why}] (one per pair), unresolved}.
 */
export function analyse(root) {
  const files = sourceFiles(path.join(root, 'src'), root).sort()
  const known = new Set(files)
  const graph = new Map(files.map((f) => [f, new Set()]))
  const edgeByKey = new Map()
  const forbiddenKeys = new Set()
  const forbidden = []
  const unresolved = []
  for (const from of files) {
    for (const {specifier, typeOnly} of importsOf(fs.readFileSync(path.join(root, from), 'utf8'), from)) {
      const target = resolveSpecifier(from, specifier)
      if (!target) continue
      if (target.file) {
        const to = [target.file, target.file.replace(/\.ts$/, '/index.ts')].find((f) => known.has(f))
        if (!to && target.file.startsWith('src/')) unresolved.push({from, specifier})
        if (to) target.file = to
        if (to && to !== from) {
          graph.get(from).add(to)
          const key = `${from} ${to}`
          const seen = edgeByKey.get(key)
          if (seen) seen.typeOnly &&= typeOnly
          else edgeByKey.set(key, {from, to, typeOnly})
        }
      }
      const verdict = checkImport(from, target, {typeOnly})
      const key = `${from} ${target.file ?? target.package}`
      if (verdict && !forbiddenKeys.has(key) && forbiddenKeys.add(key))
        forbidden.push({from, to: target.file ?? target.package, room: verdict.room, why: verdict.why})
    }
  }
  const edges = [...edgeByKey.values()]
  return {files, edges, cycles: cyclesOf(graph), forbidden, unresolved}
}

function main(argv) {
  const json = argv.includes('--json')
  const root = path.resolve(
    argv.find((a) => !a.startsWith('--')) ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
  )
  const result = analyse(root)
  const summary =
    `files ${result.files.length}, edges ${result.edges.length}, cycles ${result.cycles.length}, ` +
    `forbidden ${result.forbidden.length}, unresolved ${result.unresolved.length}`
  if (json) process.stdout.write(JSON.stringify({...result, summary}, null, 2) + '\n')
  else {
    for (const c of result.cycles) {
      const inside = new Set(c)
      const ties = result.edges.filter((e) => inside.has(e.from) && inside.has(e.to))
      console.log(`cycle (${c.length} files): ${c.join(', ')}`)
      for (const e of ties) console.log(`  ${e.from} → ${e.to}${e.typeOnly ? ' (type only)' : ''}`)
    }
    for (const f of result.forbidden) console.log(`forbidden [${f.room}]: ${f.from} → ${f.to}`)
    for (const why of new Set(result.forbidden.map((f) => f.why))) console.log(`  rule: ${why}`)
    for (const u of result.unresolved)
      console.log(`unresolved: ${u.from} imports '${u.specifier}' (no such file under src)`)
    console.log(summary)
  }
  return result.cycles.length || result.forbidden.length || result.unresolved.length ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  process.exitCode = main(process.argv.slice(2))
