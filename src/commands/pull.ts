import {Args, Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {PullResult} from '../lib/infra/types.js'

export default class Pull extends EcsxCommand<PullResult> {
  static override summary = 'Pull an image from Amazon ECR with the local Docker (aws backend; needs Docker).'
  static override description = `Like ecs-cli pull: pulls REPOSITORY[:TAG|@DIGEST] from your ECR registry (or \
--registry-id's); the local image is named <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>.
Runs docker login (the ECR password goes through stdin, never on the command line) and docker pull; docker's output \
goes to stderr. Without docker on PATH or a running daemon the command exits 1 ("Docker is not available").
With --json, stdout holds {image, repositoryName}.`

  static override examples = [
    {
      description: 'Pull amazonlinux:latest from your registry',
      command: '<%= config.bin %> pull amazonlinux --backend aws',
    },
    {
      description: 'Pull by digest from another account',
      command:
        '<%= config.bin %> pull web@sha256:6b079ae764a6affcb632231349d4a5e1b084bece8c46883c099863ee2aeb5cf8 ' +
        '--registry-id 123456789012 --backend aws',
    },
  ]

  static override args = {
    image: Args.string({
      description: 'REPOSITORY[:TAG|@DIGEST] (default tag latest) or a full ECR image name.',
      required: true,
    }),
  }

  static override flags = {
    'registry-id': Flags.string({description: 'AWS account id of the registry to pull from. [default: your account]'}),
    'use-fips': Flags.boolean({description: 'Call Amazon ECR through its FIPS endpoint.'}),
  }

  async run(): Promise<PullResult> {
    const {args, flags} = await this.parse(Pull)
    const {infra} = await this.setup(flags)
    return (await infra()).images.pull(args.image, {registryId: flags['registry-id'], useFips: flags['use-fips']})
  }
}
