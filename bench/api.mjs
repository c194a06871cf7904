#!/usr/bin/env node
// Throughput of `ecsx engine serve` (the ECS JSON 1.1 server in front of the local engine) compared with a bare
// Node `http` server that answers a fixed JSON body — same client, same machine, same run.
//
//   npm run build && node bench/api.mjs            (BENCH_SECONDS=5 BENCH_CONCURRENCY=16 by default)
//
// Client: one keep-alive http.Agent, BENCH_CONCURRENCY requests in flight, each round bounded to BENCH_SECONDS
// (after a 1 s warm-up that is not counted). Rounds:
//   1. bare      — http.createServer answering a fixed body (the DescribeServices response captured from the engine,
//                  so both servers send the same bytes);
//   2. DescribeServices — read-only: one service with 10 running tasks;
//   3. DescribeServices called directly on the backend (no HTTP), as a reference for the engine's own cost;
//   4. RunTask + StopTask — RunTask mutates (every call creates a task). To keep the rounds honest, each worker
//      stops the task it just started (StopTask) before its next RunTask, so the cluster never fills up, and the
//      engine clock is advanced 2 h after the round so the stopped tasks are purged (retention 1 h) before anything
//      else runs. Both calls are counted as requests; the table also shows the RunTask rate alone.
//   5. RunTask + StopTask again, after BENCH_BACKGROUND_TASKS (default 5000) tasks were started in ANOTHER cluster
//      of the same engine (directly on the backend, 10 instances of its own) and left running: a call's cost must
//      not grow with the number of tasks in the engine (the reconcile pass reads only what is due, through the
//      indexed due column; before, every call after a write read every unstopped task). Compared with round 4.
//   6. The same with BENCH_BACKGROUND_TASKS more tasks in the bench cluster itself, on its 10 instances: what grows
//      is each instance's own bookkeeping (its reserved dynamic ports are stored with it and read by placement).
//   7. Reference for the mutating rounds — the persistence floor: only the document writes a RunTask + StopTask
//      pair commits (RunTask: new task + updated instance + reconcile cursor; StopTask: updated task + cursor), each
//      call its own IMMEDIATE transaction through the engine's store, as design/architecture.md requires of every
//      mutating operation. No HTTP, no engine logic; real document sizes. Counted like round 4 (2 requests a pair).
// The engine uses the manual clock, so nothing progresses on its own during a round: the numbers measure the
// protocol + engine call path, not background reconciliation.
import http from 'node:http'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000)
const BACKGROUND_TASKS = Number(process.env.BENCH_BACKGROUND_TASKS ?? 5000)
const TARGET = 'AmazonEC2ContainerServiceV20141113.'

const {createEcsServer} = await import(dist('lib/ecs/server.js'))
const {createLocalBackend} = await import(dist('lib/backend/local.js'))

const agent = new http.Agent({keepAlive: true, maxSockets: CONCURRENCY})

function call(port, op, body) {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': TARGET + op,
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          if (res.statusCode !== 200) reject(new Error(`${op}: HTTP ${res.statusCode} ${text}`))
          else resolve(text)
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** Run `iteration(port)` in CONCURRENCY loops for the round; returns {requests, seconds}. */
async function round(iteration, requestsPerIteration) {
  const runFor = async (ms) => {
    const until = performance.now() + ms
    let iterations = 0
    await Promise.all(
      Array.from({length: CONCURRENCY}, async () => {
        while (performance.now() < until) {
          await iteration()
          iterations++
        }
      }),
    )
    return iterations
  }
  await runFor(WARMUP_MS)
  const started = performance.now()
  const iterations = await runFor(SECONDS * 1000)
  const seconds = (performance.now() - started) / 1000
  return {requests: iterations * requestsPerIteration, iterations, seconds}
}

// ---- the engine behind `engine serve`
const home = mkdtempSync(path.join(os.tmpdir(), 'ecsx-bench-api-'))
const backend = await createLocalBackend({home, region: 'us-east-1', clock: 'manual', env: {}})
// The server calls the backend through this proxy, which adds up the time spent in each operation (the engine's
// own share of a request, measured where it runs: in the server's process, between the HTTP work).
const engineTime = new Map() // operation → {ms, calls}
const timed = (operation, run) => {
  const started = performance.now()
  const record = () => {
    const entry = engineTime.get(operation) ?? {ms: 0, calls: 0}
    entry.ms += performance.now() - started
    entry.calls++
    engineTime.set(operation, entry)
  }
  let result
  try {
    result = run()
  } catch (error) {
    record()
    throw error
  }
  if (result instanceof Promise) return result.finally(record)
  record()
  return result
}
// `wire.callWire(operation, input)` (what the server uses with the local backend) is synchronous; the operations
// are async.
const timedBackend = new Proxy(backend, {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver)
    if (typeof value !== 'function' || typeof property !== 'string') return value
    return (...args) => timed(property, () => value.apply(target, args))
  },
})
const timedWire = backend.wire && {
  callWire: (operation, input) => timed(operation, () => backend.wire.callWire(operation, input)),
}
const ecs = createEcsServer(timedBackend, {wire: timedWire})
/** Mean ms per call of `operation` inside the server since the last reset. */
const engineMs = (operation) => {
  const entry = engineTime.get(operation)
  return entry ? entry.ms / entry.calls : 0
}
const {port: ecsPort} = await ecs.listen(0, '127.0.0.1')

