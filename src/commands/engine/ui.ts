import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'

export interface EngineUiResult {
  url: string
  host: string
  port: number
}

export default class EngineUi extends EcsxCommand<EngineUiResult> {
  static override summary =
    'Open a live map of the local cluster in the browser: instances, tasks, deployments, events.'

  static override description = [
    'Serves a read-only web page (no login, works offline: everything it loads comes from this server) that shows every',
    'cluster of the local engine as it changes: container instances grouped by availability zone with their CPU and',
    'memory reservations, the tasks placed on them coloured by service (pending, stopping and unhealthy tasks marked;',
    "draining and terminated instances set apart), Fargate tasks in their own lane, and each service's deployments",
    'against their minimum-healthy/maximum bounds, its latest events and why tasks could not be placed.',
    '',
    'The page follows the engine live (updates within a second on the wall clock; with ECSX_ENGINE_CLOCK=manual after',
    'each `ecsx engine advance`). It changes nothing: it shows the ecsx commands for the next steps (kill an instance,',
    'scale a service, advance the clock) to copy. `ecsx engine serve` serves the same page on its port.',
    '',
    'Listens on the loopback interface only, unless --allow-remote is given together with a non-loopback --host.',
    'Stops on SIGINT (Ctrl-C) or SIGTERM.',
  ]
    .join('\n')
    .replace(/(?<=\S)\n(?=\S)/g, ' ')

  static override examples = [
    {description: 'Open http://127.0.0.1:4567/ in a browser', command: '<%= config.bin %> engine ui'},
    {description: 'Any free port', command: '<%= config.bin %> engine ui --port 0'},
  ]

  static override flags = {
    port: Flags.integer({description: 'TCP port to listen on (0 = any free port).', default: 4567, min: 0, max: 65535}),
    host: Flags.string({
      description: 'Address to listen on. Only loopback addresses unless --allow-remote.',
      default: '127.0.0.1',
    }),
    'allow-remote': Flags.boolean({
      description: 'Allow a non-loopback --host. There is no login: anyone who can reach the port sees the cluster.',
    }),
  }

  async run(): Promise<EngineUiResult> {
    const {flags} = await this.parse(EngineUi)
    const {checkListenHost, serveClusterMap, untilStopSignal} = await import('../../lib/workflows/serve.js')
    const {requireEngine} = await import('../../lib/workflows/engine-controls.js')
    const listen = {host: flags.host, port: flags.port, allowRemote: flags['allow-remote']}
    checkListenHost(listen, 'map')
    const {settings, ui, backend: openBackend} = await this.setup(flags)
    const backend = await openBackend()
    requireEngine(backend, 'engine ui')
    const map = await serveClusterMap(backend, settings, listen)
    if (!map.loopback) {
      ui.warn(
        `Listening on ${flags.host} without a login: anyone who can reach ${map.url} sees this engine's clusters.`,
      )
    }
    process.stderr.write(`Cluster map on ${map.url}\n`)
    ui.info(`Engine state: ${settings.home}. Read-only; stop with Ctrl-C.`)

    const signal = await untilStopSignal()
    await map.close()
    ui.info(`Stopped (${signal}).`)
    return {url: map.url, host: map.host, port: map.port}
  }
}
