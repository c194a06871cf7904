/**
 * Engine settings: defaults, duration parsing and `ECSX_ENGINE_*` environment overrides applied at engine open.
 */
import type {EngineSettings} from './context.js'
import {durationMs} from '../ecs/duration.js'
import {SettingsError} from './errors.js'

export const DEFAULT_REGION = 'us-east-1'
export const ACCOUNT_ID = '000000000000'

export const DEFAULT_SETTINGS: Omit<EngineSettings, 'region'> = {
  accountId: ACCOUNT_ID,
  taskStartDelayMs: 1000,
  taskStopDelayMs: 1000,
  stoppedTaskRetentionMs: 60 * 60 * 1000,
  inactiveInstanceRetentionMs: 60 * 60 * 1000,
}

/** Environment variable → setting it overrides (durations such as `2s`, `500ms`, `1m30s`, `1h`; bare numbers are ms). */
export const SETTING_ENV_VARS = {
  ECSX_ENGINE_TASK_START_DELAY: 'taskStartDelayMs',
  ECSX_ENGINE_TASK_STOP_DELAY: 'taskStopDelayMs',
  ECSX_ENGINE_STOPPED_TASK_RETENTION: 'stoppedTaskRetentionMs',
  ECSX_ENGINE_INACTIVE_INSTANCE_RETENTION: 'inactiveInstanceRetentionMs',
} as const satisfies Record<string, keyof EngineSettings>

/**
 * Parse a duration (the one duration syntax, src/lib/ecs/duration.ts): `250ms`, `2s`, `1.5s`, `1m30s`, `2h`, `1d`;
 * a bare number means seconds. Returns whole milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  return durationMs(text)
}

/** Build the settings of an engine opened for `region`, applying overrides from `env`. */
export function resolveSettings(region: string, env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const settings: EngineSettings = {region, ...DEFAULT_SETTINGS}
  for (const [variable, key] of Object.entries(SETTING_ENV_VARS)) {
    const raw = env[variable]
    if (raw === undefined || raw === '') continue
    const ms = parseDuration(raw)
    if (ms === undefined) {
      throw new SettingsError(`${variable}=${JSON.stringify(raw)} is not a duration. Use e.g. 500ms, 2s, 1m30s or 1h.`)
    }
    settings[key] = ms
  }
  return settings
}
