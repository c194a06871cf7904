/**
 * `ecsx up | down | scale` on the aws backend: the ECS cluster plus the CloudFormation stack that holds its
 * networking and EC2 capacity (template: cfn-template.ts). The stack is named as ecs-cli names it,
 * `amazon-ecs-cli-setup-<cluster>` (`settings.cfnStackName`), so clusters created by ecs-cli can be scaled and torn
 * down by ecsx and vice versa.
 *
 *   up    CreateCluster, then CreateStack (CAPABILITY_IAM when the template creates the instance role) and wait
 *         for CREATE_COMPLETE, streaming stack events; an existing stack needs --force (delete, then recreate).
 *   down  refuse while the cluster has services; DeleteStack and wait; DeleteCluster.
 *   scale UpdateStack with the previous template and new AsgMaxSize/DesiredCapacity; wait.
 *
 * The SDK clients are imported lazily. Waiting polls DescribeStacks through injectable `PollDeps`.
 */
import {readFile} from 'node:fs/promises'

import type {CloudFormationClient, Parameter, Stack, StackEvent} from '@aws-sdk/client-cloudformation'
import type {Cluster, ContainerInstance, ECSClient} from '@aws-sdk/client-ecs'

import type {ResolvedSettings} from '../config/types.js'
import {InputError, OperationError, RolledBackError, WaitTimeoutError} from '../errors.js'
import type {ProgressReporter, Ui} from '../ui/types.js'
import {amiParameterFor, buildClusterTemplate, type ClusterTemplateOptions, isArmInstanceType, UserDataFormatError, type UserDataDocument} from './cfn-template.js'
import {awsErrorName, type PollDeps, realPollDeps, sdkClientConfig} from './sdk-config.js'

/** Tags as `--tags k=v,…` parsing may hand them over: a record, or ECS-style / CloudFormation-style pairs. */
export type TagsInput = Record<string, string> | Array<{key: string; value?: string}> | Array<{Key: string; Value?: string}>

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

export interface StackInfo {
  stackName: string
  stackId: string
  status: string
  /** Stack outputs by key (VpcId, SubnetIds, SecurityGroupId, AutoScalingGroupName). */
  outputs: Record<string, string>
}

/** Same keys as the local backend's `up` result, plus the stack. */
export interface AwsClusterUpResult {
  cluster: Cluster
  /**
   * Container instances registered when the stack completed. EC2 instances join asynchronously once the Auto
   * Scaling group has launched them, so this is often still empty: `ecsx ps`/DescribeContainerInstances show them later.
   */
  containerInstances: ContainerInstance[]
  /** Absent with --empty, or when there was nothing to create. */
  stack?: StackInfo
}

/** Same keys as the local backend's `down` result, plus the stack. */
export interface AwsClusterDownResult {
  /** DeleteCluster's answer (status INACTIVE); just the name when the cluster did not exist. */
  cluster: Cluster
  /** ARNs of the container instances registered when the stack (and so their EC2 instances) was deleted. */
  terminatedInstances: string[]
  stackName: string
  stackDeleted: boolean
}

export interface AwsClusterScaleResult {
  stackName: string
  stackId: string
  status: string
  size: number
  /** False when the stack already had this size. */
  changed: boolean
}

const DEFAULT_STACK_TIMEOUT_MS = 30 * 60_000
const POLL_INTERVAL_MS = 10_000
const CLUSTER_DELETE_RETRY_MS = 10_000

// ---------------------------------------------------------------------------------------------------------------
// Option validation (pure)

export interface ResolvedClusterStack {
  /** undefined with --empty: only the ECS cluster is created. */
  template?: ClusterTemplateOptions
  warnings: string[]
  notes: string[]
}

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  return items.length > 0 ? items : undefined
}

