#!/usr/bin/env node
// Engine-core benchmark: open cost of the SQLite store, per-call overhead of engine operations, and write
// throughput of 4 processes sharing one ECSX_HOME. Standalone: `node bench/engine.mjs` after `npm run build`
// (or ECSX_DIST=<dir with lib/engine/engine.js> to use another build). Prints a markdown section.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = process.env.ECSX_DIST ?? path.join(here, '..', 'dist')
const {openEngine} = await import(pathToFileURL(path.join(dist, 'lib/engine/engine.js')).href)

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6
function time(runs, fn) {
  const samples = []
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    fn(i)
    samples.push(ms(start))
  }
  return {median: median(samples), p90: [...samples].sort((a, b) => a - b)[Math.floor(samples.length * 0.9)]}
}

// Child mode: N TagResource read-modify-writes in one transaction each.
if (process.argv[2] === '--writer') {
  const engine = openEngine({home: process.argv[3], clock: 'manual', env: {}})
  const arn = 'arn:aws:ecs:us-east-1:000000000000:cluster/bench'
  for (let i = 0; i < Number(process.argv[4]); i++) {
    engine.transaction((ops) => {
      const current = Number(ops.listTagsForResource({resourceArn: arn}).tags.find((t) => t.key === 'n')?.value ?? 0)
      ops.tagResource({resourceArn: arn, tags: [{key: 'n', value: String(current + 1)}]})
    })
  }
  engine.close()
  process.exit(0)
}

const home = mkdtempSync(path.join(os.tmpdir(), 'ecsx-bench-engine-'))
const rows = []
try {
  // Fresh database: create + migrate.
  let start = process.hrtime.bigint()
  let engine = openEngine({home, clock: 'manual', env: {}})
  const firstOpen = ms(start)
  engine.close()
  const reopen = time(50, () => openEngine({home, env: {}}).close())
  rows.push(['open, fresh database (create + migrate)', `${firstOpen.toFixed(2)} ms`, ''])
  rows.push([
    'open, schema current (open + WAL check + version check)',
    `${reopen.median.toFixed(2)} ms`,
    `${reopen.p90.toFixed(2)} ms`,
  ])

  engine = openEngine({home, env: {}})
  engine.callSync('createCluster', {clusterName: 'bench'})
  const empty = time(500, () => engine.callSync('listClusters', {}))
  rows.push([
    'call: ListClusters (empty cluster; reconcile + IMMEDIATE tx)',
    `${(empty.median * 1000).toFixed(0)} µs`,
    `${(empty.p90 * 1000).toFixed(0)} µs`,
  ])
  const register = time(200, () =>
    engine.callSync('registerTaskDefinition', {
      family: 'bench',
      containerDefinitions: [{name: 'a', image: 'busybox', memory: 32, portMappings: [{containerPort: 80}]}],
    }),
  )
  rows.push([
    'call: RegisterTaskDefinition',
    `${(register.median * 1000).toFixed(0)} µs`,
    `${(register.p90 * 1000).toFixed(0)} µs`,
  ])
  for (let i = 0; i < 800; i++)
    engine.callSync('registerTaskDefinition', {
      family: 'bench',
      containerDefinitions: [{name: 'a', image: 'busybox', memory: 32}],
    })
  const latest = time(200, () => engine.callSync('describeTaskDefinition', {taskDefinition: 'bench'}))
  rows.push([
    'call: DescribeTaskDefinition by family (1000 revisions → latest ACTIVE)',
    `${(latest.median * 1000).toFixed(0)} µs`,
    `${(latest.p90 * 1000).toFixed(0)} µs`,
  ])
  const listDefs = time(100, () =>
    engine.callSync('listTaskDefinitions', {familyPrefix: 'bench', sort: 'DESC', maxResults: 1}),
  )
  rows.push([
    'call: ListTaskDefinitions DESC maxResults 1 (1000 revisions)',
    `${(listDefs.median * 1000).toFixed(0)} µs`,
    `${(listDefs.p90 * 1000).toFixed(0)} µs`,
  ])
  const tag = time(500, (i) =>
    engine.callSync('tagResource', {
      resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/bench',
      tags: [{key: 'i', value: String(i)}],
    }),
  )
  rows.push(['call: TagResource (write)', `${(tag.median * 1000).toFixed(0)} µs`, `${(tag.p90 * 1000).toFixed(0)} µs`])

  // A populated cluster: 50 instances, 400 running tasks.
  for (let i = 0; i < 50; i++) {
    engine.callSync('registerContainerInstance', {
      cluster: 'bench',
      instanceIdentityDocument: JSON.stringify({
        instanceType: 'm5.xlarge',
        availabilityZone: `us-east-1${'abc'[i % 3]}`,
      }),
    })
  }
  for (let i = 0; i < 40; i++) engine.callSync('runTask', {cluster: 'bench', taskDefinition: 'bench', count: 10})
  engine.advance(10_000)
  const arns = engine.callSync('listContainerInstances', {cluster: 'bench'}).containerInstanceArns
  const describe = time(200, () => engine.callSync('describeClusters', {clusters: ['bench']}))
  rows.push([
    'call: DescribeClusters (50 instances, 400 running tasks)',
    `${(describe.median * 1000).toFixed(0)} µs`,
    `${(describe.p90 * 1000).toFixed(0)} µs`,
  ])
  const instances = time(100, () =>
    engine.callSync('describeContainerInstances', {cluster: 'bench', containerInstances: arns}),
  )
  rows.push([
    'call: DescribeContainerInstances ×50',
    `${(instances.median * 1000).toFixed(0)} µs`,
    `${(instances.p90 * 1000).toFixed(0)} µs`,
  ])
  const filtered = time(100, () =>
    engine.callSync('listContainerInstances', {
      cluster: 'bench',
      filter: 'attribute:ecs.availability-zone == us-east-1a and runningTasksCount > 5',
    }),
  )
  rows.push([
    'call: ListContainerInstances with a filter (50 instances)',
    `${(filtered.median * 1000).toFixed(0)} µs`,
    `${(filtered.p90 * 1000).toFixed(0)} µs`,
  ])
  engine.close()

  // Four processes × 250 read-modify-write transactions on one ECSX_HOME.
  const perProcess = 250
  start = process.hrtime.bigint()
  await Promise.all(
    Array.from(
      {length: 4},
      () =>
        new Promise((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [fileURLToPath(import.meta.url), '--writer', home, String(perProcess)],
            {stdio: 'inherit'},
          )
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))))
        }),
    ),
  )
  const wall = ms(start)
  engine = openEngine({home, env: {}})
  const final = Number(
    engine
      .callSync('listTagsForResource', {resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/bench'})
      .tags.find((t) => t.key === 'n').value,
  )
  engine.close()
  rows.push([
    `4 processes × ${perProcess} read-modify-write tx (incl. process start)`,
    `${wall.toFixed(0)} ms total`,
    `counter ${final} (expected ${4 * perProcess})`,
  ])
} finally {
  rmSync(home, {recursive: true, force: true})
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
console.log(`## Engine core (SQLite store, engine calls)\n`)
console.log(
  `Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Command: \`node bench/engine.mjs\` (after \`npm run build\`).\n`,
)
console.log('| what | median | p90 / note |')
console.log('|---|---|---|')
for (const [what, a, b] of rows) console.log(`| ${what} | ${a} | ${b} |`)
