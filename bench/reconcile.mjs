#!/usr/bin/env node
/**
 * Reconcile benchmark: what catching up engine time costs (src/lib/engine/runtime/reconcile/reconcile.ts).
 *
 *   npm run build && node bench/reconcile.mjs          # imports dist/
 *   ECSX_DIST=/some/dist node bench/reconcile.mjs       # or any directory holding the compiled lib/
 *
 * Scenarios (manual clock, fresh ECSX_HOME each, one m4.large or a 10-instance fleet):
 *   crash-loop day     a service whose essential container exits 1 after 5 s: advance 1 day in one call
 *                      (14 400 task lifecycles replayed: create, RUNNING, STOPPING, STOPPED, purge after 1 h)
 *   throttled day      a service whose image cannot be pulled: advance 1 day (throttle spacing up to 15 min)
 *   steady day         10 services × 10 healthy tasks on 10 instances: advance 1 day (only 6-hourly events)
 *   call after churn   DescribeServices right after the crash-loop day (≈600 stopped tasks retained)
 *   mixed day          a 2-task crash loop beside 30 steady services × 10 tasks on 20 instances: advance 1 day
 * Reports wall time and process CPU time (the machines are shared; CPU time is the steadier number).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.resolve(process.env.ECSX_DIST ?? path.join(root, 'dist'))
const {openEngine} = await import(pathToFileURL(path.join(dist, 'lib/engine/engine.js')).href)

const DAY = 86_400_000

function rig(instances = 1, type = 'm4.large') {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ecsx-bench-'))
  const engine = openEngine({home, clock: 'manual', env: {}})
  engine.callSync('createCluster', {clusterName: 'bench'})
  for (let i = 0; i < instances; i++) {
    const az = `us-east-1${'abc'[i % 3]}`
    engine.callSync('registerContainerInstance', {
      cluster: 'bench',
      instanceIdentityDocument: JSON.stringify({instanceType: type, availabilityZone: az, region: 'us-east-1'}),
    })
  }
  return {engine, done: () => (engine.close(), rmSync(home, {recursive: true, force: true}))}
}

function measure(fn) {
  const cpu = process.cpuUsage()
  const t = performance.now()
  const result = fn()
  const wall = performance.now() - t
  const used = process.cpuUsage(cpu)
  return {wall, cpu: (used.user + used.system) / 1000, result}
}

const rows = []
const report = (name, m, note = '') => rows.push(`| ${name} | ${m.wall.toFixed(1)} | ${m.cpu.toFixed(1)} | ${note} |`)

{
  const {engine, done} = rig()
  engine.callSync('registerTaskDefinition', {
    family: 'crash',
    containerDefinitions: [
      {
        name: 'app',
        image: 'busybox',
        memory: 128,
        dockerLabels: {'ecsx.simulate.exit-after': '5s', 'ecsx.simulate.exit-code': '1'},
      },
    ],
  })
  engine.callSync('createService', {cluster: 'bench', serviceName: 'crash', taskDefinition: 'crash', desiredCount: 1})
  const day = measure(() => engine.advance(DAY))
  report('crash-loop day (advance 1 d)', day, '14 400 task lifecycles')
  const call = measure(() => engine.callSync('describeServices', {cluster: 'bench', services: ['crash']}))
  const stopped = engine.callSync('listTasks', {cluster: 'bench', desiredStatus: 'STOPPED', maxResults: 100})
  report('call after churn (DescribeServices)', call, `≥${stopped.taskArns.length} stopped tasks retained`)
  const again = measure(() => engine.advance(60_000))
  report('crash-loop next minute (advance 60 s)', again, '10 lifecycles')
  done()
}
{
  const {engine, done} = rig()
  engine.callSync('registerTaskDefinition', {
    family: 'bad',
    containerDefinitions: [
      {
        name: 'app',
        image: 'nope',
        memory: 128,
        dockerLabels: {'ecsx.simulate.fail-to-start': 'CannotPullContainerError: not found'},
      },
    ],
  })
  engine.callSync('createService', {cluster: 'bench', serviceName: 'bad', taskDefinition: 'bad', desiredCount: 1})
  report(
    'throttled day (advance 1 d)',
    measure(() => engine.advance(DAY)),
    'attempts spaced up to 15 min',
  )
  done()
}
{
  const {engine, done} = rig(10, 'm4.xlarge')
  engine.callSync('registerTaskDefinition', {
    family: 'web',
    containerDefinitions: [{name: 'app', image: 'nginx', memory: 128, portMappings: [{containerPort: 80}]}],
  })
  for (let i = 0; i < 10; i++)
    engine.callSync('createService', {
      cluster: 'bench',
      serviceName: `web${i}`,
      taskDefinition: 'web',
      desiredCount: 10,
    })
  engine.advance(10_000)
  report(
    'steady day, 100 tasks (advance 1 d)',
    measure(() => engine.advance(DAY)),
    '10 services × 10 tasks, no churn',
  )
  report(
    'steady: one call (DescribeServices)',
    measure(() => engine.callSync('describeServices', {cluster: 'bench', services: ['web0']})),
    '',
  )
  done()
}

{
  const {engine, done} = rig(20, 'm4.xlarge')
  engine.callSync('registerTaskDefinition', {
    family: 'web',
    containerDefinitions: [{name: 'app', image: 'nginx', memory: 128, portMappings: [{containerPort: 80}]}],
  })
  engine.callSync('registerTaskDefinition', {
    family: 'crash',
    containerDefinitions: [
      {
        name: 'app',
        image: 'busybox',
        memory: 128,
        dockerLabels: {'ecsx.simulate.exit-after': '5s', 'ecsx.simulate.exit-code': '1'},
      },
    ],
  })
  for (let i = 0; i < 30; i++)
    engine.callSync('createService', {
      cluster: 'bench',
      serviceName: `web${i}`,
      taskDefinition: 'web',
      desiredCount: 10,
    })
  engine.callSync('createService', {cluster: 'bench', serviceName: 'crash', taskDefinition: 'crash', desiredCount: 2})
  engine.advance(10_000)
  report(
    'crash loop beside 300 steady tasks (advance 1 d)',
    measure(() => engine.advance(DAY)),
    '20 instances, 31 services',
  )
  report(
    '  then one call (DescribeServices)',
    measure(() => engine.callSync('describeServices', {cluster: 'bench', services: ['crash']})),
    '',
  )
  done()
}

console.log(
  `## Reconcile (bench/reconcile.mjs) — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs\n`,
)
console.log('| scenario | wall ms | CPU ms | note |\n|---|---|---|---|')
console.log(rows.join('\n'))
