/** A recording Ui for backend tests (no terminal): every line lands in `lines`, prompts answer from `answers`. */
import {InputError} from '../../../src/lib/errors.js'
import type {ProgressReporter, Ui} from '../../../src/lib/ui/types.js'

export interface RecordingUi extends Ui {
  lines: string[]
  prompts: string[]
}

export function recordingUi(options: {interactive: boolean; answers?: string[]}): RecordingUi {
  const lines: string[] = []
  const prompts: string[] = []
  const answers = [...(options.answers ?? [])]
  const id = (s: string) => s
  const progress: ProgressReporter = {
    update: (l) => lines.push(...l),
    event: (l) => lines.push(l),
    done: (l) => l && lines.push(l),
  }
  return {
    lines,
    prompts,
    interactive: options.interactive,
    color: false,
    out: (l) => lines.push(`out: ${l}`),
    info: (l) => lines.push(`info: ${l}`),
    warn: (l) => lines.push(`warn: ${l}`),
    verbose: (l) => lines.push(`verbose: ${l}`),
    table: () => undefined,
    confirm: async (_q, flag) => {
      if (!options.interactive) throw new InputError(`Confirmation needed: pass ${flag}.`)
      return true
    },
    promptSecret: async (question, hint) => {
      prompts.push(question)
      if (!options.interactive) throw new InputError(`${question} needs a terminal.`, hint)
      const answer = answers.shift()
      if (answer === undefined) throw new Error('test: no answer left')
      return answer
    },
    progress: () => progress,
    style: {bold: id, dim: id, red: id, green: id, yellow: id},
  }
}
