import {Args} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import type {AdvanceResult} from '../../lib/workflows/engine-controls.js'

export default class EngineAdvance extends EcsxCommand<AdvanceResult> {
  static override summary = 'Move the local engine clock forward and let the cluster catch up.'
  static override description = `Local backend only (exit 2 on aws). Everything that would happen in that time \
happens: tasks start and stop, health checks settle, services replace tasks and step through deployments. Prints the new engine time.
Useful with ECSX_ENGINE_CLOCK=manual, where the clock moves only when told to.`

  static override examples = [
    {description: 'Thirty seconds later', command: '<%= config.bin %> engine advance 30s'},
    {description: 'Five and a half minutes later, as JSON', command: '<%= config.bin %> engine advance 5m30s --json'},
  ]

  static override args = {
    duration: Args.string({
      description: 'How far: 500ms, 30s, 5m, 1h, 1m30s (a bare number is seconds).',
      required: true,
    }),
  }

  async run(): Promise<AdvanceResult> {
    const {args, flags} = await this.parse(EngineAdvance)
    const {ui, backend} = await this.setup(flags)
    const {advanceEngine, formatDuration, requireEngine} = await import('../../lib/workflows/engine-controls.js')
    const result = await advanceEngine(requireEngine(await backend(), 'engine advance'), args.duration)
    ui.out(`Engine time: ${result.engineTime} (advanced ${formatDuration(result.advancedMs)})`)
    return result
  }
}
