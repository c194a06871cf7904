/**
 * The dashboard's browser scenario, built with the CLI a user would use: a cluster of 3 instances over 2 zones, a
 * service spread over zones and instances, a service bin-packed on memory; then `ecsx engine ui` on a free port.
 * Manual engine clock, so every change comes from a CLI command the test runs.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {makeWorkspace, runCli, type CliResult} from '../../helpers/cli.js'
import {startServer, type ServerProcess} from '../../helpers/server-process.js'

export const SPREAD = 'web'
export const BINPACK = 'api'

const SPREAD_PARAMS = `version: 1
run_params:
  task_placement:
    strategy:
      - type: spread
        field: attribute:ecs.availability-zone
      - type: spread
        field: instanceId
`
const BINPACK_PARAMS = `version: 1
run_params:
  task_placement:
    strategy:
      - type: binpack
        field: memory
`

export function composeFile(service: string, image: string, cpu: number, memoryMiB: number): string {
  return `services:\n  ${service}:\n    image: ${image}\n    cpu_shares: ${cpu}\n    mem_reservation: ${memoryMiB}m\n`
}

export interface Scenario {
  env: Record<string, string>
  /** Run the CLI in the workspace (`cwd` relative to it: `web`, `api`); fails the test on a non-zero exit. */
  cli(args: string[], cwd?: string): Promise<CliResult>
  /** Project folders by service name. */
  dirs: Record<string, string>
}

export async function buildScenario(): Promise<Scenario> {
  const ws = makeWorkspace()
  const dirs: Record<string, string> = {
    [SPREAD]: path.join(ws.project, SPREAD),
    [BINPACK]: path.join(ws.project, BINPACK),
  }
  const cli = async (args: string[], cwd?: string): Promise<CliResult> => {
    const r = await runCli(args, {cwd: cwd ? dirs[cwd] : ws.project, env: ws.env, timeoutMs: 60_000})
    if (r.exitCode !== 0) throw new Error(`ecsx ${args.join(' ')} exited ${r.exitCode}:\n${r.stderr}`)
    return r
  }
  mkdirSync(dirs[SPREAD], {recursive: true})
  mkdirSync(dirs[BINPACK], {recursive: true})
  writeFileSync(path.join(dirs[SPREAD], 'docker-compose.yml'), composeFile(SPREAD, 'nginx:1.27', 256, 256))
  writeFileSync(path.join(dirs[SPREAD], 'ecs-params.yml'), SPREAD_PARAMS)
  writeFileSync(path.join(dirs[BINPACK], 'docker-compose.yml'), composeFile(BINPACK, 'node:20', 512, 512))
  writeFileSync(path.join(dirs[BINPACK], 'ecs-params.yml'), BINPACK_PARAMS)
  await cli(['up', '--size', '3', '--azs', 'us-east-1a,us-east-1b', '--instance-type', 't2.medium'])
  for (const [service, count] of [
    [SPREAD, '4'],
    [BINPACK, '3'],
  ]) {
    await cli(['compose', 'service', 'up', '--timeout', '0'], service)
    await cli(['compose', 'service', 'scale', count, '--timeout', '0'], service)
  }
  await cli(['engine', 'advance', '10s'])
  return {env: ws.env, cli, dirs}
}

/** `ecsx engine ui --port 0`, resolved once it prints its URL. */
export function startUi(env: Record<string, string>): Promise<ServerProcess> {
  return startServer(['engine', 'ui', '--port', '0'], env, /Cluster map on (http:\/\/\S+)/)
}
