/** A writable stream that records what is written, with a settable isTTY — for UI tests. */
import {PassThrough, Writable} from 'node:stream'

class FakeTerminal extends Writable {
  isTTY: boolean
  chunks: string[] = []
  constructor(isTTY = false) {
    super()
    this.isTTY = isTTY
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.chunks.push(String(chunk))
    cb()
  }

  get text(): string {
    return this.chunks.join('')
  }
}

/** A UI wired to two fake terminals. */
export async function fakeUi(
  options: {json?: boolean; verbose?: boolean; tty?: boolean; env?: Record<string, string | undefined>} = {},
) {
  const {createUi} = await import('../../src/lib/ui/index.js')
  const stdout = new FakeTerminal(options.tty ?? false)
  const stderr = new FakeTerminal(options.tty ?? false)
  /** What the user types at prompts (a fake TTY keyboard). */
  const stdin = Object.assign(new PassThrough(), {isTTY: options.tty ?? false, setRawMode: () => stdin})
  const ui = createUi({
    json: options.json ?? false,
    verbose: options.verbose ?? false,
    stdout,
    stderr,
    stdinIsTTY: options.tty ?? false,
    stdin,
    env: options.env ?? {},
  })
  return {ui, stdout, stderr, stdin}
}
