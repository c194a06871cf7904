// The room matcher (scripts/rooms.mjs) that both ESLint (`ecsx/rooms`) and scripts/import-graph.mjs apply.
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

interface Room {
  name: string
  path: string
  why: string
  onlyFrom?: string[]
  notFrom?: string[]
  packages?: Array<string | {name: string; typesOnly?: boolean}>
}
type Target = {file: string} | {package: string} | null
interface Verdict {
  room: string
  why: string
  message: string
}
interface RoomsModule {
  ROOMS: Room[]
  roomOf(file: string): Room | undefined
  resolveSpecifier(fromFile: string, specifier: string): Target
  checkImport(fromFile: string, target: Target, options?: {typeOnly?: boolean}): Verdict | null
}

const ROOT = path.resolve(import.meta.dirname, '../..')
const {ROOMS, roomOf, resolveSpecifier, checkImport} = (await import(
  pathToFileURL(path.join(ROOT, 'scripts/rooms.mjs')).href
)) as RoomsModule

/** The verdict for `specifier` written in `fromFile`. */
const verdict = (fromFile: string, specifier: string, typeOnly = false) =>
  checkImport(fromFile, resolveSpecifier(fromFile, specifier), {typeOnly})

describe('resolveSpecifier', () => {
  it('reads a relative .js specifier as the .ts source, from the importing file’s folder', () => {
    expect(resolveSpecifier('src/lib/engine/api/tasks.ts', '../launch.js')).toEqual({file: 'src/lib/engine/launch.ts'})
    expect(resolveSpecifier('src/commands/ps.ts', '../lib/ps.js')).toEqual({file: 'src/lib/ps.ts'})
    expect(resolveSpecifier('src/commands/ps.ts', './x/y.mjs')).toEqual({file: 'src/commands/x/y.mts'})
  })
  it('names the package of a bare specifier (scope kept, subpath dropped) and ignores node: built-ins', () => {
    expect(resolveSpecifier('src/a.ts', '@aws-sdk/client-ecs')).toEqual({package: '@aws-sdk/client-ecs'})
    expect(resolveSpecifier('src/a.ts', '@smithy/core/schema')).toEqual({package: '@smithy/core'})
    expect(resolveSpecifier('src/a.ts', 'chalk')).toEqual({package: 'chalk'})
    expect(resolveSpecifier('src/a.ts', 'yaml/util')).toEqual({package: 'yaml'})
    expect(resolveSpecifier('src/a.ts', 'node:fs')).toBeNull()
  })
})

describe('the rooms', () => {
  it('are folders under src, none inside another, each with its rule in words', () => {
    for (const room of ROOMS) {
      expect(room.path).toMatch(/^src\/.+\/$/)
      expect(room.why.length).toBeGreaterThan(20)
      expect(Boolean(room.onlyFrom) || Boolean(room.notFrom)).toBe(true)
      for (const other of ROOMS) if (other !== room) expect(other.path.startsWith(room.path)).toBe(false)
      // an allow-list always lets a room import itself
      if (room.onlyFrom) expect(room.onlyFrom).toContain(room.path)
    }
  })
  it('place a file by folder, not by name prefix', () => {
    expect(roomOf('src/lib/engine/api/tasks.ts')?.name).toBe('engine')
    expect(roomOf('src/lib/engine-tools/x.ts')).toBeUndefined()
    expect(roomOf('src/lib/config/resolve.ts')).toBeUndefined()
    expect(roomOf('src/commands/compose/service/up.ts')?.name).toBe('commands')
  })
})

