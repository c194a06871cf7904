/** The waits rendered through the real UI: exact stderr text off a TTY; live redraw (escapes) only on a TTY. */
import {describe, expect, it} from '@jest/globals'

import {waitForService} from '../../../../src/lib/workflows/wait/service.js'
import {fakeUi} from '../../../helpers/fake-terminal.js'
import {TD1, TD2, scriptedBackend, svc} from './fakes.js'

const frames = () => [
  svc(
    1,
    [
      ['PRIMARY', TD2, 1, 0, 1],
      ['ACTIVE', TD1, 1, 1, 0],
    ],
    [[1000, '(service web) has started 1 tasks: (task t2).']],
  ),
  svc(
    1,
    [
      ['PRIMARY', TD2, 1, 1, 0],
      ['ACTIVE', TD1, 1, 1, 0],
    ],
    [[1000, '(service web) has started 1 tasks: (task t2).']],
  ),
  svc(
    1,
    [['PRIMARY', TD2, 1, 1, 0]],
    [
      [1000, '(service web) has started 1 tasks: (task t2).'],
      [3000, '(service web) has stopped 1 running tasks: (task t1).'],
    ],
  ),
]

describe('service wait progress through the UI', () => {
  it('off a TTY prints the title, changed status lines and events as plain lines (pinned)', async () => {
    const {ui, stdout, stderr} = await fakeUi({tty: false, env: {CI: 'true'}})
    await waitForService(scriptedBackend({services: frames()}), ui, {
      cluster: 'default',
      service: 'web',
      timeoutMs: 60_000,
      until: 'stable',
      failFastOnUnplaceable: true,
      since: 0,
      pollMs: 1000,
    })
    expect(stdout.text).toBe('')
    expect(stderr.text).toBe(
      [
        'Waiting for service web to be stable',
        '1970-01-01T00:00:01Z (service web) has started 1 tasks: (task t2).',
        '  service web: desired 1, running 1, pending 1',
        '    PRIMARY web:2: desired 1, running 0, pending 1',
        '    ACTIVE  web:1: desired 1, running 1, pending 0',
        '  service web: desired 1, running 2, pending 0',
        '    PRIMARY web:2: desired 1, running 1, pending 0',
        '1970-01-01T00:00:03Z (service web) has stopped 1 running tasks: (task t1).',
        '  service web: desired 1, running 1, pending 0',
        'Service web has reached a stable state (web:2): desired 1, running 1',
        '',
      ].join('\n'),
    )
    expect(stderr.text).not.toContain('\u001B[')
  })

  it('on a TTY (not CI) redraws the live block in place', async () => {
    const {ui, stderr} = await fakeUi({tty: true, env: {}})
    await waitForService(scriptedBackend({services: frames()}), ui, {
      cluster: 'default',
      service: 'web',
      timeoutMs: 60_000,
      until: 'stable',
      failFastOnUnplaceable: true,
      since: 0,
      pollMs: 1000,
    })
    expect(stderr.text).toContain('\u001B[')
    expect(stderr.text).toContain('Service web has reached a stable state (web:2): desired 1, running 1')
  })

  it('under --json prints no progress at all', async () => {
    const {ui, stdout, stderr} = await fakeUi({json: true})
    await waitForService(scriptedBackend({services: frames()}), ui, {
      cluster: 'default',
      service: 'web',
      timeoutMs: 60_000,
      until: 'stable',
      failFastOnUnplaceable: true,
      since: 0,
      pollMs: 1000,
    })
    expect(stdout.text).toBe('')
    expect(stderr.text).toBe('')
  })
})
