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
 * Options and their validation: cluster-options.ts; waiting on the stack: stack-wait.ts. The SDK clients are
 * imported lazily; waiting polls DescribeStacks through injectable `PollDeps` (tests use a manual clock).
 */
import type {CloudFormationClient, Parameter, Stack} from '@aws-sdk/client-cloudformation'
import type {Cluster, ContainerInstance, ECSClient} from '@aws-sdk/client-ecs'

import type {ResolvedSettings} from '../config/types.js'
import {EcsxError, InputError, OperationError, WaitTimeoutError} from '../errors.js'
import type {Ui} from '../ui/types.js'
import {amiParameterFor, buildClusterTemplate, UserDataFormatError, type UserDataDocument} from './cfn-template.js'
import {
  type AwsClusterUpOptions,
  normalizeTags,
  readUserDataFiles,
  resolveClusterStackOptions,
} from './cluster-options.js'
import {awsErrorName, createAwsClient, type PollDeps, realPollDeps} from './sdk-config.js'
import {type AwsCall, awsCallOf, formatAwsCall} from './call-context.js'
import {type ClusterNetwork, networkOf, reportCreatedResources, reportFargateNetwork} from './stack-outputs.js'
import {describeStack, outputsOf, recentEvents, waitForStack} from './stack-wait.js'

export {
  type AwsClusterUpOptions,
  normalizeTags,
  type ResolvedClusterStack,
  resolveClusterStackOptions,
  type TagsInput,
} from './cluster-options.js'

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
  /**
   * The cluster's network (VPC, subnets, security groups): what the stack created, or the --vpc/--subnets given.
   * Fargate tasks need these in ecs-params.yml (`run_params.network_configuration.awsvpc_configuration`).
   */
  network?: ClusterNetwork
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
const CLUSTER_DELETE_RETRY_MS = 10_000

// ---------------------------------------------------------------------------------------------------------------
// SDK plumbing

interface Clients {
  cfn: CloudFormationClient
  ecs: ECSClient
  ui: Ui
  cfnSdk: typeof import('@aws-sdk/client-cloudformation')
  ecsSdk: typeof import('@aws-sdk/client-ecs')
  close(): void
}

async function openClients(settings: ResolvedSettings, ui: Ui): Promise<Clients> {
  const [cfnSdk, ecsSdk] = await Promise.all([import('@aws-sdk/client-cloudformation'), import('@aws-sdk/client-ecs')])
  const cfn = await createAwsClient(cfnSdk.CloudFormationClient, settings, ui)
  const ecs = await createAwsClient(ecsSdk.ECSClient, settings, ui, {endpoint: settings.endpointUrl || undefined})
  return {cfn, ecs, ui, cfnSdk, ecsSdk, close: () => (cfn.destroy(), ecs.destroy())}
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
    const client = await createAwsClient(ssm.SSMClient, settings, ui)
    try {
      const out = await client.send(new ssm.GetParameterCommand({Name: name}))
      const meta = JSON.parse(out.Parameter?.Value ?? '{}') as {
        image_id?: string
        ecs_agent_version?: string
        ecs_runtime_version?: string
      }
      if (!meta.image_id) throw new Error('no image_id in the parameter value')
      const details = [meta.ecs_agent_version && `ECS agent ${meta.ecs_agent_version}`, meta.ecs_runtime_version]
        .filter(Boolean)
        .join(', ')
      ui.info(`Using recommended Amazon Linux 2 AMI ${meta.image_id}${details ? ` (${details})` : ''}`)
    } finally {
      client.destroy()
    }
  } catch (err) {
    ui.verbose(
      `Could not read SSM parameter ${name} (${(err as Error).message}); CloudFormation resolves the AMI itself.`,
    )
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
    if (template && !built?.empty && template.launchType === 'EC2' && !template.imageId)
      await reportRecommendedAmi(settings, ui, template.instanceType)

    const tags = normalizeTags(options.tags)
    const clusterObject = await createCluster(c, settings, tags)
    const given = {vpc: template?.vpc, subnets: template?.subnets, securityGroups: template?.securityGroups}
    if (!built || built.empty) {
      if (built?.empty) ui.info('Nothing to create in CloudFormation: the VPC and subnets given are used as they are.')
      ui.info('Cluster creation succeeded.')
      const network = template ? networkOf({}, given) : undefined
      if (network && template?.launchType === 'FARGATE') reportFargateNetwork(ui, network)
      return {
        cluster: clusterObject,
        containerInstances: await registeredInstances(c, cluster),
        ...withNetwork(network),
      }
    }

    const timeoutMs = options.timeoutMs ?? DEFAULT_STACK_TIMEOUT_MS
    if (existing) {
      ui.info(`Deleting the existing CloudFormation stack ${stackName} (--force)`)
      await deleteStackAndWait(c, existing, stackName, {ui, deps, timeoutMs}, 'up --force')
    }
    const stack = await createStackAndWait(c, stackName, built, tags, {ui, deps, timeoutMs})
    const outputs = outputsOf(stack)
    ui.info('Cluster creation succeeded.')
    reportCreatedResources(ui, outputs)
    const network = networkOf(outputs, given)
    if (network && template?.launchType === 'FARGATE') reportFargateNetwork(ui, network)
    return {
      cluster: clusterObject,
      containerInstances: await registeredInstances(c, cluster),
      stack: {stackName, stackId: stack.StackId as string, status: stack.StackStatus as string, outputs},
      ...withNetwork(network),
    }
  } finally {
    c.close()
  }
}