export function normalizeTags(tags: TagsInput | undefined): Array<{Key: string; Value: string}> {
  if (!tags) return []
  const pairs: Array<[string, string]> = Array.isArray(tags)
    ? tags.map((t) => ('Key' in t ? [t.Key, t.Value ?? ''] : [t.key, t.value ?? '']))
    : Object.entries(tags)
  for (const [key, value] of pairs) {
    if (!key || key.length > 128) throw new InputError(`Invalid tag key "${key}": keys must have 1 to 128 characters.`, 'Pass tags as --tags key1=value1,key2=value2.')
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
  const given = (entries: Array<[string, unknown]>) =>
    entries.filter(([, v]) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)).map(([flag]) => flag)
  // --empty: only the cluster. (The `up` command warns about the resource flags it then ignores, for both backends.)
  if (options.empty) return {warnings, notes}

  const launchType = (options.launchType ?? defaultLaunchType ?? 'EC2').toUpperCase()
  if (launchType !== 'EC2' && launchType !== 'FARGATE') {
    throw new InputError(`Invalid --launch-type "${options.launchType}".`, 'Use EC2 or FARGATE.')
  }
  const size = options.size ?? 1
  if (!Number.isInteger(size) || size < 0) throw new InputError(`Invalid --size ${size}: expected a whole number of instances (0 or more).`)
  const port = options.port ?? 80
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`Invalid --port ${port}: expected 1-65535.`)
  const cidr = options.cidr ?? '0.0.0.0/0'
  if (!CIDR_V4.test(cidr)) throw new InputError(`Invalid --cidr "${cidr}": expected an IPv4 CIDR block such as 203.0.113.0/24.`)

  const subnets = list(options.subnets)
  const securityGroups = list(options.securityGroup)
  let azs = list(options.azs)
  if (options.vpc && !subnets) throw new InputError('--vpc needs --subnets: name the subnets of that VPC to launch the instances in.')
  if (subnets && !options.vpc) throw new InputError('--subnets needs --vpc: name the VPC the subnets belong to.')
  if (securityGroups && !options.vpc) {
    throw new InputError('--security-group needs --vpc and --subnets: an existing security group belongs to an existing VPC.')
  }
  if (azs && options.vpc) {
    warnings.push('--azs is ignored with --vpc: the subnets given with --subnets decide the availability zones.')
    azs = undefined
  }
  if (azs && (azs.length !== 2 || azs[0] === azs[1])) {
    throw new InputError(`--azs needs exactly two different availability zones, got "${azs.join(',')}".`, 'Example: --azs us-east-1a,us-east-1b')
  }

  const instanceType = options.instanceType ?? 't2.micro'
  if (launchType === 'FARGATE') {
    const ignored = given([
      ['--keypair', options.keypair],
      ['--capability-iam', options.capabilityIam],
      ['--instance-role', options.instanceRole],
      ['--security-group', options.securityGroup],
      ['--port', options.port],
      ['--cidr', options.cidr],
      ['--image-id', options.imageId],
      ['--extra-user-data', options.extraUserData],
      ['--no-associate-public-ip-address', options.noAssociatePublicIp],
    ])
    if (ignored.length > 0) warnings.push(`Launch type FARGATE needs no container instances; ignoring ${ignored.join(', ')}.`)
  } else {
    if (options.capabilityIam && options.instanceRole) {
      throw new InputError('--capability-iam and --instance-role cannot be used together.', 'Use --instance-role to name an existing instance profile, or --capability-iam to let ecsx create one.')
    }
    if (!options.capabilityIam && !options.instanceRole) {
      throw new InputError(
        'EC2 capacity needs an instance profile: pass --capability-iam to let ecsx create one (the stack then creates IAM resources), or --instance-role NAME to use an existing one.',
      )
    }
    if (!options.keypair) warnings.push('You will not be able to SSH into your EC2 instances without a key pair (--keypair).')
    if (securityGroups && (options.port !== undefined || options.cidr !== undefined)) {
      warnings.push('--port and --cidr are ignored with --security-group: the existing security group keeps its rules.')
    }
    if (!options.imageId && isArmInstanceType(instanceType)) notes.push(`Using Arm ECS-optimised AMI because instance type was ${instanceType}.`)
  }

  return {
    warnings,
    notes,
    template: {
      cluster,
      stackName,
      launchType,
      size,
      instanceType,
      keypair: launchType === 'EC2' ? options.keypair : undefined,
      capabilityIam: launchType === 'EC2' && Boolean(options.capabilityIam),
      instanceRole: launchType === 'EC2' ? options.instanceRole : undefined,
      vpc: options.vpc,
      subnets,
      securityGroups: launchType === 'EC2' ? securityGroups : undefined,
      azs,
      port,
      cidr,
      imageId: launchType === 'EC2' ? options.imageId : undefined,
      associatePublicIp: !options.noAssociatePublicIp,
      tags: normalizeTags(options.tags),
      extraUserData: launchType === 'EC2' ? extraUserData : [],
    },
  }
}