const instanceRequest = (cluster, instanceId, i) => ({
  cluster,
  instanceIdentityDocument: JSON.stringify({
    instanceId,
    instanceType: 'm5.24xlarge',
    availabilityZone: `us-east-1${'abc'[i % 3]}`,
  }),
  totalResources: [
    {name: 'CPU', type: 'INTEGER', integerValue: 98304},
    {name: 'MEMORY', type: 'INTEGER', integerValue: 380000},
    {name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679']},
  ],
})
await call(ecsPort, 'CreateCluster', {clusterName: 'bench'})
for (let i = 0; i < 10; i++)
  await call(
    ecsPort,
    'RegisterContainerInstance',
    instanceRequest('bench', `i-0bench${String(i).padStart(12, '0')}`, i),
  )
await call(ecsPort, 'RegisterTaskDefinition', {
  family: 'bench',
  containerDefinitions: [
    {
      name: 'app',
      image: 'busybox',
      cpu: 10,
      memory: 16,
      essential: true,
      command: ['sleep', '3600'],
      portMappings: [{containerPort: 80, hostPort: 0}],
    },
  ],
})
await call(ecsPort, 'CreateService', {cluster: 'bench', serviceName: 'svc', taskDefinition: 'bench', desiredCount: 10})
await backend.engine.advance(60_000)
const describeBody = {cluster: 'bench', services: ['svc']}
const fixedBody = await call(ecsPort, 'DescribeServices', describeBody)
const fixed = JSON.parse(fixedBody)
if (fixed.services?.[0]?.runningCount !== 10)
  throw new Error(`bench setup: expected 10 running service tasks, got ${fixed.services?.[0]?.runningCount}`)

// ---- the bare server: same client, same response bytes
const bareBytes = Buffer.from(fixedBody)
const bare = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': bareBytes.length,
      'x-amzn-RequestId': '00000000-0000-0000-0000-000000000000',
    })
    res.end(bareBytes)
  })
})
bare.keepAliveTimeout = 65_000
await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve))
const barePort = bare.address().port

const results = []
const bareResult = await round(() => call(barePort, 'DescribeServices', describeBody), 1)
results.push({name: 'bare node:http, fixed body', ...bareResult})

engineTime.clear()
const describe = await round(() => call(ecsPort, 'DescribeServices', describeBody), 1)
const describeEngineMs = engineMs('describeServices')
results.push({name: 'DescribeServices (1 service, 10 tasks)', ...describe})
// The same call without HTTP: separates the engine's own cost from the protocol's.
const direct = await round(() => backend.describeServices(describeBody), 1)
results.push({name: 'DescribeServices, direct backend call (no HTTP; reference)', ...direct})

const runStopPair = async () => {
  const out = JSON.parse(
    await call(ecsPort, 'RunTask', {cluster: 'bench', taskDefinition: 'bench', startedBy: 'bench'}),
  )
  const arn = out.tasks?.[0]?.taskArn
  if (!arn) throw new Error(`RunTask placed nothing: ${JSON.stringify(out.failures)}`)
  await call(ecsPort, 'StopTask', {cluster: 'bench', task: arn})
}
/** After a RunTask round: let the stopped tasks stop and be purged (2 h of engine time), so rounds start alike. */
async function settle() {
  await backend.engine.advance(2 * 3600_000)
  const left =
    (await backend.listTasks({cluster: 'bench', startedBy: 'bench', desiredStatus: 'STOPPED', maxResults: 100}))
      .taskArns?.length ?? 0
  if (left !== 0) throw new Error(`bench: ${left} stopped tasks were not purged`)
}
engineTime.clear()
const runStop = await round(runStopPair, 2)
const runTaskEngineMs = engineMs('runTask')
const stopTaskEngineMs = engineMs('stopTask')
results.push({
  name: 'RunTask + StopTask pairs',
  ...runStop,
  note: `${(runStop.iterations / runStop.seconds).toFixed(0)} RunTask/s`,
})
await settle()

