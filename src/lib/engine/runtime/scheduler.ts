/**
 * The service scheduler (spec §6.3–6.5, §3.5): one controller run brings a service one step closer to its
 * desired state at time `t` — replace unhealthy tasks (after the grace period), stop PENDING tasks on draining
 * instances, roll deployments within floor(D × max%) running+pending and ceil(D × min%) healthy, scale in through
 * the placement module's chooser, start tasks through the placer (AZ balance by default), honour the start
 * throttle, and report events, deployment counts and rollout state.
 */
import type {PlacementConstraint, PlacementStrategy, Service, Tag, TaskDefinition} from '@aws-sdk/client-ecs'

import type {EngineContext} from '../context.js'
import {requireActiveCluster} from '../model/clusters.js'
import type {ServiceDoc, StoredTaskDefinition, TaskDoc} from '../model/documents.js'
import {loadCandidates} from '../model/instance-resources.js'
import {saveService, serviceGroup, unstoppedServiceTasks} from '../model/services.js'
import {presentTaskDefinition, resolveTaskDefinition} from '../model/task-definitions.js'
import {isLive} from '../model/tasks.js'
import {chooseTasksToStop, createPlacer, serviceDefaultStrategies, unplaceableEventMessage} from '../placement/index.js'
import type {PlacementCandidate, Placer, RunningTaskRef, TaskDemand} from '../placement/types.js'
import {compileQuery} from '../query/compile.js'
import {
  circuitBreakerThreshold,
  deploymentBounds,
  primaryOf,
  refreshDeploymentCounts,
  startDeployment,
} from './deployments.js'
import {addEvent, addSuppressedEvent, clearSuppression, eventText, suppressionExpiry} from './events.js'
import {launchOnFargate, launchOnPlacer} from './launch.js'
import {launchDemand, type LaunchSpec} from './launch-spec.js'
import {stopTaskAt} from './lifecycle.js'
import {afterTransition, type Wakeups} from './transitions.js'

export const behindClassicLoadBalancer = (service: Service): boolean =>
  (service.loadBalancers ?? []).some((lb) => lb.loadBalancerName)

/** Healthy for deployment math: RUNNING and, when essential containers have health checks, HEALTHY. */
export function isHealthy(task: TaskDoc): boolean {
  if (task.lastStatus !== 'RUNNING' || task.desiredStatus === 'STOPPED') return false
  const checked = task._sim.containers.some((c) => c.essential && c.healthCheck)
  return checked ? task.healthStatus === 'HEALTHY' : task.healthStatus !== 'UNHEALTHY'
}

const scalingReason = (deploymentId: string | undefined): string =>
  `Scaling activity initiated by (deployment ${deploymentId ?? 'unknown'})`
export const DRAINING_STOP_REASON = 'Container instance is DRAINING: task replaced by the service scheduler'
export const UNHEALTHY_STOP_REASON = 'Task failed container health checks'

function propagatedTags(service: Service, taskDef: StoredTaskDefinition): Tag[] {
  const tags: Tag[] = []
  if (service.propagateTags === 'SERVICE') tags.push(...(service.tags ?? []))
  if (service.propagateTags === 'TASK_DEFINITION') tags.push(...(taskDef._engine?.tags ?? []))
  if (service.enableECSManagedTags) {
    tags.push({
      key: 'aws:ecs:clusterName',
      value: (service.clusterArn ?? '').slice((service.clusterArn ?? '').lastIndexOf('/') + 1),
    })
    tags.push({key: 'aws:ecs:serviceName', value: service.serviceName})
  }
  return tags
}

class ControllerRun {
  private nextAt: number | undefined
  private readonly stopped: string[] = []
  private readonly started: string[] = []
  private unplaceable: string | undefined
  readonly tasks: TaskDoc[]
  private loaded?: {candidates: PlacementCandidate[]; byArn: Map<string, PlacementCandidate>}
  private readonly wake: Wakeups

