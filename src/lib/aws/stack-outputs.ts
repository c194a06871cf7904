/**
 * What `ecsx up --backend aws` reports once the stack is complete: the resources it created (ecs-cli's lines: "VPC
 * created: …", one "Subnet created: …" per subnet, …) and the network the cluster's tasks use, as data for --json
 * and — for Fargate, whose tasks need it in ecs-params.yml — as a ready-to-paste ecs-params.yml on stdout.
 */
import type {Ui} from '../ui/types.js'

/** The network of the cluster: created by the stack, or given with --vpc/--subnets/--security-group. */
export interface ClusterNetwork {
  vpcId: string
  subnetIds: string[]
  /** The instances' security group (EC2), or the VPC's default security group (Fargate); may be empty when given. */
  securityGroupIds: string[]
  /** True when the stack created the VPC and subnets. */
  created: boolean
}

/** The stack's outputs (cfn-template.ts) as a network; undefined when the stack made none and none was given. */
export function networkOf(
  outputs: Record<string, string>,
  given: {vpc?: string; subnets?: string[]; securityGroups?: string[]} = {},
): ClusterNetwork | undefined {
  const split = (v: string | undefined) => (v ?? '').split(',').filter(Boolean)
  const securityGroupIds = [
    ...split(outputs.SecurityGroupId),
    ...split(outputs.DefaultSecurityGroupId),
    ...(given.securityGroups ?? []),
  ]
  if (outputs.VpcId) return {vpcId: outputs.VpcId, subnetIds: split(outputs.SubnetIds), securityGroupIds, created: true}
  if (given.vpc) return {vpcId: given.vpc, subnetIds: given.subnets ?? [], securityGroupIds, created: false}
  return undefined
}

/** ecs-cli's report of what the stack created. */
export function reportCreatedResources(ui: Ui, outputs: Record<string, string>): void {
  if (outputs.VpcId) ui.info(`VPC created: ${outputs.VpcId}`)
  if (outputs.SecurityGroupId) ui.info(`Security Group created: ${outputs.SecurityGroupId}`)
  for (const subnet of (outputs.SubnetIds ?? '').split(',').filter(Boolean)) ui.info(`Subnet created: ${subnet}`)
  if (outputs.DefaultSecurityGroupId) ui.info(`Default security group of the VPC: ${outputs.DefaultSecurityGroupId}`)
  if (outputs.AutoScalingGroupName) ui.info(`Auto Scaling group created: ${outputs.AutoScalingGroupName}`)
}

/**
 * An ecs-params.yml that runs Fargate tasks in `network` (awsvpc needs subnets and security groups). Printed on
 * stdout after a Fargate `up`, so `ecsx up --launch-type FARGATE > ecs-params.yml` writes a working file.
 */
function fargateEcsParams(network: ClusterNetwork): string[] {
  const list = (key: string, ids: string[]) =>
    ids.length > 0 ? [`      ${key}:`, ...ids.map((id) => `        - ${id}`)] : []
  return [
    'version: 1',
    'run_params:',
    '  network_configuration:',
    '    awsvpc_configuration:',
    ...list('subnets', network.subnetIds),
    ...list('security_groups', network.securityGroupIds),
    '      assign_public_ip: ENABLED',
  ]
}

/** The Fargate hint and file, for human output (nothing under --json: the result carries the network). */
export function reportFargateNetwork(ui: Ui, network: ClusterNetwork): void {
  ui.info(`Fargate tasks and services in this cluster need these subnets and security groups in ecs-params.yml:`)
  for (const line of fargateEcsParams(network)) ui.out(line)
}
