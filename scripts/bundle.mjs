#!/usr/bin/env node
// Start-up: bundle tsc's output (in the folder given as argv[2], default dist/) into CommonJS files that bin/run.js
// loads with a V8 code cache:
// - dist/ecsx.cjs: every command, the help class and src/lib/startup (the dispatcher), behind an entry that loads each
//   command module on first use (oclif's "explicit" command strategy reads COMMANDS, the fast path indexes it);
//   @oclif/core with its requires made lazy (`lazyOclif`), so a command evaluates the few oclif modules it touches
//   (Command, parser, flags, errors), not all of oclif; our imports of '@oclif/core' through a facade of getters, so
//   oclif's index (and its Node version check with semver) never loads; better-sqlite3's JavaScript (its addon is
//   loaded by path, see src/lib/engine/store.ts);
// - dist/vendor-yaml.cjs, dist/vendor-aws.cjs (the AWS SDK clients), dist/vendor.cjs (oclif's helpers for help and
//   errors, the diff, the prompts): packages that common commands never run, loaded on first use (VENDOR below).
// Installed ecsx thus needs no npm package at run time but better-sqlite3 (native). CommonJS because Node 20 can
// code-cache scripts (vm.Script cachedData) but not ES modules, and an ES module entry alone costs ~10% of
// `node -e 0`. Modules reached only through `await import()` or a command getter are wrapped by esbuild and run on
// first use, as unbundled modules would.
import {build} from 'esbuild'
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'))

/** Left out of every bundle: oclif's optional tsconfig reading (development only). */
export const EXTERNAL = ['typescript']

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return jsFiles(full)
    return name.endsWith('.js') ? [full] : []
  })
}

/** "compose/service/up.js" → "compose:service:up"; "configure/index.js" → "configure" (oclif's naming). */
export function commandId(relativeFile) {
  const parts = relativeFile.replace(/\.js$/, '').split(/[\\/]/)
  if (parts.at(-1) === 'index') parts.pop()
  return parts.join(':')
}

/** The bundle's entry (CommonJS): COMMANDS with one getter per command, the help class, and start(). */
export function entrySource(commandsDir) {
  const lines = jsFiles(commandsDir)
    .map((file) => path.relative(commandsDir, file))
    .sort()
    .map(
      (rel) =>
        `  ${JSON.stringify(commandId(rel))}: () => require(${JSON.stringify(`./commands/${rel.split(path.sep).join('/')}`)}),`,
    )
  return `'use strict'
const load = {
${lines.join('\n')}
}
const COMMANDS = {}
for (const [id, get] of Object.entries(load)) Object.defineProperty(COMMANDS, id, {enumerable: true, get: () => get().default})
module.exports = {
  COMMANDS,
  get EcsxHelp() { return require('./lib/help.js').default },
  start: (argv, options) => require('./lib/startup/run.js').start(argv, {...options, commands: COMMANDS}),
}
`
}

// What our sources import from '@oclif/core', each from its own module and only when read.
const FACADE = {
  Args: "require('@oclif/core/args')",
  Command: "require('@oclif/core/command').Command",
  Config: "require('@oclif/core/config').Config",
  Errors: "require('@oclif/core/errors')",
  Flags: "require('@oclif/core/flags')",
  Help: "require('@oclif/core/help').Help",
  execute: "require('@oclif/core/execute').execute",
  flush: "require('@oclif/core/flush').flush",
  handle: "require('@oclif/core/handle').handle",
}

