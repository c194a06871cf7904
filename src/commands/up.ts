import {Flags} from '@oclif/core'

import {EcsxCommand} from '../lib/base-command.js'
import type {ClusterUpResult} from '../lib/infra/types.js'

/** ecs-cli `up` flags that only shape AWS resources (CloudFormation, EC2, IAM). */
const AWS_ONLY_FLAGS = [
  'capability-iam',
  'instance-role',
  'keypair',
  'vpc',
  'subnets',
  'security-group',
  'cidr',
  'port',
  'image-id',
  'extra-user-data',
  'no-associate-public-ip-address',
  'ecs-profile',
  'aws-profile',
  'endpoint-url',
]

/** Flags that `--empty` makes pointless (only the cluster is created). */
const EMPTY_IGNORES = [
  'size',
  'instance-type',
  'azs',
  'keypair',
  'vpc',
  'subnets',
  'security-group',
  'cidr',
  'port',
  'image-id',
  'extra-user-data',
  'instance-role',
]

export default class Up extends EcsxCommand<ClusterUpResult> {
  static override summary = 'Create the cluster (if missing) and its container instances.'
  static override description = `Like ecs-cli up. On the local backend the cluster is created in the engine and --size \
simulated EC2 container instances of --instance-type are registered, spread round-robin over the region's availability \
zones (or --azs). With --launch-type FARGATE or --empty only the cluster is created.
On the aws backend a CloudFormation stack (amazon-ecs-cli-setup-<cluster>) provides the VPC, security group and Auto Scaling group.
Run again on a cluster that already has instances, it reports them and changes nothing (exit 0); --force recreates the instances.`

  static override examples = [
    {
      description: 'Two t2.medium instances in the default cluster',
      command: '<%= config.bin %> up --size 2 --instance-type t2.medium',
    },
    {
      description: 'ecs-cli tutorial spelling (IAM flags are accepted and ignored locally)',
      command:
        '<%= config.bin %> up --keypair id_rsa --capability-iam --size 2 --instance-type t2.medium --cluster-config ec2-tutorial',
    },
    {
      description: 'A cluster for Fargate tasks only',
      command: '<%= config.bin %> up --launch-type FARGATE --cluster fargate-demo',
    },
    {description: 'An empty cluster', command: '<%= config.bin %> up --empty --cluster empty-demo'},
  ]

  static override flags = {
    size: Flags.integer({description: 'Number of container instances to launch and register. [default: 1]', min: 0}),
    'instance-type': Flags.string({description: 'EC2 instance type of the container instances. [default: t2.micro]'}),
    'launch-type': Flags.option({
      options: ['EC2', 'FARGATE'] as const,
      description:
        "EC2 (with container instances) or FARGATE (cluster only). [default: the cluster configuration's default_launch_type, else EC2]",
    })(),
    empty: Flags.boolean({char: 'e', description: 'Create only the cluster, no other resources.'}),
    azs: Flags.string({
      description: 'Comma-separated availability zones to spread instances over, e.g. us-east-1a,us-east-1b.',
    }),
    tags: Flags.string({description: 'Tags for the cluster and its instances: key1=value1,key2=value2.'}),
    force: Flags.boolean({
      description: 'Recreate existing resources (local: terminate and re-register the container instances).',
    }),
    'capability-iam': Flags.boolean({
      description: 'Acknowledge that IAM resources may be created (aws).',
      exclusive: ['instance-role'],
    }),
    'instance-role': Flags.string({description: 'Existing IAM instance profile for the instances (aws).'}),
    keypair: Flags.string({description: 'EC2 key pair for SSH access to the instances (aws).'}),
    vpc: Flags.string({description: 'Existing VPC id (aws; needs --subnets).'}),
    subnets: Flags.string({description: 'Comma-separated existing subnet ids (aws).'}),
    'security-group': Flags.string({description: 'Comma-separated existing security group ids (aws).'}),
    cidr: Flags.string({description: 'CIDR allowed in by the new security group (aws). [default: 0.0.0.0/0]'}),
    port: Flags.integer({description: 'Port opened by the new security group (aws). [default: 80]'}),
    'image-id': Flags.string({
      description: 'AMI id of the instances (aws). [default: latest ECS-optimized Amazon Linux 2]',
    }),
    'extra-user-data': Flags.string({
      multiple: true,
      description: 'Extra user data (shell script, cloud-init, MIME multipart) for the instances (aws).',
    }),
    'no-associate-public-ip-address': Flags.boolean({description: 'Do not give new instances a public IP (aws).'}),
  }

  async run(): Promise<ClusterUpResult> {
    const {flags} = await this.parse(Up)
    const {settings, ui, infra} = await this.setup(flags)
    const {parseTags} = await import('../lib/workflows/tags.js')
    const tags = parseTags(flags.tags)
    if (flags.empty) {
      const ignored = EMPTY_IGNORES.filter((f) => (flags as Record<string, unknown>)[f] !== undefined)
      if (ignored.length > 0)
        ui.warn(`--empty creates only the cluster; ignoring ${ignored.map((f) => `--${f}`).join(', ')}.`)
    }
    const {capacity, noteAwsOnlyFlags} = await infra()
    noteAwsOnlyFlags(flags, AWS_ONLY_FLAGS)
    return capacity.up({
      size: flags.size ?? 1,
      instanceType: flags['instance-type'] ?? 't2.micro',
      launchType: settings.defaultLaunchType ?? 'EC2',
      empty: flags.empty,
      azs: flags.azs,
      tags,
      force: flags.force,
      aws: {
        keypair: flags.keypair,
        capabilityIam: flags['capability-iam'],
        instanceRole: flags['instance-role'],
        vpc: flags.vpc,
        subnets: flags.subnets,
        securityGroup: flags['security-group'],
        port: flags.port,
        cidr: flags.cidr,
        imageId: flags['image-id'],
        extraUserData: flags['extra-user-data'],
        noAssociatePublicIp: flags['no-associate-public-ip-address'],
      },
    })
  }
}
