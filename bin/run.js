#!/usr/bin/env node
// The `ecsx` executable. CommonJS on purpose (bin/package.json says so): an ES module entry alone costs about a tenth
// of `node -e 0`, and this file decides how fast every invocation starts.
// - `ecsx --version` is answered here, as oclif would answer it, without loading anything else (ECSX_STARTUP=oclif
//   leaves it, like every command line, to oclif: src/lib/startup/run.ts).
// - Everything else runs dist/ecsx.cjs (one bundle: commands, oclif, the libraries; see scripts/bundle.mjs), compiled
//   with a V8 code cache kept in ECSX_CACHE_DIR (default: $XDG_CACHE_HOME/ecsx or ~/.cache/ecsx), keyed by the bundle's
//   content, the Node version and its flags, written after the first run that lacks it. ECSX_CODE_CACHE=0: no cache.
'use strict'
// Node 20: silence the AWS SDK's one-time NodeVersionSupportWarning
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
const argv = process.argv.slice(2)
const pjson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
// oclif's config.platform and config.userAgent ("<name>/<version> <platform>-<arch> node-<version>")
const platform = isWsl() ? 'wsl' : process.platform
const userAgent = `${pjson.name}/${pjson.version} ${platform}-${process.arch === 'ia32' ? 'x86' : process.arch} node-${process.version}`

if (argv[0] === '--version' && process.env.ECSX_STARTUP !== 'oclif') {
  try {
    fs.writeSync(1, `${userAgent}\n`)
  } catch (error) {
    if (error.code !== 'EPIPE') throw error // a reader that went away (`ecsx --version | true`) is no error
  }
} else {
  // The bundle loads dist/vendor*.cjs (packages common commands never run) through this too, on first use.
  globalThis[Symbol.for('ecsx.load')] = loadBundle
  const cli = loadBundle(path.join(root, 'dist', 'ecsx.cjs'))
  const index = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'commands.json'), 'utf8'))
  cli.start(argv, {root, index, pjson, userAgent, platform})
}

/** oclif's getPlatform asks the is-wsl package: Linux under WSL, not inside a container. Same checks, same order. */
function isWsl() {
  if (process.platform !== 'linux') return false
  if (require('node:os').release().toLowerCase().includes('microsoft')) return !insideContainer()
  try {
    if (fs.readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return !insideContainer()
  } catch {
    // no /proc
  }
  if (fs.existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || fs.existsSync('/run/WSL')) return !insideContainer()
  return false
}

function insideContainer() {
  if (fs.existsSync('/run/.containerenv') || fs.existsSync('/.dockerenv')) return true
  try {
    return fs.readFileSync('/proc/self/cgroup', 'utf8').includes('docker')
  } catch {
    return false
  }
}

/** require(file), compiled with a V8 code cache when one is available (and written when it is not). */
function loadBundle(file) {
  const Module = require('node:module')
  const vm = require('node:vm')
  if (process.env.ECSX_CODE_CACHE === '0' || !vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER) return require(file)
  let source
  try {
    source = fs.readFileSync(file, 'utf8')
  } catch (error) {
    if (error.code !== 'ENOENT') throw error
    process.stderr.write(`Error: ${path.relative(process.cwd(), file)} is missing: build ecsx first (npm run build).\n`)
    process.exit(1)
  }
  const cacheFile = codeCachePath(file, source)
  let cachedData
  try {
    cachedData = fs.readFileSync(cacheFile)
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const mod = new Module(file, module)
  mod.filename = file
  // oclif requires the bundle again to read COMMANDS and the help class: it must get this instance.
  require.cache[file] = mod
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file))
  mod.loaded = true
  if (!cachedData || script.cachedDataRejected) {
    // Written when the command is done, so that the cache holds the functions this run compiled.
    process.once('exit', () => writeCodeCache(cacheFile, script))
  }
  return mod.exports
}

function codeCachePath(file, source) {
  // The build's last line names the content (scripts/bundle.mjs); V8 only compares a cache with the source's length.
  const build =
    /\/\/# ecsxBuild=(\w+)\s*$/.exec(source.slice(-64))?.[1] ?? `${source.length}-${fs.statSync(file).mtimeMs}`
  const base =
    process.env.ECSX_CACHE_DIR ||
    path.join(process.env.XDG_CACHE_HOME || path.join(require('node:os').homedir(), '.cache'), 'ecsx')
  // V8 rejects a cache made by another V8 or with other flags: the key holds both, so that each has its own file.
  const runtime = `${process.version}-${process.arch}-${hash(process.execArgv.join(' '))}`
  return path.join(base, `${path.basename(file, '.cjs')}@${build}@${runtime}.v8`)
}

function hash(text) {
  let h = 5381
  for (let i = 0; i < text.length; i++) h = (h * 33) ^ text.charCodeAt(i)
  return (h >>> 0).toString(36)
}

/** Write the cache (atomically: concurrent runs each rename a whole file) and drop caches of earlier builds. */
function writeCodeCache(cacheFile, script) {
  try {
    const dir = path.dirname(cacheFile)
    fs.mkdirSync(dir, {recursive: true})
    const tmp = `${cacheFile}.${process.pid}.tmp`
    fs.writeFileSync(tmp, script.createCachedData())
    fs.renameSync(tmp, cacheFile)
    const [bundle, build] = path.basename(cacheFile).split('@')
    for (const other of fs.readdirSync(dir)) {
      const [otherBundle, otherBuild] = other.split('@')
      if (otherBundle === bundle && otherBuild !== build) fs.rmSync(path.join(dir, other), {force: true})
    }
  } catch {
    // a read-only or full cache folder only costs speed
  }
}
