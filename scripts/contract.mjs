#!/usr/bin/env node
// The CLI contract, checked in under test/contract/ so that breaking changes show in review:
//   flags.json              every command's flags and arguments, from oclif.manifest.json
//   results/<command>.json  a JSON schema of every command's `--json` result: the T of `EcsxCommand<T>`,
//                           generated from the TypeScript source with ts-json-schema-generator
// usage: node scripts/contract.mjs update   (npm run contract:update builds first, for a fresh manifest)
//        node scripts/contract.mjs check    (exit 1 and name every difference; test/contract/contract.test.ts does this)
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {createFormatter, createParser, createProgram, DEFAULT_CONFIG, SchemaGenerator} from 'ts-json-schema-generator'
import ts from 'typescript'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const CONTRACT_DIR = 'test/contract'
export const UPDATE_HINT =
  'If the change is intended, run `npm run contract:update` and commit test/contract/ (reviewers then see the CLI change).'

// ---- flags ---------------------------------------------------------------------------------------------------------

const FLAG_FIELDS = ['char', 'type', 'multiple', 'options', 'required', 'default', 'aliases', 'allowNo', 'exclusive']
const ARG_FIELDS = ['required', 'options', 'default']

function pick(source, fields) {
  const out = {}
  for (const field of fields) {
    const value = source[field]
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue
    out[field] = Array.isArray(value) && field !== 'options' ? [...value].sort() : value
  }
  return out
}

const sortedEntries = (object) => Object.entries(object ?? {}).sort(([a], [b]) => a.localeCompare(b))

/** {<command id>: {aliases?, args, flags}} from a parsed oclif.manifest.json; fields that are unset are left out. */
export function flagContract(manifest) {
  const out = {}
  for (const [id, command] of sortedEntries(manifest.commands)) {
    out[id] = {
      ...(command.aliases?.length ? {aliases: [...command.aliases].sort()} : {}),
      args: Object.fromEntries(Object.entries(command.args ?? {}).map(([name, arg]) => [name, pick(arg, ARG_FIELDS)])),
      flags: Object.fromEntries(sortedEntries(command.flags).map(([name, flag]) => [name, pick(flag, FLAG_FIELDS)])),
    }
  }
  return out
}

// ---- result types --------------------------------------------------------------------------------------------------

const parse = (file) =>
  ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
const isDefaultExport = (node) => node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)

/** Where `name` comes from in a source file: {module, exported} for an import, {local} for a declaration. */
function originOf(sf, name) {
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause
      const module = statement.moduleSpecifier.text
      if (clause.name?.text === name) return {module, exported: 'default'}
      const bindings = clause.namedBindings
      if (bindings && ts.isNamedImports(bindings))
        for (const e of bindings.elements)
          if (e.name.text === name) return {module, exported: (e.propertyName ?? e.name).text}
      if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return {module, namespace: true}
    }
    if (
      (ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isClassDeclaration(statement)) &&
      statement.name?.text === name
    )
      return {local: true, exported: Boolean(statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))}
  }
  return undefined
}

const resolveModule = (fromFile, specifier) =>
  specifier.startsWith('.') ? path.resolve(path.dirname(fromFile), specifier).replace(/\.js$/, '.ts') : specifier

/**
 * The result type of the command in `file`: the type argument of `EcsxCommand<T>` on its class, following
 * `extends OtherCommand` to the command it inherits from. Returns {file, node, sf} (the type node and where it is).
 */
export function resultTypeNode(file, seen = new Set()) {
  if (seen.has(file)) throw new Error(`${file}: circular command inheritance`)
  seen.add(file)
  const sf = parse(file)
  const cls = sf.statements.find((s) => ts.isClassDeclaration(s) && isDefaultExport(s))
  const heritage = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
  if (!heritage || !ts.isIdentifier(heritage.expression))
    throw new Error(`${path.relative(ROOT, file)}: no \`export default class … extends EcsxCommand<Result>\``)
  const base = heritage.expression.text
  if (base === 'EcsxCommand') {
    if (heritage.typeArguments?.length !== 1)
      throw new Error(`${path.relative(ROOT, file)}: EcsxCommand needs its result type, e.g. EcsxCommand<Task[]>`)
    return {file, sf, node: heritage.typeArguments[0]}
  }
  const origin = originOf(sf, base)
  if (!origin?.module?.startsWith('.') || origin.exported !== 'default')
    throw new Error(`${path.relative(ROOT, file)}: ${base} is neither EcsxCommand nor another command's default export`)
  return resultTypeNode(resolveModule(file, origin.module), seen)
}

/** The leftmost identifiers a type node refers to (type references and `typeof x`). */
function referencedNames(node, names = new Set()) {
  const leftmost = (n) =>
    ts.isQualifiedName(n) ? leftmost(n.left) : ts.isPropertyAccessExpression(n) ? leftmost(n.expression) : n
  if (ts.isTypeReferenceNode(node)) names.add(leftmost(node.typeName).text)
  if (ts.isTypeQueryNode(node)) names.add(leftmost(node.exprName).text)
  ts.forEachChild(node, (child) => {
    referencedNames(child, names) // (a block: forEachChild stops at the first truthy return)
  })
  return names
}

