import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {InterpolationError, interpolate} from '../../src/compose/interpolate.js'
import {parseDotenv} from '../../src/compose/dotenv.js'
import {ComposeError} from '../../src/compose/errors.js'
import {build, buildError} from './helpers.js'

const env: Record<string, string> = {SET: 'value', EMPTY: '', B: 'bee', PORT: '8080'}
const lookup = (n: string) => env[n]
const run = (s: string, onUnset?: (n: string) => void) => interpolate(s, {lookup, onUnset})

describe('interpolation forms', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['x${SET}y', 'xvaluey'],
    ['$SET-suffix', 'value-suffix'],
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${SET:-dflt}', 'value'],
    ['${UNSET-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost: $$5', 'cost: $5'],
    ['${UNSET:-${B}}', 'bee'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-a-b:c}', 'a-b:c'],
    ['${UNSET:-}', ''],
    ['no dollars', 'no dollars'],
    ['${PORT}:80', '8080:80'],
  ])('%s → %p', (input, out) => {
    expect(run(input)).toBe(out)
  })

  it('required variables', () => {
    expect(run('${SET:?needed}')).toBe('value')
    expect(() => run('${UNSET:?set it please}')).toThrow('required variable UNSET is missing a value: set it please')
    expect(() => run('${EMPTY:?x}')).toThrow(/required variable EMPTY/)
    expect(run('${EMPTY?x}')).toBe('')
    expect(() => run('${UNSET?x}')).toThrow(InterpolationError)
  })

  it('unset variables become "" and are reported', () => {
    const seen: string[] = []
    expect(run('a${UNSET}b$OTHER', (n) => seen.push(n))).toBe('ab')
    expect(seen).toEqual(['UNSET', 'OTHER'])
  })

  it.each(['${', '${SET', '${}', '${1A}', '${SET:x}', '$ 5', 'price $5'])('invalid: %p', (input) => {
    expect(() => run(input)).toThrow(InterpolationError)
  })

  it('property: text without $ is unchanged; $$ always escapes', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const noDollar = s.replaceAll('$', '')
        expect(run(noDollar)).toBe(noDollar)
        expect(run(s.replaceAll('$', () => '$$'))).toBe(s)
      }),
    )
  })

  it('property: ${NAME:-default} yields the value or the default', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/),
        fc.option(fc.stringMatching(/^[a-z0-9 .]*$/), {nil: undefined}),
        fc.stringMatching(/^[a-z0-9 .]*$/),
        (name, value, dflt) => {
          const out = interpolate(`\${${name}:-${dflt}}`, {lookup: (n) => (n === name ? value : undefined)})
          expect(out).toBe(value === undefined || value === '' ? dflt : value)
        },
      ),
    )
  })

  it('property: arbitrary strings interpolate or throw InterpolationError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom(...'${}:-?+AB_ x')}), (s) => {
        try {
          expect(typeof run(s)).toBe('string')
        } catch (error) {
          expect(error).toBeInstanceOf(InterpolationError)
        }
      }),
    )
  })
})

