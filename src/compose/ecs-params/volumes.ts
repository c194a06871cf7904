/** ecs-params task_definition.docker_volumes and efs_volumes → task volumes. */
import type {Volume} from '@aws-sdk/client-ecs'

import type {Path} from '../source.js'
import {parseBoolean, parseInteger} from '../units.js'
import type {Dict} from '../values.js'
import {KEYS} from './keys.js'
import type {EcsParams} from './model.js'
import type {Reader} from './reader.js'

export function parseVolumes(r: Reader, td: Dict, params: EcsParams): void {
  if (td.docker_volumes !== undefined && td.docker_volumes !== null) {
    r.list(td.docker_volumes, ['task_definition', 'docker_volumes']).forEach((item, i) => {
      const ip: Path = ['task_definition', 'docker_volumes', i]
      const d = r.dict(item, ip, KEYS.dockerVolume)
      const name = r.str(d.name, [...ip, 'name'])
      if (!name) r.fail(ip, 'Name is required when specifying a docker volume')
      const cfg: NonNullable<Volume['dockerVolumeConfiguration']> = {}
      const scope = r.str(d.scope, [...ip, 'scope'])
      if (scope !== undefined && scope !== '') {
        if (scope !== 'task' && scope !== 'shared')
          r.fail([...ip, 'scope'], `invalid scope ${JSON.stringify(scope)}; valid: task, shared`)
        cfg.scope = scope
      }
      if (d.autoprovision !== undefined && d.autoprovision !== null) {
        cfg.autoprovision = r.unit(() => parseBoolean(d.autoprovision, 'autoprovision'), [...ip, 'autoprovision'])
        if (cfg.autoprovision && cfg.scope !== 'shared')
          r.fail([...ip, 'autoprovision'], 'autoprovision only applies to scope: shared')
      }
      const driver = r.str(d.driver, [...ip, 'driver'])
      if (driver) cfg.driver = driver
      if (d.driver_opts !== undefined && d.driver_opts !== null)
        cfg.driverOpts = r.stringMap(d.driver_opts, [...ip, 'driver_opts'])
      if (d.labels !== undefined && d.labels !== null) cfg.labels = r.stringMap(d.labels, [...ip, 'labels'])
      params.volumes.push({v: {name, dockerVolumeConfiguration: cfg}, at: ip})
    })
  }
  if (td.efs_volumes !== undefined && td.efs_volumes !== null) {
    r.list(td.efs_volumes, ['task_definition', 'efs_volumes']).forEach((item, i) => {
      const ip: Path = ['task_definition', 'efs_volumes', i]
      const e = r.dict(item, ip, KEYS.efsVolume)
      const name = r.str(e.name, [...ip, 'name'])
      if (!name) r.fail(ip, 'Name is required when specifying an EFS volume')
      const fileSystemId = r.str(e.filesystem_id, [...ip, 'filesystem_id'])
      if (!fileSystemId) r.fail(ip, 'filesystem_id is required when specifying an EFS volume')
      const cfg: NonNullable<Volume['efsVolumeConfiguration']> = {fileSystemId}
      const rootDirectory = r.str(e.root_directory, [...ip, 'root_directory'])
      if (rootDirectory) cfg.rootDirectory = rootDirectory
      const enabled = (k: string): 'ENABLED' | 'DISABLED' | undefined => {
        const v = r.str(e[k], [...ip, k])
        if (v === undefined || v === '') return undefined
        if (v !== 'ENABLED' && v !== 'DISABLED')
          r.fail([...ip, k], `invalid value ${JSON.stringify(v)}; valid: ENABLED, DISABLED`)
        return v as 'ENABLED' | 'DISABLED'
      }
      const transit = enabled('transit_encryption')
      if (transit) cfg.transitEncryption = transit
      if (e.transit_encryption_port !== undefined && e.transit_encryption_port !== null) {
        cfg.transitEncryptionPort = r.unit(
          () => parseInteger(e.transit_encryption_port, 'transit_encryption_port', 1, 65535),
          [...ip, 'transit_encryption_port'],
        )
      }
      const accessPointId = r.str(e.access_point, [...ip, 'access_point'])
      const iam = enabled('iam')
      if ((accessPointId || iam === 'ENABLED') && transit !== 'ENABLED') {
        r.fail(
          ip,
          'Transit encryption is required when using IAM access or an access point: set transit_encryption: ENABLED',
        )
      }
      if (accessPointId || iam) {
        cfg.authorizationConfig = {}
        if (accessPointId) cfg.authorizationConfig.accessPointId = accessPointId
        if (iam) cfg.authorizationConfig.iam = iam
      }
      params.volumes.push({v: {name, efsVolumeConfiguration: cfg}, at: ip})
    })
  }
}
