/**
 * `ecsx push` / `ecsx pull`: move images between the local Docker and Amazon ECR (ecs-cli's commands).
 *
 *   push    GetAuthorizationToken → create the repository if missing → docker tag → docker login → docker push.
 *   pull    GetAuthorizationToken → docker login → docker pull.
 * Docker's availability is checked first, so a machine without Docker fails fast (exit 1) without calling AWS.
 */
import type {Tag} from '@aws-sdk/client-ecr'

import type {ResolvedSettings} from '../config/types.js'
import {InputError} from '../errors.js'
import type {Ui} from '../ui/types.js'
import type {DockerCli} from './docker.js'
import {
  ensureRepository,
  type ImageReference,
  openEcr,
  parseEcrRegistry,
  parseImageReference,
  registryLogin,
} from './ecr.js'

export interface PushResult {
  sourceImage: string
  image: string
  repositoryName: string
  repositoryUri?: string
  tag: string
  repositoryCreated: boolean
}

export interface PullResult {
  image: string
  repositoryName: string
}

interface Target {
  repository: string
  /** ECR registry host named in the reference, if any. */
  registryHost?: string
  registryId?: string
  region?: string
}

function targetOf(ref: ImageReference, registryIdFlag: string | undefined): Target {
  const ecrHost = ref.registry ? parseEcrRegistry(ref.registry) : undefined
  if (ecrHost && registryIdFlag && registryIdFlag !== ecrHost.accountId) {
    throw new InputError(
      `--registry-id ${registryIdFlag} does not match the registry ${ref.registry} named in the image.`,
    )
  }
  return {
    repository: ref.repository,
    ...(ecrHost ? {registryHost: ref.registry, region: ecrHost.region} : {}),
    ...(ecrHost || registryIdFlag ? {registryId: ecrHost?.accountId ?? registryIdFlag} : {}),
  }
}

export interface EcrWorkflowOptions {
  registryId?: string
  useFips?: boolean
}

/**
 * `ecsx push IMAGE[:TAG]`: push local image IMAGE to the ECR repository of the same name (created if missing). An
 * image already named `<account>.dkr.ecr.<region>.amazonaws.com/repo[:tag]` is pushed as it is.
 */
export async function pushImage(
  settings: ResolvedSettings,
  ui: Ui,
  docker: DockerCli,
  image: string,
  options: EcrWorkflowOptions & {tags?: Tag[]} = {},
): Promise<PushResult> {
  const ref = parseImageReference(image)
  if (ref.digest) throw new InputError(`Cannot push by digest ("${image}").`, 'Push a tag: REPOSITORY[:TAG].')
  const target = targetOf(ref, options.registryId)
  const tag = ref.tag ?? 'latest'
  await docker.ensureAvailable()
  const ecr = await openEcr(settings, ui, {useFips: options.useFips, region: target.region})
  try {
    ui.info('Getting the ECR registry address...')
    const login = await registryLogin(ecr, target.registryId)
    const registry = target.registryHost ?? login.registry
    const destination = `${registry}/${target.repository}:${tag}`
    const {repository, created} = await ensureRepository(ecr, target.repository, {
      registryId: target.registryId,
      tags: options.tags,
    })
    if (created) ui.info(`Repository created repository=${target.repository}`)
    if (destination !== image) {
      ui.info(`Tagging image repository=${registry}/${target.repository} source-image=${image} tag=${tag}`)
      await docker.tag(image, destination)
    }
    await docker.login(registry, login.username, login.password)
    ui.info(`Pushing image repository=${registry}/${target.repository} tag=${tag}`)
    await docker.push(destination)
    ui.info('Image pushed')
    return {
      sourceImage: image,
      image: destination,
      repositoryName: target.repository,
      ...(repository.repositoryUri ? {repositoryUri: repository.repositoryUri} : {}),
      tag,
      repositoryCreated: created,
    }
  } finally {
    ecr.close()
  }
}

/** `ecsx pull REPOSITORY[:TAG|@DIGEST]`: pull from the account's (or --registry-id's) ECR registry. */
export async function pullImage(
  settings: ResolvedSettings,
  ui: Ui,
  docker: DockerCli,
  image: string,
  options: EcrWorkflowOptions = {},
): Promise<PullResult> {
  const ref = parseImageReference(image)
  const target = targetOf(ref, options.registryId)
  await docker.ensureAvailable()
  const ecr = await openEcr(settings, ui, {useFips: options.useFips, region: target.region})
  try {
    ui.info('Getting the ECR registry address...')
    const login = await registryLogin(ecr, target.registryId)
    const registry = target.registryHost ?? login.registry
    const source = `${registry}/${target.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag ?? 'latest'}`}`
    await docker.login(registry, login.username, login.password)
    ui.info(
      `Pulling image repository=${registry}/${target.repository} ${ref.digest ? `digest=${ref.digest}` : `tag=${ref.tag ?? 'latest'}`}`,
    )
    await docker.pull(source)
    ui.info('Image pulled')
    return {image: source, repositoryName: target.repository}
  } finally {
    ecr.close()
  }
}