describe('interpolation in compose files', () => {
  it('warns about unset variables with the file, line and service; shell wins over .env', async () => {
    const r = await build(
      {
        'docker-compose.yml':
          'services:\n  web:\n    image: "nginx:${TAG}"\n    environment:\n      A: "${FROM_ENV_FILE}-${NOPE}"\n',
        '.env': 'TAG=from-dotenv\nFROM_ENV_FILE=dot\n',
      },
      {env: {TAG: 'from-shell'}},
    )
    const c = r.taskDefinition.containerDefinitions![0]
    expect(c.image).toBe('nginx:from-shell')
    expect(c.environment).toEqual([{name: 'A', value: 'dot-'}])
    const w = r.warnings.find((d) => d.message.includes('NOPE'))
    expect(w).toMatchObject({
      level: 'warning',
      file: 'docker-compose.yml',
      line: 5,
      service: 'web',
      key: 'environment.A',
    })
  })

  it('required variable errors name file, line, service and key', async () => {
    const e = await buildError({
      'docker-compose.yml':
        'services:\n  api:\n    image: x\n    environment:\n      - DB_PASSWORD=${DB_PASSWORD:?set the password}\n',
    })
    expect(e.message).toContain('docker-compose.yml:5')
    expect(e.message).toContain('service "api"')
    expect(e.message).toContain('environment')
    expect(e.message).toContain('required variable DB_PASSWORD is missing a value: set the password')
    expect(e.exitCode).toBe(2)
  })

  it('a lone $ is an error that suggests $$', async () => {
    const e = await buildError({'docker-compose.yml': 'services:\n  web:\n    image: x\n    command: echo costs $5\n'})
    expect(e.message).toMatch(/docker-compose.yml:4:\d+: service "web": command: .*write "\$\$"/)
  })

  it('interpolated strings are cast where numbers and booleans are expected', async () => {
    const r = await build(
      {
        'docker-compose.yml':
          'services:\n  web:\n    image: x\n    ports: ["${P}:80"]\n    mem_limit: ${MEM:-256m}\n    read_only: ${RO:-true}\n',
      },
      {env: {P: '9090'}},
    )
    const c = r.taskDefinition.containerDefinitions![0]
    expect(c.portMappings).toEqual([{containerPort: 80, hostPort: 9090, protocol: 'tcp'}])
    expect(c.memory).toBe(256)
    expect(c.readonlyRootFilesystem).toBe(true)
  })
})

describe('.env / env_file parsing', () => {
  const parse = (text: string, look: Record<string, string> = {}) =>
    Object.fromEntries(parseDotenv(text, '.env', (n) => look[n]).map((e) => [e.name, e.value]))

  it('Compose rules: quotes removed, export prefix, comments, escapes, expansion', () => {
    const text = [
      '# comment',
      '',
      'PLAIN=hello world',
      'export EXPORTED=yes',
      "SINGLE='literal $PLAIN \\n'",
      'DOUBLE="line1\\nline2 \\"q\\" ${PLAIN}"',
      'INLINE=value # a comment',
      'HASH=a#b',
      'EMPTY=',
      'QUOTED_EMPTY=""',
      'SPACED = padded ',
      'REF=${PLAIN}-${FROM_SHELL}',
      'DFLT=${MISSING:-fallback}',
      'COLON: yaml style',
      'MULTI="first',
      'second"',
      'AFTER=ok',
      'DOLLAR="cost \\$5"',
    ].join('\n')
    expect(parse(text, {FROM_SHELL: 'sh'})).toEqual({
      PLAIN: 'hello world',
      EXPORTED: 'yes',
      SINGLE: 'literal $PLAIN \\n',
      DOUBLE: 'line1\nline2 "q" hello world',
      INLINE: 'value',
      HASH: 'a#b',
      EMPTY: '',
      QUOTED_EMPTY: '',
      SPACED: 'padded',
      REF: 'hello world-sh',
      DFLT: 'fallback',
      COLON: 'yaml style',
      MULTI: 'first\nsecond',
      AFTER: 'ok',
      DOLLAR: 'cost $5',
    })
  })

  it('a bare KEY takes the lookup value, or is dropped', () => {
    expect(parse('FROM_SHELL\nNOT_SET\n', {FROM_SHELL: 'x'})).toEqual({FROM_SHELL: 'x'})
  })

  it('CRLF line endings and a BOM', () => {
    expect(parse('\ufeffA=1\r\nB="2"\r\n')).toEqual({A: '1', B: '2'})
  })

  it('errors carry the line', () => {
    expect(() => parse('A=1\nBAD KEY=2\n')).toThrow(ComposeError)
    try {
      parse('A=1\n\nB="never closed\n')
    } catch (error) {
      expect((error as ComposeError).line).toBe(3)
      expect((error as ComposeError).message).toContain('.env:3')
    }
    expect(() => parse('A="x" trailing\n')).toThrow(/unexpected text after the closing quote/)
  })

  it('property: KEY=value lines with plain values round-trip', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9_.,/:@-]*$/)),
        (vars) => {
          const text = Object.entries(vars)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n')
          expect(parse(text)).toEqual(vars)
          const quoted = Object.entries(vars)
            .map(([k, v]) => `${k}="${v}"`)
            .join('\n')
          expect(parse(quoted)).toEqual(vars)
        },
      ),
    )
  })
})