  constructor(
    private readonly ctx: EngineContext,
    private readonly service: ServiceDoc,
    private readonly t: number,
    wake: Wakeups,
  ) {
    // Most runs only read the tasks: they are read shared (no copy each) and copied when the run stops one (stop()).
    this.tasks = unstoppedServiceTasks(ctx, service, wake.pass?.copyTasks !== true)
    // This run already reacts to its own stops: do not wake the service again for them at this instant.
    this.wake = {
      pass: wake.pass,
      task: (task) => wake.task(task),
      service: (arn, at) => {
        if (arn !== service.serviceArn || at !== t) wake.service(arn, at)
      },
      capacityFreed: (cluster, at) => wake.capacityFreed(cluster, at),
    }
  }

  /** Placement candidates of the cluster, loaded on first use (many runs never need them). */
  private get candidates(): PlacementCandidate[] {
    return this.instances().candidates
  }

  private get byArn(): Map<string, PlacementCandidate> {
    return this.instances().byArn
  }

  private instances(): {candidates: PlacementCandidate[]; byArn: Map<string, PlacementCandidate>} {
    if (!this.loaded) {
      const candidates =
        this.service.launchType === 'FARGATE' ? [] : loadCandidates(this.ctx, this.service.clusterArn as string)
      this.loaded = {candidates, byArn: new Map(candidates.map((c) => [c.containerInstanceArn, c]))}
    }
    return this.loaded
  }

  /** Candidates reflect reservations at load time; reload after launching so later steps see the new state. */
  private invalidateInstances(): void {
    this.loaded = undefined
  }

  wakeAt(time: number | undefined): void {
    if (time === undefined) return
    if (this.nextAt === undefined || time < this.nextAt) this.nextAt = time
  }

  live(): TaskDoc[] {
    return this.tasks.filter(isLive)
  }

  instanceStatus(task: TaskDoc): string {
    if (!task.containerInstanceArn) return 'ACTIVE'
    if (this.loaded) return this.byArn.get(task.containerInstanceArn)?.status ?? 'INACTIVE'
    // The status index column (= body.status): no body is read or copied.
    return this.ctx.tx.get('instance', task.containerInstanceArn)?.status ?? 'INACTIVE'
  }

  onDrainingInstance(task: TaskDoc): boolean {
    return this.instanceStatus(task) !== 'ACTIVE'
  }

  /**
   * The task to change: `task` itself if it is the document's own (writable) body, else the writable copy from the
   * transaction, which then replaces `task` in `this.tasks`.
   */
  private writable(task: TaskDoc): TaskDoc {
    const own = this.ctx.tx.get<TaskDoc>('task', task.taskArn as string)?.body
    if (!own || own === task) return task
    const index = this.tasks.indexOf(task)
    if (index >= 0) this.tasks[index] = own
    return own
  }

  stop(shared: TaskDoc, reason: string, announce = true): void {
    const task = this.writable(shared)
    const report = stopTaskAt(task, this.t, {reason, code: 'ServiceSchedulerInitiated', byScheduler: true})
    afterTransition(this.ctx, task, report, this.wake, this.t, this.service)
    if (announce) this.stopped.push(task.taskArn as string)
  }

  /** Stop unhealthy RUNNING tasks whose grace period is over; wake up when a grace period ends. */
  replaceUnhealthy(): void {
    // Container health checks are not supported behind a Classic Load Balancer: UNHEALTHY is ignored (spec §4.4).
    if (behindClassicLoadBalancer(this.service)) return
    const graceMs = (this.service.healthCheckGracePeriodSeconds ?? 0) * 1000
    for (const task of this.live()) {
      if (task.lastStatus !== 'RUNNING' || task.healthStatus !== 'UNHEALTHY') continue
      const graceEnd = (task.startedAt?.getTime() ?? this.t) + graceMs
      if (this.t < graceEnd) {
        this.wakeAt(graceEnd)
        continue
      }
      addEvent(
        this.ctx,
        this.service,
        eventText.unhealthyTask(this.service.serviceName ?? '', task.taskArn as string),
        this.t,
      )
      this.stop(task, UNHEALTHY_STOP_REASON)
    }
  }

