// The rooms of the house and what each may import: the one source of truth for the boundary rule in
// eslint.config.mjs (rule `ecsx/rooms`) and for scripts/import-graph.mjs. docs/architecture.md explains the rooms.
//
// A room is a folder (or file) under src. Its rule is one of:
//   onlyFrom: [...]   an allow-list: every import inside src must land under one of these paths (the room itself included)
//   notFrom: [...]    a deny-list: imports inside src may land anywhere but under these paths
//   packages: [...]   npm packages it must not import; {name, typesOnly: true} still allows `import type`
// Paths ending in '/' are folders, others are files; package names ending in '/*' cover a whole scope.
// Imports inside src count whether they are type-only or not (a type import still ties two modules together);
// node: built-ins are always allowed.
import path from 'node:path'

const UI_PACKAGES = ['@oclif/*', 'chalk', '@inquirer/*', 'cli-table3']
const SDK_RUNTIME = [
  {name: '@aws-sdk/*', typesOnly: true},
  {name: '@smithy/*', typesOnly: true},
]

/** @type {Array<{name: string, path: string, why: string, onlyFrom?: string[], notFrom?: string[], packages?: Array<string | {name: string, typesOnly?: boolean}>}>} */
export const ROOMS = [
  {
    name: 'engine',
    path: 'src/lib/engine/',
    why: 'the engine imports only the ECS contract (src/lib/ecs) and itself; it knows no CLI, flags, colours or terminals',
    onlyFrom: ['src/lib/engine/', 'src/lib/ecs/'],
    packages: UI_PACKAGES,
  },
  {
    name: 'ecs',
    path: 'src/lib/ecs/',
    why: 'the ECS contract imports nothing from src outside itself (the AWS SDK types are its vocabulary)',
    onlyFrom: ['src/lib/ecs/'],
    packages: UI_PACKAGES,
  },
  {
    name: 'compose',
    path: 'src/compose/',
    why: 'src/compose is pure (files in, data out): no backend, engine, infrastructure, workflow, command, UI or AWS code',
    notFrom: [
      'src/lib/backend/',
      'src/lib/engine/',
      'src/lib/infra/',
      'src/lib/workflows/',
      'src/commands/',
      'src/lib/ui/',
      'src/lib/aws/',
      'src/lib/base-command.ts',
    ],
    packages: [...UI_PACKAGES, ...SDK_RUNTIME, 'better-sqlite3'],
  },
  {
    name: 'commands',
    path: 'src/commands/',
    why:
      'commands are thin (flags → a workflow → render): they import workflows, infra, the backend factory, ui, config, ' +
      'the ECS contract and the command base — never the engine, a backend implementation or the AWS SDK',
    onlyFrom: [
      'src/commands/',
      'src/lib/workflows/',
      'src/lib/infra/',
      'src/lib/backend/index.ts',
      'src/lib/ui/',
      'src/lib/config/',
      'src/lib/ecs/',
      'src/lib/base-command.ts',
      'src/lib/global-flags.ts',
      'src/lib/errors.ts',
    ],
    packages: [...SDK_RUNTIME, 'better-sqlite3'],
  },
  {
    name: 'workflows',
    path: 'src/lib/workflows/',
    why: 'workflows are what commands call: they never import commands, and reach the engine only through a backend',
    notFrom: ['src/commands/', 'src/lib/base-command.ts', 'src/lib/engine/'],
  },
  {
    name: 'infra',
    path: 'src/lib/infra/',
    why: 'infrastructure sits below the commands and never imports them',
    notFrom: ['src/commands/', 'src/lib/base-command.ts'],
  },
  {
    name: 'backend',
    path: 'src/lib/backend/',
    why: 'backends sit below the commands and never import them',
    notFrom: ['src/commands/', 'src/lib/base-command.ts'],
  },
]

const posix = (p) => p.split(path.sep).join('/')
const under = (file, prefix) => (prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix)

/** The room a src-relative file belongs to (the longest matching path), or undefined. */
export function roomOf(file, rooms = ROOMS) {
  let best
  for (const room of rooms) if (under(file, room.path) && (!best || room.path.length > best.path.length)) best = room
  return best
}

/**
 * Where an import specifier written in `fromFile` points: {file} for a module inside the project (a relative
 * specifier; `.js` read as the `.ts` source), {package} for an npm package, or null (node: built-ins).
 * Lexical only: the target need not exist. `fromFile` is root-relative with '/' separators.
 */
export function resolveSpecifier(fromFile, specifier) {
  if (specifier.startsWith('node:')) return null
  if (specifier.startsWith('.')) {
    const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier))
    return {file: joined.replace(/\.(m?)js$/, '.$1ts')}
  }
  if (specifier.startsWith('/')) return {file: specifier}
  const parts = specifier.split('/')
  return {package: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]}
}

function verdict(room, what) {
  return {room: room.name, why: room.why, message: `${room.name} must not import ${what}: ${room.why}`}
}

function packageMatches(pattern, name) {
  return pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern
}

/**
 * The room rule an import breaks, or null if it is allowed.
 * fromFile: root-relative path of the importing file ('src/lib/engine/launch.ts').
 * target: what resolveSpecifier returned. typeOnly: the import is `import type` / `export type`.
 * Returns {room, why, message}: the room's name, its rule in words, and a message naming the import.
 */
export function checkImport(fromFile, target, {typeOnly = false, rooms = ROOMS} = {}) {
  const file = posix(fromFile)
  const room = roomOf(file, rooms)
  if (!room || !target) return null
  if (target.package) {
    for (const entry of room.packages ?? []) {
      const rule = typeof entry === 'string' ? {name: entry} : entry
      if (!packageMatches(rule.name, target.package)) continue
      if (rule.typesOnly && typeOnly) return null
      const what = rule.typesOnly ? `${target.package} (at run time; \`import type\` is allowed)` : target.package
      return verdict(room, what)
    }
    return null
  }
  const to = posix(target.file)
  if (!to.startsWith('src/')) return null
  if (room.onlyFrom && !room.onlyFrom.some((p) => under(to, p))) return verdict(room, to)
  if (room.notFrom?.some((p) => under(to, p))) return verdict(room, to)
  return null
}
