/**
 * Fuzzing the whole pipeline: random and malformed YAML, random service definitions built from real keys with
 * random values, random interpolation. The translator must either return a request or throw a ComposeError (exit
 * code 2) with a message — never crash with a TypeError or similar, never return a NaN or a fractional number.
 */
import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'
import {stringify} from 'yaml'

import {ComposeError} from '../../src/compose/errors.js'
import {build} from './helpers.js'

function checkRequest(value: unknown, p = 'td'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value)).toBe(true)
    expect(Number.isInteger(value)).toBe(true)
  } else if (Array.isArray(value)) value.forEach((v, i) => checkRequest(v, `${p}[${i}]`))
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      expect(v).not.toBeUndefined()
      checkRequest(v, `${p}.${k}`)
    }
}

async function outcome(files: Record<string, string>, env: Record<string, string> = {}): Promise<'ok' | 'error'> {
  try {
    const r = await build(files, {env})
    checkRequest(r.taskDefinition)
    return 'ok'
  } catch (error) {
    if (!(error instanceof ComposeError)) throw error
    expect(error.exitCode).toBe(2)
    expect(error.message.length).toBeGreaterThan(0)
    return 'error'
  }
}

const scalar = fc.oneof(
  fc.string({maxLength: 12}),
  fc.integer({min: -5, max: 70000}),
  fc.double({noNaN: true, min: -10, max: 10}),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '512m',
    '1g',
    '80:80',
    '8080:80/udp',
    '10s',
    '1m30s',
    '${X}',
    '${X:-5}',
    '$$',
    'ro',
    '/data:/data',
    'a=b',
    'CMD-SHELL',
    '0.5',
  ),
)
const value = fc.oneof(
  scalar,
  fc.array(scalar, {maxLength: 3}),
  fc.dictionary(
    fc.constantFrom(
      'a',
      'soft',
      'hard',
      'test',
      'target',
      'published',
      'driver',
      'options',
      'condition',
      'cpus',
      'memory',
    ),
    scalar,
    {maxKeys: 3},
  ),
)
const serviceKey = fc.constantFrom(
  'image',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'links',
  'volumes',
  'volumes_from',
  'cpu_shares',
  'cpus',
  'mem_limit',
  'mem_reservation',
  'shm_size',
  'tmpfs',
  'devices',
  'cap_add',
  'cap_drop',
  'init',
  'dns',
  'dns_search',
  'extra_hosts',
  'hostname',
  'user',
  'working_dir',
  'labels',
  'logging',
  'privileged',
  'read_only',
  'tty',
  'stdin_open',
  'security_opt',
  'stop_grace_period',
  'ulimits',
  'healthcheck',
  'depends_on',
  'sysctls',
  'secrets',
  'deploy',
  'x-ecsx',
  'restart',
  'build',
)

describe('fuzz', () => {
  it('random service definitions: a request with whole numbers, or a ComposeError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('web', 'db', 'cache'), fc.dictionary(serviceKey, value, {maxKeys: 6}), {
          minKeys: 1,
          maxKeys: 3,
        }),
        async (services) => {
          for (const s of Object.values(services)) if (!('image' in s)) (s as Record<string, unknown>).image = 'nginx'
          await outcome({'docker-compose.yml': stringify({services})})
        },
      ),
      {numRuns: 300},
    )
  })

  it('malformed YAML text: ComposeError with a position, never a crash', async () => {
    const base = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    environment:\n      A: "1"\n'
    await fc.assert(
      fc.asyncProperty(
        fc.nat(base.length),
        fc.string({unit: fc.constantFrom(...':-[]{}"\'&*!|>#%@` \n\t'), maxLength: 6}),
        async (at, junk) => {
          await outcome({'docker-compose.yml': base.slice(0, at) + junk + base.slice(at)})
        },
      ),
      {numRuns: 300},
    )
  })

  it('random interpolation strings in values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({unit: fc.constantFrom(...'${}:-?+AB_x1 '), maxLength: 16}), async (s) => {
        await outcome(
          {'docker-compose.yml': stringify({services: {web: {image: 'nginx', environment: {V: s}, labels: {l: s}}}})},
          {A: 'a', B: ''},
        )
      }),
      {numRuns: 300},
    )
  })

  it('random ecs-params documents', async () => {
    const key = fc.constantFrom(
      'version',
      'task_definition',
      'run_params',
      'ecs_network_mode',
      'task_size',
      'cpu_limit',
      'mem_limit',
      'services',
      'web',
      'essential',
      'docker_volumes',
      'name',
      'healthcheck',
      'interval',
      'test',
    )
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        {depthSize: 'small'},
        scalar,
        fc.array(tie('node'), {maxLength: 2}),
        fc.dictionary(key, tie('node'), {maxKeys: 3}),
      ),
    })).node
    await fc.assert(
      fc.asyncProperty(tree, async (params) => {
        await outcome({
          'docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
          'ecs-params.yml': stringify(params ?? null),
        })
      }),
      {numRuns: 300},
    )
  })

  it('mem_limit: `${n}m` is n MiB through the whole pipeline; bytes under 1 MiB are errors, never 0', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 4, max: 100_000}), fc.integer({min: 0, max: 1048575}), async (n, small) => {
        const r = await build({'docker-compose.yml': `services:\n  web:\n    image: x\n    mem_limit: ${n}m\n`})
        expect(r.taskDefinition.containerDefinitions![0].memory).toBe(n)
        expect(
          await outcome({'docker-compose.yml': `services:\n  web:\n    image: x\n    mem_limit: ${small}\n`}),
        ).toBe('error')
      }),
      {numRuns: 50},
    )
  })

  it('ports: published:target from known numbers come back as hostPort/containerPort', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({min: 1, max: 65535}),
        fc.integer({min: 1, max: 65535}),
        fc.constantFrom('tcp', 'udp'),
        async (h, c, proto) => {
          const r = await build({
            'docker-compose.yml': `services:\n  web:\n    image: x\n    ports:\n      - "${h}:${c}/${proto}"\n      - target: ${c === 65535 ? 1 : c + 1}\n        published: "${h === 65535 ? 1 : h + 1}"\n`,
          })
          const pm = r.taskDefinition.containerDefinitions![0].portMappings!
          expect(pm[0]).toEqual({containerPort: c, hostPort: h, protocol: proto})
          expect(pm[1]).toEqual({
            containerPort: c === 65535 ? 1 : c + 1,
            hostPort: h === 65535 ? 1 : h + 1,
            protocol: 'tcp',
          })
        },
      ),
      {numRuns: 50},
    )
  })

  it('durations: stop_grace_period of h/m/s parts is their sum in seconds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(3), fc.nat(59), fc.nat(59), async (h, m, s) => {
        const r = await build({
          'docker-compose.yml': `services:\n  web:\n    image: x\n    stop_grace_period: ${h}h${m}m${s}s\n`,
        })
        expect(r.taskDefinition.containerDefinitions![0].stopTimeout).toBe(h * 3600 + m * 60 + s)
      }),
      {numRuns: 50},
    )
  })
})
