/**
 * Which keys exist where in a Compose file, and what ecsx does with them. Keys that exist in Compose but have no ECS
 * equivalent get one warning; keys that exist nowhere are errors (usually a typo), with a suggestion.
 */

/** Service keys ecsx translates. */
export const SUPPORTED_SERVICE_KEYS = new Set([
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'links',
  'volumes',
  'volumes_from',
  'cpu_shares',
  'cpus',
  'mem_limit',
  'mem_reservation',
  'shm_size',
  'tmpfs',
  'devices',
  'cap_add',
  'cap_drop',
  'init',
  'dns',
  'dns_search',
  'extra_hosts',
  'hostname',
  'user',
  'working_dir',
  'labels',
  'logging',
  'log_driver',
  'log_opt',
  'privileged',
  'read_only',
  'tty',
  'stdin_open',
  'security_opt',
  'stop_grace_period',
  'ulimits',
  'healthcheck',
  'depends_on',
  'sysctls',
  'secrets',
  'deploy',
  'profiles',
  'container_name',
  'extends',
  'scale',
  'x-ecsx',
])

/** Compose service keys with no ECS equivalent: one warning each, then ignored. */
export const UNSUPPORTED_SERVICE_KEYS: Record<string, string> = {
  expose: 'containers in a task reach each other directly; use ports to publish',
  networks: 'containers of one task share the task network',
  network_mode: 'set the task network mode with ecs-params task_definition.ecs_network_mode',
  net: 'set the task network mode with ecs-params task_definition.ecs_network_mode',
  restart: 'ECS restarts tasks through services (use compose service up)',
  stop_signal: 'ECS always sends SIGTERM',
  pid: 'set pid_mode in ecs-params task_definition',
  ipc: 'set ipc_mode in ecs-params task_definition',
  domainname: '',
  external_links: '',
  platform: '',
  pull_policy: 'ECS pulls images as its agent is configured',
  pull_refresh_after: '',
  configs: '',
  mac_address: '',
  oom_kill_disable: '',
  oom_score_adj: '',
  cgroup: '',
  cgroup_parent: '',
  isolation: '',
  userns_mode: '',
  storage_opt: '',
  blkio_config: '',
  cpu_count: '',
  cpu_percent: '',
  cpu_period: 'use cpus or cpu_shares',
  cpu_quota: 'use cpus or cpu_shares',
  cpu_rt_runtime: '',
  cpu_rt_period: '',
  cpuset: '',
  mem_swappiness: '',
  memswap_limit: '',
  pids_limit: '',
  runtime: '',
  group_add: '',
  annotations: '',
  attach: '',
  develop: '',
  post_start: '',
  pre_stop: '',
  uts: '',
  volume_driver: 'use ecs-params docker_volumes',
  credential_spec: '',
  device_cgroup_rules: '',
  gpus: 'use ecs-params services.<name>.gpu or deploy.resources.reservations.devices',
  dns_opt: '',
  label_file: '',
  dockerfile: '',
  use_api_socket: '',
  models: '',
  provider: '',
  lifecycle: '',
}

/** Unknown service keys that are ECS or ecs-cli words: say where they belong. */
export const MISPLACED_KEY_HINTS: Record<string, string> = {
  essential: 'set it in ecs-params.yml: task_definition.services.<service>.essential',
  memory: 'use mem_limit (or deploy.resources.limits.memory)',
  memory_limit: 'use mem_limit',
  memoryReservation: 'use mem_reservation',
  memory_reservation: 'use mem_reservation',
  cpu: 'use cpu_shares (CPU units) or cpus (CPUs)',
  gpu: 'use deploy.resources.reservations.devices, or ecs-params task_definition.services.<service>.gpu',
  init_process_enabled: 'use init: true',
  repository_credentials: 'set it in ecs-params.yml: task_definition.services.<service>.repository_credentials',
  firelens_configuration: 'set it in ecs-params.yml: task_definition.services.<service>.firelens_configuration',
  task_role_arn: 'set it in ecs-params.yml: task_definition.task_role_arn',
  network: 'use networks (ignored by ECS) or ecs-params task_definition.ecs_network_mode',
}

export const TOP_LEVEL_KEYS = new Set([
  'version',
  'name',
  'services',
  'volumes',
  'networks',
  'secrets',
  'configs',
  'include',
])

export const DEPLOY_KEYS = new Set([
  'mode',
  'replicas',
  'labels',
  'update_config',
  'rollback_config',
  'resources',
  'restart_policy',
  'placement',
  'endpoint_mode',
])
export const HEALTHCHECK_KEYS = ['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable']
export const LOGGING_KEYS = ['driver', 'options']
export const PORT_LONG_KEYS = ['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol']
export const VOLUME_LONG_KEYS = [
  'type',
  'source',
  'target',
  'read_only',
  'bind',
  'volume',
  'tmpfs',
  'consistency',
  'image',
]
export const DEPENDS_ON_LONG_KEYS = ['condition', 'required', 'restart']
export const SERVICE_SECRET_LONG_KEYS = ['source', 'target', 'uid', 'gid', 'mode']
export const TOP_SECRET_KEYS = [
  'file',
  'environment',
  'external',
  'name',
  'content',
  'driver',
  'driver_opts',
  'template_driver',
  'labels',
]
export const TOP_VOLUME_KEYS = ['driver', 'driver_opts', 'external', 'labels', 'name']
export const XECSX_KEYS = ['start_delay', 'exit_after', 'exit_code', 'health', 'fail_to_start']

export const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
]
export const LOG_DRIVERS = ['awsfirelens', 'awslogs', 'fluentd', 'gelf', 'journald', 'json-file', 'splunk', 'syslog']
export const FARGATE_LOG_DRIVERS = ['awslogs', 'splunk', 'awsfirelens']
export const CAPABILITIES = [
  'ALL',
  'AUDIT_CONTROL',
  'AUDIT_READ',
  'AUDIT_WRITE',
  'BLOCK_SUSPEND',
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'IPC_LOCK',
  'IPC_OWNER',
  'KILL',
  'LEASE',
  'LINUX_IMMUTABLE',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'MKNOD',
  'NET_ADMIN',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_CHROOT',
  'SYS_MODULE',
  'SYS_NICE',
  'SYS_PACCT',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'SYSLOG',
  'WAKE_ALARM',
]

/** The closest known key within edit distance 2, for "did you mean" hints. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDist = 3
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase(), bestDist)
    if (d < bestDist) {
      bestDist = d
      best = c
    }
  }
  return best
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap
  let prev = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]
}