  /** PENDING tasks on DRAINING instances stop at once (spec §3.5). */
  stopPendingOnDraining(): void {
    for (const task of this.live()) {
      if (task.lastStatus !== 'RUNNING' && this.onDrainingInstance(task)) this.stop(task, DRAINING_STOP_REASON)
    }
  }

  taskDefinition(arn: string): StoredTaskDefinition | undefined {
    const doc = resolveTaskDefinition(this.ctx, arn)
    return doc?.body
  }

  launchSpec(taskDef: StoredTaskDefinition): LaunchSpec {
    const service = this.service
    const primary = primaryOf(service)
    const constraints: PlacementConstraint[] = [
      ...(taskDef.placementConstraints ?? []),
      ...(service.placementConstraints ?? []),
    ].map((c) => ({type: c.type, expression: c.expression}) as PlacementConstraint)
    const strategies: PlacementStrategy[] =
      service.schedulingStrategy === 'DAEMON'
        ? []
        : service.placementStrategy?.length
          ? service.placementStrategy
          : serviceDefaultStrategies()
    return {
      cluster: requireActiveCluster(this.ctx, service.clusterArn).body,
      taskDef: presentTaskDefinition(taskDef),
      launchType: service.launchType === 'FARGATE' ? 'FARGATE' : 'EC2',
      group: serviceGroup(service.serviceName ?? ''),
      startedBy: primary?.id,
      networkConfiguration: primary?.networkConfiguration ?? service.networkConfiguration,
      platformVersion: primary?.platformVersion ?? service.platformVersion,
      tags: propagatedTags(service, taskDef),
      serviceArn: service.serviceArn,
      deploymentId: primary?.id,
      hasLoadBalancer: (service.loadBalancers?.length ?? 0) > 0 || (service.serviceRegistries?.length ?? 0) > 0,
      strategies,
      constraints,
    }
  }

  throttled(): boolean {
    const until = this.service._engine.throttle.nextLaunchAt
    if (until !== undefined && this.t < until) {
      this.wakeAt(until)
      return true
    }
    return false
  }

  /** The PRIMARY deployment's launch spec and demand (memoised for the pass). */
  private primaryLaunch(): {spec: LaunchSpec; demand: TaskDemand} | undefined {
    const service = this.service
    const primary = primaryOf(service)
    if (!primary?.taskDefinition) return undefined
    // Within a pass the service document is one object: its fields change identity when they change.
    const key = [
      primary.id,
      primary.taskDefinition,
      service.placementStrategy,
      service.placementConstraints,
      service.propagateTags,
      service.enableECSManagedTags,
    ]
    const memo = this.wake.pass?.launches.get(service)
    if (memo && memo.key.length === key.length && memo.key.every((part, i) => part === key[i])) return memo
    const taskDef = this.taskDefinition(primary.taskDefinition)
    if (!taskDef) return undefined
    const spec = this.launchSpec(taskDef)
    const entry = {key, spec, demand: launchDemand(this.ctx, spec)}
    this.wake.pass?.launches.set(service, entry)
    return entry
  }

  /** The cluster's placer: the pass's (kept in step with reservations) or a fresh one. */
  private clusterPlacer(): Placer {
    const cluster = this.service.clusterArn as string
    const pass = this.wake.pass
    const cached = pass?.placers.get(cluster)
    if (cached) return cached
    const placer = createPlacer(loadCandidates(this.ctx, cluster), {random: this.ctx.random, clusterArn: cluster})
    pass?.placers.set(cluster, placer)
    return placer
  }