/** A TypeScript module that exports `alias` = the command's result type, with imports from absolute paths. */
export function resultAliasModule(commandFile, alias) {
  const {file, sf, node} = resultTypeNode(commandFile)
  const imports = []
  for (const name of referencedNames(node)) {
    const origin = originOf(sf, name)
    if (!origin) continue // a global (Array, Record, Promise, …)
    const where = (m) => (m.startsWith('/') ? m.replace(/\.ts$/, '.js') : m)
    if (origin.local) {
      if (!origin.exported)
        throw new Error(`${path.relative(ROOT, file)}: export ${name} so the --json contract can name it`)
      imports.push(`import type {${name}} from '${where(file)}'`)
    } else if (origin.namespace)
      imports.push(`import type * as ${name} from '${where(resolveModule(file, origin.module))}'`)
    else imports.push(`import type {${origin.exported} as ${name}} from '${where(resolveModule(file, origin.module))}'`)
  }
  return `${imports.join('\n')}\nexport type ${alias} = ${node.getText(sf)}\n`
}

const cmd = (id) => `ecsx ${id.replaceAll(':', ' ')}`
const aliasOf = (id) => 'Result_' + id.replace(/[^A-Za-z0-9]/g, '_')
const sourceOf = (command) => path.join(ROOT, 'src', ...command.relativePath.slice(1)).replace(/\.js$/, '.ts')

/**
 * {<command id>: JSON schema of its --json result}. One TypeScript program for all commands; the alias modules live
 * under node_modules/.cache (inside the project, so package imports resolve) and must type-check.
 */
export function resultSchemas(manifest) {
  const cache = path.join(ROOT, 'node_modules', '.cache')
  fs.mkdirSync(cache, {recursive: true})
  const dir = fs.mkdtempSync(path.join(cache, 'ecsx-contract-'))
  try {
    const ids = Object.keys(manifest.commands).sort()
    const sourceFor = new Map()
    for (const id of ids) {
      const file = path.join(dir, `${aliasOf(id)}.ts`)
      sourceFor.set(file, id)
      fs.writeFileSync(file, resultAliasModule(sourceOf(manifest.commands[id]), aliasOf(id)))
    }
    const index = ids.map((id) => `import type {${aliasOf(id)}} from './${aliasOf(id)}.js'`)
    index.push(`export interface ${ALL} {`, ...ids.map((id) => `  '${id}': ${aliasOf(id)}`), '}')
    fs.writeFileSync(path.join(dir, `${ALL}.ts`), index.join('\n') + '\n')
    const config = {
      ...DEFAULT_CONFIG,
      path: path.join(dir, '*.ts'),
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      skipTypeCheck: true, // the whole program is type-checked by `npm run typecheck`; the alias modules below
      expose: 'all',
      jsDoc: 'none',
      additionalProperties: false,
    }
    const program = createProgram(config)
    for (const [file, id] of sourceFor) {
      const problems = program.getSemanticDiagnostics(program.getSourceFile(file))
      if (problems.length)
        throw new Error(
          `the --json result type of ${cmd(id)} does not resolve: ` +
            ts.flattenDiagnosticMessageText(problems[0].messageText, ' ') +
            `\n${fs.readFileSync(file, 'utf8')}`,
        )
    }
    // One schema of all results at once (each SDK type is parsed once), then split per command by reachability.
    const generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config)
    const all = generator.createSchema(ALL)
    return Object.fromEntries(ids.map((id) => [id, canonical(schemaOf(all, aliasOf(id)))]))
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

const ALL = 'EcsxCommandResults'

/** The schema of one definition of `all` with the definitions it reaches (draft-07, `$ref` at the root). */
function schemaOf(all, name) {
  const reached = new Set()
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit)
    if (!value || typeof value !== 'object') return
    const ref =
      typeof value.$ref === 'string' ? decodeURIComponent(value.$ref.replace('#/definitions/', '')) : undefined
    if (ref !== undefined && !reached.has(ref)) {
      if (!(ref in all.definitions)) throw new Error(`schema of ${name}: no definition ${ref}`)
      reached.add(ref)
      visit(all.definitions[ref])
    }
    Object.values(value).forEach(visit)
  }
  visit({$ref: `#/definitions/${name}`})
  const definitions = Object.fromEntries([...reached].sort().map((d) => [d, all.definitions[d]]))
  return {$schema: all.$schema, $ref: `#/definitions/${encodeURIComponent(name)}`, definitions}
}

/** The same schema whatever the declaration order: keys sorted, `required` and `enum` sorted, `anyOf` by content. */
export function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical)
  if (!value || typeof value !== 'object') return value
  const out = {}
  for (const key of Object.keys(value).sort()) {
    let v = canonical(value[key])
    if ((key === 'required' || key === 'enum') && Array.isArray(v)) v = [...v].sort()
    if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(v))
      v = [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    out[key] = v
  }
  return out
}

