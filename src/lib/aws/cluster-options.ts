/**
 * The options of `ecsx up` on the aws backend and their validation: ecs-cli's rules (exit 2 on conflicts, warnings
 * for flags that do not apply) turning the flags into the template options of cfn-template.ts.
 */
import {readFile} from 'node:fs/promises'

import {InputError} from '../errors.js'
import {type ClusterTemplateOptions, isArmInstanceType, type UserDataDocument} from './cfn-template.js'

/** Tags as `--tags k=v,…` parsing may hand them over: a record, or ECS-style / CloudFormation-style pairs. */
export type TagsInput =
  Record<string, string> | Array<{key: string; value?: string}> | Array<{Key: string; Value?: string}>

/** Options of `ecsx up` on the aws backend (ecs-cli's flags; list flags accept comma-separated strings or arrays). */
export interface AwsClusterUpOptions {
  /** --size (default 1). */
  size?: number
  /** --instance-type (default t2.micro). */
  instanceType?: string
  /** --launch-type (default: settings.defaultLaunchType, else EC2). */
  launchType?: string
  keypair?: string
  capabilityIam?: boolean
  /** Name (or ARN) of an existing instance profile; exclusive with capabilityIam. */
  instanceRole?: string
  vpc?: string
  subnets?: string | string[]
  securityGroup?: string | string[]
  azs?: string | string[]
  /** --port (default 80). */
  port?: number
  /** --cidr (default 0.0.0.0/0). */
  cidr?: string
  imageId?: string
  tags?: TagsInput
  force?: boolean
  empty?: boolean
  /** Paths of --extra-user-data files (repeatable). */
  extraUserData?: string[]
  /** --no-associate-public-ip-address. */
  noAssociatePublicIp?: boolean
  /** How long to wait for the stack (default 30 minutes). */
  timeoutMs?: number
}

export interface ResolvedClusterStack {
  /** undefined with --empty: only the ECS cluster is created. */
  template?: ClusterTemplateOptions
  warnings: string[]
  notes: string[]
}

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
  return items.length > 0 ? items : undefined
}

export function normalizeTags(tags: TagsInput | undefined): Array<{Key: string; Value: string}> {
  if (!tags) return []
  const pairs: Array<[string, string]> = Array.isArray(tags)
    ? tags.map((t) => ('Key' in t ? [t.Key, t.Value ?? ''] : [t.key, t.value ?? '']))
    : Object.entries(tags)
  for (const [key, value] of pairs) {
    if (!key || key.length > 128)
      throw new InputError(
        `Invalid tag key "${key}": keys must have 1 to 128 characters.`,
        'Pass tags as --tags key1=value1,key2=value2.',
      )
    if (value.length > 256) throw new InputError(`Invalid value for tag "${key}": values have at most 256 characters.`)
  }
  return pairs.map(([Key, Value]) => ({Key, Value}))
}

const CIDR_V4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/

/** Validate and default `ecsx up` options the way ecs-cli does (exit 2 on conflicts), collecting warnings. */
export function resolveClusterStackOptions(
  cluster: string,
  stackName: string,
  options: AwsClusterUpOptions,
  defaultLaunchType: string | undefined,
  extraUserData: UserDataDocument[] = [],
): ResolvedClusterStack {
  const warnings: string[] = []
  const notes: string[] = []
  // --empty: only the cluster. (The `up` command warns about the resource flags it then ignores, for both backends.)
  if (options.empty) return {warnings, notes}

  const launchType = (options.launchType ?? defaultLaunchType ?? 'EC2').toUpperCase()
  if (launchType !== 'EC2' && launchType !== 'FARGATE') {
    throw new InputError(`Invalid --launch-type "${options.launchType}".`, 'Use EC2 or FARGATE.')
  }
  const size = options.size ?? 1
  if (!Number.isInteger(size) || size < 0)
    throw new InputError(`Invalid --size ${size}: expected a whole number of instances (0 or more).`)
  const port = options.port ?? 80
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InputError(`Invalid --port ${port}: expected 1-65535.`)
  const cidr = options.cidr ?? '0.0.0.0/0'
  if (!CIDR_V4.test(cidr))
    throw new InputError(`Invalid --cidr "${cidr}": expected an IPv4 CIDR block such as 203.0.113.0/24.`)

  const {subnets, securityGroups, azs} = resolveNetworkFlags(options, warnings)
  const instanceType = options.instanceType ?? 't2.micro'
  if (launchType === 'FARGATE') checkFargateFlags(options, warnings)
  else checkEc2Flags(options, {instanceType, securityGroups}, warnings, notes)

  const ec2 = launchType === 'EC2'
  return {
    warnings,
    notes,
    template: {
      cluster,
      stackName,
      launchType,
      size,
      instanceType,
      keypair: ec2 ? options.keypair : undefined,
      capabilityIam: ec2 && Boolean(options.capabilityIam),
      instanceRole: ec2 ? options.instanceRole : undefined,
      vpc: options.vpc,
      subnets,
      securityGroups: ec2 ? securityGroups : undefined,
      azs,
      port,
      cidr,
      imageId: ec2 ? options.imageId : undefined,
      associatePublicIp: !options.noAssociatePublicIp,
      tags: normalizeTags(options.tags),
      extraUserData: ec2 ? extraUserData : [],
    },
  }
}

