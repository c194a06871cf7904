import {describe, expect, it} from '@jest/globals'

import {InputError} from '../../../src/lib/errors.js'
import {stripAnsi} from '../../../src/lib/ui/style.js'
import {formatTable} from '../../../src/lib/ui/table.js'
import {fakeUi} from '../../helpers/fake-terminal.js'

const ESC = '\u001B['

describe('createUi: streams', () => {
  it('puts data on stdout and info, warnings and verbose notes on stderr', async () => {
    const {ui, stdout, stderr} = await fakeUi({verbose: true})
    ui.out('data')
    ui.info('info')
    ui.warn('careful')
    ui.verbose('detail')
    expect(stdout.text).toBe('data\n')
    expect(stderr.text).toBe('info\nWarning: careful\ndetail\n')
  })

  it('under --json prints no human output; warnings still reach stderr', async () => {
    const {ui, stdout, stderr} = await fakeUi({json: true})
    ui.out('data')
    ui.info('info')
    ui.table([{a: '1'}], [{header: 'A', get: (r) => r.a}])
    ui.warn('careful')
    const p = ui.progress('waiting')
    p.update(['x'])
    p.done('ok')
    expect(stdout.text).toBe('')
    expect(stderr.text).toBe('Warning: careful\n')
  })

  it('does not double a "Warning:" prefix', async () => {
    const {ui, stderr} = await fakeUi()
    ui.warn('Warning: compose.yml:3: service "web": key "build": ignored')
    expect(stderr.text).toBe('Warning: compose.yml:3: service "web": key "build": ignored\n')
  })

  it('verbose notes only under --verbose', async () => {
    const {ui, stderr} = await fakeUi({verbose: false})
    ui.verbose('hidden')
    expect(stderr.text).toBe('')
  })
})

describe('createUi: colour', () => {
  it('colours on a TTY', async () => {
    const {ui, stderr} = await fakeUi({tty: true})
    expect(ui.color).toBe(true)
    ui.warn('x')
    expect(stderr.text).toContain(ESC)
    expect(stripAnsi(stderr.text)).toBe('Warning: x\n')
  })

  it('no ANSI codes with NO_COLOR, even on a TTY', async () => {
    const {ui, stdout, stderr} = await fakeUi({tty: true, env: {NO_COLOR: '1'}})
    expect(ui.color).toBe(false)
    ui.warn('x')
    ui.out(ui.style.bold('y'))
    expect(stderr.text + stdout.text).not.toContain(ESC)
  })

  it('no ANSI codes and no live redraw when not a TTY', async () => {
    const {ui, stdout, stderr} = await fakeUi({tty: false})
    expect(ui.color).toBe(false)
    expect(ui.interactive).toBe(false)
    ui.warn('x')
    ui.out(ui.style.red('y'))
    const p = ui.progress('Waiting for service web')
    p.update(['running 0/2', 'pending 2'])
    p.update(['running 1/2', 'pending 2'])
    p.event('(service web) has started 2 tasks')
    p.done('Service web is stable.')
    expect(stderr.text + stdout.text).not.toContain(ESC)
    expect(stderr.text).toBe(
      'Warning: x\nWaiting for service web\n  running 0/2\n  pending 2\n  running 1/2\n(service web) has started 2 tasks\nService web is stable.\n',
    )
  })

  it('redraws in place on a TTY, but prints plain lines under CI=true', async () => {
    const live = await fakeUi({tty: true, env: {}})
    const p = live.ui.progress('Waiting')
    p.update(['a'])
    p.update(['b'])
    p.done('done')
    expect(live.stderr.text).toContain(`${ESC}2A`)
    expect(stripAnsi(live.stderr.text).endsWith('done\n')).toBe(true)

    const ci = await fakeUi({tty: true, env: {CI: 'true', NO_COLOR: '1'}})
    const q = ci.ui.progress('Waiting')
    q.update(['a'])
    q.update(['b'])
    q.done('done')
    expect(ci.stderr.text).toBe('Waiting\n  a\n  b\ndone\n')
  })
})

describe('createUi: prompts', () => {
  it('confirm without a TTY throws InputError (exit 2) naming the flag', async () => {
    const {ui} = await fakeUi({tty: false})
    const err = (await ui.confirm('Delete cluster demo?', '--force').catch((error: unknown) => error)) as InputError
    expect(err).toBeInstanceOf(InputError)
    expect(err.exitCode).toBe(2)
    expect(err.message).toContain('--force')
    expect(err.message).toContain('Delete cluster demo?')
  })

  it('confirm on a TTY asks on stderr and returns the answer; the default is no', async () => {
    const yes = await fakeUi({tty: true, env: {NO_COLOR: '1'}})
    const answer = yes.ui.confirm('Delete cluster demo?', '--force')
    setTimeout(() => yes.stdin.write('y\n'), 20)
    expect(await answer).toBe(true)
    expect(yes.stderr.text).toContain('Delete cluster demo?')
    expect(yes.stdout.text).toBe('')
    const no = await fakeUi({tty: true, env: {NO_COLOR: '1'}})
    const fallback = no.ui.confirm('Delete?', '--force')
    setTimeout(() => no.stdin.write('\n'), 20)
    expect(await fallback).toBe(false)
  })

  it('promptSecret on a TTY reads the secret and never echoes it', async () => {
    const t = await fakeUi({tty: true, env: {NO_COLOR: '1'}})
    const secret = t.ui.promptSecret('AWS secret access key', 'Pass --secret-key.')
    setTimeout(() => t.stdin.write('s3cr3t\n'), 20)
    expect(await secret).toBe('s3cr3t')
    expect(t.stderr.text).not.toContain('s3cr3t')
  })

  it('promptSecret without a TTY throws InputError carrying the hint', async () => {
    const {ui} = await fakeUi({tty: false})
    const err = (await ui.promptSecret('MFA code', 'Pass --mfa-code.').catch((error: unknown) => error)) as InputError
    expect(err).toBeInstanceOf(InputError)
    expect(err.hint).toBe('Pass --mfa-code.')
  })
})

describe('formatTable (ecs-cli tabwriter layout)', () => {
  const cols = [
    {header: 'Name', get: (r: string[]) => r[0]},
    {header: 'State', get: (r: string[]) => r[1]},
    {header: 'Last', get: (r: string[]) => r[2]},
  ]

  it('pads every column but the last to its longest cell + 2 and trims trailing spaces', () => {
    expect(
      formatTable(
        [
          ['a', 'RUNNING', 'x'],
          ['longer-name', 'UP', ''],
        ],
        cols,
      ),
    ).toEqual(['Name         State    Last', 'a            RUNNING  x', 'longer-name  UP'])
  })

  it('prints nothing, not even the header, without rows', () => {
    expect(formatTable([], cols)).toEqual([])
  })

  it('keeps the minimum cell width of 4 for tiny columns', () => {
    expect(
      formatTable(
        [['a', 'b', 'c']],
        [
          {header: 'N', get: (r: string[]) => r[0]},
          {header: 'S', get: (r: string[]) => r[1]},
        ],
      ),
    ).toEqual(['N   S', 'a   b'])
  })
})
