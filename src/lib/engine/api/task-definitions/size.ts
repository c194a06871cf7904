/**
 * Task size (spec §2.3): task-level cpu and memory in every spelling ECS accepts ("1 vCPU", "0.5GB", "1024"), and
 * what makes a definition Fargate-compatible (its `compatibilities`).
 */
import type {RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {client} from './rules.js'

export const INVALID_CPU_MESSAGE =
  "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
export const INVALID_MEMORY_MESSAGE =
  "Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."

/** Valid Fargate (cpu units → memory MiB) pairs (spec §2.3). */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, [1024, 2048, 3072, 4096]],
  [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
])

function range(from: number, to: number, step: number): number[] {
  const values: number[] = []
  for (let v = from; v <= to; v += step) values.push(v)
  return values
}

/** "1 vCPU" / "0.5 vcpu" / "1024" → CPU units; undefined when unparseable. */
export function parseTaskCpu(text: string): number | undefined {
  const t = String(text).trim()
  if (/^\d+$/.test(t)) return Number(t)
  const match = /^(\d+(?:\.\d+)?)\s*vcpus?$/i.exec(t)
  if (!match) return undefined
  const units = Number(match[1]) * 1024
  return Number.isInteger(units) ? units : undefined
}

/** "1GB" / "1 gb" / "0.5GB" / "512" → MiB; undefined when unparseable. */
export function parseTaskMemory(text: string): number | undefined {
  const t = String(text).trim()
  if (/^\d+$/.test(t)) return Number(t)
  const match = /^(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)$/i.exec(t)
  if (!match) return undefined
  const mib = /^g/i.test(match[2]) ? Number(match[1]) * 1024 : Number(match[1])
  return Number.isInteger(mib) ? mib : undefined
}

export interface TaskSize {
  cpu?: number
  memory?: number
}

export function validateTaskSize(input: RegisterTaskDefinitionCommandInput): TaskSize {
  const size: TaskSize = {}
  if (input.cpu !== undefined && input.cpu !== null && String(input.cpu).trim() !== '') {
    size.cpu = parseTaskCpu(String(input.cpu))
    if (size.cpu === undefined) throw client(INVALID_CPU_MESSAGE)
  }
  if (input.memory !== undefined && input.memory !== null && String(input.memory).trim() !== '') {
    size.memory = parseTaskMemory(String(input.memory))
    if (size.memory === undefined || size.memory <= 0) throw client(INVALID_MEMORY_MESSAGE)
  }
  return size
}

/** Reasons the definition cannot run on Fargate (empty = Fargate-compatible). */
export function fargateProblems(def: RegisterTaskDefinitionCommandInput, size: TaskSize): string[] {
  const problems: string[] = []
  if ((def.networkMode ?? 'bridge') !== 'awsvpc') problems.push("Fargate only supports network mode 'awsvpc'.")
  if (size.cpu === undefined) problems.push("Fargate requires that 'cpu' be defined at the task level.")
  if (size.memory === undefined) problems.push("Fargate requires that 'memory' be defined at the task level.")
  if (size.cpu !== undefined && size.memory !== undefined) {
    const memories = FARGATE_SIZES.get(size.cpu)
    if (!memories || !memories.includes(size.memory)) problems.push(INVALID_CPU_MESSAGE)
  }
  if (def.pidMode) problems.push("Fargate does not support the task parameter 'pidMode'.")
  if (def.ipcMode) problems.push("Fargate does not support the task parameter 'ipcMode'.")
  if (def.placementConstraints?.length)
    problems.push("Fargate does not support the task parameter 'placementConstraints'.")
  for (const volume of def.volumes ?? []) {
    if (volume.dockerVolumeConfiguration)
      problems.push(`Fargate does not support 'dockerVolumeConfiguration' (volume '${volume.name}').`)
    if (volume.host?.sourcePath) problems.push(`Fargate does not support 'host.sourcePath' (volume '${volume.name}').`)
  }
  const unsupported = [
    'disableNetworking',
    'dnsSearchDomains',
    'dnsServers',
    'dockerSecurityOptions',
    'extraHosts',
    'links',
    'privileged',
    'systemControls',
  ] as const
  for (const c of def.containerDefinitions ?? []) {
    for (const key of unsupported) {
      const value = c[key]
      if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue
      problems.push(`Fargate does not support the container parameter '${key}' (container '${c.name}').`)
    }
    if (c.resourceRequirements?.some((r) => r.type === 'GPU'))
      problems.push(`Fargate does not support GPUs (container '${c.name}').`)
    const lp = c.linuxParameters
    if (lp?.capabilities?.add?.length)
      problems.push(`Fargate does not support 'linuxParameters.capabilities.add' (container '${c.name}').`)
    if (lp?.devices?.length)
      problems.push(`Fargate does not support 'linuxParameters.devices' (container '${c.name}').`)
    if (lp?.sharedMemorySize !== undefined)
      problems.push(`Fargate does not support 'linuxParameters.sharedMemorySize' (container '${c.name}').`)
    if (lp?.tmpfs?.length) problems.push(`Fargate does not support 'linuxParameters.tmpfs' (container '${c.name}').`)
    const log = c.logConfiguration
    if (log?.logDriver && !['awslogs', 'splunk', 'awsfirelens'].includes(log.logDriver)) {
      problems.push(
        `Fargate supports only the awslogs, splunk and awsfirelens log drivers (container '${c.name}' uses '${log.logDriver}').`,
      )
    }
    if (log?.logDriver === 'awslogs' && !log.options?.['awslogs-stream-prefix']) {
      problems.push(`Fargate requires the 'awslogs-stream-prefix' log option (container '${c.name}').`)
    }
    if (c.stopTimeout !== undefined && c.stopTimeout > 120)
      problems.push(`Fargate allows a stopTimeout of at most 120 seconds (container '${c.name}').`)
  }
  return problems
}
