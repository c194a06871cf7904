import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {
  UnitError,
  cpusToUnits,
  durationToSeconds,
  fargateMemoryOptions,
  formatDuration,
  normalizeTaskCpu,
  normalizeTaskMemory,
  parseBoolean,
  parseDurationMs,
  parseInteger,
  parsePortShort,
  parseSizeBytes,
  parseSizeMiB,
  shellSplit,
} from '../../src/compose/units.js'

describe('sizes', () => {
  it.each([
    ['512m', 512],
    ['512M', 512],
    ['512mb', 512],
    ['512MiB', 512],
    ['0.5g', 512],
    ['1g', 1024],
    ['1GB', 1024],
    ['1.5g', 1536],
    ['2048k', 2],
    [1073741824, 1024],
    ['1073741824', 1024],
    [1000000000, 953],
    ['1t', 1024 * 1024],
  ])('%s → %i MiB', (input, mib) => {
    expect(parseSizeMiB(input)).toBe(mib)
  })

  it('rejects sizes under 1 MiB instead of returning 0, and says a bare number is bytes', () => {
    expect(() => parseSizeMiB(512)).toThrow(/less than 1 MiB.*"512m"/)
    expect(() => parseSizeMiB('1023k')).toThrow(UnitError)
    expect(() => parseSizeMiB('0')).toThrow(UnitError)
  })

  it.each(['lots', '12x', '-5m', '5 mm', '', 'm', '1.5', 0.5, -1, true, [1]])('rejects %p', (input) => {
    expect(() => parseSizeMiB(input)).toThrow(UnitError)
  })

  it('bytes: binary units', () => {
    expect(parseSizeBytes('1k')).toBe(1024)
    expect(parseSizeBytes('1kb')).toBe(1024)
    expect(parseSizeBytes('3')).toBe(3)
  })

  it('property: `${n}m` is n MiB, `${n}g` is n×1024 MiB, n×1048576 bytes is n MiB', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 10_000_000}), (n) => {
        expect(parseSizeMiB(`${n}m`)).toBe(n)
        expect(parseSizeMiB(`${n}M`)).toBe(n)
        expect(parseSizeMiB(n * 1048576)).toBe(n)
        if (n < 100_000) expect(parseSizeMiB(`${n}g`)).toBe(n * 1024)
      }),
    )
  })

  it('property: sizes under 1 MiB are always rejected, never 0', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 1048575}), (bytes) => {
        expect(() => parseSizeMiB(bytes)).toThrow(UnitError)
        expect(() => parseSizeMiB(`${bytes}b`)).toThrow(UnitError)
      }),
    )
  })

  it('property: arbitrary strings either parse to a positive integer or throw UnitError', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const v = parseSizeMiB(s)
          expect(Number.isInteger(v) && v >= 1).toBe(true)
        } catch (error) {
          expect(error).toBeInstanceOf(UnitError)
        }
      }),
    )
  })
})

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['2.5s', 2500],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['2h23m', 8_580_000],
    ['5h34m56s', 20_096_000],
    ['10', 10_000],
    [10, 10_000],
    ['0', 0],
    ['1us', 0.001],
  ])('%p → %p ms', (input, ms) => {
    expect(parseDurationMs(input)).toBeCloseTo(ms, 6)
  })

  it.each(['', 'soon', '10 s', '-5s', '5x', 's', '1m30', [1]])('rejects %p', (input) => {
    expect(() => parseDurationMs(input)).toThrow(UnitError)
  })

  it('formats compactly and round-trips', () => {
    expect(formatDuration(2000)).toBe('2s')
    expect(formatDuration(500)).toBe('500ms')
    expect(formatDuration(90_000)).toBe('1m30s')
    expect(formatDuration(3_600_000)).toBe('1h')
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(61_500)).toBe('1m1s500ms')
  })

  it('property: formatDuration(parse(x)) parses back to the same milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 10 * 86_400_000}), (ms) => {
        expect(parseDurationMs(formatDuration(ms))).toBe(ms)
      }),
    )
  })

  it('property: h/m/s components add up', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.nat(59), fc.nat(59), (h, m, s) => {
        expect(parseDurationMs(`${h}h${m}m${s}s`)).toBe(((h * 60 + m) * 60 + s) * 1000)
      }),
    )
  })

  it('seconds truncate and report it', () => {
    expect(durationToSeconds(90_000)).toEqual({seconds: 90, truncated: false})
    expect(durationToSeconds(1500)).toEqual({seconds: 1, truncated: true})
  })
})

