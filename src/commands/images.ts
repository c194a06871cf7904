import {Args, Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {ImageDetail} from '../lib/infra/types.js'

export default class Images extends EcsxCommand<ImageDetail[]> {
  static override summary = 'List the images in your Amazon ECR registry or one repository (aws backend).'
  static override description = `Like ecs-cli images: one row per tag (untagged images as <none>) with REPOSITORY \
NAME, TAG, IMAGE DIGEST, PUSHED AT and SIZE, newest first within a repository.
With --json, stdout holds the array of ECR ImageDetail objects as DescribeImages returns them.`

  static override examples = [
    {description: "Every image in the account's registry", command: '<%= config.bin %> images --backend aws'},
    {
      description: 'The tagged images of one repository',
      command: '<%= config.bin %> images ubuntu --tagged --backend aws',
    },
    {
      description: "Untagged images in another account's registry, as JSON",
      command: '<%= config.bin %> images --untagged --registry-id 123456789012 --backend aws --json',
    },
  ]

  static override args = {
    repository: Args.string({description: 'ECR repository whose images to list. [default: every repository]'}),
  }

  static override flags = {
    'registry-id': Flags.string({description: 'AWS account id of the registry. [default: your account]'}),
    tagged: Flags.boolean({description: 'Only tagged images.', exclusive: ['untagged']}),
    untagged: Flags.boolean({description: 'Only untagged images.', exclusive: ['tagged']}),
    'use-fips': Flags.boolean({description: 'Call Amazon ECR through its FIPS endpoint.'}),
  }

  async run(): Promise<ImageDetail[]> {
    const {args, flags} = await this.parse(Images)
    const {ui, infra} = await this.setup(flags)
    const details = await (
      await infra()
    ).images.list({
      repositoryName: args.repository,
      registryId: flags['registry-id'],
      tagStatus: flags.tagged ? 'TAGGED' : flags.untagged ? 'UNTAGGED' : undefined,
      useFips: flags['use-fips'],
    })
    if (!this.jsonEnabled()) {
      const {renderImageTable} = await import('../lib/workflows/images.js')
      renderImageTable(ui, details)
    }
    return details
  }
}
