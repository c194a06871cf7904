/** logging (or the v2 log_driver/log_opt) → logConfiguration, with ecs-params secret_options. */
import type {LogConfiguration} from '@aws-sdk/client-ecs'

import {FARGATE_LOG_DRIVERS, LOG_DRIVERS} from '../schema.js'
import {describe} from '../units.js'
import {isDict, scalarString} from '../values.js'
import {stringMap} from './context.js'
import type {ServiceScope} from './scope.js'

export function translateLogging(s: ServiceScope): void {
  const raw = s.raw('logging')
  let driver: string | undefined
  let options: Record<string, string> | undefined
  let key = 'logging'
  if (raw !== undefined && raw !== null) {
    if (!isDict(raw)) s.fail('logging', `logging must be a mapping {driver, options}, not ${describe(raw)}`)
    for (const k of Object.keys(raw))
      if (k !== 'driver' && k !== 'options') s.fail(`logging.${k}`, 'unknown key; valid keys: driver, options')
    driver = scalarString(raw.driver)
    if (raw.options !== undefined && raw.options !== null)
      options = stringMap(raw.options, (m) => s.fail('logging.options', m))
  }
  if (driver === undefined && s.has('log_driver')) {
    driver = s.string('log_driver')
    key = 'log_driver'
  }
  if (options === undefined && s.has('log_opt')) options = stringMap(s.raw('log_opt'), (m) => s.fail('log_opt', m))
  if (driver === undefined && options === undefined) {
    if (s.sp?.secretOptions)
      s.failParams(
        [...s.sp.at, 'logging'],
        'logging.secret_options needs a log driver: set logging.driver in the Compose file',
      )
    return
  }
  const driverKey = key === 'logging' ? 'logging.driver' : 'log_driver'
  if (driver === undefined) s.fail('logging', `logging needs a driver; valid: ${LOG_DRIVERS.join(', ')}`)
  if (!LOG_DRIVERS.includes(driver as string))
    s.fail(driverKey, `unsupported log driver ${JSON.stringify(driver)}; ECS supports ${LOG_DRIVERS.join(', ')}`)
  if (s.ctx.fargate) {
    if (!FARGATE_LOG_DRIVERS.includes(driver as string))
      s.fail(
        driverKey,
        `log driver ${JSON.stringify(driver)} is not supported on Fargate; use ${FARGATE_LOG_DRIVERS.join(', ')}`,
      )
    if (driver === 'awslogs' && !options?.['awslogs-stream-prefix'])
      s.fail('logging.options', 'Fargate needs the awslogs-stream-prefix option for the awslogs driver')
  }
  const lc: LogConfiguration = {logDriver: driver as LogConfiguration['logDriver']}
  if (options && Object.keys(options).length > 0) lc.options = options
  if (s.sp?.secretOptions) lc.secretOptions = s.sp.secretOptions
  s.def.logConfiguration = lc
}