async function readUserDataFiles(paths: string[] | undefined): Promise<UserDataDocument[]> {
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

// ---------------------------------------------------------------------------------------------------------------
// SDK plumbing

interface Clients {
  cfn: CloudFormationClient
  ecs: ECSClient
  cfnSdk: typeof import('@aws-sdk/client-cloudformation')
  ecsSdk: typeof import('@aws-sdk/client-ecs')
  close(): void
}

async function openClients(settings: ResolvedSettings, ui: Ui): Promise<Clients> {
  const [cfnSdk, ecsSdk] = await Promise.all([import('@aws-sdk/client-cloudformation'), import('@aws-sdk/client-ecs')])
  const config = await sdkClientConfig(settings, ui)
  const cfn = new cfnSdk.CloudFormationClient(config)
  const ecs = new ecsSdk.ECSClient({...config, ...(settings.endpointUrl ? {endpoint: settings.endpointUrl} : {})})
  return {cfn, ecs, cfnSdk, ecsSdk, close: () => (cfn.destroy(), ecs.destroy())}
}

function isMissingStack(err: unknown): boolean {
  return awsErrorName(err) === 'ValidationError' && /does not exist/i.test((err as Error).message ?? '')
}

async function describeStack(c: Clients, nameOrId: string): Promise<Stack | undefined> {
  try {
    const out = await c.cfn.send(new c.cfnSdk.DescribeStacksCommand({StackName: nameOrId}))
    const stack = out.Stacks?.[0]
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined
    return stack
  } catch (err) {
    if (isMissingStack(err)) return undefined
    throw err
  }
}

async function recentEvents(c: Clients, stackId: string): Promise<StackEvent[]> {
  const out = await c.cfn.send(new c.cfnSdk.DescribeStackEventsCommand({StackName: stackId}))
  return out.StackEvents ?? []
}

function outputsOf(stack: Stack): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const o of stack.Outputs ?? []) if (o.OutputKey && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue
  return outputs
}

function formatEvent(e: StackEvent): string {
  const reason = e.ResourceStatusReason ? `: ${e.ResourceStatusReason}` : ''
  return `${e.LogicalResourceId ?? '?'} (${e.ResourceType ?? '?'}) ${e.ResourceStatus ?? '?'}${reason}`
}

type StackOperation = 'CREATE' | 'UPDATE' | 'DELETE'

interface WaitContext {
  ui: Ui
  deps: PollDeps
  timeoutMs: number
  /** Event ids that predate this operation (not printed, not blamed). */
  seenEvents: Set<string>
}

/**
 * Poll the stack until its status stops ending in `_IN_PROGRESS`, printing new stack events as they appear.
 * Resolves with the final stack on success (undefined once deleted); throws with the failed events otherwise.
 */