// Thousands more tasks (started directly, 10 per call; they stay PROVISIONING: the manual clock does not move).
async function startBackground(cluster) {
  for (let started = 0; started < BACKGROUND_TASKS; started += 10) {
    const out = await backend.runTask({
      cluster,
      taskDefinition: 'bench',
      count: Math.min(10, BACKGROUND_TASKS - started),
      startedBy: 'background',
    })
    if ((out.failures ?? []).length)
      throw new Error(`bench setup: background RunTask failed: ${JSON.stringify(out.failures)}`)
  }
  const listed = (await backend.listTasks({cluster, startedBy: 'background', maxResults: 100})).taskArns?.length ?? 0
  if (BACKGROUND_TASKS > 0 && listed === 0) throw new Error('bench setup: background tasks missing')
}
await backend.createCluster({clusterName: 'other'})
for (let i = 0; i < 10; i++)
  await backend.registerContainerInstance(instanceRequest('other', `i-0other${String(i).padStart(12, '0')}`, i))
await startBackground('other')
await settle() // the background tasks reach RUNNING and stay
const runStopOther = await round(runStopPair, 2)
results.push({
  name: `RunTask + StopTask pairs, ${BACKGROUND_TASKS} tasks in another cluster`,
  ...runStopOther,
  note: `${(runStopOther.iterations / runStopOther.seconds).toFixed(0)} RunTask/s`,
  versus: {name: 'round 4', rate: runStop.requests / runStop.seconds},
})
await settle()
await startBackground('bench')
await settle()
const runStopLoaded = await round(runStopPair, 2)
results.push({
  name: `RunTask + StopTask pairs, ${BACKGROUND_TASKS} more tasks on the bench cluster's 10 instances`,
  ...runStopLoaded,
  note: `${(runStopLoaded.iterations / runStopLoaded.seconds).toFixed(0)} RunTask/s`,
  versus: {name: 'round 4', rate: runStop.requests / runStop.seconds},
})
await backend.engine.advance(2 * 3600_000)
const leftover =
  JSON.parse(await call(ecsPort, 'ListTasks', {cluster: 'bench', desiredStatus: 'STOPPED'})).taskArns?.length ?? 0

// ---- 7. the persistence floor of a RunTask + StopTask pair (see the header)
const {openStore} = await import(dist('lib/engine/store/sqlite-store.js'))
const sampleTask = (
  await backend.describeTasks({
    cluster: 'bench',
    tasks: (await backend.listTasks({cluster: 'bench', maxResults: 1})).taskArns ?? [],
  })
).tasks?.[0]
const sampleInstance = (
  await backend.describeContainerInstances({
    cluster: 'bench',
    containerInstances:
      (await backend.listContainerInstances({cluster: 'bench', maxResults: 1})).containerInstanceArns ?? [],
  })
).containerInstances?.[0]
if (!sampleTask || !sampleInstance)
  throw new Error('bench setup: no task or instance to copy for the persistence floor')
const floorStore = openStore(path.join(home, 'floor.db'))
const instanceArns = Array.from({length: 10}, (_, i) => `${sampleInstance.containerInstanceArn}-${i}`)
floorStore.write((tx) => {
  for (const arn of instanceArns)
    tx.put(
      'instance',
      arn,
      {...sampleInstance, containerInstanceArn: arn},
      {cluster: sampleInstance.clusterArn ?? 'bench', status: 'ACTIVE', name: 'i-0'},
    )
})
let floorPairs = 0
const floorPair = () => {
  const taskArn = `${sampleTask.taskArn}-${floorPairs}`
  const instanceArn = instanceArns[floorPairs % instanceArns.length]
  const index = {cluster: sampleTask.clusterArn, parent: instanceArn, name: sampleTask.group}
  floorStore.write((tx) => {
    tx.put('meta', 'reconcile-cursor', {at: floorPairs})
    tx.put(
      'instance',
      instanceArn,
      {...sampleInstance, containerInstanceArn: instanceArn, runningTasksCount: floorPairs},
      {cluster: sampleInstance.clusterArn ?? 'bench', status: 'ACTIVE', name: 'i-0'},
    )
    tx.put('task', taskArn, {...sampleTask, taskArn, _sim: {nextAt: floorPairs + 1000}}, {...index, status: 'PENDING'})
  })
  floorStore.write((tx) => {
    tx.put('meta', 'reconcile-cursor', {at: floorPairs + 1})
    tx.put(
      'task',
      taskArn,
      {...sampleTask, taskArn, desiredStatus: 'STOPPED', _sim: {nextAt: floorPairs + 2000}},
      {...index, status: 'PENDING'},
    )
  })
  floorPairs++
}
const floorUntil = performance.now() + WARMUP_MS
while (performance.now() < floorUntil) floorPair()
const floorStarted = performance.now()
const floorFirst = floorPairs
while (performance.now() < floorStarted + SECONDS * 1000) floorPair()
const floorSeconds = (performance.now() - floorStarted) / 1000
floorStore.close()
const floor = {requests: 2 * (floorPairs - floorFirst), seconds: floorSeconds, iterations: floorPairs - floorFirst}
results.push({
  name: 'persistence floor: only the store writes of a RunTask + StopTask pair, no HTTP or engine logic (reference)',
  ...floor,
  note: `${Math.round((1000 * 1000 * floor.seconds) / floor.requests)} µs per write transaction`,
})

