// scripts/import-graph.mjs: import extraction, cycle finding, the analysis of a src tree, and agreement with the
// ESLint rule `ecsx/rooms` (both must flag the same imports: one set of rules, two readers).
import {describe, expect, it} from '@jest/globals'
import {Linter} from 'eslint'
import fc from 'fast-check'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import tseslint from 'typescript-eslint'

interface Edge {
  from: string
  to: string
  typeOnly: boolean
}
interface Analysis {
  files: string[]
  edges: Edge[]
  cycles: string[][]
  forbidden: Array<{from: string; to: string; room: string; why: string}>
  unresolved: Array<{from: string; specifier: string}>
}
interface GraphModule {
  importsOf(text: string, fileName?: string): Array<{specifier: string; typeOnly: boolean}>
  cyclesOf(graph: Map<string, Iterable<string>>): string[][]
  analyse(root: string): Analysis
}

const ROOT = path.resolve(import.meta.dirname, '../..')
const load = async <T>(file: string) => (await import(pathToFileURL(path.join(ROOT, file)).href)) as T
const {importsOf, cyclesOf, analyse} = await load<GraphModule>('scripts/import-graph.mjs')
const {default: ecsxPlugin} = await load<{default: {rules: Record<string, unknown>}}>('scripts/eslint-rooms.mjs')

describe('importsOf', () => {
  it('finds every import form and tells type-only ones apart', () => {
    const text = [
      "import {a} from './a.js'",
      "import type {B} from './b.js'",
      "import {type C, type D} from './c.js'",
      "import {type E, f} from './e.js'",
      "import g, {type H} from './g.js'",
      "import './side-effect.js'",
      "export {i} from './i.js'",
      "export type {J} from './j.js'",
      "export * from './k.js'",
      "const l = await import('./l.js')",
      "let m: typeof import('./m.js')",
      "let n: import('./n.js').N",
      'const o = await import(dynamicName)',
    ].join('\n')
    expect(importsOf(text)).toEqual([
      {specifier: './a.js', typeOnly: false},
      {specifier: './b.js', typeOnly: true},
      {specifier: './c.js', typeOnly: true},
      {specifier: './e.js', typeOnly: false},
      {specifier: './g.js', typeOnly: false},
      {specifier: './side-effect.js', typeOnly: false},
      {specifier: './i.js', typeOnly: false},
      {specifier: './j.js', typeOnly: true},
      {specifier: './k.js', typeOnly: false},
      {specifier: './l.js', typeOnly: false},
      {specifier: './m.js', typeOnly: true},
      {specifier: './n.js', typeOnly: true},
    ])
  })
})

describe('cyclesOf', () => {
  it('returns each strongly connected component of two or more nodes, self-loops and chains excluded', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', ['d', 'e']],
      ['e', ['f']],
      ['f', ['e']],
      ['g', []],
    ])
    const found = cyclesOf(graph).map((c) => c.join(','))
    expect(found.sort()).toEqual(['a,b,c', 'e,f'])
  })
  it('property: a graph whose edges all go to higher-numbered nodes has no cycle; one edge back makes one', () => {
    fc.assert(
      fc.property(
        fc
          .integer({min: 2, max: 40})
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), {maxLength: 120}),
              fc.tuple(fc.nat(n - 2), fc.nat(n - 2)),
            ),
          ),
        ([n, pairs, [x, y]]) => {
          const graph = new Map<string, Set<string>>()
          for (let i = 0; i < n; i++) graph.set(`n${i}`, new Set())
          for (const [p, q] of pairs) if (p < q) graph.get(`n${p}`)!.add(`n${q}`)
          expect(cyclesOf(graph)).toEqual([])
          // a path lo → … → hi (lo < hi) plus the edge hi → lo closes a cycle that holds both
          const lo = Math.min(x, y)
          const hi = Math.max(x, y) + 1
          for (let i = lo; i < hi; i++) graph.get(`n${i}`)!.add(`n${i + 1}`)
          graph.get(`n${hi}`)!.add(`n${lo}`)
          const cycles = cyclesOf(graph)
          expect(cycles.some((c) => c.includes(`n${lo}`) && c.includes(`n${hi}`))).toBe(true)
        },
      ),
    )
  })
})

