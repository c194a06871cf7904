import {Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {RegisterTaskDefinitionCommandInput} from '../lib/ecs/shapes.js'
import type {RegisterResult} from '../lib/workflows/register.js'

export default class Register extends EcsxCommand<RegisterResult | RegisterTaskDefinitionCommandInput> {
  static override summary = 'Register the Compose project as an ECS task definition (reusing an identical revision).'
  static override description = `Translates the compose file(s) and ecs-params.yml into one task definition (family = \
project name, one container per compose service) and registers it. When the latest ACTIVE revision of the family \
already says the same thing, it is reused instead of adding a revision.

--dry-run prints the RegisterTaskDefinition request without contacting any backend; with --json, stdout holds exactly that request.
Same as \`ecsx compose create\`.`

  static override examples = [
    {
      description: 'Register docker-compose.yml (+ ecs-params.yml) of the current directory',
      command: '<%= config.bin %> register',
    },
    {
      description: 'Print the request only, as JSON, from two compose files',
      command:
        '<%= config.bin %> register --dry-run --json -f compose.yml -f compose.prod.yml --ecs-params ecs-params.yml -p shop',
    },
    {
      description: 'Register for Fargate with tags',
      command: '<%= config.bin %> register --launch-type FARGATE --tags team=web,env=prod',
    },
    {
      description: 'Register a task definition JSON file as it is',
      command: '<%= config.bin %> register --task-def-file taskdef.json',
    },
  ]

  static override flags = {
    'launch-type': Flags.option({
      options: ['EC2', 'FARGATE'] as const,
      description:
        'Launch type the task definition must be compatible with (sets requiresCompatibilities). [default: the ' +
        "cluster configuration's default_launch_type]",
    })(),
    'task-role-arn': Flags.string({
      description: "IAM role the task's containers assume (wins over ecs-params task_role_arn).",
    }),
    tags: Flags.string({description: 'Tags for the task definition: key1=value1,key2=value2.'}),
    'registry-creds': Flags.string({
      description: 'Output file of `registry-creds up` with private registry credentials per container.',
    }),
    'create-log-groups': Flags.boolean({
      description:
        'Create the CloudWatch log groups of every awslogs container (aws backend; an existing group is only a ' +
        'warning). On the local backend: nothing to create, noted on stderr.',
    }),
    'dry-run': Flags.boolean({description: 'Print the RegisterTaskDefinition request; touch no backend.'}),
    'task-def-file': Flags.string({
      description:
        'Register this task definition JSON (a RegisterTaskDefinition request or DescribeTaskDefinition output) ' +
        'instead of translating compose files.',
    }),
  }

  async run(): Promise<RegisterResult | RegisterTaskDefinitionCommandInput> {
    const {flags} = await this.parse(this.constructor as typeof Register)
    const {settings, ui, backend, infra} = await this.setup(flags)
    const {registerRequest, printDryRun} = await import('../lib/workflows/register-request.js')
    const request = await registerRequest(settings, ui, flags)
    if (flags['dry-run']) {
      printDryRun(ui, request)
      return request
    }
    if (flags['create-log-groups']) await (await infra()).logs.createLogGroups(request)
    const {registerTaskDefinition, familyRevision} = await import('../lib/workflows/register.js')
    const result = await registerTaskDefinition(await backend(), request)
    ui.out(`Using ECS task definition ${familyRevision(result.taskDefinition)}${result.reused ? ' (reused)' : ''}`)
    return result
  }
}
