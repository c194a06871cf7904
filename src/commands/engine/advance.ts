import {Args} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'

export interface AdvanceResult {
  advancedMs: number
  engineTime: string
}

export default class EngineAdvance extends EcsxCommand<AdvanceResult> {
  static override summary = 'Move the local engine clock forward and let the cluster catch up.'
  static override description = `Local backend only (exit 2 on aws). Everything that would happen in that time happens: tasks start and stop, health checks settle, services replace tasks and step through deployments. Prints the new engine time.
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
    const {settings, ui, backend} = await this.setup(flags)
    const {parseDuration, formatDuration} = await import('../../lib/cluster/duration.js')
    const {assertLocalBackend, requireEngine} = await import('../../lib/cluster/engine-status.js')
    assertLocalBackend(settings.backend, 'engine advance')
    const ms = parseDuration(args.duration)
    const ecs = await backend()
    const now = await requireEngine(ecs, 'engine advance').advance(ms)
    const engineTime = new Date(now).toISOString()
    ui.out(`Engine time: ${engineTime} (advanced ${formatDuration(ms)})`)
    return {advancedMs: ms, engineTime}
  }
}
