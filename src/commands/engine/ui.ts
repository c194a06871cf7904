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
    const {assertListenHost, listenError} = await import('../../lib/listen.js')
    const {isLoopbackHost} = await import('../../lib/ecs/server.js')
    const {requireEngine} = await import('../../lib/workflows/engine-controls.js')
    assertListenHost(flags.host, flags['allow-remote'], 'the page has no login', 'see the cluster')
    const {settings, ui, backend: openBackend} = await this.setup(flags)
    const backend = await openBackend()
    requireEngine(backend, 'engine ui')

    const {createDashboardServer} = await import('../../lib/dashboard/server.js')
    const dashboard = await createDashboardServer(backend, {
      currentCluster: settings.cluster,
      composeServiceNamePrefix: settings.composeServiceNamePrefix,
      allowRemote: flags['allow-remote'],
    })
    let address: EngineUiResult
    try {
      address = await dashboard.listen(flags.port, flags.host)
    } catch (error) {
      throw listenError(error as NodeJS.ErrnoException, flags.host, flags.port)
    }
    // A wildcard address is reachable locally through loopback: print a URL a browser can use.
    const url = address.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1')
    if (!isLoopbackHost(flags.host)) {
      ui.warn(`Listening on ${flags.host} without a login: anyone who can reach ${url} sees this engine's clusters.`)
    }
    process.stderr.write(`Cluster map on ${url}\n`)
    ui.info(`Engine state: ${settings.home}. Read-only; stop with Ctrl-C.`)

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const onSignal = (sig: NodeJS.Signals) => {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
        resolve(sig)
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
    })
    await dashboard.close()
    ui.info(`Stopped (${signal}).`)
    return {url, host: address.host, port: address.port}
  }
}
