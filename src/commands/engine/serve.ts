import {Flags} from '@oclif/core'

import {EcsxCommand} from '../../lib/base-command.js'
import {InputError} from '../../lib/errors.js'

export interface EngineServeResult {
  url: string
  host: string
  port: number
  /** Requests answered before shutdown. */
  requests: number
}

export default class EngineServe extends EcsxCommand<EngineServeResult> {
  static override summary =
    'Serve the local engine over the ECS API (JSON 1.1), for the AWS CLI, SDKs and `--endpoint-url`.'

  static override description = `Starts an HTTP server that speaks Amazon ECS's wire protocol (POST /, X-Amz-Target \
AmazonEC2ContainerServiceV20141113.<Operation>, application/x-amz-json-1.1) in front of the local engine under \
ECSX_HOME. Anything that talks to ECS can use it: the AWS CLI (--endpoint-url), the AWS SDKs (AWS_ENDPOINT_URL_ECS), \
and ecsx itself (--backend aws --endpoint-url).

Any AWS credentials are accepted (signatures are not checked), so the server listens on the loopback interface only, \
unless --allow-remote is given together with a non-loopback --host. Other ecsx commands on the local backend keep \
working while it runs: they share the same state.

The same port serves the read-only cluster map (see \`ecsx engine ui\`) to browsers: GET / with Accept: text/html. GET \
/ for any other client, and GET /health, answer the readiness probe's JSON.

Stops cleanly on SIGINT (Ctrl-C) or SIGTERM.`

  static override examples = [
    {
      description: 'Serve on the default port and drive it with the AWS CLI',
      command: '<%= config.bin %> <%= command.id %>\n  aws --endpoint-url http://127.0.0.1:4566 ecs list-clusters',
    },
    {
      description: 'Any free port, one log line per request on stderr',
      command: '<%= config.bin %> <%= command.id %> --port 0 --verbose',
    },
    {
      description: 'Point ecsx itself at a served engine',
      command: 'AWS_ENDPOINT_URL_ECS=http://127.0.0.1:4566 <%= config.bin %> ps --backend aws',
    },
  ]

  static override flags = {
    port: Flags.integer({description: 'TCP port to listen on (0 = any free port).', default: 4566, min: 0, max: 65535}),
    host: Flags.string({
      description: 'Address to listen on. Only loopback addresses unless --allow-remote.',
      default: '127.0.0.1',
    }),
    'allow-remote': Flags.boolean({
      description:
        'Allow a non-loopback --host. There is no authentication: anyone who can reach the port controls the engine.',
    }),
  }

  async run(): Promise<EngineServeResult> {
    const {flags} = await this.parse(EngineServe)
    const {checkListenHost, serveEngine, untilStopSignal} = await import('../../lib/workflows/serve.js')
    if (flags.backend === 'aws') {
      throw new InputError(
        '`engine serve` serves the local engine; --backend aws does not apply.',
        'Drop --backend, or use --backend local.',
      )
    }
    const listen = {host: flags.host, port: flags.port, allowRemote: flags['allow-remote']}
    checkListenHost(listen, 'engine')
    const {settings, ui, backend: openBackend} = await this.setup({...flags, backend: 'local'})
    if (settings.endpointUrl)
      this.note('--endpoint-url / AWS_ENDPOINT_URL_ECS is for clients of the server; ignored by `engine serve`.')
    const backend = await openBackend()
    const server = await serveEngine(backend, settings, {
      ...listen,
      ...(settings.verbose ? {log: (line: string) => ui.verbose(line)} : {}),
    })
    if (!server.loopback) {
      ui.warn(
        `Listening on ${flags.host} without authentication: anyone who can reach ${server.listenedUrl} controls this engine.`,
      )
    }
    process.stderr.write(`Listening on ${server.url}\nexport AWS_ENDPOINT_URL_ECS=${server.url}\n`)
    ui.info(`Engine state: ${settings.home} (region ${backend.region}). Any access key works; stop with Ctrl-C.`)
    ui.info(`Cluster map (read-only): open ${server.url}/ in a browser.`)

    const signal = await untilStopSignal()
    await server.close()
    const requests = server.requestCount
    ui.info(`Stopped (${signal}) after ${requests} request${requests === 1 ? '' : 's'}.`)
    return {url: server.url, host: server.host, port: server.port, requests}
  }
}