describe('cpus', () => {
  it('×1024, rounded; values below one unit rejected', () => {
    expect(cpusToUnits(0.5)).toBe(512)
    expect(cpusToUnits('0.25')).toBe(256)
    expect(cpusToUnits(2)).toBe(2048)
    expect(cpusToUnits('1.5')).toBe(1536)
    expect(() => cpusToUnits(0.0001)).toThrow(/less than 1 CPU unit/)
    expect(() => cpusToUnits('two')).toThrow(UnitError)
    expect(() => cpusToUnits(-1)).toThrow(UnitError)
  })
  it('property: n/1024 cpus → n units', () => {
    fc.assert(fc.property(fc.integer({min: 1, max: 1 << 20}), (n) => expect(cpusToUnits(n / 1024)).toBe(n)))
  })
})

describe('integers and booleans', () => {
  it('integers from numbers or numeric strings, within range', () => {
    expect(parseInteger('42', 'x')).toBe(42)
    expect(parseInteger(7, 'x')).toBe(7)
    expect(() => parseInteger('4.2', 'x')).toThrow(UnitError)
    expect(() => parseInteger(4.2, 'x')).toThrow(UnitError)
    expect(() => parseInteger(300, 'exit code', 0, 255)).toThrow(/between 0 and 255/)
  })
  it('booleans as Compose casts them', () => {
    expect(parseBoolean('true', 'x')).toBe(true)
    expect(parseBoolean('yes', 'x')).toBe(true)
    expect(parseBoolean('off', 'x')).toBe(false)
    expect(parseBoolean(false, 'x')).toBe(false)
    expect(() => parseBoolean('maybe', 'x')).toThrow(UnitError)
  })
})

describe('ports', () => {
  it.each([
    ['80', [{containerPort: 80, protocol: 'tcp'}]],
    [80, [{containerPort: 80, protocol: 'tcp'}]],
    ['8080:80', [{containerPort: 80, hostPort: 8080, protocol: 'tcp'}]],
    ['8080:80/udp', [{containerPort: 80, hostPort: 8080, protocol: 'udp'}]],
    ['53/UDP', [{containerPort: 53, protocol: 'udp'}]],
    ['127.0.0.1:8080:80', [{containerPort: 80, hostPort: 8080, protocol: 'tcp', hostIp: '127.0.0.1'}]],
    ['127.0.0.1::80', [{containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1'}]],
    ['[::1]:8080:80', [{containerPort: 80, hostPort: 8080, protocol: 'tcp', hostIp: '::1'}]],
    [
      '9000-9001:8000-8001',
      [
        {containerPort: 8000, hostPort: 9000, protocol: 'tcp'},
        {containerPort: 8001, hostPort: 9001, protocol: 'tcp'},
      ],
    ],
    [
      '3000-3002',
      [
        {containerPort: 3000, protocol: 'tcp'},
        {containerPort: 3001, protocol: 'tcp'},
        {containerPort: 3002, protocol: 'tcp'},
      ],
    ],
  ])('%p', (input, expected) => {
    expect(parsePortShort(input)).toEqual(expected)
  })

  it.each([
    'http',
    '80:http',
    '0',
    '70000',
    '8080:80/sctp',
    '1:2:3:4',
    '9000-9002:8000-8001',
    '5-3',
    '',
    '8080:',
    80.5,
    null,
  ])('rejects %p', (input) => {
    expect(() => parsePortShort(input)).toThrow(UnitError)
  })

  it('property: port strings built from numbers parse back to them', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 65535}),
        fc.integer({min: 1, max: 65535}),
        fc.constantFrom('tcp', 'udp'),
        fc.option(fc.constantFrom('127.0.0.1', '0.0.0.0', '10.1.2.3'), {nil: undefined}),
        (host, container, protocol, ip) => {
          const text = `${ip ? `${ip}:` : ''}${host}:${container}/${protocol}`
          const [p] = parsePortShort(text)
          expect(p.containerPort).toBe(container)
          expect(p.hostPort).toBe(host)
          expect(p.protocol).toBe(protocol)
          expect(p.hostIp).toBe(ip)
        },
      ),
    )
  })

  it('property: ranges expand to one mapping per port, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 60000}),
        fc.integer({min: 0, max: 20}),
        fc.integer({min: 1, max: 60000}),
        (c, len, h) => {
          const text = `${h}-${h + len}:${c}-${c + len}`
          const ports = parsePortShort(text)
          expect(ports).toHaveLength(len + 1)
          ports.forEach((p, i) => {
            expect(p.containerPort).toBe(c + i)
            expect(p.hostPort).toBe(h + i)
          })
        },
      ),
    )
  })

  it('property: arbitrary strings never crash with anything but UnitError', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom(...'0123456789:-/.[]abtcpu ')}), (s) => {
        try {
          for (const p of parsePortShort(s)) {
            expect(p.containerPort).toBeGreaterThanOrEqual(1)
            expect(p.containerPort).toBeLessThanOrEqual(65535)
          }
        } catch (error) {
          expect(error).toBeInstanceOf(UnitError)
        }
      }),
    )
  })
})