// ---- snapshots and differences -------------------------------------------------------------------------------------

export function readManifest(root = ROOT) {
  const file = path.join(root, 'oclif.manifest.json')
  if (!fs.existsSync(file)) throw new Error('oclif.manifest.json is missing: run `npm run build` first')
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

export const schemaFile = (id) => path.join(CONTRACT_DIR, 'results', `${id.replaceAll(':', '.')}.json`)
const json = (value) => JSON.stringify(value, null, 2) + '\n'

/** What is checked in: {flags, schemas: {<id>: schema}} (schemas: only the commands whose file exists). */
export function readSnapshot(root = ROOT) {
  const flagsFile = path.join(root, CONTRACT_DIR, 'flags.json')
  const flags = fs.existsSync(flagsFile) ? JSON.parse(fs.readFileSync(flagsFile, 'utf8')) : {}
  const dir = path.join(root, CONTRACT_DIR, 'results')
  const schemas = {}
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    if (name.endsWith('.json'))
      schemas[name.slice(0, -5).replaceAll('.', ':')] = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))
  return {flags, schemas}
}

export function writeSnapshot({flags, schemas}, root = ROOT) {
  const dir = path.join(root, CONTRACT_DIR, 'results')
  fs.rmSync(dir, {recursive: true, force: true})
  fs.mkdirSync(dir, {recursive: true})
  fs.writeFileSync(path.join(root, CONTRACT_DIR, 'flags.json'), json(flags))
  for (const [id, schema] of Object.entries(schemas)) fs.writeFileSync(path.join(root, schemaFile(id)), json(schema))
}

const show = (v) => (v === undefined ? '(unset)' : JSON.stringify(v))

/** The paths (a.b.c) where two JSON values differ, with their old and new values. */
export function jsonDifferences(before, after, at = '') {
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  const objects = before && after && typeof before === 'object' && typeof after === 'object'
  if (!objects || Array.isArray(before) !== Array.isArray(after) || Array.isArray(before))
    return [{path: at || '(root)', before, after}]
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  return keys.flatMap((k) => jsonDifferences(before[k], after[k], at ? `${at}.${k}` : k))
}

/** One line per difference between the checked-in contract and the current one, naming command and flag. */
export function describeDifferences(expected, actual) {
  const lines = []
  const ids = [...new Set([...Object.keys(expected.flags), ...Object.keys(actual.flags)])].sort()
  for (const id of ids) {
    const [was, now] = [expected.flags[id], actual.flags[id]]
    if (!was) lines.push(`${cmd(id)}: new command (not in test/contract/flags.json)`)
    else if (!now) lines.push(`${cmd(id)}: command removed (still in test/contract/flags.json)`)
    else
      for (const d of jsonDifferences(was, now)) {
        const [kind, name, ...field] = d.path.split('.')
        const what = kind === 'flags' ? `flag --${name}` : kind === 'args' ? `argument ${name}` : kind
        const detail = field.length
          ? `${field.join('.')} ${show(d.before)} → ${show(d.after)}`
          : d.before === undefined
            ? 'added'
            : 'removed'
        lines.push(`${cmd(id)}: ${what ?? ''} ${detail}`.replace(/ {2,}/g, ' '))
      }
  }
  const schemaIds = [...new Set([...Object.keys(expected.schemas), ...Object.keys(actual.schemas)])].sort()
  for (const id of schemaIds) {
    const [was, now] = [expected.schemas[id], actual.schemas[id]]
    if (!was) lines.push(`${cmd(id)} --json: no schema checked in (${schemaFile(id)})`)
    else if (!now)
      lines.push(`${cmd(id)} --json: schema checked in for a command that no longer exists (${schemaFile(id)})`)
    else {
      const diffs = jsonDifferences(was, now)
      for (const d of diffs.slice(0, 10))
        lines.push(`${cmd(id)} --json: ${d.path}: ${show(d.before)} → ${show(d.after)}`)
      if (diffs.length > 10) lines.push(`${cmd(id)} --json: … and ${diffs.length - 10} more differences`)
    }
  }
  return lines
}

/** The current contract of the project at ROOT (needs a fresh oclif.manifest.json). */
export function currentContract(manifest = readManifest()) {
  return {flags: flagContract(manifest), schemas: resultSchemas(manifest)}
}

function main(argv) {
  const started = Date.now()
  let actual
  try {
    actual = currentContract()
  } catch (err) {
    console.error(`contract: ${err.message}${err.cause ? ` (${err.cause.message})` : ''}`)
    return 1
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (argv[0] === 'update') {
    writeSnapshot(actual)
    console.log(
      `wrote ${CONTRACT_DIR}/flags.json and ${Object.keys(actual.schemas).length} result schemas (${seconds}s)`,
    )
    return 0
  }
  const lines = describeDifferences(readSnapshot(), actual)
  for (const line of lines) console.log(line)
  console.log(
    lines.length ? UPDATE_HINT : `contract unchanged (${Object.keys(actual.flags).length} commands, ${seconds}s)`,
  )
  return lines.length ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  process.exitCode = main(process.argv.slice(2))
