import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {
  amiParameterFor,
  buildClusterTemplate,
  buildUserData,
  clusterUserData,
  isArmInstanceType,
  UserDataFormatError,
} from '../../../src/lib/aws/cfn-template.js'
import {type AwsClusterUpOptions, resolveClusterStackOptions} from '../../../src/lib/aws/cluster-options.js'
import {EcsxError} from '../../../src/lib/errors.js'

const here = dirname(fileURLToPath(import.meta.url))
const fixture = (name: string) => join(here, 'fixtures', name)

/** Compare with the checked-in template; UPDATE_CFN_FIXTURES=1 rewrites it (review the diff before committing). */
function expectPinned(name: string, actual: unknown): void {
  const path = fixture(name)
  const text = JSON.stringify(actual, null, 2) + '\n'
  if (process.env.UPDATE_CFN_FIXTURES === '1') writeFileSync(path, text)
  expect(existsSync(path)).toBe(true)
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(path, 'utf8')))
}

function build(options: AwsClusterUpOptions, extras: Array<{source: string; content: string}> = []) {
  const resolved = resolveClusterStackOptions('demo', 'amazon-ecs-cli-setup-demo', options, undefined, extras)
  if (!resolved.template) throw new Error('expected a template')
  return {...buildClusterTemplate(resolved.template), warnings: resolved.warnings, notes: resolved.notes}
}