/** A throwaway project with a src tree. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ecsx-graph-'))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
    writeFileSync(path.join(root, file), text)
  }
  return root
}

const SAMPLE: Record<string, string> = {
  'src/lib/engine/a.ts': "import {b} from './b.js'\nimport type {E} from '../ecs/types.js'\nexport const a = 1",
  'src/lib/engine/b.ts': "import type {A} from './a.js'\nimport {x} from '../config/x.js'\nexport const b = 2",
  'src/lib/ecs/types.ts': 'export type E = string',
  'src/lib/config/x.ts': 'export const x = 3',
  'src/commands/up.ts':
    "import {x} from '../lib/config/x.js'\nconst e = await import('../lib/engine/a.js')\nexport {x}",
  'src/compose/index.ts': "export * from './util/index.js'\nimport type {Task} from '@aws-sdk/client-ecs'",
  'src/compose/util/index.ts': "import {createUi} from '../../lib/ui/index.js'\nimport {y} from './missing.js'",
}

describe('analyse', () => {
  it('counts files and edges, and reports type-only cycles, forbidden edges and unresolved imports', () => {
    const root = tree(SAMPLE)
    try {
      const result = analyse(root)
      expect(result.files).toHaveLength(7)
      expect(result.cycles).toEqual([['src/lib/engine/a.ts', 'src/lib/engine/b.ts']])
      expect(result.edges).toContainEqual({from: 'src/lib/engine/b.ts', to: 'src/lib/engine/a.ts', typeOnly: true})
      expect(result.edges).toContainEqual({
        from: 'src/compose/index.ts',
        to: 'src/compose/util/index.ts',
        typeOnly: false,
      })
      expect(result.forbidden.map((f) => `${f.room}: ${f.from} → ${f.to}`).sort()).toEqual([
        'commands: src/commands/up.ts → src/lib/engine/a.ts',
        'compose: src/compose/util/index.ts → src/lib/ui/index.ts',
        'engine: src/lib/engine/b.ts → src/lib/config/x.ts',
      ])
      // imports are judged by their path whether or not the file exists (as ESLint does); missing ones are listed too
      expect(result.unresolved.map((u) => u.specifier).sort()).toEqual(['../../lib/ui/index.js', './missing.js'])
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  })
})

describe('ESLint ecsx/rooms and the graph script agree', () => {
  it('flag the same imports of the same files', () => {
    const linter = new Linter({configType: 'flat'})
    const config = [
      {
        files: ['**/*.ts'],
        languageOptions: {parser: tseslint.parser},
        plugins: {ecsx: ecsxPlugin},
        rules: {'ecsx/rooms': 'error'},
      },
    ] as Linter.Config[]
    const files: Record<string, string> = {
      ...SAMPLE,
      'src/lib/ui/index.ts': 'export const createUi = 1',
      'src/compose/util/missing.ts': 'export const y = 1',
      'src/lib/engine/c.ts': [
        "import {Command} from '@oclif/core'",
        "import type {Task} from '@aws-sdk/client-ecs'",
        "export type {Flag} from '../config/flags.js'",
        "let t: typeof import('../backend/local.js')",
      ].join('\n'),
      'src/lib/config/flags.ts': 'export type Flag = 1',
      'src/lib/backend/local.ts':
        "import {up} from '../../commands/up.js'\nexport type {Up} from '../../commands/up.js'",
      'src/commands/ps.ts': "import {Client} from '@aws-sdk/client-ecs'\nimport type {Task} from '@aws-sdk/client-ecs'",
    }
    const root = tree(files)
    try {
      const fromGraph = analyse(root)
        .forbidden.map((f) => `${f.from} → ${f.to}`)
        .sort()
      const fromEslint = [
        ...new Set(
          Object.entries(files).flatMap(([file, text]) =>
            linter
              .verify(text, config, {filename: path.join(ROOT, file)})
              .map((m) => `${file} → ${/must not import ([^\s:]+)/.exec(m.message)?.[1] ?? m.message}`),
          ),
        ),
      ].sort()
      expect(fromEslint).toEqual(fromGraph)
      expect(fromGraph).toEqual([
        'src/commands/ps.ts → @aws-sdk/client-ecs',
        'src/commands/up.ts → src/lib/engine/a.ts',
        'src/compose/util/index.ts → src/lib/ui/index.ts',
        'src/lib/backend/local.ts → src/commands/up.ts',
        'src/lib/engine/b.ts → src/lib/config/x.ts',
        'src/lib/engine/c.ts → @oclif/core',
        'src/lib/engine/c.ts → src/lib/backend/local.ts',
        'src/lib/engine/c.ts → src/lib/config/flags.ts',
      ])
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  })
})
