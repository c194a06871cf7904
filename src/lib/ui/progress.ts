/**
 * Progress while waiting. On an interactive terminal (TTY, not CI) a live block is redrawn in place on stderr;
 * otherwise only lines that changed since the last update are printed, so logs stay readable and free of escapes.
 */
import type {ProgressReporter} from './types.js'

type Stream = NodeJS.WritableStream

export function createProgress(
  stream: Stream,
  title: string,
  options: {live: boolean; enabled: boolean},
): ProgressReporter {
  let shown: string[] = []
  let drawn = 0
  let finished = false
  const write = (s: string) => {
    if (options.enabled) stream.write(s)
  }

  const clearLive = () => {
    if (drawn > 0) write(`\u001B[${drawn}A\u001B[0J`)
    drawn = 0
  }

  const drawLive = () => {
    const block = [title, ...shown.map((l) => `  ${l}`)]
    write(block.join('\n') + '\n')
    drawn = block.length
  }

  if (!options.live) write(title + '\n')

  return {
    update(lines: string[]) {
      if (finished) return
      if (options.live) {
        shown = lines
        clearLive()
        drawLive()
        return
      }
      const previous = new Set(shown)
      for (const line of lines) if (!previous.has(line)) write(`  ${line}\n`)
      shown = lines
    },
    event(line: string) {
      if (finished) return
      if (options.live) {
        clearLive()
        write(line + '\n')
        drawLive()
      } else {
        write(line + '\n')
      }
    },
    done(finalLine?: string) {
      if (finished) return
      finished = true
      if (options.live) clearLive()
      if (finalLine) write(finalLine + '\n')
    },
  }
}
