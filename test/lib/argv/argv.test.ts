import {describe, expect, it} from '@jest/globals'
import {Flags, Parser} from '@oclif/core'
import fc from 'fast-check'

import {knownPrefixes, reorderArgv} from '../../../src/lib/argv.js'
import {globalFlags} from '../../../src/lib/global-flags.js'

const IDS = [
  'compose:create',
  'compose:up',
  'compose:ps',
  'compose:run',
  'compose:service:up',
  'compose:service:rm',
  'compose:service:ps',
  'configure',
  'configure:default',
  'configure:profile',
  'configure:profile:default',
  'engine:advance',
  'engine:status',
  'ps',
  'up',
  'register',
]
const PREFIXES = knownPrefixes(IDS)

describe('reorderArgv (ecs-cli argument order)', () => {
  it('moves flags between topic words after the command id', () => {
    expect(reorderArgv(['compose', '--project-name', 'p', '--file', 'f', 'service', 'up'], PREFIXES)).toEqual([
      'compose',
      'service',
      'up',
      '--project-name',
      'p',
      '--file',
      'f',
    ])
    expect(reorderArgv(['compose', '-f', 'a.yml', '-f', 'b.yml', 'up', '--launch-type', 'FARGATE'], PREFIXES)).toEqual([
      'compose',
      'up',
      '-f',
      'a.yml',
      '-f',
      'b.yml',
      '--launch-type',
      'FARGATE',
    ])
    expect(reorderArgv(['--verbose', 'ps', '-c', 'demo'], PREFIXES)).toEqual(['ps', '--verbose', '-c', 'demo'])
  })

  it('leaves an argv already in oclif order unchanged', () => {
    const args = ['compose', 'service', 'up', '-p', 'p', '--timeout', '5']
    expect(reorderArgv(args, PREFIXES)).toEqual(args)
  })

  it('does not take a flag value for a topic word', () => {
    expect(reorderArgv(['compose', '--cluster', 'service', 'up'], PREFIXES)).toEqual([
      'compose',
      'up',
      '--cluster',
      'service',
    ])
    expect(reorderArgv(['compose', '-p', 'up', 'create'], PREFIXES)).toEqual(['compose', 'create', '-p', 'up'])
  })

  it('never touches what follows the command id (arguments, --, command overrides)', () => {
    expect(reorderArgv(['compose', '-f', 'x.yml', 'run', 'web', 'echo', '-f', 'service'], PREFIXES)).toEqual([
      'compose',
      'run',
      '-f',
      'x.yml',
      'web',
      'echo',
      '-f',
      'service',
    ])
    expect(reorderArgv(['engine', '--verbose', 'advance', '30s'], PREFIXES)).toEqual([
      'engine',
      'advance',
      '--verbose',
      '30s',
    ])
    expect(reorderArgv(['compose', '--', 'up'], PREFIXES)).toEqual(['compose', '--', 'up'])
  })

  it('stops at a word that is not a command (oclif then reports it)', () => {
    expect(reorderArgv(['compose', '-p', 'x', 'nope', 'up'], PREFIXES)).toEqual(['compose', '-p', 'x', 'nope', 'up'])
  })

  it('accepts --flag=value and -pvalue forms', () => {
    expect(reorderArgv(['compose', '--project-name=p', '-fx.yml', 'ps'], PREFIXES)).toEqual([
      'compose',
      'ps',
      '--project-name=p',
      '-fx.yml',
    ])
  })
})

/** One global flag occurrence as tokens, in a random spelling. */
const value = fc.stringMatching(/^[a-z0-9][a-z0-9._/:-]{0,11}$/)
const flagOccurrence = fc.oneof(
  fc.constant(['--verbose']),
  fc.constant(['--json']),
  fc
    .tuple(
      fc.constantFrom(
        '--cluster',
        '-c',
        '--region',
        '-r',
        '--project-name',
        '-p',
        '--cluster-config',
        '--ecs-params',
        '--ecs-profile',
        '--aws-profile',
        '--endpoint-url',
      ),
      value,
      fc.boolean(),
    )
    .map(([flag, v, joined]) => (joined ? [flag.startsWith('--') ? `${flag}=${v}` : `${flag}${v}`] : [flag, v])),
  fc.tuple(fc.constantFrom('--file', '-f'), value).map(([flag, v]) => [flag, v]),
  fc.tuple(fc.constant('--backend'), fc.constantFrom('local', 'aws')).map(([flag, v]) => [flag, v]),
)

