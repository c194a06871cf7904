/**
 * kill -9 a process in a write loop at 20 random moments. Each time the database must open, pass
 * `PRAGMA integrity_check`, and hold the last committed state.
 *
 * The writer commits value n+1 (TagResource, one IMMEDIATE transaction) and only then prints "committed n+1".
 * SIGKILL can land (a) between a commit and its print, (b) between a print and the next commit, or (c) inside the
 * next commit. In (a) the database holds the value after the last printed one; in (b) exactly the last printed
 * one; in (c) SQLite's WAL commit is atomic, so it holds one of the two. Hence: db ∈ {last printed, last printed + 1}
 * and nothing else — never a torn or older value. The next writer must start from exactly the value found.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'

import {openEngine} from '../../../src/lib/engine/engine.js'
import {seededRandom} from '../../../src/lib/engine/ids.js'
import {openStore} from '../../../src/lib/engine/store/sqlite-store.js'
import {buildEngineForChildProcesses, REPO_ROOT} from './fixtures/build-engine.js'

const ROUNDS = 20

interface Round {
  start: number
  lastPrinted: number
  commitsSeen: number
}

function crashRound(build: string, home: string, killAfterMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'test/lib/engine/fixtures/crash-writer.mjs')], {
      env: {...process.env, ECSX_HOME: home, ECSX_ENGINE_BUILD: build},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let armed = false
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      // Arm the kill once the writer has started committing.
      if (!armed && stdout.includes('committed ')) {
        armed = true
        setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
    })
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited without being killed (signal ${signal}): ${stderr}`))
        return
      }
      const lines = stdout.split('\n').filter(Boolean)
      const start = Number(/^start (\d+)$/.exec(lines[0] ?? '')?.[1])
      const commits = lines
        .map((line) => /^committed (\d+)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => Number(m[1]))
      resolve({
        start,
        lastPrinted: commits.length > 0 ? commits[commits.length - 1] : start,
        commitsSeen: commits.length,
      })
    })
  })
}

describe('crash safety (kill -9 during writes)', () => {
  let build: string
  let home: string
  beforeAll(() => {
    build = buildEngineForChildProcesses()
    home = mkdtempSync(join(tmpdir(), 'ecsx-crash-'))
  })
  afterAll(() => {
    rmSync(home, {recursive: true, force: true})
    rmSync(build, {recursive: true, force: true})
  })

  it(`survives ${ROUNDS} SIGKILLs at random points with the last committed state`, async () => {
    const random = seededRandom(20261125)
    let expectedStart = 0
    let totalCommits = 0
    for (let round = 0; round < ROUNDS; round++) {
      const result = await crashRound(build, home, Math.floor(random() * 60))
      // The writer resumed from exactly the state the previous check found.
      expect(result.start).toBe(expectedStart)
      const store = openStore(join(home, 'engine.db'))
      try {
        expect(store.integrityCheck()).toBe('ok')
      } finally {
        store.close()
      }
      const engine = openEngine({home, env: {}})
      let value: number
      try {
        const clusterArn = 'arn:aws:ecs:us-east-1:000000000000:cluster/crash'
        const tags = engine.callSync('listTagsForResource', {resourceArn: clusterArn}).tags!
        value = Number(tags.find((t) => t.key === 'counter')?.value ?? 0)
      } finally {
        engine.close()
      }
      expect([result.lastPrinted, result.lastPrinted + 1]).toContain(value)
      totalCommits += result.commitsSeen
      expectedStart = value
    }
    expect(totalCommits).toBeGreaterThan(ROUNDS)
  })
})