async function waitForStack(c: Clients, stackId: string, stackName: string, op: StackOperation, ctx: WaitContext): Promise<Stack | undefined> {
  const verb = {CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted'}[op]
  const progress: ProgressReporter = ctx.ui.progress(`Waiting for your cluster resources to be ${verb}`)
  const started = ctx.deps.now()
  const operationEvents: StackEvent[] = []
  let finished = false
  try {
    for (;;) {
      const stack = await describeStack(c, stackId)
      const events = (await recentEvents(c, stackId)).filter((e) => e.EventId && !ctx.seenEvents.has(e.EventId)).reverse()
      for (const e of events) {
        ctx.seenEvents.add(e.EventId as string)
        operationEvents.push(e)
        progress.event(formatEvent(e))
      }
      if (!stack) {
        if (op === 'DELETE') {
          finished = true
          progress.done(`CloudFormation stack ${stackName} deleted.`)
          return undefined
        }
        throw new OperationError(`CloudFormation stack ${stackName} disappeared while it was being ${verb}.`)
      }
      const status = stack.StackStatus ?? 'UNKNOWN'
      progress.update([`CloudFormation stack status stackStatus=${status}`])
      if (!status.endsWith('_IN_PROGRESS')) {
        finished = true
        if (status === `${op}_COMPLETE`) {
          progress.done(`CloudFormation stack ${stackName}: ${status}`)
          return stack
        }
        progress.done()
        throw stackFailure(stackName, op, status, stack.StackStatusReason, operationEvents)
      }
      if (ctx.deps.now() - started >= ctx.timeoutMs) {
        throw new WaitTimeoutError(
          `Timed out after ${Math.round(ctx.timeoutMs / 1000)} s waiting for CloudFormation stack ${stackName} (status ${status}).`,
          'The stack operation goes on in AWS; follow it in the CloudFormation console or run the command again later.',
        )
      }
      await ctx.deps.sleep(POLL_INTERVAL_MS)
    }
  } finally {
    if (!finished) progress.done()
  }
}

function stackFailure(stackName: string, op: StackOperation, status: string, reason: string | undefined, events: StackEvent[]): Error {
  const failed = events.filter((e) => e.ResourceStatus?.endsWith('_FAILED') && e.ResourceStatusReason && !/cancelled/i.test(e.ResourceStatusReason))
  const lines = [`CloudFormation stack ${stackName} ended in ${status}${reason ? ` (${reason})` : ''}.`]
  if (failed.length > 0) lines.push('Failed resources:', ...failed.map((e) => `  ${formatEvent(e)}`))
  const text = lines.join('\n')
  if (op === 'CREATE') {
    return new OperationError(text, 'Fix the cause above, then run `ecsx up --force` to delete the failed stack and create it again.')
  }
  if (op === 'UPDATE') {
    if (status === 'UPDATE_ROLLBACK_COMPLETE') return new RolledBackError(text, 'CloudFormation rolled the stack back to its previous size.')
    return new OperationError(text, 'Inspect the stack in the CloudFormation console.')
  }
  return new OperationError(text, 'Remove the resources CloudFormation could not delete by hand, then run `ecsx down` again.')
}

/**
 * ecs-cli's "Using recommended Amazon Linux 2 AMI …" line: read the SSM public parameter's metadata (the parent of the
 * `image_id` parameter the template resolves). Informational only — CloudFormation resolves the AMI itself — so any
 * failure (e.g. no ssm:GetParameter permission) is a --verbose note.
 */
async function reportRecommendedAmi(settings: ResolvedSettings, ui: Ui, instanceType: string): Promise<void> {
  const name = amiParameterFor(instanceType).replace(/\/image_id$/, '')
  try {
    const ssm = await import('@aws-sdk/client-ssm')
    const client = new ssm.SSMClient(await sdkClientConfig(settings, ui))
    try {
      const out = await client.send(new ssm.GetParameterCommand({Name: name}))
      const meta = JSON.parse(out.Parameter?.Value ?? '{}') as {image_id?: string; ecs_agent_version?: string; ecs_runtime_version?: string}
      if (!meta.image_id) throw new Error('no image_id in the parameter value')
      const details = [meta.ecs_agent_version && `ECS agent ${meta.ecs_agent_version}`, meta.ecs_runtime_version].filter(Boolean).join(', ')
      ui.info(`Using recommended Amazon Linux 2 AMI ${meta.image_id}${details ? ` (${details})` : ''}`)
    } finally {
      client.destroy()
    }
  } catch (err) {
    ui.verbose(`Could not read SSM parameter ${name} (${(err as Error).message}); CloudFormation resolves the AMI itself.`)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// up

/** `ecsx up` on the aws backend. */
export async function awsClusterUp(
  settings: ResolvedSettings,
  options: AwsClusterUpOptions,
  ui: Ui,
  deps: PollDeps = realPollDeps,
): Promise<AwsClusterUpResult> {
  const cluster = settings.cluster
  const stackName = settings.cfnStackName
  let extraDocs: UserDataDocument[] = []
  if (!options.empty) extraDocs = await readUserDataFiles(options.extraUserData)
  const resolved = resolveClusterStackOptions(cluster, stackName, options, settings.defaultLaunchType, extraDocs)
  let built: ReturnType<typeof buildClusterTemplate> | undefined
  try {
    built = resolved.template ? buildClusterTemplate(resolved.template) : undefined
  } catch (err) {
    if (err instanceof UserDataFormatError) throw new InputError(err.message)
    throw err
  }
  for (const w of resolved.warnings) ui.warn(w)
  for (const n of resolved.notes) ui.info(n)

  const c = await openClients(settings, ui)
  try {
    const existing = built && !built.empty ? await describeStack(c, stackName) : undefined
    if (existing && !options.force) {
      throw new OperationError(
        `A CloudFormation stack already exists for cluster '${cluster}': ${stackName} (${existing.StackStatus}).`,
        'Run `ecsx up --force` to delete it and create the resources again, or `ecsx scale` to change the number of instances.',
      )
    }

    const template = resolved.template
    if (template && !built?.empty && template.launchType === 'EC2' && !template.imageId) await reportRecommendedAmi(settings, ui, template.instanceType)

    const tags = normalizeTags(options.tags)
    const created = await c.ecs.send(
      new c.ecsSdk.CreateClusterCommand({clusterName: cluster, ...(tags.length > 0 ? {tags: tags.map((t) => ({key: t.Key, value: t.Value}))} : {})}),
    )
    ui.info(`Created cluster cluster=${cluster} region=${settings.region}`)
    const clusterObject: Cluster = created.cluster ?? {clusterName: cluster}

    if (!built || built.empty) {
      if (built?.empty) ui.info('Nothing to create in CloudFormation: the VPC and subnets given are used as they are.')
      ui.info('Cluster creation succeeded.')
      return {cluster: clusterObject, containerInstances: await registeredInstances(c, cluster)}
    }

    const timeoutMs = options.timeoutMs ?? DEFAULT_STACK_TIMEOUT_MS
    if (existing) {
      ui.info(`Deleting the existing CloudFormation stack ${stackName} (--force)`)
      const seenEvents = new Set((await recentEvents(c, existing.StackId as string)).map((e) => e.EventId as string))
      await c.cfn.send(new c.cfnSdk.DeleteStackCommand({StackName: existing.StackId}))
      await waitForStack(c, existing.StackId as string, stackName, 'DELETE', {ui, deps, timeoutMs, seenEvents})
    }

    const createdStack = await c.cfn.send(
      new c.cfnSdk.CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(built.template),
        Parameters: built.parameters,
        ...(built.needsIam ? {Capabilities: ['CAPABILITY_IAM']} : {}),
        ...(tags.length > 0 ? {Tags: tags} : {}),
      }),
    )
    const stackId = createdStack.StackId as string
    ui.verbose(`CreateStack ${stackName}: ${stackId}`)
    const stack = (await waitForStack(c, stackId, stackName, 'CREATE', {ui, deps, timeoutMs, seenEvents: new Set()})) as Stack
    const outputs = outputsOf(stack)
    ui.info('Cluster creation succeeded.')
    if (outputs.VpcId) ui.info(`VPC created: ${outputs.VpcId}`)
    if (outputs.SecurityGroupId) ui.info(`Security Group created: ${outputs.SecurityGroupId}`)
    for (const subnet of outputs.SubnetIds?.split(',') ?? []) ui.info(`Subnets created: ${subnet}`)
    if (outputs.AutoScalingGroupName) ui.info(`Auto Scaling group created: ${outputs.AutoScalingGroupName}`)
    const containerInstances = await registeredInstances(c, cluster)
    return {cluster: clusterObject, containerInstances, stack: {stackName, stackId, status: stack.StackStatus as string, outputs}}
  } finally {
    c.close()
  }
}

/** The cluster's registered (non-INACTIVE) container instances, described. */
async function registeredInstances(c: Clients, cluster: string): Promise<ContainerInstance[]> {
  const arns = await instanceArns(c, cluster)
  const described: ContainerInstance[] = []
  for (let i = 0; i < arns.length; i += 100) {
    const out = await c.ecs.send(new c.ecsSdk.DescribeContainerInstancesCommand({cluster, containerInstances: arns.slice(i, i + 100)}))
    described.push(...(out.containerInstances ?? []))
  }
  return described
}

async function instanceArns(c: Clients, cluster: string, status?: 'ACTIVE'): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const page = await c.ecs.send(new c.ecsSdk.ListContainerInstancesCommand({cluster, ...(status ? {status} : {}), ...(nextToken ? {nextToken} : {})}))
    arns.push(...(page.containerInstanceArns ?? []))
    nextToken = page.nextToken
  } while (nextToken)
  return arns
}