  /** Launch up to `count` PRIMARY tasks; `only` restricts placement to one instance (DAEMON). */
  launch(count: number, only?: PlacementCandidate): {started: number; failed: boolean} {
    if (count <= 0) return {started: 0, failed: false}
    const launch = this.primaryLaunch()
    if (!launch) return {started: 0, failed: false}
    const {spec, demand} = launch
    const started: TaskDoc[] = []
    let failed = false
    if (spec.launchType === 'FARGATE') {
      const azCounts = new Map<string, number>()
      for (const task of this.live())
        if (task.availabilityZone) azCounts.set(task.availabilityZone, (azCounts.get(task.availabilityZone) ?? 0) + 1)
      for (let i = 0; i < count; i++) started.push(launchOnFargate(this.ctx, spec, demand, this.t, azCounts))
    } else {
      const placer = only
        ? createPlacer([only], {random: this.ctx.random, clusterArn: this.service.clusterArn as string})
        : this.clusterPlacer()
      for (let i = 0; i < count; i++) {
        const result = launchOnPlacer(this.ctx, placer, spec, demand, this.t)
        if ('failure' in result) {
          failed = true
          clearSuppression(this.service._engine.events, 'steady')
          this.unplaceable = unplaceableEventMessage(this.service.serviceName ?? '', {
            arn: result.failure.arn ?? '',
            reason: result.failure.reason ?? '',
          })
          break
        }
        started.push(result.task)
      }
    }
    for (const task of started) {
      this.tasks.push(task)
      this.wake.task(task)
    }
    if (started.length > 0) {
      this.invalidateInstances()
      // A reservation made outside the pass's cluster placer makes that placer stale.
      if (only) this.wake.pass?.placers.delete(this.service.clusterArn as string)
    }
    for (const task of started) this.started.push(task.taskArn as string)
    if (started.length > 0 && this.wake.pass) this.wake.pass.launched = true
    return {started: started.length, failed}
  }

  /** Stop old (non-PRIMARY or draining-instance) tasks within the minimum-healthy budget. */
  stopOld(isKeep: (task: TaskDoc) => boolean, minHealthy: number): void {
    const primaryId = primaryOf(this.service)?.id
    for (const task of this.live()) if (!isKeep(task) && !isHealthy(task)) this.stop(task, scalingReason(primaryId))
    let budget = this.live().filter(isHealthy).length - minHealthy
    if (budget <= 0) return
    const order = new Map((this.service.deployments ?? []).map((d, i) => [d.id, i]))
    const old = this.live()
      .filter((task) => !isKeep(task) && isHealthy(task))
      .sort((a, b) => (order.get(b._sim.deploymentId) ?? 1e9) - (order.get(a._sim.deploymentId) ?? 1e9))
    for (const task of old) {
      if (budget <= 0) break
      this.stop(task, task._sim.deploymentId === primaryId ? DRAINING_STOP_REASON : scalingReason(primaryId))
      budget--
    }
  }

  replica(): void {
    const service = this.service
    const desired = service.desiredCount ?? 0
    const primary = primaryOf(service)
    const {maxTasks, minHealthy} = deploymentBounds(desired, service.deploymentConfiguration)
    const isKeep = (task: TaskDoc): boolean => task._sim.deploymentId === primary?.id && !this.onDrainingInstance(task)

    this.stopOld(isKeep, minHealthy)

    // Scale in: pending tasks first (newest first), then the placement module's choice among running ones.
    let keep = this.live().filter(isKeep)
    let excess = keep.length - desired
    if (excess > 0) {
      const reason = scalingReason(primary?.id)
      for (const task of [...keep].reverse()) {
        if (excess <= 0) break
        if (task.lastStatus !== 'RUNNING') {
          this.stop(task, reason)
          excess--
        }
      }
      if (excess > 0) {
        const running = this.live().filter(isKeep)
        const withInstance = running.filter((t) => t.containerInstanceArn)
        const refs: RunningTaskRef[] = withInstance.map((t) => ({
          taskArn: t.taskArn as string,
          containerInstanceArn: t.containerInstanceArn as string,
        }))
        const chosen = new Set(
          refs.length > 0
            ? chooseTasksToStop(
                this.candidates,
                refs,
                Math.min(excess, refs.length),
                service.placementStrategy ?? [],
                this.ctx.random,
              )
            : [],
        )
        for (const task of running) if (chosen.has(task.taskArn as string)) this.stop(task, reason)
        excess -= chosen.size
        for (const task of [...running].reverse()) {
          if (excess <= 0) break
          if (isLive(task)) {
            this.stop(task, reason)
            excess--
          }
        }
      }
    }

    keep = this.live().filter(isKeep)
    const need = desired - keep.length
    const room = maxTasks - this.live().length
    const count = Math.min(need, room)
    if (count > 0 && !this.throttled()) {
      const result = this.launch(count)
      this.service._engine.waitingForCapacity = result.failed
      if (!result.failed && count === need) clearSuppression(service._engine.events, 'unplaceable')
    } else if (need <= 0) {
      this.service._engine.waitingForCapacity = false
      clearSuppression(service._engine.events, 'unplaceable')
    }
    this.settle(desired, isKeep)
  }

