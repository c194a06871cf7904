/**
 * scripts/bundle.mjs: the lazy form of oclif's requires (a module is required when first used, and behaves as itself),
 * and oclif's command ids for command files.
 */
import {describe, expect, it} from '@jest/globals'
import path from 'node:path'

import {REPO_ROOT} from '../helpers/cli.js'

interface BundleScript {
  lazyRequires(source: string): string
  commandId(relativeFile: string): string
}
const script = path.join(REPO_ROOT, 'scripts', 'bundle.mjs')
const load = async () => (await import(script)) as BundleScript

/** Run CommonJS `source` with a require that records what it loads. */
function evaluate(source: string, modules: Record<string, unknown>) {
  const required: string[] = []
  const exports: Record<string, unknown> = {}
  const require = (name: string) => {
    required.push(name)
    return modules[name]
  }
  new Function('require', 'exports', '__importDefault', '__importStar', source)(
    require,
    exports,
    (m: {__esModule?: boolean}) => (m?.__esModule ? m : {default: m}),
    (m: unknown) => m,
  )
  return {exports, required}
}

describe('lazyRequires', () => {
  const source = [
    'const a_1 = require("./a");',
    'const b_1 = __importDefault(require("b"));',
    'const C = __importStar(require("./c"));',
    'exports.Flags = __importStar(require("./flags"));',
    'const {eager} = require("./eager");',
    'exports.use = () => a_1.value + b_1.default() + new C.K().n + exports.Flags.x;',
  ].join('\n')
  const modules = () => ({
    './a': {value: 1},
    b: () => 2,
    './c': {
      K: class {
        n = 3
      },
    },
    './flags': {x: 4},
    './eager': {eager: true},
  })

  it('rewrites the three require forms of compiled TypeScript and leaves others alone', async () => {
    const {lazyRequires} = await load()
    const out = lazyRequires(source)
    expect(out).toContain('const a_1 = __ecsxLazy(() => (require("./a")));')
    expect(out).toContain('const b_1 = __ecsxLazy(() => __importDefault(require("b")));')
    expect(out).toContain('const C = __ecsxLazy(() => __importStar(require("./c")));')
    expect(out).toContain('exports.Flags = __ecsxLazy(() => __importStar(require("./flags")));')
    expect(out).toContain('const {eager} = require("./eager");')
    expect(lazyRequires('module.exports = 1\n')).toBe('module.exports = 1\n')
  })

  it('requires a module only when it is first used, and then behaves as the module', async () => {
    const {lazyRequires} = await load()
    const {exports, required} = evaluate(lazyRequires(source), modules())
    expect(required).toEqual(['./eager'])
    expect((exports.use as () => number)()).toBe(10)
    expect(required.sort()).toEqual(['./a', './c', './eager', './flags', 'b'])
    const again = (exports.use as () => number)()
    expect(again).toBe(10)
    expect(required).toHaveLength(5)
  })

  it('forwards calls, `in`, keys and writes to the module', async () => {
    const {lazyRequires} = await load()
    const fn = Object.assign((x: number) => x * 2, {tag: 't'})
    const src = [
      'const f = require("fn");',
      'const o = require("obj");',
      'exports.run = () => [f(21), "k" in o, Object.keys(o), (o.k = 9, o.k), f.tag];',
    ].join('\n')
    const obj: Record<string, number> = {k: 1}
    const {exports} = evaluate(lazyRequires(src), {fn, obj})
    expect((exports.run as () => unknown[])()).toEqual([42, true, ['k'], 9, 't'])
    expect(obj.k).toBe(9)
  })
})

describe('commandId', () => {
  it('names commands as oclif does', async () => {
    const {commandId} = await load()
    expect(commandId('ps.js')).toBe('ps')
    expect(commandId('compose/service/up.js')).toBe('compose:service:up')
    expect(commandId(path.join('configure', 'index.js'))).toBe('configure')
    expect(commandId('configure/profile/index.js')).toBe('configure:profile')
  })
})