function withNetwork(network: ClusterNetwork | undefined): {network?: ClusterNetwork} {
  return network ? {network} : {}
}

async function createCluster(
  c: Clients,
  settings: ResolvedSettings,
  tags: Array<{Key: string; Value: string}>,
): Promise<Cluster> {
  const created = await c.ecs.send(
    new c.ecsSdk.CreateClusterCommand({
      clusterName: settings.cluster,
      ...(tags.length > 0 ? {tags: tags.map((t) => ({key: t.Key, value: t.Value}))} : {}),
    }),
  )
  c.ui.info(`Created cluster cluster=${settings.cluster} region=${settings.region}`)
  return created.cluster ?? {clusterName: settings.cluster}
}

interface StackWaitOptions {
  ui: Ui
  deps: PollDeps
  timeoutMs: number
}

async function createStackAndWait(
  c: Clients,
  stackName: string,
  built: ReturnType<typeof buildClusterTemplate>,
  tags: Array<{Key: string; Value: string}>,
  wait: StackWaitOptions,
): Promise<Stack> {
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
  wait.ui.verbose(`CreateStack ${stackName}: ${stackId}`)
  return (await waitForStack(c, stackId, stackName, 'CREATE', {...wait, seenEvents: new Set()})) as Stack
}

/**
 * DeleteStack and wait for DELETE_COMPLETE (`up --force`, `down`). A refused DeleteStack is worded as what it is —
 * the stack could not be deleted, naming the stack, the AWS error and the call — instead of the SDK's bare error.
 */
async function deleteStackAndWait(
  c: Clients,
  stack: Stack,
  stackName: string,
  wait: StackWaitOptions,
  command: 'up --force' | 'down',
): Promise<void> {
  const stackId = stack.StackId as string
  const seenEvents = new Set((await recentEvents(c, stackId)).map((e) => e.EventId as string))
  try {
    await c.cfn.send(new c.cfnSdk.DeleteStackCommand({StackName: stackId}))
  } catch (err) {
    if (err instanceof EcsxError) throw err
    const call: AwsCall | undefined = awsCallOf(err)
    throw new OperationError(
      `Could not delete CloudFormation stack ${stackName} (${stack.StackStatus}) for \`ecsx ${command}\`: ` +
        `${(err as Error).name}: ${(err as Error).message}${call ? `\n  from ${formatAwsCall(call)}` : ''}`,
      'Look at the stack in the CloudFormation console (termination protection, an operation in progress, the ' +
        'cloudformation:DeleteStack permission), fix the cause, then run the command again.',
    )
  }
  await waitForStack(c, stackId, stackName, 'DELETE', {...wait, seenEvents})
}