describe('shell words', () => {
  it.each([
    ['echo hello world', ['echo', 'hello', 'world']],
    ['sh -c "echo $HOME && ls"', ['sh', '-c', 'echo $HOME && ls']],
    ["sh -c 'a b'  c", ['sh', '-c', 'a b', 'c']],
    ['a\\ b c', ['a b', 'c']],
    ['"say \\"hi\\""', ['say "hi"']],
    ['x ""', ['x', '']],
    ['  ', []],
  ])('%p', (input, words) => {
    expect(shellSplit(input)).toEqual(words)
  })
  it('unterminated quotes are errors', () => {
    expect(() => shellSplit('echo "oops')).toThrow(/unterminated double quote/)
    expect(() => shellSplit("echo 'oops")).toThrow(/unterminated single quote/)
  })
  it('property: joining simple words with spaces splits back', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9_./=-]+$/), {minLength: 1, maxLength: 8}), (words) => {
        expect(shellSplit(words.join(' '))).toEqual(words)
        expect(shellSplit(words.map((w) => `'${w}'`).join('  '))).toEqual(words)
      }),
    )
  })
})

describe('task size', () => {
  it.each([
    ['256', '256'],
    [1024, '1024'],
    ['0.5 vCPU', '512'],
    ['1 vcpu', '1024'],
    ['.25 vCPU', '256'],
    ['2vCPU', '2048'],
  ])('cpu %p → %p', (input, out) => expect(normalizeTaskCpu(input)).toBe(out))
  it.each([
    ['1GB', '1024'],
    ['2 GB', '2048'],
    ['0.5GB', '512'],
    ['512', '512'],
    [2048, '2048'],
    ['512 MiB', '512'],
    ['1.5 gb', '1536'],
  ])('memory %p → %p', (input, out) => expect(normalizeTaskMemory(input)).toBe(out))
  it.each(['lots', '0', '0.1 vCPU x', '1.0001 vCPU', ''])('bad cpu %p', (input) =>
    expect(() => normalizeTaskCpu(input)).toThrow(UnitError),
  )
  it.each(['lots', '0', '1.0001GB', '1TB', ''])('bad memory %p', (input) =>
    expect(() => normalizeTaskMemory(input)).toThrow(UnitError),
  )
  it('Fargate table', () => {
    expect(fargateMemoryOptions(256)).toEqual([512, 1024, 2048])
    expect(fargateMemoryOptions(512)).toEqual([1024, 2048, 3072, 4096])
    expect(fargateMemoryOptions(1024)).toEqual([2048, 3072, 4096, 5120, 6144, 7168, 8192])
    expect(fargateMemoryOptions(2048)).toHaveLength(13)
    expect(fargateMemoryOptions(4096)?.[0]).toBe(8192)
    expect(fargateMemoryOptions(4096)?.at(-1)).toBe(30720)
    expect(fargateMemoryOptions(300)).toBeUndefined()
  })
})
