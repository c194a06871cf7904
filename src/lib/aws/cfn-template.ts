/**
 * The CloudFormation template `ecsx up --backend aws` deploys (stack `amazon-ecs-cli-setup-<cluster>`, the name
 * ecs-cli gives it). A pure function of already-validated options: no I/O, no SDK, deterministic output — the
 * tests pin it as checked-in JSON.
 *
 * What it holds (resources are omitted when the user brings their own):
 *   - networking unless --vpc/--subnets: VPC 10.0.0.0/16, internet gateway + attachment, a public route table with
 *     a default route, two public subnets (10.0.0.0/24, 10.0.1.0/24) in two AZs (--azs, else the region's first two);
 *   - EC2 capacity (launch type EC2 only): a security group open on --port from --cidr (unless --security-group),
 *     an instance role + instance profile with AmazonEC2ContainerServiceforEC2Role (--capability-iam) or the given
 *     --instance-role, a launch template (ECS-optimised Amazon Linux 2 AMI through the SSM public parameter, arm64
 *     for Graviton types, or --image-id), and an Auto Scaling group with MinSize 0, MaxSize = DesiredCapacity = size.
 * Parameters `AsgMaxSize` and `DesiredCapacity` are what `ecsx scale` changes with UpdateStack.
 */
import {createHash} from 'node:crypto'

/** A CloudFormation template value: literals and intrinsic functions. */
type CfnValue = string | number | boolean | null | CfnValue[] | {[key: string]: CfnValue}
type CfnObject = {[key: string]: CfnValue}

export interface CfnTemplate {
  AWSTemplateFormatVersion: '2010-09-09'
  Description: string
  Parameters: Record<string, CfnObject>
  Resources: Record<string, CfnObject>
  Outputs: Record<string, CfnObject>
}

/** One extra user-data document (--extra-user-data): where it came from (for errors) and its text. */
export interface UserDataDocument {
  source: string
  content: string
}

/** Validated, defaulted options (see cluster-stack.ts `resolveClusterStackOptions`). */
export interface ClusterTemplateOptions {
  cluster: string
  stackName: string
  launchType: 'EC2' | 'FARGATE'
  size: number
  instanceType: string
  keypair?: string
  /** Create an instance role/profile (needs CAPABILITY_IAM) — else `instanceRole` names an existing profile. */
  capabilityIam: boolean
  instanceRole?: string
  /** Existing VPC and subnets to launch into (both or neither). */
  vpc?: string
  subnets?: string[]
  /** Existing security groups for the instances (skips creating one; --port/--cidr are then unused). */
  securityGroups?: string[]
  /** Exactly two availability zones for the new subnets. */
  azs?: string[]
  port: number
  cidr: string
  imageId?: string
  associatePublicIp: boolean
  tags: Array<{Key: string; Value: string}>
  extraUserData: UserDataDocument[]
}

export interface ClusterTemplate {
  template: CfnTemplate
  /** Values for the template parameters, as CreateStack wants them. */
  parameters: Array<{ParameterKey: string; ParameterValue: string}>
  /** True when the template creates IAM resources (CreateStack/UpdateStack need CAPABILITY_IAM). */
  needsIam: boolean
  /** Nothing to create (Fargate into an existing VPC): skip the stack. */
  empty: boolean
}

export const VPC_CIDR = '10.0.0.0/16'
export const SUBNET_CIDRS = ['10.0.0.0/24', '10.0.1.0/24'] as const
export const ECS_INSTANCE_ROLE_POLICY = 'AmazonEC2ContainerServiceforEC2Role'

const AMI_PARAMETER_X86 = '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id'
const AMI_PARAMETER_ARM64 = '/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id'

/** Graviton instance types (a1.*, and families with a `g` after the generation: t4g, m6g, c7gn, r6gd …). */
export function isArmInstanceType(instanceType: string): boolean {
  const family = instanceType.split('.')[0]?.toLowerCase() ?? ''
  return family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family)
}

/** The SSM public parameter naming the recommended ECS-optimised Amazon Linux 2 AMI for the instance type. */
export function amiParameterFor(instanceType: string): string {
  return isArmInstanceType(instanceType) ? AMI_PARAMETER_ARM64 : AMI_PARAMETER_X86
}

/** The user data every instance gets: join the cluster. */
export function clusterUserData(cluster: string): string {
  return `#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`
}

