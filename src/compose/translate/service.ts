/**
 * One Compose service → one ECS container definition. The steps run in a fixed order (it is the order of the
 * container definition's fields); each step is one concern in its own module. Checks that need one service's context
 * (ports in awsvpc, Fargate-invalid keys, units) are made in the steps, where the exact file/line/key is known;
 * checks across containers live in validate.ts.
 */
import type {ServiceParams} from '../ecs-params/index.js'
import type {ServiceDef} from '../load/model.js'
import type {TaskContext} from './context.js'
import {translateEnvironment, translateSecrets} from './environment.js'
import {translateHealthcheck} from './healthcheck.js'
import {translateLabels} from './labels.js'
import {translateDeploy, translateDependsOn, translateParamsExtras, translateStopTimeout} from './lifecycle.js'
import {translateLinuxParameters, translateSysctls, translateUlimits} from './linux.js'
import {translateLogging} from './logging.js'
import {translateLinks, translatePorts} from './ports.js'
import {
  translateBooleans,
  translateCommands,
  translateImage,
  translateSimpleStrings,
  translateWorkingDir,
} from './process.js'
import {translateResources} from './resources.js'
import {ServiceScope} from './scope.js'
import {translateMounts, translateVolumesFrom} from './volumes.js'

export {ServiceScope} from './scope.js'

const CONTAINER_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/

type Step = (s: ServiceScope) => void

const STEPS: Step[] = [
  translateImage,
  (s) => {
    s.def.essential = true
  },
  translateResources,
  translateCommands,
  translateWorkingDir,
  translateEnvironment,
  translateSecrets,
  translatePorts,
  translateLinks,
  translateMounts,
  translateVolumesFrom,
  translateDependsOn,
  translateHealthcheck,
  translateLinuxParameters,
  translateSimpleStrings,
  translateLabels,
  translateLogging,
  translateUlimits,
  translateSysctls,
  translateBooleans,
  translateStopTimeout,
  translateDeploy,
  translateParamsExtras,
]

export function translateService(ctx: TaskContext, svc: ServiceDef, sp: ServiceParams | undefined): ServiceScope {
  const s = new ServiceScope(ctx, svc, sp)
  if (!CONTAINER_NAME_RE.test(svc.name)) {
    s.fail(
      '',
      `invalid service name "${svc.name}": ECS container names allow up to 255 letters, digits, "-" and "_"`,
      [],
    )
  }
  for (const step of STEPS) step(s)
  return s
}