describe('checkImport', () => {
  it('engine: only itself and src/lib/ecs; no CLI or UI packages; SDK types and SQLite are fine', () => {
    expect(verdict('src/lib/engine/launch.ts', './api/instances.js')).toBeNull()
    expect(verdict('src/lib/engine/api/tasks.ts', '../../ecs/backend.js')).toBeNull()
    expect(verdict('src/lib/engine/api/tasks.ts', '../../errors.js')?.room).toBe('engine')
    expect(verdict('src/lib/engine/settings.ts', '../config/types.js', true)?.message).toMatch(
      /^engine must not import src\/lib\/config\/types\.ts: the engine imports only/,
    )
    expect(verdict('src/lib/engine/engine.ts', '@oclif/core')?.message).toMatch(/engine must not import @oclif\/core/)
    expect(verdict('src/lib/engine/engine.ts', 'chalk')).not.toBeNull()
    expect(verdict('src/lib/engine/engine.ts', '@inquirer/prompts')).not.toBeNull()
    expect(verdict('src/lib/engine/engine.ts', '@aws-sdk/client-ecs')).toBeNull()
    expect(verdict('src/lib/engine/store.ts', 'better-sqlite3')).toBeNull()
  })
  it('ecs: nothing from src outside itself', () => {
    expect(verdict('src/lib/ecs/server.ts', './wire.js')).toBeNull()
    expect(verdict('src/lib/ecs/server.ts', '../engine/engine.js')?.room).toBe('ecs')
    expect(verdict('src/lib/ecs/backend.ts', '../config/types.js', true)?.room).toBe('ecs')
    expect(verdict('src/lib/ecs/server.ts', '@aws-sdk/client-ecs')).toBeNull()
    expect(verdict('src/lib/ecs/server.ts', '@smithy/core/schema')).toBeNull()
  })
  it('compose: pure — no backend, engine, infra, workflow, command, ui or aws code; SDK types only', () => {
    for (const target of [
      '../lib/backend/index.js',
      '../lib/engine/engine.js',
      '../lib/infra/index.js',
      '../lib/workflows/register.js',
      '../commands/up.js',
      '../lib/ui/index.js',
      '../lib/aws/ecr.js',
    ])
      expect(verdict('src/compose/translate.ts', target)?.room).toBe('compose')
    expect(verdict('src/compose/units.ts', '../lib/ecs/duration.js')).toBeNull()
    expect(verdict('src/compose/errors.ts', '../lib/errors.js')).toBeNull()
    expect(verdict('src/compose/types.ts', '@aws-sdk/client-ecs', true)).toBeNull()
    expect(verdict('src/compose/types.ts', '@aws-sdk/client-ecs', false)?.message).toMatch(/`import type` is allowed/)
  })
  it('commands: workflows, infra, the backend factory, ui, config, the contract and the base class only', () => {
    for (const ok of [
      '../lib/workflows/ps.js',
      '../lib/infra/index.js',
      '../lib/backend/index.js',
      '../lib/ui/index.js',
      '../lib/config/resolve.js',
      '../lib/ecs/server.js',
      '../lib/base-command.js',
      '../lib/errors.js',
      './compose/up.js',
    ])
      expect(verdict('src/commands/ps.ts', ok)).toBeNull()
    for (const bad of [
      '../lib/engine/engine.js',
      '../lib/backend/local.js',
      '../lib/aws/ecr.js',
      '../compose/index.js',
    ])
      expect(verdict('src/commands/ps.ts', bad)?.room).toBe('commands')
    expect(verdict('src/commands/ps.ts', '@aws-sdk/client-ecs', true)).toBeNull()
    expect(verdict('src/commands/ps.ts', '@aws-sdk/client-ecs')?.room).toBe('commands')
    expect(verdict('src/commands/engine/serve.ts', 'better-sqlite3')?.room).toBe('commands')
  })
  it('workflows, infra and backends never import commands; workflows reach the engine only through a backend', () => {
    expect(verdict('src/lib/workflows/up.ts', '../../commands/up.js')?.room).toBe('workflows')
    expect(verdict('src/lib/workflows/up.ts', '../base-command.js')?.room).toBe('workflows')
    expect(verdict('src/lib/workflows/up.ts', '../engine/engine.js')?.room).toBe('workflows')
    expect(verdict('src/lib/infra/local.ts', '../../commands/up.js')?.room).toBe('infra')
    expect(verdict('src/lib/infra/local.ts', '../engine/engine.js')).toBeNull()
    expect(verdict('src/lib/backend/local.ts', '../../commands/up.js')?.room).toBe('backend')
    expect(verdict('src/lib/backend/local.ts', '../engine/engine.js')).toBeNull()
  })
  it('files outside every room (config, ui, aws) and targets outside src are not checked', () => {
    expect(verdict('src/lib/config/resolve.ts', '../engine/engine.js')).toBeNull()
    expect(verdict('src/lib/engine/x.ts', '../../../package.json')).toBeNull()
    expect(checkImport('src/lib/engine/x.ts', null)).toBeNull()
  })

  const segment = fc.stringMatching(/^[a-z][a-z-]{0,8}$/)
  const tail = fc.array(segment, {minLength: 1, maxLength: 3}).map((parts) => parts.join('/') + '.ts')
  it('property: an engine file may import a src file exactly when it lies under src/lib/engine/ or src/lib/ecs/', () => {
    fc.assert(
      fc.property(tail, fc.array(segment, {minLength: 1, maxLength: 3}), tail, (from, dirs, file) => {
        const fromFile = `src/lib/engine/${from}`
        const to = `src/${dirs.join('/')}/${file}`
        const allowed = to.startsWith('src/lib/engine/') || to.startsWith('src/lib/ecs/')
        expect(checkImport(fromFile, {file: to}) === null).toBe(allowed)
        expect(checkImport(fromFile, {file: `src/lib/ecs/${file}`})).toBeNull()
      }),
    )
  })
  it('property: type-only changes a verdict only for packages marked typesOnly, never for src files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROOMS), tail, tail, (room, from, to) => {
        const fromFile = room.path + from
        for (const target of [{file: `src/lib/${to}`}, {file: `src/lib/engine/${to}`}, {file: `src/commands/${to}`}])
          expect(checkImport(fromFile, target, {typeOnly: true})).toEqual(checkImport(fromFile, target))
      }),
    )
  })
})