/** The pieces of the template being built: filled by the functions below, assembled by buildClusterTemplate. */
interface TemplateParts {
  resources: Record<string, CfnObject>
  outputs: Record<string, CfnObject>
  parameters: Record<string, CfnObject>
  parameterValues: Array<{ParameterKey: string; ParameterValue: string}>
  withTags: (properties: CfnObject) => CfnObject
  tags: Array<{Key: string; Value: string}>
}

export function buildClusterTemplate(options: ClusterTemplateOptions): ClusterTemplate {
  const tags = options.tags.map((t) => ({Key: t.Key, Value: t.Value}))
  const parts: TemplateParts = {
    resources: {},
    outputs: {},
    parameters: {},
    parameterValues: [],
    tags,
    withTags: (properties) => (tags.length > 0 ? {...properties, Tags: tags} : properties),
  }
  let subnetRefs: CfnValue[]
  let vpcRef: CfnValue
  const createsNetwork = !options.vpc
  if (createsNetwork) {
    Object.assign(parts.resources, networkResources(options, parts.withTags))
    vpcRef = {Ref: 'Vpc'}
    subnetRefs = [{Ref: 'PubSubnetAz1'}, {Ref: 'PubSubnetAz2'}]
    parts.outputs.VpcId = {Description: 'The VPC the cluster runs in', Value: {Ref: 'Vpc'}}
    parts.outputs.SubnetIds = {Description: 'The public subnets', Value: {'Fn::Join': [',', subnetRefs]}}
    if (options.launchType === 'FARGATE') {
      parts.outputs.DefaultSecurityGroupId = {
        Description: "The VPC's default security group (for the awsvpc configuration of Fargate tasks)",
        Value: {'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup']},
      }
    }
  } else {
    vpcRef = options.vpc as string
    subnetRefs = options.subnets ?? []
  }

  let needsIam = false
  if (options.launchType === 'EC2') {
    const securityGroupRefs = securityGroupOf(options, vpcRef, parts)
    const instanceProfile = instanceProfileOf(options, parts)
    needsIam = options.capabilityIam
    addCapacityParameters(options, parts)
    addCapacity(options, parts, {subnetRefs, securityGroupRefs, instanceProfile, createsNetwork})
  }

  return {
    template: {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `ecsx: ${options.launchType} resources of ECS cluster ${options.cluster} (created by ecsx up)`,
      Parameters: parts.parameters,
      Resources: parts.resources,
      Outputs: parts.outputs,
    },
    parameters: parts.parameterValues,
    needsIam,
    empty: Object.keys(parts.resources).length === 0,
  }
}

/** The instances' security groups: the given ones, or a new one open on --port from --cidr. */
function securityGroupOf(options: ClusterTemplateOptions, vpcRef: CfnValue, parts: TemplateParts): CfnValue[] {
  if (options.securityGroups && options.securityGroups.length > 0) return options.securityGroups
  parts.resources.EcsSecurityGroup = {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: parts.withTags({
      GroupDescription: `ECS instances of cluster ${options.cluster} (ecsx)`,
      VpcId: vpcRef,
      SecurityGroupIngress: [{IpProtocol: 'tcp', FromPort: options.port, ToPort: options.port, CidrIp: options.cidr}],
    }),
  }
  parts.outputs.SecurityGroupId = {
    Description: 'The security group of the container instances',
    Value: {Ref: 'EcsSecurityGroup'},
  }
  return [{Ref: 'EcsSecurityGroup'}]
}

/** The launch template's IamInstanceProfile: a new role + profile (--capability-iam) or the given --instance-role. */
function instanceProfileOf(options: ClusterTemplateOptions, parts: TemplateParts): CfnObject {
  if (!options.capabilityIam) {
    const role = options.instanceRole as string
    return role.startsWith('arn:') ? {Arn: role} : {Name: role}
  }
  parts.resources.EcsInstanceRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{Effect: 'Allow', Principal: {Service: ['ec2.amazonaws.com']}, Action: ['sts:AssumeRole']}],
      },
      Path: '/',
      ManagedPolicyArns: [
        {'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/service-role/${ECS_INSTANCE_ROLE_POLICY}`},
      ],
    },
  }
  parts.resources.EcsInstanceProfile = {
    Type: 'AWS::IAM::InstanceProfile',
    Properties: {Path: '/', Roles: [{Ref: 'EcsInstanceRole'}]},
  }
  return {Arn: {'Fn::GetAtt': ['EcsInstanceProfile', 'Arn']}}
}

