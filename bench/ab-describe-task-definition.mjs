#!/usr/bin/env node
// A/B by CPU time: DescribeTaskDefinition by family (1,000 revisions → the latest ACTIVE), 5 rounds × 2,000 calls,
// per build. Usage: node bench/ab-describe-task-definition.mjs <dist> [<dist> …] (e.g. an old checkout's dist and
// this one's). CPU time (process.cpuUsage) instead of wall time, so a busy machine moves the numbers less.
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

const dists = process.argv.slice(2)
if (dists.length === 0) dists.push(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist'))
for (const dist of dists) {
  const {openEngine} = await import(pathToFileURL(path.join(path.resolve(dist), 'lib/engine/engine.js')).href)
  const home = mkdtempSync(path.join(os.tmpdir(), 'ecsx-ab-'))
  const engine = openEngine({home})
  for (let i = 0; i < 1000; i++)
    engine.callSync('registerTaskDefinition', {
      family: 'bench',
      containerDefinitions: [{name: 'a', image: 'busybox', memory: 32}],
    })
  const perCall = []
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage()
    for (let i = 0; i < 2000; i++) engine.callSync('describeTaskDefinition', {taskDefinition: 'bench'})
    const used = process.cpuUsage(start)
    perCall.push((used.user + used.system) / 2000)
  }
  engine.close?.()
  rmSync(home, {recursive: true, force: true})
  perCall.sort((a, b) => a - b)
  console.log(
    `${dist}: ${perCall.map((v) => v.toFixed(1)).join(' ')} µs CPU per call (median ${perCall[2].toFixed(1)})`,
  )
}
