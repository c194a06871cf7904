/**
 * Four OS processes share one ECSX_HOME and each do 100 read-modify-write steps through the engine API
 * (DescribeServices → UpdateService(desiredCount + 1) inside ONE engine transaction). With IMMEDIATE transactions
 * and the busy timeout, no update is lost and no SQLITE_BUSY escapes: the final desiredCount is exactly 400.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import {openEngine} from '../../../src/lib/engine/engine.js'
import {SCHEMA_VERSION} from '../../../src/lib/engine/store/migrations.js'
import {buildEngineForChildProcesses, REPO_ROOT} from './fixtures/build-engine.js'

const WORKERS = 4
const ITERATIONS = 100

function runWorker(
  build: string,
  home: string,
  script = 'rmw-worker.mjs',
  args: string[] = [],
): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'test/lib/engine/fixtures', script), ...args], {
      env: {...process.env, ECSX_HOME: home, ECSX_ENGINE_BUILD: build, ITERATIONS: String(ITERATIONS)},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

describe('concurrency across processes', () => {
  let build: string
  let home: string
  beforeAll(() => {
    build = buildEngineForChildProcesses()
    home = mkdtempSync(join(tmpdir(), 'ecsx-rmw-'))
    const engine = openEngine({home, clock: 'manual', env: {}})
    try {
      engine.callSync('createCluster', {clusterName: 'rmw'})
      engine.callSync('registerTaskDefinition', {
        family: 'counter',
        containerDefinitions: [{name: 'c', image: 'busybox', memory: 8}],
      })
      engine.callSync('createService', {
        cluster: 'rmw',
        serviceName: 'counter',
        taskDefinition: 'counter',
        desiredCount: 0,
      })
    } finally {
      engine.close()
    }
  })
  afterAll(() => {
    rmSync(home, {recursive: true, force: true})
    rmSync(build, {recursive: true, force: true})
  })

  it(`${WORKERS} processes × ${ITERATIONS} DescribeServices→UpdateService(+1) transactions lose no update`, async () => {
    const started = Date.now()
    const results = await Promise.all(Array.from({length: WORKERS}, () => runWorker(build, home)))
    const elapsed = Date.now() - started
    for (const result of results) {
      expect({
        code: result.code,
        stdout: result.stdout.trim(),
        stderr: result.stderr.replace(/\(node:\d+\) ExperimentalWarning[^\n]*\n?/g, '').trim(),
      }).toEqual({
        code: 0,
        stdout: `done ${ITERATIONS}`,
        stderr: '',
      })
    }
    const engine = openEngine({home, env: {}})
    try {
      const service = engine.callSync('describeServices', {cluster: 'rmw', services: ['counter']}).services![0]
      expect(service.desiredCount).toBe(WORKERS * ITERATIONS)
    } finally {
      engine.close()
    }
    process.stderr.write(`concurrency: ${WORKERS}×${ITERATIONS} read-modify-write transactions in ${elapsed} ms\n`)
  })

  it('6 processes opening a brand-new ECSX_HOME at once all succeed (the schema is created once)', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'ecsx-fresh-'))
    try {
      const results = await Promise.all(
        Array.from({length: 6}, (_, i) => runWorker(build, fresh, 'open-fresh.mjs', [String(i)])),
      )
      expect(results.map((r) => [r.code, r.stdout.trim()])).toEqual(Array.from({length: 6}, () => [0, 'ok']))
      const engine = openEngine({home: fresh, env: {}})
      try {
        expect(engine.callSync('listClusters', {}).clusterArns).toHaveLength(6)
        expect(engine.store.schemaVersion).toBe(SCHEMA_VERSION)
      } finally {
        engine.close()
      }
    } finally {
      rmSync(fresh, {recursive: true, force: true})
    }
  })
})