agent.destroy()
await ecs.close()
await new Promise((resolve) => bare.close(resolve))
await backend.close()
rmSync(home, {recursive: true, force: true})

// ---- report
const baseRate = bareResult.requests / bareResult.seconds
const cpus = os.cpus()
const lines = [
  '## API server throughput (`bench/api.mjs`)',
  '',
  `- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
  `- Node ${process.version}, ${new Date().toISOString()}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')} (1/5/15 min; numbers are only comparable within one run on a quiet machine)`,
  `- Command: \`node bench/api.mjs\` (BENCH_SECONDS=${SECONDS}, BENCH_CONCURRENCY=${CONCURRENCY}; keep-alive client, ${CONCURRENCY} requests in flight, ${SECONDS} s per round after a ${WARMUP_MS} ms warm-up)`,
  '',
  '| round | requests | req/s | × bare http | × round 4 |',
  '|---|---:|---:|---:|---:|',
  ...results.map((r) => {
    const rate = r.requests / r.seconds
    return `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.requests} | ${rate.toFixed(0)} | ${(rate / baseRate).toFixed(2)} | ${r.versus ? (rate / r.versus.rate).toFixed(2) : ''} |`
  }),
  '',
  `Per request (1 / rate, client and server sharing one process): bare http ${(1000 / baseRate).toFixed(3)} ms; DescribeServices through engine serve ${((1000 * describe.seconds) / describe.requests).toFixed(3)} ms, of which the engine call (timed inside the server) ${describeEngineMs.toFixed(3)} ms (${((1000 * direct.seconds) / direct.requests).toFixed(3)} ms when called in a tight loop without HTTP) and the server's own request handling (body parsing, input checks against the SDK's schemas, the response JSON) about ${Math.max(0, (1000 * describe.seconds) / describe.requests - 1000 / baseRate - describeEngineMs).toFixed(3)} ms more than the bare server's. RunTask / StopTask inside the server: ${runTaskEngineMs.toFixed(3)} / ${stopTaskEngineMs.toFixed(3)} ms per call (each one durable SQLite transaction: reconcile, placement, task and instance documents).`,
  '',
  `The persistence floor (round 7) is what every mutating call pays before any HTTP or engine work: ${((1000 * floor.seconds) / floor.requests).toFixed(3)} ms per call for its IMMEDIATE transaction (task ${JSON.stringify(sampleTask).length} B, instance ${JSON.stringify(sampleInstance).length} B as JSON), against ${(1000 / baseRate).toFixed(3)} ms for a whole request to the bare server, client included. So even with no engine logic at all, a mutating request through engine serve would cost at least the bare request plus one such transaction (${(1000 / baseRate + (1000 * floor.seconds) / floor.requests).toFixed(3)} ms): at most ${(1000 / baseRate / (1000 / baseRate + (1000 * floor.seconds) / floor.requests)).toFixed(2)}× the bare server.`,
  '',
  `Goal: ≥ 0.50× bare http. RunTask mutates: every RunTask is followed by a StopTask of the same task (both counted). After each RunTask round the engine clock was advanced 2 h, so the next round started with no stopping task left (${leftover} stopped tasks at the end); rounds 5 and 6 ran with ${BACKGROUND_TASKS} RUNNING background tasks (in another cluster / on the bench cluster's own instances).`,
]
console.log(lines.join('\n'))