/** EcsAmiId (--image-id, else the SSM public parameter), AsgMaxSize and DesiredCapacity (what `scale` changes). */
function addCapacityParameters(options: ClusterTemplateOptions, parts: TemplateParts): void {
  if (options.imageId) {
    parts.parameters.EcsAmiId = {
      Type: 'AWS::EC2::Image::Id',
      Description: 'AMI of the container instances (--image-id)',
      Default: options.imageId,
    }
    parts.parameterValues.push({ParameterKey: 'EcsAmiId', ParameterValue: options.imageId})
  } else {
    const ssmPath = amiParameterFor(options.instanceType)
    parts.parameters.EcsAmiId = {
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Description: 'Recommended ECS-optimised Amazon Linux 2 AMI (SSM public parameter)',
      Default: ssmPath,
    }
    parts.parameterValues.push({ParameterKey: 'EcsAmiId', ParameterValue: ssmPath})
  }
  const size = String(options.size)
  parts.parameters.AsgMaxSize = {
    Type: 'Number',
    Description: 'Maximum number of container instances',
    MinValue: 0,
    Default: size,
  }
  parts.parameters.DesiredCapacity = {
    Type: 'Number',
    Description: 'Number of container instances to run',
    MinValue: 0,
    Default: size,
  }
  parts.parameterValues.push({ParameterKey: 'AsgMaxSize', ParameterValue: size})
  parts.parameterValues.push({ParameterKey: 'DesiredCapacity', ParameterValue: size})
}

/** The launch template and the Auto Scaling group of the container instances. */
function addCapacity(
  options: ClusterTemplateOptions,
  parts: TemplateParts,
  refs: {subnetRefs: CfnValue[]; securityGroupRefs: CfnValue[]; instanceProfile: CfnObject; createsNetwork: boolean},
): void {
  const launchTemplateData: CfnObject = {
    ImageId: {Ref: 'EcsAmiId'},
    InstanceType: options.instanceType,
    IamInstanceProfile: refs.instanceProfile,
    NetworkInterfaces: [
      {DeviceIndex: 0, AssociatePublicIpAddress: options.associatePublicIp, Groups: refs.securityGroupRefs},
    ],
    UserData: {'Fn::Base64': buildUserData(options.cluster, options.extraUserData)},
  }
  if (options.keypair) launchTemplateData.KeyName = options.keypair
  parts.resources.EcsInstanceLaunchTemplate = {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: {LaunchTemplateData: launchTemplateData},
  }

  const asgTags: CfnValue[] = []
  if (!parts.tags.some((t) => t.Key === 'Name')) {
    asgTags.push({Key: 'Name', Value: `ECS Instance - ${options.stackName}`, PropagateAtLaunch: true})
  }
  for (const t of parts.tags) asgTags.push({Key: t.Key, Value: t.Value, PropagateAtLaunch: true})
  parts.resources.EcsInstanceAsg = {
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    ...(refs.createsNetwork ? {DependsOn: ['PublicRoute']} : {}),
    Properties: {
      VPCZoneIdentifier: refs.subnetRefs,
      LaunchTemplate: {
        LaunchTemplateId: {Ref: 'EcsInstanceLaunchTemplate'},
        Version: {'Fn::GetAtt': ['EcsInstanceLaunchTemplate', 'LatestVersionNumber']},
      },
      MinSize: '0',
      MaxSize: {Ref: 'AsgMaxSize'},
      DesiredCapacity: {Ref: 'DesiredCapacity'},
      Tags: asgTags,
    },
  }
  parts.outputs.AutoScalingGroupName = {
    Description: 'The Auto Scaling group of the container instances',
    Value: {Ref: 'EcsInstanceAsg'},
  }
}

function networkResources(
  options: ClusterTemplateOptions,
  withTags: (p: CfnObject) => CfnObject,
): Record<string, CfnObject> {
  const az = (i: number): CfnValue => options.azs?.[i] ?? {'Fn::Select': [i, {'Fn::GetAZs': ''}]}
  const resources: Record<string, CfnObject> = {
    Vpc: {
      Type: 'AWS::EC2::VPC',
      Properties: withTags({CidrBlock: VPC_CIDR, EnableDnsSupport: true, EnableDnsHostnames: true}),
    },
    InternetGateway: {Type: 'AWS::EC2::InternetGateway', Properties: withTags({})},
    AttachGateway: {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: {VpcId: {Ref: 'Vpc'}, InternetGatewayId: {Ref: 'InternetGateway'}},
    },
    RouteViaIgw: {Type: 'AWS::EC2::RouteTable', Properties: withTags({VpcId: {Ref: 'Vpc'}})},
    PublicRoute: {
      Type: 'AWS::EC2::Route',
      DependsOn: ['AttachGateway'],
      Properties: {
        RouteTableId: {Ref: 'RouteViaIgw'},
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: {Ref: 'InternetGateway'},
      },
    },
  }
  SUBNET_CIDRS.forEach((cidr, i) => {
    const name = `PubSubnetAz${i + 1}`
    resources[name] = {
      Type: 'AWS::EC2::Subnet',
      Properties: withTags({
        VpcId: {Ref: 'Vpc'},
        CidrBlock: cidr,
        AvailabilityZone: az(i),
        MapPublicIpOnLaunch: options.associatePublicIp,
      }),
    }
    resources[`PubSubnet${i + 1}RouteTableAssociation`] = {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: {SubnetId: {Ref: name}, RouteTableId: {Ref: 'RouteViaIgw'}},
    }
  })
  return resources
}