const oclifFacade = {
  name: 'oclif-facade',
  setup(b) {
    b.onResolve({filter: /^@oclif\/core$/}, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}`)
        ? undefined
        : {path: 'oclif', namespace: 'ecsx-facade'},
    )
    b.onLoad({filter: /.*/, namespace: 'ecsx-facade'}, () => ({
      resolveDir: root,
      loader: 'js',
      contents: [
        "Object.defineProperty(exports, '__esModule', {value: true})",
        ...Object.entries(FACADE).map(
          ([name, expr]) => `Object.defineProperty(exports, '${name}', {enumerable: true, get: () => ${expr}})`,
        ),
      ].join('\n'),
    }))
  },
}

// @oclif/core is TypeScript compiled to CommonJS: every module requires its dependencies at the top. This turns
// `const x_1 = require("…")` (plain, __importDefault or __importStar) into a proxy that requires on first use, so
// oclif's module graph is evaluated as far as a run reaches into it. Compiled TypeScript only reads members of such a
// binding (`x_1.Foo`, `(0, x_1.fn)()`) — the proxy forwards those, calls, `in`, keys and writes; it is no constructor.
// Everything else in oclif is unchanged.
const LAZY_HELPER = `
function __ecsxLazy(load) {
  let loaded = false
  let value
  const get = () => (loaded ? value : ((loaded = true), (value = load())))
  return new Proxy(() => {}, {
    get: (_, k) => get()[k],
    set: (_, k, v) => ((get()[k] = v), true),
    has: (_, k) => k in get(),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_, k) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), k)
      return d && {...d, configurable: true}
    },
    apply: (_, self, args) => Reflect.apply(get(), self, args),
  })
}
`
const REQUIRE_STATEMENT = /^(const|var|let) ([\w$]+) = (__importDefault|__importStar)?\(?require\(("[^"]+")\)\)?;$/gm
const REQUIRE_EXPORT = /^exports\.([\w$]+) = (__importStar|__importDefault)\(require\(("[^"]+")\)\);$/gm

/** The lazy form of one oclif module's source (exported for tests). */
export function lazyRequires(source) {
  let count = 0
  const out = source
    .replace(REQUIRE_STATEMENT, (_, kw, name, wrap, spec) => {
      count++
      return `${kw} ${name} = __ecsxLazy(() => ${wrap ?? ''}(require(${spec})));`
    })
    .replace(REQUIRE_EXPORT, (_, name, wrap, spec) => {
      count++
      return `exports.${name} = __ecsxLazy(() => ${wrap}(require(${spec})));`
    })
  return count === 0 ? source : out + LAZY_HELPER
}

// oclif logs through `debug`, which loads tty, net, os and supports-color as soon as a logger is made — on every run.
// Without DEBUG in the environment it prints nothing; this stand-in makes silent loggers then, and hands over to the
// real package when DEBUG is set (ECSX_DEBUG=1 sets it too, through oclif).
const quietDebug = {
  name: 'quiet-debug',
  setup(b) {
    b.onResolve({filter: /^debug$/}, (args) =>
      /[\\/]@oclif[\\/]core[\\/]/.test(args.importer) ? {path: 'debug', namespace: 'ecsx-debug'} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'ecsx-debug'}, () => {
      return {
        resolveDir: root,
        loader: 'js',
        contents: `const real = () => __ecsxVendor('vendor', 'debug')
function quiet(namespace) {
  const log = () => {}
  return Object.assign(log, {enabled: false, namespace, extend: (ns, d = ':') => quiet(namespace + d + ns)})
}
module.exports = (namespace) => (process.env.DEBUG ? real()(namespace) : quiet(namespace))`,
      }
    })
  },
}

/**
 * Packages that no common command path runs, bundled into files of their own that the main bundle loads on first use:
 * YAML (read only when a config, Compose or ecs-params file exists) in dist/vendor-yaml.cjs; oclif's helpers for help,
 * plugin discovery, spinners and error printing, the diff and the prompts in dist/vendor.cjs. Every start then reads
 * (and V8 deserialises) about a third less.
 */
export const VENDOR = {
  'vendor-yaml': ['yaml'],
  'vendor-aws': [
    '@aws-sdk/client-cloudformation',
    '@aws-sdk/client-cloudwatch-logs',
    '@aws-sdk/client-ecr',
    '@aws-sdk/client-ecs',
    '@aws-sdk/client-ssm',
    '@aws-sdk/credential-providers',
    '@smithy/core/schema',
  ],
  vendor: [
    'diff',
    '@inquirer/confirm',
    '@inquirer/password',
    'debug',
    'ejs',
    'tinyglobby',
    'minimatch',
    'lilconfig',
    'cli-spinners',
    'semver',
    'wsl-utils',
    'wordwrap',
    'widest-line',
    'wrap-ansi',
    'string-width',
    'indent-string',
    'clean-stack',
    'ansi-escapes',
    'supports-color',
    'get-package-type',
  ],
}

const vendorFile = new Map(Object.entries(VENDOR).flatMap(([file, names]) => names.map((name) => [name, file])))

const vendor = {
  name: 'vendor',
  setup(b) {
    b.onResolve({filter: /^[@a-z]/}, (args) =>
      vendorFile.has(args.path) ? {path: args.path, namespace: 'ecsx-vendor'} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'ecsx-vendor'}, (args) => ({
      contents: `module.exports = __ecsxVendor(${JSON.stringify(vendorFile.get(args.path))}, ${JSON.stringify(args.path)})`,
      loader: 'js',
    }))
  },
}

// `await import('node:x')` would stay a real dynamic import, which inside bin/run.js's vm.Script goes through Node's
// experimental vm loader (and prints a warning). A require of the built-in needs neither.
const requireExternals = {
  name: 'require-externals',
  setup(b) {
    b.onResolve({filter: /^node:/}, (args) =>
      args.kind === 'dynamic-import' ? {path: args.path, namespace: 'ecsx-require'} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'ecsx-require'}, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)})`,
      loader: 'js',
    }))
  },
}

