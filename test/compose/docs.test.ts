import {readFileSync} from 'node:fs'
import * as path from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from '@jest/globals'

import {SUPPORTED_SERVICE_KEYS, UNSUPPORTED_SERVICE_KEYS, XECSX_KEYS} from '../../src/compose/schema.js'

const doc = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/compose-mapping.md'),
  'utf8',
)

describe('docs/compose-mapping.md', () => {
  it('documents every service key ecsx translates and every x-ecsx key', () => {
    const missing = [...SUPPORTED_SERVICE_KEYS, ...XECSX_KEYS].filter((k) => !doc.includes(`\`${k}\``))
    expect(missing).toEqual([])
  })

  it('names the warned keys people use most', () => {
    for (const k of ['restart', 'networks', 'network_mode', 'expose', 'stop_signal', 'pid', 'ipc']) {
      expect(k in UNSUPPORTED_SERVICE_KEYS).toBe(true)
      expect(doc).toContain(`\`${k}\``)
    }
  })

  it('documents every ecs-params key', () => {
    const keys = [
      'ecs_network_mode',
      'task_role_arn',
      'task_execution_role',
      'pid_mode',
      'ipc_mode',
      'task_size',
      'cpu_limit',
      'mem_limit',
      'placement_constraints',
      'docker_volumes',
      'efs_volumes',
      'essential',
      'cpu_shares',
      'mem_reservation',
      'init_process_enabled',
      'repository_credentials',
      'credentials_parameter',
      'healthcheck',
      'secret_options',
      'secrets',
      'firelens_configuration',
      'gpu',
      'depends_on',
      'network_configuration',
      'awsvpc_configuration',
      'assign_public_ip',
      'task_placement',
      'service_discovery',
    ]
    expect(keys.filter((k) => !doc.includes(k))).toEqual([])
  })
})
