/**
 * The output file of `ecs-cli registry-creds up` (also accepted by `--registry-creds`):
 *
 *   version: "1"
 *   registry_credential_outputs:
 *     task_execution_role: ecsTaskExecutionRole
 *     container_credentials:
 *       my.registry.example.com:
 *         credentials_parameter: arn:aws:secretsmanager:…
 *         container_names: [web, worker]
 *
 * It sets executionRoleArn and each named container's repositoryCredentials (winning over ecs-params, with an info).
 */
import * as path from 'node:path'

import type {ContainerDefinition, RegisterTaskDefinitionCommandInput} from '@aws-sdk/client-ecs'

import {ComposeError, type Diagnostics} from './errors.js'
import {displayPath, parseYaml, readText} from './source.js'
import {describe} from './units.js'

type Dict = Record<string, unknown>
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v)

export function applyRegistryCreds(
  file: string,
  cwd: string,
  td: RegisterTaskDefinitionCommandInput,
  diag: Diagnostics,
): void {
  const abs = path.resolve(cwd, file)
  const display = displayPath(abs, cwd)
  const {source, value} = parseYaml(readText(abs, display, 'registry credentials file'), abs, display)
  const fail = (p: (string | number)[], msg: string): never => {
    throw new ComposeError(msg, {
      ...source.locate(p),
      key: p.filter((s) => typeof s === 'string').join('.') || undefined,
    })
  }
  if (!isDict(value)) fail([], 'the registry credentials file must be a mapping (the output of registry-creds up)')
  const root = value as Dict
  for (const k of Object.keys(root))
    if (k !== 'version' && k !== 'registry_credential_outputs')
      fail([k], `unknown key "${k}"; valid keys: version, registry_credential_outputs`)
  const out = root.registry_credential_outputs
  if (!isDict(out)) return fail(['registry_credential_outputs'], 'registry_credential_outputs must be a mapping')
  for (const k of Object.keys(out)) {
    if (k !== 'task_execution_role' && k !== 'container_credentials')
      fail(
        ['registry_credential_outputs', k],
        `unknown key "${k}"; valid keys: task_execution_role, container_credentials`,
      )
  }
  if (typeof out.task_execution_role === 'string' && out.task_execution_role !== '') {
    if (td.executionRoleArn && td.executionRoleArn !== out.task_execution_role) {
      diag.add(
        'info',
        `using the task execution role ${out.task_execution_role} from the registry credentials file instead of ${td.executionRoleArn}`,
        {file: display},
      )
    }
    td.executionRoleArn = out.task_execution_role
  }
  const creds = out.container_credentials
  if (creds === undefined || creds === null) return
  if (!isDict(creds))
    return fail(
      ['registry_credential_outputs', 'container_credentials'],
      'container_credentials must be a mapping of registry to {credentials_parameter, container_names}',
    )
  const byContainer = new Map<string, ContainerDefinition>(
    (td.containerDefinitions ?? []).map((c) => [c.name as string, c]),
  )
  const assigned = new Map<string, string>()
  for (const [registry, entry] of Object.entries(creds)) {
    const p = ['registry_credential_outputs', 'container_credentials', registry]
    if (!isDict(entry)) fail(p, `registry ${registry} must be a mapping {credentials_parameter, container_names}`)
    const e = entry as Dict
    const param = e.credentials_parameter
    if (typeof param !== 'string' || param === '')
      fail(
        [...p, 'credentials_parameter'],
        `registry ${registry} needs a credentials_parameter (a Secrets Manager ARN)`,
      )
    const names = e.container_names === undefined || e.container_names === null ? [] : e.container_names
    if (!Array.isArray(names)) fail([...p, 'container_names'], `container_names must be a list, not ${describe(names)}`)
    for (const [i, n] of (names as unknown[]).entries()) {
      const name = String(n)
      const prev = assigned.get(name)
      if (prev && prev !== param)
        fail(
          [...p, 'container_names', i],
          `Duplicate credential_parameter values found for container ${name} (${prev} and ${param as string})`,
        )
      assigned.set(name, param as string)
      const c = byContainer.get(name)
      if (!c) {
        diag.add(
          'warning',
          `container "${name}" is not a service of this project; its registry credentials are unused`,
          {...source.locate([...p, 'container_names', i])},
        )
        continue
      }
      if (c.repositoryCredentials?.credentialsParameter && c.repositoryCredentials.credentialsParameter !== param) {
        diag.add(
          'info',
          `using the registry credentials from ${display} instead of the ecs-params repository_credentials`,
          {service: name},
        )
      }
      c.repositoryCredentials = {credentialsParameter: param as string}
    }
  }
}
