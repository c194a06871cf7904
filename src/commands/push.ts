import {Args, Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {PushResult} from '../lib/infra/types.js'

export default class Push extends EcsxCommand<PushResult> {
  static override summary = 'Push a local Docker image to Amazon ECR (aws backend; needs Docker).'
  static override description = `Like ecs-cli push: the local image IMAGE[:TAG] goes to the ECR repository of the same \
name in your registry (or --registry-id's), which is created when missing (with --tags). An image already named \
<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag] is pushed as it is.
Runs the local docker CLI: docker tag, docker login (the ECR password goes through stdin, never on the command line) \
and docker push; docker's output goes to stderr. Without docker on PATH or a running daemon the command exits 1 ("Docker is not available").
With --json, stdout holds {sourceImage, image, repositoryName, repositoryUri, tag, repositoryCreated}.`

  static override examples = [
    {
      description: 'Push the local image ubuntu:latest to the repository ubuntu',
      command: '<%= config.bin %> push ubuntu --backend aws',
    },
    {
      description: 'Push a tag, creating the repository with tags',
      command: '<%= config.bin %> push web:1.4.2 --tags team=web,env=prod --backend aws --region eu-west-1',
    },
  ]

  static override args = {
    image: Args.string({
      description: 'Local image: REPOSITORY[:TAG] (default tag latest) or a full ECR image name.',
      required: true,
    }),
  }

  static override flags = {
    'registry-id': Flags.string({description: 'AWS account id of the registry to push to. [default: your account]'}),
    tags: Flags.string({description: 'Tags for a repository that push creates: key1=value1,key2=value2.'}),
    'use-fips': Flags.boolean({description: 'Call Amazon ECR through its FIPS endpoint.'}),
  }

  async run(): Promise<PushResult> {
    const {args, flags} = await this.parse(Push)
    const {infra} = await this.setup(flags)
    const {parseTags} = await import('../lib/workflows/tags.js')
    const tags = parseTags(flags.tags)
    return (await infra()).images.push(args.image, {
      registryId: flags['registry-id'],
      useFips: flags['use-fips'],
      tags,
    })
  }
}