const SHORT: Record<string, string> = {c: 'cluster', r: 'region', p: 'project-name', f: 'file'}
function flagName(token: string): string {
  if (token.startsWith('--')) return token.slice(2).split('=')[0]
  return SHORT[token[1]]
}

const parserFlags = {...globalFlags, json: Flags.boolean()}

async function parsedFlags(argv: string[]): Promise<unknown> {
  const out = await Parser.parse(argv, {flags: parserFlags, strict: true})
  return out.flags
}

describe('reorderArgv property: any interleaving of global flags between topic words parses to the same flags', () => {
  it('holds for every command id and flag placement', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...IDS),
        fc.array(fc.tuple(flagOccurrence, fc.nat()), {maxLength: 8}),
        async (id, generated) => {
          // single-valued flags may appear once (oclif rejects repeats); --file is repeatable
          const seen = new Set<string>()
          const occurrences = generated.filter(([tokens]) => {
            const name = flagName(tokens[0])
            if (name === 'file') return true
            if (seen.has(name)) return false
            seen.add(name)
            return true
          })
          const words = id.split(':')
          const slots: string[][] = words.map(() => [])
          slots.push([])
          for (const [tokens, at] of occurrences) slots[at % slots.length].push(...tokens)
          const interleaved = slots.flatMap((flags, i) => (i < words.length ? [...flags, words[i]] : flags))
          const canonical = [
            ...words,
            ...occurrences
              .map(([tokens, at]) => ({tokens, at}))
              .map((o, index) => ({...o, index}))
              .sort((a, b) => (a.at % slots.length) - (b.at % slots.length) || a.index - b.index)
              .flatMap((o) => o.tokens),
          ]
          const reordered = reorderArgv(interleaved, PREFIXES)
          expect(reordered).toEqual(canonical)
          expect(reordered.slice(0, words.length)).toEqual(words)
          expect(await parsedFlags(reordered.slice(words.length))).toEqual(
            await parsedFlags(canonical.slice(words.length)),
          )
        },
      ),
      {numRuns: 300},
    )
  })
})

describe('reorderArgv property: only the command id moves; every other token keeps its order', () => {
  it('holds for arbitrary mixes of command words, flags, values and stray words', () => {
    const WORDS = [...new Set(IDS.flatMap((id) => id.split(':')))]
    // values and stray words never spell a command word, so which occurrence is the id is unambiguous
    const safe = fc.stringMatching(/^[a-z0-9._]{1,6}$/).filter((v) => !WORDS.includes(v))
    const group = fc.oneof(
      fc.constantFrom(...WORDS).map((w) => [w]),
      fc.constantFrom('--json', '--verbose', '--force', '--x=1', '-fvalue').map((f) => [f]),
      fc.tuple(fc.constantFrom('-c', '-p', '--file', '--cluster', '--region'), safe).map(([f, v]) => [f, v]),
      safe.map((w) => [w]),
      fc.constant(['--']),
    )
    fc.assert(
      fc.property(fc.array(group, {maxLength: 10}), (groups) => {
        const args = groups.flat()
        const out = reorderArgv(args, PREFIXES)
        let n = 0
        while (n < out.length && PREFIXES.has(out.slice(0, n + 1).join(':')) && !out[n].startsWith('-')) n++
        const rest = [...args]
        for (const word of out.slice(0, n)) rest.splice(rest.indexOf(word), 1)
        expect(out.slice(n)).toEqual(rest)
        expect(out.length).toBe(args.length)
      }),
      {numRuns: 500},
    )
  })
})
