/**
 * The flags every ecsx command accepts, and their parsed type. Its own module so that configuration code can name
 * the type without importing the command base class.
 */
import {Flags, type Interfaces} from '@oclif/core'

/** Flags every ecsx command accepts (issue: "Global flags every command shares"). */
export const globalFlags = {
  verbose: Flags.boolean({
    description: 'Print extra detail on stderr (notes about ignored flags, API calls).',
    aliases: ['debug'],
    helpGroup: 'GLOBAL',
  }),
  backend: Flags.option({
    options: ['local', 'aws'] as const,
    description:
      "Where to run: the embedded local engine or Amazon ECS. [env: ECSX_BACKEND] [default: local, or the cluster configuration's backend]",
    helpGroup: 'GLOBAL',
  })(),
  cluster: Flags.string({
    char: 'c',
    description: 'Cluster name. [env: ECS_CLUSTER] [default: from the cluster configuration, else "default"]',
    helpGroup: 'GLOBAL',
  }),
  'cluster-config': Flags.string({
    description: 'Name of the cluster configuration to use (see `ecsx configure`).',
    helpGroup: 'GLOBAL',
  }),
  region: Flags.string({
    char: 'r',
    description: 'AWS region. [env: AWS_REGION, AWS_DEFAULT_REGION] [default local: us-east-1]',
    helpGroup: 'GLOBAL',
  }),
  'project-name': Flags.string({
    char: 'p',
    description: "Compose project name. [env: COMPOSE_PROJECT_NAME] [default: name of the compose file's directory]",
    helpGroup: 'GLOBAL',
  }),
  file: Flags.string({
    char: 'f',
    multiple: true,
    description:
      'Compose file(s); later files override earlier ones. [env: COMPOSE_FILE, split on ":"] [default: ' +
      'compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml]',
    helpGroup: 'GLOBAL',
  }),
  'ecs-params': Flags.string({
    description: 'ECS params file. [default: ./ecs-params.yml when present]',
    helpGroup: 'GLOBAL',
  }),
  'ecs-profile': Flags.string({
    description: 'ecsx/ecs-cli credential profile to use (aws backend).',
    helpGroup: 'GLOBAL',
  }),
  'aws-profile': Flags.string({
    description: 'AWS shared-config profile to use (aws backend). [env: AWS_PROFILE]',
    helpGroup: 'GLOBAL',
  }),
  'endpoint-url': Flags.string({
    description:
      'Send ECS API calls to this endpoint (aws backend), e.g. `ecsx engine serve`. [env: AWS_ENDPOINT_URL_ECS]',
    helpGroup: 'GLOBAL',
  }),
}

export type GlobalFlags = Interfaces.InferredFlags<typeof globalFlags & {json: Interfaces.BooleanFlag<boolean>}>
