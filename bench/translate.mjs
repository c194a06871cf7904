#!/usr/bin/env node
// Benchmark: translating a 1,000-service Compose project (buildProject) vs plain `yaml` parsing of the same file,
// in the same process. Goal: translation ≤ 2× the parse. Runs against the compiled output: `npm run build` first.
// Usage: node bench/translate.mjs [--services N] [--rounds R]
// ECSX_BENCH_COMPOSE=<path to a compiled compose/index.js> measures another build (e.g. while dist/ is being rebuilt).
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = process.env.ECSX_BENCH_COMPOSE ?? path.join(root, 'dist/compose/index.js')
if (!existsSync(entry)) {
  process.stderr.write('bench/translate.mjs: dist/compose/index.js not found; run `npm run build` first\n')
  process.exit(2)
}
const {buildProject} = await import(pathToFileURL(entry).href)
const YAML = await import('yaml')

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : dflt
}
const SERVICES = arg('--services', 1000)
const ROUNDS = arg('--rounds', 15)

/** A realistic service: image, command, env, ports, volumes, healthcheck, logging, labels, depends_on, limits. */
function service(i) {
  const lines = [
    `  svc${i}:`,
    `    image: registry.example.com/team${i % 17}/app-${i}:\${TAG:-1.${i % 10}.0}`,
    `    command: ["server", "--port", "${8000 + (i % 1000)}", "--name", "svc${i}"]`,
    '    environment:',
    `      SERVICE_NAME: svc${i}`,
    `      LOG_LEVEL: \${LOG_LEVEL:-info}`,
    `      UPSTREAM: http://svc${(i + 1) % SERVICES}:8000`,
    '      WORKERS: 4',
    '    ports:',
    `      - "${10000 + (i % 50000)}:8000"`,
    `      - "${(i % 60000) + 1000}/udp"`,
    '    volumes:',
    `      - /srv/data/svc${i % 50}:/data`,
    '      - cache:/cache:ro',
    '    healthcheck:',
    `      test: ["CMD-SHELL", "curl -fs http://localhost:8000/health || exit 1"]`,
    '      interval: 30s',
    '      timeout: 5s',
    '      retries: 3',
    '      start_period: 20s',
    '    logging:',
    '      driver: awslogs',
    '      options:',
    '        awslogs-group: /bench/app',
    '        awslogs-region: us-east-1',
    `        awslogs-stream-prefix: svc${i}`,
    '    labels:',
    `      com.example.team: team${i % 17}`,
    `      com.example.index: "${i}"`,
    '    mem_limit: 256m',
    '    mem_reservation: 128m',
    '    cpus: 0.25',
    '    ulimits:',
    '      nofile: {soft: 1024, hard: 4096}',
    '    stop_grace_period: 20s',
  ]
  if (i > 0) lines.push('    depends_on:', `      svc${i - 1}:`, '        condition: service_healthy')
  return lines.join('\n')
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'ecsx-bench-translate-'))
const file = path.join(dir, 'docker-compose.yml')
const text = `name: bench\nservices:\n${Array.from({length: SERVICES}, (_, i) => service(i)).join('\n')}\nvolumes:\n  cache:\n`
writeFileSync(file, text)

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const time = async (fn) => {
  globalThis.gc?.()
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e6
}

const load = {files: [file], cwd: dir, env: {}}
const translate = {maxContainers: Number.MAX_SAFE_INTEGER}
let result
// warm-up (JIT), then interleave the two measurements so machine noise hits both alike
for (let i = 0; i < 3; i++) {
  YAML.parse(readFileSync(file, 'utf8'))
  result = await buildProject(load, translate)
}
const parseTimes = []
const buildTimes = []
for (let r = 0; r < ROUNDS; r++) {
  parseTimes.push(await time(() => YAML.parse(readFileSync(file, 'utf8'))))
  buildTimes.push(await time(async () => (result = await buildProject(load, translate))))
}
rmSync(dir, {recursive: true, force: true})

if (result.taskDefinition.containerDefinitions.length !== SERVICES) throw new Error('translation lost services')
const parseMs = median(parseTimes)
const buildMs = median(buildTimes)
const ratio = buildMs / parseMs
const cpus = os.cpus()
const out = [
  '## Compose translation (bench/translate.mjs)',
  '',
  `Translating a ${SERVICES}-service Compose file (${(text.length / 1024).toFixed(0)} KiB; each service with image, command, environment, ports, volumes, healthcheck, logging, labels, limits, ulimits, depends_on) with \`buildProject\`, against plain \`yaml\` parsing (\`YAML.parse(readFileSync(file))\`) of the same file in the same process. Median of ${ROUNDS} interleaved rounds after 3 warm-up rounds.`,
  '',
  '| measurement | median ms | min ms |',
  '|---|---|---|',
  `| \`YAML.parse\` | ${parseMs.toFixed(1)} | ${Math.min(...parseTimes).toFixed(1)} |`,
  `| \`buildProject\` (read, parse with positions, interpolate, merge, translate, validate) | ${buildMs.toFixed(1)} | ${Math.min(...buildTimes).toFixed(1)} |`,
  `| **ratio** | **${ratio.toFixed(2)}×** (goal ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}) | |`,
  '',
  `Machine: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. Command: \`node bench/translate.mjs\` (after \`npm run build\`).`,
  '',
]
process.stdout.write(out.join('\n'))
