#!/usr/bin/env node
/**
 * Scheduler benchmark: placements per second and memory for the placement engine (src/lib/engine/placement).
 *
 *   npm run build && node bench/scheduler.mjs            # imports dist/
 *   ECSX_DIST=/some/dist node bench/scheduler.mjs         # or any directory holding the compiled lib/
 *   node bench/scheduler.mjs --quick                      # smaller runs (smoke test)
 *
 * Workloads (each placement is one `placer.place()` call, one task, reserving CPU/memory/a dynamic host port):
 *   binpack     binpack(memory), the RunTask/batch path the ≥100k placements/s goal is about
 *   spread      spread(attribute:ecs.availability-zone) + spread(instanceId), the REPLICA service default
 *   azBinpack   spread(attribute:ecs.availability-zone) + binpack(memory), the console's "AZ Balanced BinPack"
 *   memberOf    random + memberOf "attribute:stack == prod and attribute:ecs.availability-zone != us-east-1c"
 *   affinity    binpack(memory) + memberOf "not(task:group == databases)" (task-dependent, re-evaluated as tasks land)
 *   onePerHost  binpack(memory) + distinctInstance ("One Task Per Host"): every placement fills an instance for good
 *   reference   binpack(memory) with the indexes off (the plain scan every fast path is tested against)
 * Fleet: m5.large instances (2048 CPU units, 8020 MiB) over 3 AZs, built-in attributes of the real agent, half with
 * stack=prod. Tasks: 64 CPU units, 256 MiB, one dynamic TCP port (31 fit per instance).
 * Prints a markdown section for bench/RESULTS.md. Total run time is bounded (~1 minute).
 */
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import v8 from 'node:v8'
import {runInNewContext} from 'node:vm'

v8.setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.resolve(process.env.ECSX_DIST ?? path.join(root, 'dist'))
const load = (p) => import(pathToFileURL(path.join(dist, p)).href)
const {createPlacerWith} = await load('lib/engine/placement/index.js')
const {builtInAttributes, instanceType, DEFAULT_RESERVED_TCP_PORTS} = await load('lib/engine/model/capacity.js')
const {seededRandom} = await load('lib/engine/ids.js')

const quick = process.argv.includes('--quick')
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c']
const TYPE = instanceType('m5.large')

function fleet(n) {
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    const az = ZONES[i % 3]
    const id = i.toString(16).padStart(32, '0')
    const attributes = new Map(
      builtInAttributes({instanceType: TYPE.name, availabilityZone: az, amiId: 'ami-0123456789abcdef0'}).map((a) => [
        a.name,
        a.value,
      ]),
    )
    if (i % 2 === 0) attributes.set('stack', 'prod')
    out[i] = {
      containerInstanceArn: `arn:aws:ecs:us-east-1:000000000000:container-instance/bench/${id}`,
      containerInstanceId: id,
      ec2InstanceId: `i-${id.slice(-17)}`,
      status: 'ACTIVE',
      agentConnected: true,
      agentVersion: '1.80.0',
      registeredAt: Date.UTC(2026, 0, 1) + i * 1000,
      attributes,
      remainingCpu: TYPE.cpu,
      remainingMemory: TYPE.memory,
      remainingGpu: 0,
      tcpPortsInUse: new Set(DEFAULT_RESERVED_TCP_PORTS),
      udpPortsInUse: new Set(),
      freeEniSlots: TYPE.maxEnis - 1,
      runningTasksCount: 0,
      taskGroups: new Map(),
    }
  }
  return out
}

