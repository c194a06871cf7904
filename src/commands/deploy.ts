import {Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {RegisterTaskDefinitionCommandInput, Service} from '../lib/ecs/shapes.js'
import {projectFlags, timeoutFlag} from '../lib/workflows/project-flags.js'
import {FAILURE_RULE_HELP} from '../lib/workflows/wait/deployment-failure.js'

/** `--json`: the service after the deployment; with --diff-only, the diff and the request that would be registered. */
export type DeployOutput = Service | {diff: string[]; taskDefinition: RegisterTaskDefinitionCommandInput}

export default class Deploy extends EcsxCommand<DeployOutput> {
  static override summary =
    'Roll a service to a new task definition revision, showing the diff first, with optional rollback.'
  static override description = `The new revision comes either from the Compose project (default; the service is the \
project's, or --service), or from the service's current task definition patched by --image, --tag, --env, --cpu and --memory.

ecsx prints a unified diff of the task definition (normalised JSON, read-only fields left out; coloured only on a \
terminal), asks for confirmation on a terminal (--yes skips it; without a terminal --yes is required), registers the \
revision (an identical existing revision is reused; if the service already runs it there is nothing to deploy, exit \
0), updates the service and waits with progress until it is stable (--wait-until deployed: until the new deployment \
runs the desired count) and has stayed so for 10 seconds, so that a release that crashes right after starting is caught.

${FAILURE_RULE_HELP}

On failure or timeout, --rollback updates the service back to the previous revision, waits for it, and exits 4; \
without --rollback a failure exits 1 and a timeout 3. --diff-only prints the diff and changes nothing. --no-wait (= \
--timeout 0) returns right after UpdateService.
With --json, stdout holds the ECS Service object (with --diff-only: {diff, taskDefinition}).`

  static override examples = [
    {
      description: 'Deploy the edited compose project of the current directory',
      command: '<%= config.bin %> deploy --yes',
    },
    {
      description: 'New image for one container, roll back if it fails',
      command: '<%= config.bin %> deploy --service web --image web=nginx:1.27 --rollback --yes',
    },
    {
      description: 'Retag every image and set an environment variable; just show the diff',
      command: '<%= config.bin %> deploy --service shop --tag 2024.06.1 --env app LOG_LEVEL=debug --diff-only',
    },
    {
      description: 'More memory for the task, wait only until the new tasks run',
      command: '<%= config.bin %> deploy --service shop --memory 2048 --wait-until deployed --timeout 10 --yes',
    },
  ]

  static override flags = {
    ...projectFlags,
    service: Flags.string({description: "Service to deploy. [default: the compose project's service name]"}),
    image: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Patch the current definition: <container>=<image> (repeatable).',
      helpGroup: 'PATCH',
    }),
    tag: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description:
        "Patch: retag every container image with <tag>, or one container's with <container>=<tag> (repeatable).",
      helpGroup: 'PATCH',
    }),
    env: Flags.string({
      multiple: true,
      description:
        'Patch: --env <container> KEY=VALUE [KEY=VALUE…] (repeatable; the container may be left out when there is only one).',
      helpGroup: 'PATCH',
    }),
    cpu: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Patch: task-level CPU (e.g. 512 or "1 vCPU"), or <container>=<units> (repeatable).',
      helpGroup: 'PATCH',
    }),
    memory: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Patch: task-level memory (MiB or "2 GB"), or <container>=<MiB> (repeatable).',
      helpGroup: 'PATCH',
    }),
    'launch-type': Flags.option({
      options: ['EC2', 'FARGATE'] as const,
      description:
        "Launch type for the compose translation (requiresCompatibilities). [default: the cluster configuration's]",
    })(),
    tags: Flags.string({description: 'Tags for a task definition translated from compose: key1=value1,key2=value2.'}),
    'diff-only': Flags.boolean({description: 'Print the diff and exit 0 without changing anything.'}),
    yes: Flags.boolean({
      char: 'y',
      description: 'Deploy without asking for confirmation (required without a terminal).',
    }),
    'wait-until': Flags.option({
      options: ['deployed', 'stable'] as const,
      default: 'stable' as const,
      description:
        'stable: only the new deployment remains and runs the desired count; deployed: the new deployment runs ' +
        'the desired count (old tasks may still drain).',
    })(),
    timeout: timeoutFlag('the deployment'),
    'no-wait': Flags.boolean({
      description: 'Return right after updating the service (same as --timeout 0).',
      exclusive: ['timeout'],
    }),
    rollback: Flags.boolean({
      description:
        'If the deployment fails or times out, roll the service back to the previous revision and exit 4 ' +
        '(exit 1 if the rollback fails too).',
    }),
  }

  async run(): Promise<DeployOutput> {
    const {flags} = await this.parse(Deploy)
    const {settings, ui, backend} = await this.setup(flags)
    const [{deployTarget}, {deploy}, {registerTaskDefinition}, {timeoutMinutesToMs}] = await Promise.all([
      import('../lib/workflows/deploy/target.js'),
      import('../lib/workflows/deploy/run.js'),
      import('../lib/workflows/register.js'),
      import('../lib/workflows/wait/timing.js'),
    ])
    const timeoutMs = flags['no-wait'] ? 0 : timeoutMinutesToMs(flags.timeout)
    const {service, next} = await deployTarget(settings, ui, flags)
    const result = await deploy(await backend(), ui, registerTaskDefinition, {
      cluster: settings.cluster,
      service,
      next,
      diffOnly: flags['diff-only'],
      yes: flags.yes,
      until: flags['wait-until'],
      timeoutMs,
      rollback: flags.rollback,
    })
    if (result.outcome === 'diff-only') return {diff: result.diff, taskDefinition: result.request}
    return result.service
  }
}
