/** describeStop: the one line saying why a task stopped (wait errors, deploy failures). */
import {describe, expect, it} from '@jest/globals'

import {describeStop} from '../../../../src/lib/workflows/wait/deployment-failure.js'

describe('describeStop', () => {
  it('an empty stop reason reads "stopped", not an empty clause (issue 12: "running: ; container …")', () => {
    const line = describeStop({stoppedReason: '', containers: [{name: 'web', exitCode: 1, reason: 'OOM'}]})
    expect(line).toBe('stopped; container web exited with code 1: OOM')
    expect(describeStop({containers: []})).toBe('stopped')
  })

  it('keeps the reason ECS gave and lists only containers with an exit code or a reason', () => {
    const line = describeStop({
      stoppedReason: 'Essential container in task exited',
      containers: [{name: 'web', exitCode: 137}, {name: 'sidecar'}, {name: 'log', reason: 'CannotPullContainerError'}],
    })
    expect(line).toBe(
      'Essential container in task exited; container web exited with code 137; container log: CannotPullContainerError',
    )
  })
})
