/**
 * Input checks shared by the operations that launch tasks (RunTask, StartTask, CreateService, UpdateService): launch
 * type against the task definition, awsvpc network configuration, placement constraints, simulation labels.
 */
import type {NetworkConfiguration, PlacementConstraint, TaskDefinition} from '@aws-sdk/client-ecs'

import {EcsApiError} from '../errors.js'
import {MAX_CONSTRAINTS, validatePlacementConstraints} from '../placement/index.js'
import {containerBehaviour, SimulationLabelError} from '../runtime/simulate.js'

const invalid = (message: string): EcsApiError => new EcsApiError('InvalidParameterException', message)

/** awsvpc needs a network configuration; other modes must not have one (spec §2.1, §6.1). */
export function validateNetworkConfiguration(
  taskDef: TaskDefinition,
  launchType: 'EC2' | 'FARGATE',
  networkConfiguration: NetworkConfiguration | undefined,
): void {
  const awsvpc = networkConfiguration?.awsvpcConfiguration
  if (taskDef.networkMode === 'awsvpc') {
    if (!awsvpc) throw invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
    const subnets = awsvpc.subnets ?? []
    if (subnets.length === 0) throw invalid('subnets can not be empty.')
    if (subnets.length > 16) throw invalid('awsvpcConfiguration can name at most 16 subnets.')
    if ((awsvpc.securityGroups ?? []).length > 5)
      throw invalid('awsvpcConfiguration can name at most 5 security groups.')
    if (
      awsvpc.assignPublicIp !== undefined &&
      awsvpc.assignPublicIp !== 'ENABLED' &&
      awsvpc.assignPublicIp !== 'DISABLED'
    ) {
      throw invalid(`Invalid assignPublicIp '${String(awsvpc.assignPublicIp)}': use ENABLED or DISABLED.`)
    }
    if (awsvpc.assignPublicIp === 'ENABLED' && launchType !== 'FARGATE')
      throw invalid('Assign public IP is not supported for this launch type.')
  } else if (awsvpc) {
    throw invalid('Network Configuration is not valid for the given networkMode of this task definition.')
  }
}

/** The launch type is supported by the task definition (its `compatibilities`). */
export function validateLaunchType(taskDef: TaskDefinition, launchType: string | undefined): 'EC2' | 'FARGATE' {
  const type = launchType ?? 'EC2'
  if (type !== 'EC2' && type !== 'FARGATE') throw invalid(`Invalid launchType '${type}': use EC2 or FARGATE.`)
  const compatibilities = taskDef.compatibilities ?? ['EC2']
  if (!compatibilities.includes(type))
    throw new EcsApiError('ClientException', `Task definition does not support launch_type ${type}.`)
  return type
}

/** Task-definition + request constraints: valid and at most 10 together (spec §5.5). */
export function combinedConstraints(
  taskDef: TaskDefinition,
  requested: PlacementConstraint[] | undefined,
): PlacementConstraint[] {
  const request = requested ?? []
  validatePlacementConstraints(request)
  const all = [
    ...(taskDef.placementConstraints ?? []).map(
      (c) => ({type: c.type, expression: c.expression}) as PlacementConstraint,
    ),
    ...request,
  ]
  if (all.length > MAX_CONSTRAINTS) {
    throw invalid(
      `A task can have at most ${MAX_CONSTRAINTS} placement constraints (task definition and request together); ${all.length} were given.`,
    )
  }
  return all
}

/** Reject malformed `ecsx.simulate.*` docker labels with a message naming the container and the label. */
export function validateSimulation(taskDef: TaskDefinition): void {
  try {
    for (const container of taskDef.containerDefinitions ?? []) containerBehaviour(container, 0)
  } catch (error) {
    if (error instanceof SimulationLabelError) throw new EcsApiError('InvalidParameterException', error.message)
    throw error
  }
}