// ---------------------------------------------------------------------------------------------------------------
// down

/** `ecsx down` on the aws backend. */
export async function awsClusterDown(
  settings: ResolvedSettings,
  options: {force?: boolean; timeoutMs?: number},
  ui: Ui,
  deps: PollDeps = realPollDeps,
): Promise<AwsClusterDownResult> {
  const cluster = settings.cluster
  const stackName = settings.cfnStackName
  if (!options.force) {
    const ok = await ui.confirm(`Delete cluster '${cluster}' and the resources of CloudFormation stack ${stackName}?`, '--force')
    if (!ok) throw new OperationError('Cluster deletion aborted.', 'Run the command again and confirm, or pass --force.')
  }
  const c = await openClients(settings, ui)
  try {
    let clusterExists = true
    try {
      const services = await c.ecs.send(new c.ecsSdk.ListServicesCommand({cluster}))
      const arns = services.serviceArns ?? []
      if (arns.length > 0) {
        const names = arns.map((a) => a.split('/').pop()).join(', ')
        throw new OperationError(
          `Cluster '${cluster}' still has ${arns.length} service(s): ${names}.`,
          'Delete them first (`ecsx compose service rm`); a service counts even at desired count 0.',
        )
      }
    } catch (err) {
      if (awsErrorName(err) !== 'ClusterNotFoundException') throw err
      clusterExists = false
    }

    const timeoutMs = options.timeoutMs ?? DEFAULT_STACK_TIMEOUT_MS
    const stack = await describeStack(c, stackName)
    let stackDeleted = false
    let terminatedInstances: string[] = []
    if (!stack) {
      ui.info(`No CloudFormation stack found for cluster '${cluster}'.`)
      if (!clusterExists) throw new OperationError(`Cluster '${cluster}' not found in ${settings.region}.`, 'Check --cluster, --region and the cluster configuration.')
      const count = (await instanceArns(c, cluster, 'ACTIVE')).length
      if (count > 0) {
        throw new OperationError(
          `Cluster '${cluster}' has ${count} registered container instance(s) that ecsx up did not create.`,
          'Deregister them (or terminate their EC2 instances) first; ecsx only deletes capacity it created.',
        )
      }
    } else {
      if (clusterExists) terminatedInstances = await instanceArns(c, cluster)
      const stackId = stack.StackId as string
      const seenEvents = new Set((await recentEvents(c, stackId)).map((e) => e.EventId as string))
      await c.cfn.send(new c.cfnSdk.DeleteStackCommand({StackName: stackId}))
      await waitForStack(c, stackId, stackName, 'DELETE', {ui, deps, timeoutMs, seenEvents})
      stackDeleted = true
    }

    if (!clusterExists) {
      ui.warn(`Cluster '${cluster}' did not exist; only the stack was deleted.`)
      return {cluster: {clusterName: cluster}, terminatedInstances, stackName, stackDeleted}
    }
    const deleted = await deleteClusterWhenEmpty(c, cluster, stackDeleted, deps, timeoutMs)
    ui.info(`Deleted cluster cluster=${cluster}`)
    return {cluster: deleted ?? {clusterName: cluster}, terminatedInstances, stackName, stackDeleted}
  } finally {
    c.close()
  }
}