describe('buildClusterTemplate: pinned templates', () => {
  it('EC2 in a new VPC with an ecsx-created instance role (ecs-cli tutorial: --keypair id_rsa --capability-iam --size 2 --instance-type t2.medium)', () => {
    const out = build({keypair: 'id_rsa', capabilityIam: true, size: 2, instanceType: 't2.medium', tags: {team: 'web'}})
    expectPinned('template-ec2-new-vpc.json', out.template)
    expect(out.needsIam).toBe(true)
    expect(out.parameters).toEqual([
      {ParameterKey: 'EcsAmiId', ParameterValue: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id'},
      {ParameterKey: 'AsgMaxSize', ParameterValue: '2'},
      {ParameterKey: 'DesiredCapacity', ParameterValue: '2'},
    ])
    expect(out.warnings).toEqual([])
  })

  it('EC2 into an existing VPC, subnets and security groups with an existing instance profile, a fixed AMI and extra user data', () => {
    const out = build(
      {
        instanceRole: 'ecsInstanceRole',
        vpc: 'vpc-0abc',
        subnets: 'subnet-1,subnet-2',
        securityGroup: ['sg-1', 'sg-2'],
        imageId: 'ami-0123456789abcdef0',
        instanceType: 'm5.large',
        size: 3,
        keypair: 'ops',
        noAssociatePublicIp: true,
        extraUserData: ['hook.sh', 'config.yml'],
      },
      [
        {source: 'hook.sh', content: '#!/bin/bash\necho hello > /tmp/hello\n'},
        {source: 'config.yml', content: '#cloud-config\npackages:\n  - jq\n'},
      ],
    )
    expectPinned('template-ec2-existing-vpc.json', out.template)
    expect(out.needsIam).toBe(false)
    expect(out.template.Resources.Vpc).toBeUndefined()
    expect(out.template.Resources.EcsSecurityGroup).toBeUndefined()
    expect(out.template.Resources.EcsInstanceRole).toBeUndefined()
    expect(out.parameters[0]).toEqual({ParameterKey: 'EcsAmiId', ParameterValue: 'ami-0123456789abcdef0'})
  })

  it('FARGATE: only the VPC, internet routing and two subnets in the given AZs', () => {
    const out = build({launchType: 'FARGATE', azs: 'us-west-2a,us-west-2b'})
    expectPinned('template-fargate.json', out.template)
    expect(Object.keys(out.template.Resources).sort()).toEqual(
      [
        'AttachGateway',
        'InternetGateway',
        'PubSubnet1RouteTableAssociation',
        'PubSubnet2RouteTableAssociation',
        'PubSubnetAz1',
        'PubSubnetAz2',
        'PublicRoute',
        'RouteViaIgw',
        'Vpc',
      ].sort(),
    )
    expect(out.parameters).toEqual([])
    expect(out.needsIam).toBe(false)
  })
})

describe('buildClusterTemplate: rules', () => {
  it('uses the SSM parameter type for the ECS-optimised AMI and the arm64 path for Graviton types', () => {
    const out = build({capabilityIam: true, instanceType: 'a1.medium'})
    expect(out.template.Parameters.EcsAmiId).toMatchObject({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id',
    })
    expect(out.notes).toEqual(['Using Arm ECS-optimised AMI because instance type was a1.medium.'])
    expect(isArmInstanceType('t4g.small')).toBe(true)
    expect(isArmInstanceType('c7gn.large')).toBe(true)
    expect(isArmInstanceType('m6gd.xlarge')).toBe(true)
    expect(isArmInstanceType('t2.micro')).toBe(false)
    expect(isArmInstanceType('g4dn.xlarge')).toBe(false)
    expect(amiParameterFor('c5.large')).toBe('/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id')
  })

  it('opens --port from --cidr on the created security group (defaults 80 and 0.0.0.0/0)', () => {
    const dflt = build({capabilityIam: true})
    expect(
      (dflt.template.Resources.EcsSecurityGroup as {Properties: {SecurityGroupIngress: unknown}}).Properties
        .SecurityGroupIngress,
    ).toEqual([{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0'}])
    const custom = build({capabilityIam: true, port: 8080, cidr: '203.0.113.0/24'})
    expect(
      (custom.template.Resources.EcsSecurityGroup as {Properties: {SecurityGroupIngress: unknown}}).Properties
        .SecurityGroupIngress,
    ).toEqual([{IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '203.0.113.0/24'}])
  })

  it('Auto Scaling group: MinSize 0, MaxSize and DesiredCapacity from the size parameters, Name tag propagated unless given', () => {
    const out = build({capabilityIam: true, size: 4, tags: [{key: 'Name', value: 'mine'}]})
    const asg = out.template.Resources.EcsInstanceAsg as {Properties: Record<string, unknown>}
    expect(asg.Properties.MinSize).toBe('0')
    expect(asg.Properties.MaxSize).toEqual({Ref: 'AsgMaxSize'})
    expect(asg.Properties.DesiredCapacity).toEqual({Ref: 'DesiredCapacity'})
    expect(asg.Properties.Tags).toEqual([{Key: 'Name', Value: 'mine', PropagateAtLaunch: true}])
    expect(out.template.Parameters.AsgMaxSize).toMatchObject({Type: 'Number', Default: '4'})
  })

  it('an instance role given as an ARN is referenced by Arn', () => {
    const out = build({instanceRole: 'arn:aws:iam::123456789012:instance-profile/ecs'})
    const lt = out.template.Resources.EcsInstanceLaunchTemplate as {
      Properties: {LaunchTemplateData: Record<string, unknown>}
    }
    expect(lt.Properties.LaunchTemplateData.IamInstanceProfile).toEqual({
      Arn: 'arn:aws:iam::123456789012:instance-profile/ecs',
    })
    expect(lt.Properties.LaunchTemplateData.KeyName).toBeUndefined()
    expect(out.warnings).toEqual([
      'You will not be able to SSH into your EC2 instances without a key pair (--keypair).',
    ])
  })

  it('FARGATE into an existing VPC has nothing to create', () => {
    const out = build({launchType: 'FARGATE', vpc: 'vpc-1', subnets: ['subnet-a', 'subnet-b']})
    expect(out.empty).toBe(true)
    expect(out.template.Resources).toEqual({})
  })
})

describe('resolveClusterStackOptions: ecs-cli validation', () => {
  const usage = (options: AwsClusterUpOptions) => {
    try {
      resolveClusterStackOptions('demo', 'amazon-ecs-cli-setup-demo', options, undefined)
    } catch (err) {
      expect(err).toBeInstanceOf(EcsxError)
      expect((err as EcsxError).exitCode).toBe(2)
      return (err as Error).message
    }
    throw new Error('expected an InputError')
  }

  it('EC2 needs exactly one of --capability-iam and --instance-role', () => {
    expect(usage({})).toMatch(/--capability-iam.*--instance-role/)
    expect(usage({capabilityIam: true, instanceRole: 'r'})).toMatch(/cannot be used together/)
  })

  it('--vpc and --subnets go together; --security-group needs them', () => {
    expect(usage({capabilityIam: true, vpc: 'vpc-1'})).toMatch(/--vpc needs --subnets/)
    expect(usage({capabilityIam: true, subnets: 'subnet-1'})).toMatch(/--subnets needs --vpc/)
    expect(usage({capabilityIam: true, securityGroup: 'sg-1'})).toMatch(/--security-group needs --vpc/)
  })

  it('rejects bad sizes, ports, CIDRs, AZ lists and launch types', () => {
    expect(usage({capabilityIam: true, size: -1})).toMatch(/--size/)
    expect(usage({capabilityIam: true, size: 1.5})).toMatch(/--size/)
    expect(usage({capabilityIam: true, port: 70000})).toMatch(/--port/)
    expect(usage({capabilityIam: true, cidr: '10.0.0.0'})).toMatch(/--cidr/)
    expect(usage({capabilityIam: true, cidr: '300.0.0.0/8'})).toMatch(/--cidr/)
    expect(usage({capabilityIam: true, azs: 'us-east-1a'})).toMatch(/exactly two/)
    expect(usage({capabilityIam: true, azs: 'us-east-1a,us-east-1a'})).toMatch(/exactly two/)
    expect(usage({launchType: 'EXTERNAL'})).toMatch(/--launch-type/)
  })

  it('--empty skips validation and the template; FARGATE ignores instance flags (not the always-defaulted size/type)', () => {
    const empty = resolveClusterStackOptions(
      'demo',
      's',
      {empty: true, keypair: 'k', capabilityIam: true, instanceRole: 'r'},
      undefined,
    )
    expect(empty.template).toBeUndefined()
    const fargate = resolveClusterStackOptions(
      'demo',
      's',
      {launchType: 'fargate', keypair: 'k', size: 3, instanceType: 't2.micro', imageId: 'ami-1'},
      undefined,
    )
    expect(fargate.template?.launchType).toBe('FARGATE')
    expect(fargate.template?.keypair).toBeUndefined()
    expect(fargate.template?.imageId).toBeUndefined()
    expect(fargate.warnings).toEqual([
      'Launch type FARGATE needs no container instances; ignoring --keypair, --image-id.',
    ])
  })

  it("the cluster configuration's default launch type applies when --launch-type is absent", () => {
    expect(resolveClusterStackOptions('demo', 's', {}, 'FARGATE').template?.launchType).toBe('FARGATE')
  })

  it('--azs is ignored with --vpc (warning)', () => {
    const out = resolveClusterStackOptions(
      'demo',
      's',
      {capabilityIam: true, vpc: 'v', subnets: 's1', azs: 'a,b'},
      undefined,
    )
    expect(out.template?.azs).toBeUndefined()
    expect(out.warnings).toContain(
      '--azs is ignored with --vpc: the subnets given with --subnets decide the availability zones.',
    )
  })
})

describe('buildUserData', () => {
  it('is the plain join script without extras', () => {
    expect(buildUserData('prod', [])).toBe('#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n')
    expect(clusterUserData('x')).toContain('ECS_CLUSTER=x')
  })

  it('packs extras into a MIME multipart archive after the join script, typed by their first line', () => {
    const text = buildUserData('prod', [
      {source: 'a.sh', content: '#!/bin/sh\necho a\n'},
      {source: 'b.yml', content: '#cloud-config\nruncmd: [ls]'},
      {source: 'c', content: '#cloud-boothook\necho boot\n'},
    ])
    const boundary = /boundary="([^"]+)"/.exec(text)?.[1] as string
    expect(boundary).toMatch(/^==ECSX-[0-9a-f]{24}==$/)
    const parts = text.split(`--${boundary}`)
    expect(parts).toHaveLength(6) // header, 4 parts, closing "--"
    expect(parts[1]).toContain('text/x-shellscript')
    expect(parts[1]).toContain('echo ECS_CLUSTER=prod >> /etc/ecs/ecs.config')
    expect(parts[2]).toContain('text/x-shellscript')
    expect(parts[3]).toContain('Content-Type: text/cloud-config')
    expect(parts[4]).toContain('Content-Type: text/cloud-boothook')
    expect(text.trimEnd().endsWith(`--${boundary}--`)).toBe(true)
    // deterministic
    expect(buildUserData('prod', [{source: 'a.sh', content: '#!/bin/sh\necho a\n'}])).toBe(
      buildUserData('prod', [{source: 'a.sh', content: '#!/bin/sh\necho a\n'}]),
    )
  })

  it('unpacks an existing MIME archive and keeps its parts with their headers', () => {
    const archive = [
      'Content-Type: multipart/mixed; boundary="XYZ"',
      'MIME-Version: 1.0',
      '',
      '--XYZ',
      'Content-Type: text/x-shellscript; charset="utf-8"',
      'Content-Disposition: attachment; filename="one.sh"',
      '',
      '#!/bin/bash',
      'echo one',
      '--XYZ',
      'Content-Type: text/cloud-config',
      '',
      '#cloud-config',
      'packages: [htop]',
      '--XYZ--',
      '',
    ].join('\n')
    const text = buildUserData('prod', [{source: 'archive.mime', content: archive}])
    expect(text).not.toContain('--XYZ')
    expect(text).toContain('Content-Disposition: attachment; filename="one.sh"\n\n#!/bin/bash\necho one\n')
    expect(text).toContain('Content-Type: text/cloud-config\n\n#cloud-config\npackages: [htop]\n')
    expect(text.indexOf('ECS_CLUSTER=prod')).toBeLessThan(text.indexOf('echo one'))
  })

  it('rejects a document cloud-init would silently ignore, naming the file', () => {
    expect(() => buildUserData('prod', [{source: 'notes.txt', content: 'hello'}])).toThrow(UserDataFormatError)
    expect(() => buildUserData('prod', [{source: 'notes.txt', content: 'hello'}])).toThrow(
      /notes\.txt: unrecognised user data format/,
    )
  })
})

describe('buildClusterTemplate: properties over the option space', () => {
  const id = (prefix: string) => fc.stringMatching(/^[0-9a-f]{4,17}$/).map((s) => `${prefix}-${s}`)
  const optionsArb = fc.record(
    {
      launchType: fc.constantFrom('EC2', 'FARGATE'),
      size: fc.integer({min: 0, max: 50}),
      instanceType: fc.constantFrom('t2.micro', 't3.large', 'a1.medium', 'm6g.xlarge', 'c5.2xlarge'),
      keypair: fc.option(fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/), {nil: undefined}),
      iam: fc.constantFrom<'capability' | 'role' | 'role-arn'>('capability', 'role', 'role-arn'),
      network: fc.constantFrom<'new' | 'existing' | 'existing-sg'>('new', 'existing', 'existing-sg'),
      vpc: id('vpc'),
      subnets: fc.array(id('subnet'), {minLength: 1, maxLength: 4}),
      securityGroups: fc.array(id('sg'), {minLength: 1, maxLength: 3}),
      azs: fc.option(fc.constant('us-east-1a,us-east-1b'), {nil: undefined}),
      port: fc.integer({min: 1, max: 65535}),
      imageId: fc.option(id('ami'), {nil: undefined}),
      noPublicIp: fc.boolean(),
      tags: fc.dictionary(fc.stringMatching(/^[A-Za-z][\w.:/-]{0,20}$/), fc.string({maxLength: 30}), {maxKeys: 4}),
      extras: fc.array(
        fc.tuple(fc.constantFrom('#!/bin/bash\n', '#cloud-config\n', '#cloud-boothook\n'), fc.string({maxLength: 200})),
        {maxLength: 3},
      ),
    },
    {
      requiredKeys: [
        'launchType',
        'size',
        'instanceType',
        'iam',
        'network',
        'vpc',
        'subnets',
        'securityGroups',
        'port',
        'noPublicIp',
        'tags',
        'extras',
      ],
    },
  )

  /** Every Ref / Fn::GetAtt / DependsOn target of a template value. */
  function references(value: unknown, out: string[] = []): string[] {
    if (Array.isArray(value)) for (const v of value) references(v, out)
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'Ref' && typeof v === 'string') out.push(v)
        else if (k === 'Fn::GetAtt' && Array.isArray(v)) out.push(String(v[0]))
        else if (k === 'DependsOn') out.push(...(Array.isArray(v) ? v.map(String) : [String(v)]))
        else references(v, out)
      }
    }
    return out
  }

  it("references resolve, IAM needs match, sizes and user data are right, and the body fits CreateStack's 51,200 bytes", () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const options: AwsClusterUpOptions = {
          launchType: o.launchType,
          size: o.size,
          instanceType: o.instanceType,
          keypair: o.keypair,
          capabilityIam: o.iam === 'capability',
          instanceRole:
            o.iam === 'role'
              ? 'ecsInstanceRole'
              : o.iam === 'role-arn'
                ? 'arn:aws:iam::123456789012:instance-profile/p'
                : undefined,
          ...(o.network !== 'new' ? {vpc: o.vpc, subnets: o.subnets} : {azs: o.azs}),
          ...(o.network === 'existing-sg' && o.launchType === 'EC2' ? {securityGroup: o.securityGroups} : {}),
          port: o.port,
          imageId: o.imageId,
          noAssociatePublicIp: o.noPublicIp,
          tags: o.tags,
        }
        const extras = o.extras.map(([head, body], i) => ({source: `extra-${i}`, content: head + body}))
        const resolved = resolveClusterStackOptions('prop', 'amazon-ecs-cli-setup-prop', options, undefined, extras)
        const built = buildClusterTemplate(resolved.template as NonNullable<typeof resolved.template>)
        const {Resources, Parameters, Outputs} = built.template
        const defined = new Set([
          ...Object.keys(Resources),
          ...Object.keys(Parameters),
          'AWS::Partition',
          'AWS::Region',
        ])
        for (const ref of references({Resources, Outputs})) expect(defined.has(ref)).toBe(true)
        const types = Object.values(Resources).map((r) => r.Type as string)
        expect(built.needsIam).toBe(types.some((t) => t.startsWith('AWS::IAM::')))
        expect(built.needsIam).toBe(o.launchType === 'EC2' && o.iam === 'capability')
        expect(types.includes('AWS::EC2::VPC')).toBe(o.network === 'new')
        expect(built.empty).toBe(o.launchType === 'FARGATE' && o.network !== 'new')
        expect(JSON.stringify(built.template).length).toBeLessThan(51_200)
        if (o.launchType === 'EC2') {
          expect(types.includes('AWS::EC2::SecurityGroup')).toBe(o.network !== 'existing-sg')
          expect(built.parameters.filter((p) => p.ParameterKey !== 'EcsAmiId')).toEqual([
            {ParameterKey: 'AsgMaxSize', ParameterValue: String(o.size)},
            {ParameterKey: 'DesiredCapacity', ParameterValue: String(o.size)},
          ])
          const data = (
            Resources.EcsInstanceLaunchTemplate as {
              Properties: {LaunchTemplateData: {UserData: {'Fn::Base64': string}}}
            }
          ).Properties.LaunchTemplateData.UserData['Fn::Base64']
          expect(data).toContain('echo ECS_CLUSTER=prop >> /etc/ecs/ecs.config')
          if (extras.length > 0) {
            const boundary = /boundary="([^"]+)"/.exec(data)?.[1] as string
            expect(data.split(`\n--${boundary}`).length).toBe(extras.length + 3) // header, parts…, closing
            for (const e of extras) expect(e.content).not.toContain(boundary)
          }
        } else {
          expect(types.some((t) => t.startsWith('AWS::AutoScaling') || t === 'AWS::EC2::LaunchTemplate')).toBe(false)
          expect(built.parameters).toEqual([])
        }
      }),
      {numRuns: 300},
    )
  })
})