/** The cluster's registered (non-INACTIVE) container instances, described. */
async function registeredInstances(c: Clients, cluster: string): Promise<ContainerInstance[]> {
  const arns = await instanceArns(c, cluster)
  const described: ContainerInstance[] = []
  for (let i = 0; i < arns.length; i += 100) {
    const out = await c.ecs.send(
      new c.ecsSdk.DescribeContainerInstancesCommand({cluster, containerInstances: arns.slice(i, i + 100)}),
    )
    described.push(...(out.containerInstances ?? []))
  }
  return described
}

async function instanceArns(c: Clients, cluster: string, status?: 'ACTIVE'): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const page = await c.ecs.send(
      new c.ecsSdk.ListContainerInstancesCommand({
        cluster,
        ...(status ? {status} : {}),
        ...(nextToken ? {nextToken} : {}),
      }),
    )
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
    const ok = await ui.confirm(
      `Delete cluster '${cluster}' and the resources of CloudFormation stack ${stackName}?`,
      '--force',
    )
    if (!ok)
      throw new OperationError('Cluster deletion aborted.', 'Run the command again and confirm, or pass --force.')
  }
  const c = await openClients(settings, ui)
  try {
    const clusterExists = await refuseWhileServices(c, cluster)

    const timeoutMs = options.timeoutMs ?? DEFAULT_STACK_TIMEOUT_MS
    const stack = await describeStack(c, stackName)
    let stackDeleted = false
    let terminatedInstances: string[] = []
    if (!stack) {
      ui.info(`No CloudFormation stack found for cluster '${cluster}'.`)
      if (!clusterExists)
        throw new OperationError(
          `Cluster '${cluster}' not found in ${settings.region}.`,
          'Check --cluster, --region and the cluster configuration.',
        )
      const count = (await instanceArns(c, cluster, 'ACTIVE')).length
      if (count > 0) {
        throw new OperationError(
          `Cluster '${cluster}' has ${count} registered container instance(s) that ecsx up did not create.`,
          'Deregister them (or terminate their EC2 instances) first; ecsx only deletes capacity it created.',
        )
      }
    } else {
      if (clusterExists) terminatedInstances = await instanceArns(c, cluster)
      await deleteStackAndWait(c, stack, stackName, {ui, deps, timeoutMs}, 'down')
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
 * Refuse while the cluster has services (ECS refuses DeleteCluster then too, even at desired count 0). The listed
 * services are described and only ACTIVE or DRAINING services of this cluster count: real ECS lists nothing else,
 * but other implementations do (moto lists deleted services, and those of clusters whose name contains this one).
 * False when the cluster does not exist.
 */
async function refuseWhileServices(c: Clients, cluster: string): Promise<boolean> {
  const arns: string[] = []
  try {
    let nextToken: string | undefined
    do {
      const page = await c.ecs.send(new c.ecsSdk.ListServicesCommand({cluster, ...(nextToken ? {nextToken} : {})}))
      arns.push(...(page.serviceArns ?? []))
      nextToken = page.nextToken
    } while (nextToken)
  } catch (err) {
    if (awsErrorName(err) === 'ClusterNotFoundException') return false
    throw err
  }
  const live: string[] = []
  for (let i = 0; i < arns.length; i += 10) {
    const out = await c.ecs.send(new c.ecsSdk.DescribeServicesCommand({cluster, services: arns.slice(i, i + 10)}))
    for (const s of out.services ?? []) {
      const ofCluster = !s.clusterArn || s.clusterArn === cluster || s.clusterArn.split('/').pop() === cluster
      if (s.status !== 'INACTIVE' && ofCluster) live.push(s.serviceName ?? s.serviceArn?.split('/').pop() ?? '?')
    }
  }
  if (live.length > 0) {
    throw new OperationError(
      `Cluster '${cluster}' still has ${live.length} service(s): ${live.join(', ')}.`,
      'Delete them first (`ecsx compose service rm`); a service counts even at desired count 0.',
    )
  }
  return true
}

/**
 * DeleteCluster. Right after the stack's instances are terminated ECS may still list them as ACTIVE for a short
 * while; then retry until they are gone (or the timeout passes).
 */
async function deleteClusterWhenEmpty(
  c: Clients,
  cluster: string,
  retry: boolean,
  deps: PollDeps,
  timeoutMs: number,
): Promise<Cluster | undefined> {
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
        throw new WaitTimeoutError(
          `Timed out waiting for the container instances of cluster '${cluster}' to deregister.`,
          'Run `ecsx down` again in a minute.',
        )
      }
      await deps.sleep(CLUSTER_DELETE_RETRY_MS)
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// scale

const SIZE_PARAMETERS = new Set(['AsgMaxSize', 'DesiredCapacity'])
const IAM_CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']

/**
 * Does the stack hold IAM resources (so UpdateStack needs CAPABILITY_IAM)? The Capabilities DescribeStacks reports
 * are not enough — an implementation may omit them (moto does) — so the stack's resources decide when they are absent.
 */
async function holdsIamResources(c: Clients, stack: Stack): Promise<boolean> {
  if ((stack.Capabilities ?? []).some((cap) => IAM_CAPABILITIES.includes(cap))) return true
  const out = await c.cfn.send(new c.cfnSdk.DescribeStackResourcesCommand({StackName: stack.StackId}))
  return (out.StackResources ?? []).some((r) => r.ResourceType?.startsWith('AWS::IAM::'))
}

/** `ecsx scale` on the aws backend: the Auto Scaling group's desired and maximum size become `size`. */
export async function awsClusterScale(
  settings: ResolvedSettings,
  options: {size: number; capabilityIam?: boolean; timeoutMs?: number},
  ui: Ui,
  deps: PollDeps = realPollDeps,
): Promise<AwsClusterScaleResult> {
  const {size} = options
  if (!Number.isInteger(size) || size < 0)
    throw new InputError(`Invalid --size ${size}: expected a whole number of instances (0 or more).`)
  const cluster = settings.cluster
  const stackName = settings.cfnStackName
  const c = await openClients(settings, ui)
  try {
    const stack = await describeStack(c, stackName)
    if (!stack) {
      throw new OperationError(
        `No CloudFormation stack found for cluster '${cluster}' (looked for ${stackName} in ${settings.region}).`,
        "Create the cluster's capacity first with `ecsx up --capability-iam`.",
      )
    }
    const status = stack.StackStatus ?? ''
    if (status.endsWith('_IN_PROGRESS')) {
      throw new OperationError(
        `CloudFormation stack ${stackName} is busy (${status}).`,
        'Wait for the current operation to finish, then scale again.',
      )
    }
    const keys = (stack.Parameters ?? []).map((p) => p.ParameterKey as string)
    if (!keys.includes('AsgMaxSize')) {
      throw new OperationError(
        `CloudFormation stack ${stackName} has no container instances to scale (no AsgMaxSize parameter).`,
        'It was created for Fargate or not by ecsx/ecs-cli up.',
      )
    }
    const needsIam = options.capabilityIam || (await holdsIamResources(c, stack))
    if (needsIam && !options.capabilityIam) {
      throw new InputError(
        `Stack ${stackName} contains IAM resources: pass --capability-iam to acknowledge that updating it may change them.`,
      )
    }
    const parameters: Parameter[] = keys.map((k) =>
      SIZE_PARAMETERS.has(k)
        ? {ParameterKey: k, ParameterValue: String(size)}
        : {ParameterKey: k, UsePreviousValue: true},
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