/**
 * DeleteCluster. Right after the stack's instances are terminated ECS may still list them as ACTIVE for a short
 * while; then retry until they are gone (or the timeout passes).
 */
async function deleteClusterWhenEmpty(c: Clients, cluster: string, retry: boolean, deps: PollDeps, timeoutMs: number): Promise<Cluster | undefined> {
  const started = deps.now()
  for (;;) {
    try {
      const out = await c.ecs.send(new c.ecsSdk.DeleteClusterCommand({cluster}))
      return out.cluster
    } catch (err) {
      const name = awsErrorName(err)
      const waiting = name === 'ClusterContainsContainerInstancesException' || name === 'ClusterContainsTasksException'
      if (!retry || !waiting) throw err
      if (deps.now() - started >= timeoutMs) {
        throw new WaitTimeoutError(`Timed out waiting for the container instances of cluster '${cluster}' to deregister.`, 'Run `ecsx down` again in a minute.')
      }
      await deps.sleep(CLUSTER_DELETE_RETRY_MS)
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// scale

const SIZE_PARAMETERS = new Set(['AsgMaxSize', 'DesiredCapacity'])

/** `ecsx scale` on the aws backend: the Auto Scaling group's desired and maximum size become `size`. */
export async function awsClusterScale(
  settings: ResolvedSettings,
  options: {size: number; capabilityIam?: boolean; timeoutMs?: number},
  ui: Ui,
  deps: PollDeps = realPollDeps,
): Promise<AwsClusterScaleResult> {
  const {size} = options
  if (!Number.isInteger(size) || size < 0) throw new InputError(`Invalid --size ${size}: expected a whole number of instances (0 or more).`)
  const cluster = settings.cluster
  const stackName = settings.cfnStackName
  const c = await openClients(settings, ui)
  try {
    const stack = await describeStack(c, stackName)
    if (!stack) {
      throw new OperationError(
        `No CloudFormation stack found for cluster '${cluster}' (looked for ${stackName} in ${settings.region}).`,
        'Create the cluster\'s capacity first with `ecsx up --capability-iam`.',
      )
    }
    const status = stack.StackStatus ?? ''
    if (status.endsWith('_IN_PROGRESS')) {
      throw new OperationError(`CloudFormation stack ${stackName} is busy (${status}).`, 'Wait for the current operation to finish, then scale again.')
    }
    const keys = (stack.Parameters ?? []).map((p) => p.ParameterKey as string)
    if (!keys.includes('AsgMaxSize')) {
      throw new OperationError(
        `CloudFormation stack ${stackName} has no container instances to scale (no AsgMaxSize parameter).`,
        'It was created for Fargate or not by ecsx/ecs-cli up.',
      )
    }
    const needsIam = (stack.Capabilities ?? []).includes('CAPABILITY_IAM')
    if (needsIam && !options.capabilityIam) {
      throw new InputError(`Stack ${stackName} contains IAM resources: pass --capability-iam to acknowledge that updating it may change them.`)
    }
    const parameters: Parameter[] = keys.map((k) =>
      SIZE_PARAMETERS.has(k) ? {ParameterKey: k, ParameterValue: String(size)} : {ParameterKey: k, UsePreviousValue: true},
    )
    const stackId = stack.StackId as string
    const seenEvents = new Set((await recentEvents(c, stackId)).map((e) => e.EventId as string))
    try {
      await c.cfn.send(
        new c.cfnSdk.UpdateStackCommand({
          StackName: stackId,
          UsePreviousTemplate: true,
          Parameters: parameters,
          ...(needsIam ? {Capabilities: ['CAPABILITY_IAM']} : {}),
        }),
      )
    } catch (err) {
      if (awsErrorName(err) === 'ValidationError' && /no updates are to be performed/i.test((err as Error).message)) {
        ui.info(`Cluster '${cluster}' already has size ${size}; nothing to update.`)
        return {stackName, stackId, status, size, changed: false}
      }
      throw err
    }
    const updated = (await waitForStack(c, stackId, stackName, 'UPDATE', {
      ui,
      deps,
      timeoutMs: options.timeoutMs ?? DEFAULT_STACK_TIMEOUT_MS,
      seenEvents,
    })) as Stack
    ui.info(`Cluster '${cluster}' scaled to ${size} instance(s).`)
    return {stackName, stackId, status: updated.StackStatus as string, size, changed: true}
  } finally {
    c.close()
  }
}