const lazyOclif = {
  name: 'lazy-oclif',
  setup(b) {
    b.onLoad({filter: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/}, (args) => ({
      contents: lazyRequires(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }))
  },
}

// The main bundle's prelude: import.meta.url on demand, and dist/vendor.cjs loaded once, when first needed — through
// bin/run.js's code-cached loader when there is one (Symbol.for('ecsx.load')), else by require.
const BANNER = `const __ecsxMeta = {get url() { return require('node:url').pathToFileURL(__filename).href }};
const __ecsxVendored = {};
const __ecsxVendor = (file, name) =>
  (__ecsxVendored[file] ??= (globalThis[Symbol.for('ecsx.load')] ?? require)(__dirname + '/' + file + '.cjs'))[name];`

/** dist/<file>.cjs for one VENDOR entry: one getter per package, each initialised on first read. */
async function bundleVendor(dir, file, names) {
  const getters = names.map(
    (name) =>
      `Object.defineProperty(exports, ${JSON.stringify(name)}, {enumerable: true, get: () => require(${JSON.stringify(name)})})`,
  )
  const result = await build({
    stdin: {contents: getters.join('\n'), resolveDir: root, sourcefile: `ecsx-${file}.cjs`, loader: 'js'},
    outfile: path.join(dir, `${file}.cjs`),
    ...COMMON,
  })
  finish(path.join(dir, `${file}.cjs`))
  return result.metafile
}

const COMMON = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  nodePaths: [path.join(root, 'node_modules')],
  // Whitespace and syntax only: the bundle is read and decoded on every start (about 40% smaller this way); names
  // stay (keepNames), so stack traces, class names and `err.name` read as in the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: process.env.ECSX_MINIFY_IDS === '1',
  keepNames: true,
  charset: 'ascii',
  sourcemap: 'linked',
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
}

/** Bundle `dir` (tsc's output) into dir/ecsx.cjs and the VENDOR files beside it. */
export async function bundle(dir) {
  const metas = await Promise.all(Object.entries(VENDOR).map(([file, names]) => bundleVendor(dir, file, names)))
  const result = await build({
    stdin: {
      contents: entrySource(path.join(dir, 'commands')),
      resolveDir: dir,
      sourcefile: 'ecsx-entry.cjs',
      loader: 'js',
    },
    outfile: path.join(dir, 'ecsx.cjs'),
    ...COMMON,
    external: EXTERNAL,
    // ES module code that asks for its own URL (createRequire(import.meta.url)) gets the bundle's.
    define: {'import.meta.url': '__ecsxMeta.url'},
    banner: {js: BANNER},
    plugins: [oclifFacade, quietDebug, vendor, requireExternals, lazyOclif],
  })
  finish(path.join(dir, 'ecsx.cjs'))
  metas.push(result.metafile)
  return {
    inputs: Object.assign({}, ...metas.map((m) => m.inputs)),
    outputs: Object.assign({}, ...metas.map((m) => m.outputs)),
  }
}

/**
 * Final touches to a bundle file. esbuild escapes non-ASCII characters everywhere but in regular expression literals
 * (a few in oclif and in ours); escaped there too, the file is pure ASCII, which Node decodes into a V8 string several
 * times faster (it is read on every start). \uXXXX means the same character in a regex, a string or a template
 * literal (beyond U+FFFF: its two escaped surrogates). Then a last line names the content (`//# ecsxBuild=<sha256
 * prefix>`): bin/run.js keys its V8 code cache by it, since V8 itself only checks a cache against the source's length.
 */
function finish(file) {
  const ascii = readFileSync(file, 'utf8').replaceAll(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  const id = createHash('sha256').update(ascii).digest('hex').slice(0, 16)
  writeFileSync(file, `${ascii}\n//# ecsxBuild=${id}\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const meta = await bundle(dist)
  const out = Object.entries(meta.outputs).find(([file]) => file.endsWith('ecsx.cjs'))
  console.log(
    `bundled ${Object.keys(meta.inputs).length} modules into ${path.relative(root, dist)}/ecsx.cjs (${(out[1].bytes / 1024).toFixed(0)} KiB)`,
  )
}
