/**
 * Input checks shared by CreateService and UpdateService (spec §6.1, §6.2).
 */
import type {DeploymentConfiguration, NetworkConfiguration, Service, TaskDefinition} from '@aws-sdk/client-ecs'

import {EcsApiError} from '../../errors.js'
import {validatePlacementStrategies} from '../../placement/index.js'
import {combinedConstraints} from '../launch-checks.js'

export const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/
export const MAX_DESIRED_COUNT = 1000
export const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647
export const MAX_LOAD_BALANCERS = 5

export const invalid = (message: string): EcsApiError => new EcsApiError('InvalidParameterException', message)

export function validateDeploymentConfiguration(strategy: string, config: DeploymentConfiguration): void {
  const max = config.maximumPercent as number
  const min = config.minimumHealthyPercent as number
  if (!Number.isInteger(min) || min < 0 || min > 100)
    throw invalid('deploymentConfiguration.minimumHealthyPercent must be an integer from 0 to 100.')
  if (!Number.isInteger(max) || max < 0)
    throw invalid('deploymentConfiguration.maximumPercent must be a non-negative integer.')
  if (strategy === 'DAEMON' && max !== 100)
    throw invalid('The maximumPercent parameter must be 100 for services with the DAEMON scheduling strategy.')
  if (strategy !== 'DAEMON' && max < 100) throw invalid('deploymentConfiguration.maximumPercent must be at least 100.')
}

export function validateDesiredCount(value: number | undefined): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < 0 || value > MAX_DESIRED_COUNT)
    throw invalid(`desiredCount must be an integer from 0 to ${MAX_DESIRED_COUNT}.`)
}

export function validateGracePeriod(value: number | undefined): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < 0 || value > MAX_GRACE_PERIOD_SECONDS) {
    throw invalid(`healthCheckGracePeriodSeconds must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}.`)
  }
}

export function validatePlacement(
  strategy: string,
  launchType: string,
  service: Pick<Service, 'placementStrategy' | 'placementConstraints'>,
  taskDef: TaskDefinition,
): void {
  const strategies = service.placementStrategy ?? []
  const constraints = service.placementConstraints ?? []
  if (launchType === 'FARGATE' && (strategies.length > 0 || constraints.length > 0)) {
    throw invalid('Task placement constraints and strategies are not supported for the FARGATE launch type.')
  }
  if (strategy === 'DAEMON' && strategies.length > 0)
    throw invalid('Placement strategies are not supported for services with the DAEMON scheduling strategy.')
  validatePlacementStrategies(strategies)
  combinedConstraints(taskDef, constraints)
}

/** Same networking configuration? (a change starts a new deployment) */
export const sameNetwork = (a: NetworkConfiguration | undefined, b: NetworkConfiguration | undefined): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