  /** Instances where a DAEMON task belongs: ACTIVE, agent connected, required attributes and memberOf constraints met. */
  daemonInstances(taskDef: TaskDefinition): PlacementCandidate[] {
    const required = (taskDef.requiresAttributes ?? []).filter((a) => a.name)
    const queries = [...(taskDef.placementConstraints ?? []), ...(this.service.placementConstraints ?? [])]
      .filter((c) => c.type === 'memberOf' && c.expression)
      .map((c) => compileQuery(c.expression as string))
    return this.candidates
      .filter((c) => c.status === 'ACTIVE' && c.agentConnected)
      .filter((c) =>
        required.every(
          (a) =>
            c.attributes.has(a.name as string) &&
            (a.value === undefined || c.attributes.get(a.name as string) === a.value),
        ),
      )
      .filter((c) => queries.every((q) => q.test(c)))
      .sort((a, b) => (a.containerInstanceArn < b.containerInstanceArn ? -1 : 1))
  }

  daemon(): void {
    const service = this.service
    const primary = primaryOf(service)
    const taskDef = primary?.taskDefinition ? this.taskDefinition(primary.taskDefinition) : undefined
    const eligible = taskDef ? this.daemonInstances(taskDef) : []
    const eligibleArns = new Set(eligible.map((c) => c.containerInstanceArn))
    const desired = eligible.length
    service.desiredCount = desired
    const {maxTasks, minHealthy} = deploymentBounds(desired, service.deploymentConfiguration)
    const reason = scalingReason(primary?.id)

    // Tasks on instances that are no longer eligible (draining, deregistered, constraints) stop, not replaced.
    for (const task of this.live()) {
      const arn = task.containerInstanceArn ?? ''
      const candidate = this.byArn.get(arn)
      const disconnectedButActive = candidate?.status === 'ACTIVE' && !candidate.agentConnected
      if (!eligibleArns.has(arn) && !disconnectedButActive)
        this.stop(task, this.onDrainingInstance(task) ? DRAINING_STOP_REASON : reason)
    }
    // At most one PRIMARY task per instance.
    const seen = new Set<string>()
    for (const task of this.live()) {
      if (task._sim.deploymentId !== primary?.id) continue
      const arn = task.containerInstanceArn ?? ''
      if (seen.has(arn)) this.stop(task, reason)
      else seen.add(arn)
    }
    this.stopOld((task) => task._sim.deploymentId === primary?.id, minHealthy)

    let room = maxTasks - this.live().length
    let failed = false
    if (!this.throttled()) {
      for (const candidate of eligible) {
        if (room <= 0) break
        if (this.live().some((task) => task.containerInstanceArn === candidate.containerInstanceArn)) continue
        const result = this.launch(1, candidate)
        if (result.failed) failed = true
        room -= result.started
      }
    }
    service._engine.waitingForCapacity = failed
    if (!failed) clearSuppression(service._engine.events, 'unplaceable')
    this.settle(desired, (task) => task._sim.deploymentId === primary?.id)
  }

  draining(): void {
    const reason = scalingReason(primaryOf(this.service)?.id)
    for (const task of this.live()) this.stop(task, reason)
    if (this.tasks.every((task) => task.lastStatus === 'STOPPED')) {
      this.service.status = 'INACTIVE'
      this.service.desiredCount = 0
      for (const deployment of this.service.deployments ?? [])
        deployment.status = deployment.status === 'PRIMARY' ? 'PRIMARY' : 'INACTIVE'
    }
  }

