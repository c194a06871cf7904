#!/usr/bin/env node
// Cold start of ecsx commands as a ratio to `node -e 0`, measured interleaved in the same run.
// Usage: npm run build && node bench/startup.mjs [rounds]
import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const rounds = Number(process.argv[2] ?? 21)
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
const env = {...process.env, ECSX_HOME: home, NO_COLOR: '1', CI: 'true'}
const run = path.join(root, 'bin', 'run.js')

const cases = [
  {name: 'node -e 0', argv: ['-e', '0']},
  {name: 'ecsx --version', argv: [run, '--version']},
  {name: 'ecsx register --dry-run --json', argv: [run, 'register', '--dry-run', '--json', '-p', 'bench']},
  {name: 'ecsx ps (local backend)', argv: [run, 'ps']},
]

function once(c) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, c.argv, {cwd: project, env, encoding: 'utf8'})
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`)
  return ms
}

// A cluster with two instances and one running task of the project, so `ps` lists real rows.
for (const argv of [
  [run, 'up', '--size', '2'],
  [run, 'compose', 'up', '-p', 'bench'],
])
  once({name: argv.slice(1).join(' '), argv})
// warm-up (page cache)
for (const c of cases) once(c)
const samples = new Map(cases.map((c) => [c.name, []]))
for (let i = 0; i < rounds; i++) for (const c of cases) samples.get(c.name).push(once(c))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}
const base = median(samples.get('node -e 0'))
const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
console.log(`### Cold start (bench/startup.mjs)\n`)
console.log(
  `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; command: \`node bench/startup.mjs ${rounds}\` (${rounds} interleaved rounds, medians)\n`,
)
console.log('| command | median ms | min ms | ratio to `node -e 0` | goal |')
console.log('|---|---|---|---|---|')
for (const c of cases) {
  const xs = samples.get(c.name)
  const m = median(xs)
  const goal = c.name === 'ecsx --version' || c.name.startsWith('ecsx ps') ? '≤ 3×' : ''
  console.log(
    `| \`${c.name}\` | ${m.toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${(m / base).toFixed(2)}× | ${goal} |`,
  )
}
rmSync(home, {recursive: true, force: true})
rmSync(project, {recursive: true, force: true})