/** --vpc/--subnets/--security-group/--azs: what goes with what (exit 2 otherwise). */
function resolveNetworkFlags(
  options: AwsClusterUpOptions,
  warnings: string[],
): {subnets?: string[]; securityGroups?: string[]; azs?: string[]} {
  const subnets = list(options.subnets)
  const securityGroups = list(options.securityGroup)
  let azs = list(options.azs)
  if (options.vpc && !subnets)
    throw new InputError('--vpc needs --subnets: name the subnets of that VPC to launch the instances in.')
  if (subnets && !options.vpc) throw new InputError('--subnets needs --vpc: name the VPC the subnets belong to.')
  if (securityGroups && !options.vpc) {
    throw new InputError(
      '--security-group needs --vpc and --subnets: an existing security group belongs to an existing VPC.',
    )
  }
  if (azs && options.vpc) {
    warnings.push('--azs is ignored with --vpc: the subnets given with --subnets decide the availability zones.')
    azs = undefined
  }
  if (azs && (azs.length !== 2 || azs[0] === azs[1])) {
    throw new InputError(
      `--azs needs exactly two different availability zones, got "${azs.join(',')}".`,
      'Example: --azs us-east-1a,us-east-1b',
    )
  }
  return {subnets, securityGroups, azs}
}

/** Fargate needs no container instances: the instance flags are ignored with one warning. */
function checkFargateFlags(options: AwsClusterUpOptions, warnings: string[]): void {
  const ignored = (
    [
      ['--keypair', options.keypair],
      ['--capability-iam', options.capabilityIam],
      ['--instance-role', options.instanceRole],
      ['--security-group', options.securityGroup],
      ['--port', options.port],
      ['--cidr', options.cidr],
      ['--image-id', options.imageId],
      ['--extra-user-data', options.extraUserData],
      ['--no-associate-public-ip-address', options.noAssociatePublicIp],
    ] as Array<[string, unknown]>
  )
    .filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0))
    .map(([flag]) => flag)
  if (ignored.length > 0)
    warnings.push(`Launch type FARGATE needs no container instances; ignoring ${ignored.join(', ')}.`)
}

/** EC2 capacity: an instance profile is required (exit 2); missing key pair and ignored flags are warnings. */
function checkEc2Flags(
  options: AwsClusterUpOptions,
  resolved: {instanceType: string; securityGroups?: string[]},
  warnings: string[],
  notes: string[],
): void {
  if (options.capabilityIam && options.instanceRole) {
    throw new InputError(
      '--capability-iam and --instance-role cannot be used together.',
      'Use --instance-role to name an existing instance profile, or --capability-iam to let ecsx create one.',
    )
  }
  if (!options.capabilityIam && !options.instanceRole) {
    throw new InputError(
      'EC2 capacity needs an instance profile: pass --capability-iam to let ecsx create one (the stack then creates ' +
        'IAM resources), or --instance-role NAME to use an existing one.',
    )
  }
  if (!options.keypair)
    warnings.push('You will not be able to SSH into your EC2 instances without a key pair (--keypair).')
  if (resolved.securityGroups && (options.port !== undefined || options.cidr !== undefined)) {
    warnings.push('--port and --cidr are ignored with --security-group: the existing security group keeps its rules.')
  }
  if (!options.imageId && isArmInstanceType(resolved.instanceType))
    notes.push(`Using Arm ECS-optimised AMI because instance type was ${resolved.instanceType}.`)
}

/** The --extra-user-data files, read; an unreadable one is exit 2 naming it. */
export async function readUserDataFiles(paths: string[] | undefined): Promise<UserDataDocument[]> {
  const docs: UserDataDocument[] = []
  for (const path of paths ?? []) {
    try {
      docs.push({source: path, content: await readFile(path, 'utf8')})
    } catch (err) {
      throw new InputError(`Cannot read --extra-user-data file ${path}: ${(err as Error).message}`)
    }
  }
  return docs
}
