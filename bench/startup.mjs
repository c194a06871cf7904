#!/usr/bin/env node
// Cold start of `ecsx` as a ratio to `node -e 0`, measured as paired, interleaved runs from this one process.
//
//   npm run build && node bench/startup.mjs [--pairs N] [--breakdown K] [--root DIR] [--cases version,ps,…] [--env K=V]
//
// Each pair runs `node -e 0` and the ecsx command back to back (which one goes first alternates), and the pair's ratio
// is ecsx / node; the table gives the median ratio over all pairs and its interquartile range (how noisy the machine
// was). `ecsx ps` runs on the local backend against a cluster with 2 instances and a running task, made in a temp
// ECSX_HOME beforehand. The V8 code cache (bin/run.js) is written by that set-up, as by a user's first command.
// --breakdown K: also run `ecsx ps` and `ecsx --version` K times under `node --cpu-prof` and say where the
// milliseconds go (samples mapped through dist/ecsx.cjs.map to their source, by area).
// --root DIR: measure the build in DIR (its bin/run.js) instead of this checkout's. --cases: only these commands.
// --env K=V,…: set these in the commands' environment (ECSX_CODE_CACHE=0, ECSX_STARTUP=oclif: without that lever).
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? fallback : process.argv[i + 1]
}
const pairs = Number(option('pairs', 41))
const breakdownRuns = Number(option('breakdown', 0))
const root = path.resolve(option('root', here))
const run = path.join(root, 'bin', 'run.js')

const home = mkdtempSync(path.join(os.tmpdir(), 'ecsx-bench-home-'))
const project = mkdtempSync(path.join(os.tmpdir(), 'ecsx-bench-proj-'))
writeFileSync(
  path.join(project, 'docker-compose.yml'),
  `services:
  web:
    image: nginx:1.27
    ports: ["80:80"]
    mem_limit: 256m
    depends_on: [redis]
  redis:
    image: redis:7
    mem_limit: 128m
`,
)
const env = {...process.env, HOME: home, ECSX_HOME: path.join(home, '.ecsx'), NO_COLOR: '1', CI: 'true'}
for (const k of Object.keys(env)) if (/^(AWS_|ECS_|ECSX_(?!HOME))/.test(k)) delete env[k]
// --env K=V,K2=V2: e.g. ECSX_CODE_CACHE=0 or ECSX_STARTUP=oclif, to measure without one lever
for (const kv of option('env', '').split(',').filter(Boolean))
  env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1)

const node = {name: 'node -e 0', argv: ['-e', '0']}
const only = option('cases', 'version,ps,register,help').split(',')
const cases = [
  {key: 'version', name: 'ecsx --version', argv: [run, '--version'], goal: 1.5},
  {key: 'ps', name: 'ecsx ps (local backend, 2 instances, a running task)', argv: [run, 'ps'], goal: 2},
  {
    key: 'register',
    name: 'ecsx register --dry-run --json',
    argv: [run, 'register', '--dry-run', '--json', '-p', 'bench'],
  },
  {key: 'help', name: 'ecsx --help', argv: [run, '--help']},
].filter((c) => only.includes(c.key))

function once(c, extra = []) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [...extra, ...c.argv], {cwd: project, env, encoding: 'utf8'})
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`)
  return ms
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

// A cluster with two instances and one running task of the project, so `ps` lists real rows.
once({name: 'up', argv: [run, 'up', '--size', '2']})
once({name: 'compose up', argv: [run, 'compose', 'up', '-p', 'bench']})
for (const c of [node, ...cases]) once(c) // warm-up: page cache

const load = [os.loadavg()[0]]
const results = cases.map((c) => ({...c, ratios: [], ms: [], base: []}))
for (let i = 0; i < pairs; i++) {
  for (const r of results) {
    const nodeFirst = i % 2 === 0
    const a = nodeFirst ? once(node) : once(r)
    const b = nodeFirst ? once(r) : once(node)
    const [base, ms] = nodeFirst ? [a, b] : [b, a]
    r.ratios.push(ms / base)
    r.ms.push(ms)
    r.base.push(base)
  }
}
load.push(os.loadavg()[0])

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
const date = new Date().toISOString().replace('T', ' ').slice(0, 16)
console.log(`### Cold start (bench/startup.mjs)\n`)
console.log(
  `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; ` +
    `${date} UTC; load average ${load.map((l) => l.toFixed(1)).join(' → ')}; command: ` +
    `\`node bench/startup.mjs ${process.argv.slice(2).join(' ')}\` (${pairs} interleaved pairs per command)\n`,
)
if (pairs > 0) {
  console.log(
    '| command | median ratio to `node -e 0` (pairs) | IQR of the ratio | median ms | `node -e 0` median ms | goal |',
  )
  console.log('|---|---|---|---|---|---|')
  for (const r of results) {
    const ratio = quantile(r.ratios, 0.5)
    const goal = r.goal ? `≤ ${r.goal}× ${ratio <= r.goal ? 'met' : '**not met**'}` : ''
    console.log(
      `| \`${r.name}\` | **${ratio.toFixed(2)}×** | ${quantile(r.ratios, 0.25).toFixed(2)}–${quantile(r.ratios, 0.75).toFixed(2)}× | ` +
        `${quantile(r.ms, 0.5).toFixed(0)} | ${quantile(r.base, 0.5).toFixed(0)} | ${goal} |`,
    )
  }
}

if (breakdownRuns > 0) {
  const {breakdown} = await import('./startup-breakdown.mjs')
  for (const c of [...cases.filter((x) => x.key === 'ps' || x.key === 'version'), node]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ecsx-bench-prof-'))
    for (let i = 0; i < breakdownRuns; i++) once(c, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100'])
    const profiles = readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')))
    console.log(`\n#### Where the time goes: \`${c.name}\` (mean of ${breakdownRuns} runs under \`--cpu-prof\`)\n`)
    console.log(breakdown(profiles, {root}))
    rmSync(dir, {recursive: true, force: true})
  }
}
rmSync(home, {recursive: true, force: true})
rmSync(project, {recursive: true, force: true})
