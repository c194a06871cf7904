// The CLI contract (flags from oclif.manifest.json, JSON schemas of every --json result) against the snapshot
// checked in under test/contract/. A difference fails with one line per change naming the command and flag;
// `npm run contract:update` regenerates the snapshot (scripts/contract.mjs) so the change shows in review.
import {describe, expect, it} from '@jest/globals'
import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
interface Contract {
  flags: Record<string, Json>
  schemas: Record<string, Json>
}
interface Manifest {
  commands: Record<string, {flags: Record<string, Json>; args: Record<string, Json>}>
}
interface ContractModule {
  ROOT: string
  UPDATE_HINT: string
  readManifest(): Manifest
  readSnapshot(): Contract
  flagContract(manifest: Manifest | {commands: Record<string, unknown>}): Record<string, Json>
  resultSchemas(manifest: Manifest): Record<string, Json>
  resultAliasModule(commandFile: string, alias: string): string
  canonical(value: Json): Json
  describeDifferences(expected: Contract, actual: Contract): string[]
}

const ROOT = path.resolve(import.meta.dirname, '../..')
const contract = (await import(pathToFileURL(path.join(ROOT, 'scripts/contract.mjs')).href)) as ContractModule

/** Fail with every difference and how to accept it. */
function expectNoDifferences(lines: string[]) {
  if (lines.length) throw new Error(`The CLI contract changed:\n  ${lines.join('\n  ')}\n${contract.UPDATE_HINT}`)
}

function newestSource(dir: string): {file: string; mtime: number} {
  let newest = {file: '', mtime: 0}
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    const candidate = entry.isDirectory() ? newestSource(full) : {file: full, mtime: statSync(full).mtimeMs}
    if (candidate.mtime > newest.mtime) newest = candidate
  }
  return newest
}

describe('the checked-in CLI contract', () => {
  const manifest = contract.readManifest()
  const snapshot = contract.readSnapshot()

  it('is compared with a manifest built from the current source', () => {
    const newest = newestSource(path.join(ROOT, 'src'))
    const built = statSync(path.join(ROOT, 'oclif.manifest.json')).mtimeMs
    if (newest.mtime > built)
      throw new Error(`oclif.manifest.json is older than ${path.relative(ROOT, newest.file)}: run \`npm run build\``)
  })

  it("matches every command's flags and arguments (test/contract/flags.json)", () => {
    const actual = contract.flagContract(manifest)
    expectNoDifferences(
      contract.describeDifferences({flags: snapshot.flags, schemas: {}}, {flags: actual, schemas: {}}),
    )
  })

  it("matches the JSON schema of every command's --json result (test/contract/results/)", () => {
    const schemas = contract.resultSchemas(manifest)
    expect(Object.keys(schemas).sort()).toEqual(Object.keys(manifest.commands).sort())
    expectNoDifferences(contract.describeDifferences({flags: {}, schemas: snapshot.schemas}, {flags: {}, schemas}))
  }, 600_000)
})

describe('contract differences', () => {
  const base = {
    flags: {
      ps: {
        args: {},
        flags: {all: {type: 'boolean'}, 'desired-status': {type: 'option', options: ['RUNNING', 'STOPPED']}},
      },
      'compose:service:up': {args: {}, flags: {timeout: {type: 'option', default: 5}}},
    },
    schemas: {ps: {definitions: {Task: {properties: {cpu: {type: 'string'}}}}}},
  }
  const change = (edit: (c: typeof base) => void) => {
    const copy = JSON.parse(JSON.stringify(base)) as typeof base
    edit(copy)
    return contract.describeDifferences(base, copy as unknown as Contract)
  }

  it('name the command and the flag, with the old and new value', () => {
    expect(change(() => {})).toEqual([])
    expect(change((c) => (c.flags['compose:service:up'].flags.timeout.default = 10))).toEqual([
      'ecsx compose service up: flag --timeout default 5 → 10',
    ])
    expect(
      change((c) => {
        delete (c.flags.ps.flags as Record<string, unknown>).all
        ;(c.flags.ps.flags as Record<string, unknown>).since = {type: 'option'}
      }),
    ).toEqual(['ecsx ps: flag --all removed', 'ecsx ps: flag --since added'])
    expect(change((c) => c.flags.ps.flags['desired-status'].options.push('ALL'))).toEqual([
      'ecsx ps: flag --desired-status options ["RUNNING","STOPPED"] → ["RUNNING","STOPPED","ALL"]',
    ])
    expect(change((c) => delete (c.flags as Record<string, unknown>).ps)).toEqual([
      'ecsx ps: command removed (still in test/contract/flags.json)',
    ])
  })

  it('name the command and the place in its --json schema', () => {
    expect(change((c) => (c.schemas.ps.definitions.Task.properties.cpu.type = 'number'))).toEqual([
      'ecsx ps --json: definitions.Task.properties.cpu.type: "string" → "number"',
    ])
    expect(change((c) => delete (c.schemas as Record<string, unknown>).ps)).toEqual([
      'ecsx ps --json: schema checked in for a command that no longer exists (test/contract/results/ps.json)',
    ])
  })

  it('ignore declaration order (canonical schemas)', () => {
    expect(contract.canonical({required: ['b', 'a'], anyOf: [{type: 'string'}, {type: 'number'}], z: 1, a: 2})).toEqual(
      {
        a: 2,
        anyOf: [{type: 'number'}, {type: 'string'}],
        required: ['a', 'b'],
        z: 1,
      },
    )
  })

  it('read flags from the manifest: only the contract fields, unset ones left out', () => {
    const flags = contract.flagContract({
      commands: {
        x: {
          args: {name: {name: 'name', required: true, description: 'd'}},
          flags: {
            f: {name: 'f', type: 'option', char: 'f', multiple: false, description: 'help text', helpGroup: 'GLOBAL'},
            b: {name: 'b', type: 'boolean', allowNo: true, aliases: ['z', 'y']},
          },
        },
      },
    })
    expect(flags).toEqual({
      x: {
        args: {name: {required: true}},
        flags: {b: {type: 'boolean', allowNo: true, aliases: ['y', 'z']}, f: {type: 'option', char: 'f'}},
      },
    })
  })

  it("find a command's result type through the command it extends", () => {
    const text = contract.resultAliasModule(path.join(ROOT, 'src/commands/compose/create.ts'), 'R')
    expect(text).toMatch(/^export type R = .*RegisterResult/m)
    // the ECS shapes commands return come from the contract's re-export of the SDK types (commands never import the SDK)
    expect(text).toContain(`from '${path.join(ROOT, 'src/lib/ecs/shapes.js')}'`)
  })
})