  /** Circuit breaker, steady state, deployment completion. */
  settle(desired: number, isKeep: (task: TaskDoc) => boolean): void {
    const service = this.service
    const primary = primaryOf(service)
    if (!primary) return
    const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker
    if (
      breaker?.enable &&
      primary.rolloutState === 'IN_PROGRESS' &&
      (primary.failedTasks ?? 0) >= circuitBreakerThreshold(desired)
    ) {
      primary.rolloutState = 'FAILED'
      primary.rolloutStateReason = `ECS deployment circuit breaker: tasks failed to start.`
      addEvent(this.ctx, service, eventText.deploymentFailed(service.serviceName ?? '', primary.id ?? ''), this.t)
      const last = service._engine.lastCompleted
      if (breaker.rollback && last && last.taskDefinition !== primary.taskDefinition) {
        service.taskDefinition = last.taskDefinition
        startDeployment(
          this.ctx,
          service,
          {
            taskDefinition: last.taskDefinition,
            desiredCount: service.desiredCount ?? 0,
            launchType: service.launchType,
            platformVersion: service.platformVersion,
            networkConfiguration: last.networkConfiguration,
          },
          this.t,
        )
        service._engine.throttle = {failures: 0}
        this.wakeAt(this.t)
      }
      return
    }
    const unstopped = this.tasks.filter((task) => task.lastStatus !== 'STOPPED')
    const keep = unstopped.filter((task) => isLive(task) && isKeep(task))
    const steady = keep.length === desired && unstopped.length === keep.length && keep.every(isHealthy)
    // Task churn alone (a crash loop, a replaced task) does not make the steady-state message new again: only a
    // completed deployment, a scale change (UpdateService) or a placement failure does (spec §6.9 suppression).
    if (!steady) return
    if (primary.rolloutState === 'IN_PROGRESS') {
      clearSuppression(service._engine.events, 'steady')
      primary.rolloutState = 'COMPLETED'
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`
      addEvent(this.ctx, service, eventText.deploymentCompleted(service.serviceName ?? '', primary.id ?? ''), this.t)
      service._engine.lastCompleted = {
        taskDefinition: primary.taskDefinition ?? '',
        networkConfiguration: primary.networkConfiguration,
      }
    }
    addSuppressedEvent(
      this.ctx,
      service,
      service._engine.events,
      'steady',
      eventText.steady(service.serviceName ?? ''),
      this.t,
    )
    this.wakeAt(suppressionExpiry(service._engine.events, 'steady'))
  }

  /** What a run can change in the service document (to skip saving unchanged services). */
  static signature(service: ServiceDoc): string {
    return JSON.stringify([
      service.status,
      service.desiredCount,
      service.runningCount,
      service.pendingCount,
      service.taskDefinition,
      service.deployments,
      service.events?.length,
      service.events?.[0]?.id,
      service._engine,
    ])
  }

  finish(before: string): void {
    const service = this.service
    // One event per kind and run (a DAEMON run starting tasks on several instances reports them together).
    if (this.stopped.length > 0)
      addEvent(this.ctx, service, eventText.stopped(service.serviceName ?? '', this.stopped), this.t)
    if (this.started.length > 0)
      addEvent(this.ctx, service, eventText.started(service.serviceName ?? '', this.started), this.t)
    if (this.unplaceable)
      addSuppressedEvent(this.ctx, service, service._engine.events, 'unplaceable', this.unplaceable, this.t)
    refreshDeploymentCounts(service, this.tasks, this.t)
    service._engine.nextAt = this.nextAt
    if (ControllerRun.signature(service) !== before) saveService(this.ctx, service)
    if (this.nextAt !== undefined && service.serviceArn) this.wake.service(service.serviceArn, this.nextAt)
  }
}

/** One controller step for `service` at time `t` (the service document is updated and saved). */
export function runServiceController(ctx: EngineContext, service: ServiceDoc, t: number, wake: Wakeups): void {
  if (service.status === 'INACTIVE') return
  const before = ControllerRun.signature(service)
  const run = new ControllerRun(ctx, service, t, wake)
  if (service.status === 'DRAINING') run.draining()
  else {
    run.replaceUnhealthy()
    run.stopPendingOnDraining()
    if (service.schedulingStrategy === 'DAEMON') run.daemon()
    else run.replica()
  }
  run.finish(before)
}
