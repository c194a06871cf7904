/** Test doubles for the aws-infrastructure tests: resolved settings and a recording Ui. */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {ResolvedSettings} from '../../../../src/lib/config/types.js'
import {InputError} from '../../../../src/lib/errors.js'
import type {PollDeps} from '../../../../src/lib/aws/sdk-config.js'
import type {ProgressReporter, TableColumn, Ui} from '../../../../src/lib/ui/types.js'

export const TEST_ACCESS_KEY = 'AKIDEXAMPLE12345678'
export const TEST_SECRET_KEY = 'wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY'

export function awsSettings(overrides: Partial<ResolvedSettings> = {}): ResolvedSettings {
  const cluster = overrides.cluster ?? 'demo'
  return {
    backend: 'aws',
    home: mkdtempSync(join(tmpdir(), 'ecsx-f2-home-')),
    cluster,
    region: 'us-west-2',
    composeServiceNamePrefix: '',
    composeProjectNamePrefix: '',
    cfnStackName: `amazon-ecs-cli-setup-${cluster}`,
    credentials: {source: 'env', accessKeyId: TEST_ACCESS_KEY, secretAccessKey: TEST_SECRET_KEY},
    verbose: false,
    ...overrides,
  }
}

export interface RecordingUi extends Ui {
  lines: {out: string[]; info: string[]; warn: string[]; verbose: string[]; progress: string[]; events: string[]}
  tables: Array<{headers: string[]; rows: string[][]}>
  confirms: Array<{question: string; flag: string}>
}

/** A Ui that records everything; `confirm` answers `answer`, or throws like a non-TTY when `answer` is undefined. */
export function recordingUi(options: {answer?: boolean} = {}): RecordingUi {
  const lines = {
    out: [] as string[],
    info: [] as string[],
    warn: [] as string[],
    verbose: [] as string[],
    progress: [] as string[],
    events: [] as string[],
  }
  const tables: RecordingUi['tables'] = []
  const confirms: RecordingUi['confirms'] = []
  const id = (s: string) => s
  return {
    interactive: false,
    color: false,
    lines,
    tables,
    confirms,
    out: (l) => void lines.out.push(l),
    info: (l) => void lines.info.push(l),
    warn: (l) => void lines.warn.push(l),
    verbose: (l) => void lines.verbose.push(l),
    table<Row>(rows: Row[], columns: Array<TableColumn<Row>>) {
      tables.push({headers: columns.map((c) => c.header), rows: rows.map((r) => columns.map((c) => c.get(r)))})
    },
    async confirm(question, flag) {
      confirms.push({question, flag})
      if (options.answer === undefined) throw new InputError(`Confirmation needed: pass ${flag}.`)
      return options.answer
    },
    async promptSecret(_q, hint) {
      throw new InputError('no terminal', hint)
    },
    progress(title): ProgressReporter {
      lines.progress.push(`[start] ${title}`)
      return {
        update: (ls) => void lines.progress.push(...ls),
        event: (l) => void lines.events.push(l),
        done: (final) => void lines.progress.push(`[done] ${final ?? ''}`),
      }
    },
    style: {bold: id, dim: id, red: id, green: id, yellow: id},
  }
}

/** A manual clock: sleep advances it instantly and counts the sleeps. */
export function manualClock(start = Date.UTC(2026, 10, 25, 2, 0, 0)): PollDeps & {sleeps: number[]; time: number} {
  const clock = {
    time: start,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms)
      clock.time += ms
    },
  }
  return clock
}