/** cloud-init content types, recognised by a document's first line (as cloud-init itself does). */
const USER_DATA_TYPES: Array<[prefix: string, contentType: string]> = [
  ['#!', 'text/x-shellscript'],
  ['#cloud-config', 'text/cloud-config'],
  ['#cloud-boothook', 'text/cloud-boothook'],
  ['#include', 'text/x-include-url'],
  ['#upstart-job', 'text/upstart-job'],
  ['#part-handler', 'text/part-handler'],
]

export class UserDataFormatError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message)
    this.name = 'UserDataFormatError'
  }
}

/**
 * The instance user data: just the join-the-cluster script, or — with --extra-user-data — a MIME multipart archive
 * (cloud-init's format) holding that script first and then each extra document. An extra document that is itself
 * a MIME multipart archive is unpacked and its parts are kept with their headers. The boundary is derived from the
 * content, so the same inputs give the same template.
 */
export function buildUserData(cluster: string, extras: UserDataDocument[]): string {
  const base = clusterUserData(cluster)
  if (extras.length === 0) return base
  const parts: string[] = [mimePart('text/x-shellscript', base)]
  for (const doc of extras) parts.push(...userDataParts(doc))
  const boundary = `==ECSX-${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24)}==`
  const lines = [`Content-Type: multipart/mixed; boundary="${boundary}"`, 'MIME-Version: 1.0', '']
  for (const part of parts) lines.push(`--${boundary}`, part)
  lines.push(`--${boundary}--`, '')
  return lines.join('\n')
}

function mimePart(contentType: string, body: string): string {
  return `Content-Type: ${contentType}; charset="us-ascii"\nMIME-Version: 1.0\n\n${body.endsWith('\n') ? body : body + '\n'}`
}

function userDataParts(doc: UserDataDocument): string[] {
  const text = doc.content.replace(/\r\n/g, '\n')
  const multipart = /^content-type:\s*multipart\/[a-z-]+;[^\n]*boundary="?([^";\n]+)"?/im.exec(
    text.split('\n\n')[0] ?? '',
  )
  if (multipart) return splitMultipart(doc, text, multipart[1] as string)
  const firstLine = text.trimStart().split('\n')[0] ?? ''
  const type = USER_DATA_TYPES.find(([prefix]) => firstLine.startsWith(prefix))
  if (!type) {
    throw new UserDataFormatError(
      doc.source,
      `${doc.source}: unrecognised user data format (first line "${firstLine.slice(0, 40)}"). ` +
        'Start it with "#!" (a shell script), "#cloud-config", "#cloud-boothook", "#include", "#upstart-job" or ' +
        '"#part-handler", or pass a MIME multipart archive.',
    )
  }
  return [mimePart(type[1], text)]
}

function splitMultipart(doc: UserDataDocument, text: string, boundary: string): string[] {
  const delimiter = `--${boundary}`
  const chunks = text.split('\n').reduce<string[][]>(
    (acc, line) => {
      if (line.trimEnd() === delimiter || line.trimEnd() === `${delimiter}--`) acc.push([])
      else acc[acc.length - 1]?.push(line)
      return acc
    },
    [[]],
  )
  // chunks[0] is the archive's own header + preamble; the last one follows the closing delimiter (epilogue)
  const closed = text.split('\n').some((l) => l.trimEnd() === `${delimiter}--`)
  const parts = chunks.slice(1, closed ? -1 : undefined).map((lines) => lines.join('\n').replace(/\n+$/, '\n'))
  if (parts.length === 0)
    throw new UserDataFormatError(
      doc.source,
      `${doc.source}: MIME multipart archive with boundary "${boundary}" has no parts.`,
    )
  return parts
}