const demand = {
  cpu: 64,
  memory: 256,
  gpu: 0,
  staticPorts: [],
  dynamicPorts: [{protocol: 'tcp'}],
  needsEni: false,
  requiresAttributes: [{name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18'}],
}
const WORKLOADS = {
  binpack: {strategies: [{type: 'binpack', field: 'memory'}], constraints: [], group: 'family:web'},
  spread: {
    strategies: [
      {type: 'spread', field: 'attribute:ecs.availability-zone'},
      {type: 'spread', field: 'instanceId'},
    ],
    constraints: [],
    group: 'service:web',
  },
  azBinpack: {
    strategies: [
      {type: 'spread', field: 'attribute:ecs.availability-zone'},
      {type: 'binpack', field: 'memory'},
    ],
    constraints: [],
    group: 'service:web',
  },
  memberOf: {
    strategies: [{type: 'random'}],
    constraints: [
      {type: 'memberOf', expression: 'attribute:stack == prod and attribute:ecs.availability-zone != us-east-1c'},
    ],
    group: 'family:web',
    measureFailures: 200,
  },
  affinity: {
    strategies: [{type: 'binpack', field: 'memory'}],
    constraints: [{type: 'memberOf', expression: 'not(task:group == databases)'}],
    group: 'family:web',
    seedDatabases: true,
  },
  onePerHost: {
    strategies: [{type: 'binpack', field: 'memory'}],
    constraints: [{type: 'distinctInstance'}],
    group: 'service:web',
  },
  reference: {
    strategies: [{type: 'binpack', field: 'memory'}],
    constraints: [],
    group: 'family:web',
    useIndexes: false,
  },
}

const MiB = 1048576
const heapNow = () => {
  gc()
  return process.memoryUsage().heapUsed
}

function run(name, n, tasks) {
  const workload = WORKLOADS[name]
  const heap0 = heapNow()
  const candidates = fleet(n)
  if (workload.seedDatabases) for (let i = 0; i < n; i += 4) candidates[i].taskGroups.set('databases', 1)
  const heap1 = heapNow()
  const t0 = process.hrtime.bigint()
  const placer = createPlacerWith(candidates, {
    random: seededRandom(42),
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/bench',
    useIndexes: workload.useIndexes !== false,
  })
  const options = {demand, strategies: workload.strategies, constraints: workload.constraints, group: workload.group}
  // The first placement builds the indexes the workload needs; it is counted as setup.
  let placed = placer.place(options).ok ? 1 : 0
  const t1 = process.hrtime.bigint()
  const cpu1 = process.cpuUsage()
  let failed = 0
  for (let t = 1; t < tasks; t++) {
    if (placer.place(options).ok) placed++
    else failed++
  }
  const t2 = process.hrtime.bigint()
  const cpu2 = process.cpuUsage(cpu1)
  const heap2 = heapNow()
  // Failure cost: once the fleet is full for this workload, every placement fails after a full explanation.
  let failureUs
  if (workload.measureFailures) {
    // A task no instance can hold (like a full fleet): every placement fails and explains why.
    const tooBig = {...options, demand: {...demand, memory: TYPE.memory + 1}}
    const f0 = process.cpuUsage()
    for (let t = 0; t < workload.measureFailures; t++)
      if (placer.place(tooBig).ok) throw new Error('expected a failure')
    const f = process.cpuUsage(f0)
    failureUs = (f.user + f.system) / workload.measureFailures
  }
  const placeSeconds = Number(t2 - t1) / 1e9
  const result = {
    name,
    n,
    tasks,
    placed,
    failed,
    failureUs,
    setupMs: Number(t1 - t0) / 1e6,
    perSecond: (tasks - 1) / placeSeconds,
    perCpuSecond: (tasks - 1) / ((cpu2.user + cpu2.system) / 1e6),
    usPerPlacement: (placeSeconds * 1e6) / (tasks - 1),
    fleetMiB: (heap1 - heap0) / MiB,
    placerMiB: (heap2 - heap1) / MiB,
  }
  // keep the fleet and placer alive until here so heap2 includes them
  if (candidates.length < 0 || !placer) throw new Error('unreachable')
  return result
}

const SIZES = [500, 5000, 50000]
const tasksFor = (name, n) => {
  if (name === 'reference') return quick ? 200 : n >= 50000 ? 300 : n >= 5000 ? 3000 : 10000
  // memberOf admits a third of the fleet (stack=prod, not us-east-1c): stay within its capacity (31 per instance)
  const capacity = name === 'memberOf' ? Math.floor(n / 3) * 31 : name === 'onePerHost' ? n : n * 31
  const base = Math.min(n === 500 ? 10000 : 100000, Math.floor(capacity * 0.95))
  return quick ? Math.min(base, 5000) : base
}

const started = Date.now()
const loadAtStart = os.loadavg()
// Warm-up (JIT): a run of every workload, discarded.
for (const name of Object.keys(WORKLOADS)) run(name, 1000, name === 'reference' ? 1000 : quick ? 5000 : 25000)
const results = []
for (const name of Object.keys(WORKLOADS)) {
  for (const n of SIZES) {
    const tasks = tasksFor(name, n)
    const result = run(name, n, tasks)
    results.push(result)
    process.stderr.write(`${name} n=${n}: ${Math.round(result.perSecond).toLocaleString('en-US')} placements/s\n`)
  }
}
const totalSeconds = (Date.now() - started) / 1000

const fmt = (x, digits = 0) => x.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits})
const lines = []
lines.push('## Scheduler (placement engine)', '')
lines.push(
  `Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
)
lines.push(
  `Command: \`node bench/scheduler.mjs${quick ? ' --quick' : ''}\` (compiled code from \`${path.relative(root, dist) || dist}\`), total ${fmt(totalSeconds, 1)} s.`,
)
lines.push(
  'Fleet: m5.large (2048 CPU, 8020 MiB, built-in attributes) over 3 AZs; task 64 CPU / 256 MiB / one dynamic port (≤31 per instance).',
  '',
)
lines.push(
  `Load average at start: ${loadAtStart.map((x) => fmt(x, 1)).join(', ')} (wall-clock rates suffer on a busy machine; "per CPU-second" divides by this process's CPU time instead).`,
  '',
)
lines.push(
  '| workload | instances | placements | placed | setup + 1st (ms) | placements/s (wall) | placements per CPU-s | µs/placement (wall) | fleet heap (MiB) | placer + tasks heap (MiB) |',
)
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const r of results) {
  lines.push(
    `| ${r.name} | ${fmt(r.n)} | ${fmt(r.tasks)} | ${fmt(r.placed)} | ${fmt(r.setupMs, 1)} | ${fmt(r.perSecond)} | ${fmt(r.perCpuSecond)} | ${fmt(r.usPerPlacement, 2)} | ${fmt(r.fleetMiB, 1)} | ${fmt(r.placerMiB, 1)} |`,
  )
}
const failures = results.filter((r) => r.failureUs !== undefined)
lines.push(
  '',
  'Cost of a failed placement (memberOf workload, a task no instance can hold; finding the closest instance for the failure scans the fleet):',
  '',
)
lines.push(
  `| instances | ${failures.map((r) => fmt(r.n)).join(' | ')} |`,
  `|---|${failures.map(() => '---:').join('|')}|`,
)
lines.push(`| µs of CPU per failed placement | ${failures.map((r) => fmt(r.failureUs, 1)).join(' | ')} |`)
lines.push('', 'Per-placement cost as the fleet grows (µs of CPU per placement):', '')
lines.push(`| workload | ${SIZES.map((n) => fmt(n)).join(' | ')} | growth 500 → 50,000 |`)
lines.push(`|---|${SIZES.map(() => '---:').join('|')}|---:|`)
for (const name of Object.keys(WORKLOADS)) {
  const row = SIZES.map((n) => results.find((r) => r.name === name && r.n === n))
  const us = row.map((r) => 1e6 / r.perCpuSecond)
  lines.push(`| ${name} | ${us.map((x) => fmt(x, 2)).join(' | ')} | ×${fmt(us[2] / us[0], 1)} |`)
}
lines.push(
  '',
  `Peak RSS of the whole run: ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB. "setup + 1st" = building the placer (typed arrays)`,
  'plus the first placement, which builds the index its strategy needs. Heap figures are measured after a forced GC: "fleet" is the',
  'PlacementCandidate objects the engine would hand over (≈45 attributes each), "placer + tasks" what the placer and its indexes',
  'add, including the ports and task groups the placements recorded on the candidates.',
)
process.stdout.write(lines.join('\n') + '\n')
