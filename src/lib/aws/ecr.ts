/**
 * Amazon ECR for `ecsx images`, `ecsx push` and `ecsx pull` (ecs-cli's commands of the same names).
 *
 *   images  DescribeRepositories → DescribeImages (paginated, --tagged/--untagged) → one row per tag
 *           (REPOSITORY NAME, TAG, IMAGE DIGEST, PUSHED AT, SIZE), like ecs-cli.
 * push/pull (through the local docker CLI) are in image-transfer.ts.
 * The registry is `<account>.dkr.ecr.<region>.amazonaws.com`, taken from the authorization data's proxy endpoint
 * (so no STS call is needed to learn the account).
 */
import type {ECRClient, ImageDetail, Repository, Tag} from '@aws-sdk/client-ecr'

import type {ResolvedSettings} from '../config/types.js'
import {InputError, OperationError} from '../errors.js'
import type {TableColumn, Ui} from '../ui/types.js'
import {awsErrorName, createAwsClient} from './sdk-config.js'

export interface EcrClients {
  client: ECRClient
  sdk: typeof import('@aws-sdk/client-ecr')
  close(): void
}

export async function openEcr(
  settings: ResolvedSettings,
  ui?: Ui,
  options: {useFips?: boolean; region?: string} = {},
): Promise<EcrClients> {
  const sdk = await import('@aws-sdk/client-ecr')
  const client = await createAwsClient(sdk.ECRClient, settings, ui, {useFips: options.useFips, region: options.region})
  return {client, sdk, close: () => client.destroy()}
}

// ---------------------------------------------------------------------------------------------------------------
// image references

export interface ImageReference {
  /** Registry host when the reference names one (`host[:port]/…`). */
  registry?: string
  repository: string
  tag?: string
  digest?: string
}

/** Docker's rule: the first path component is a registry when it has a "." or ":" or is "localhost". */
export function parseImageReference(ref: string): ImageReference {
  const trimmed = ref.trim()
  if (!trimmed || /\s/.test(trimmed))
    throw new InputError(`Invalid image reference "${ref}".`, 'Expected REPOSITORY[:TAG] or REPOSITORY@sha256:DIGEST.')
  let rest = trimmed
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/i.test(digest))
      throw new InputError(`Invalid digest "${digest}" in "${ref}".`, 'Expected sha256:<64 hex digits>.')
  }
  let registry: string | undefined
  const slash = rest.indexOf('/')
  if (slash > 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first
      rest = rest.slice(slash + 1)
    }
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon >= 0) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!/^[\w][\w.-]{0,127}$/.test(tag))
      throw new InputError(`Invalid tag "${tag}" in "${ref}".`, 'Tags have up to 128 letters, digits, "_", "." or "-".')
  }
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(rest)) {
    throw new InputError(
      `Invalid repository name "${rest}" in "${ref}".`,
      'ECR repository names are lowercase letters, digits and . _ - separated by "/".',
    )
  }
  return {...(registry ? {registry} : {}), repository: rest, ...(tag ? {tag} : {}), ...(digest ? {digest} : {})}
}

/** `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]` → account and region. */
export function parseEcrRegistry(host: string): {accountId: string; region: string} | undefined {
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host)
  return m ? {accountId: m[1] as string, region: m[2] as string} : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// images

export interface ImageRow {
  repositoryName: string
  /** `<none>` for untagged images. */
  tag: string
  imageDigest: string
  imagePushedAt?: Date
  imageSizeInBytes?: number
}

export interface ListImagesOptions {
  repositoryName?: string
  registryId?: string
  tagStatus?: 'TAGGED' | 'UNTAGGED'
}

const IMAGE_LIST_CONCURRENCY = 5

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapConcurrent<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

/** All images (as ECR's ImageDetail) of one repository or of every repository in the registry. */
export async function listImages(ecr: EcrClients, options: ListImagesOptions): Promise<ImageDetail[]> {
  const repositories: Repository[] = []
  let nextToken: string | undefined
  try {
    do {
      const page = await ecr.client.send(
        new ecr.sdk.DescribeRepositoriesCommand({
          ...(options.registryId ? {registryId: options.registryId} : {}),
          ...(options.repositoryName ? {repositoryNames: [options.repositoryName]} : {}),
          ...(nextToken ? {nextToken} : {}),
        }),
      )
      repositories.push(...(page.repositories ?? []))
      nextToken = page.nextToken
    } while (nextToken)
  } catch (err) {
    if (awsErrorName(err) === 'RepositoryNotFoundException') {
      throw new OperationError(
        `Repository ${options.repositoryName} not found in the registry${options.registryId ? ` ${options.registryId}` : ''}.`,
        'List the repositories with `ecsx images`.',
      )
    }
    throw err
  }
  // DescribeImages per repository, a few repositories at a time (real ECR round trips dominate); order is kept.
  const perRepository = await mapConcurrent(repositories, IMAGE_LIST_CONCURRENCY, async (repo) => {
    const details: ImageDetail[] = []
    let token: string | undefined
    do {
      const page = await ecr.client.send(
        new ecr.sdk.DescribeImagesCommand({
          repositoryName: repo.repositoryName,
          ...((options.registryId ?? repo.registryId) ? {registryId: options.registryId ?? repo.registryId} : {}),
          ...(options.tagStatus ? {filter: {tagStatus: options.tagStatus}} : {}),
          ...(token ? {nextToken: token} : {}),
        }),
      )
      details.push(...(page.imageDetails ?? []))
      token = page.nextToken
    } while (token)
    return details
  })
  const details = perRepository.flat()
  return details
}

/** ecs-cli's rows: one per tag (untagged images once, as `<none>`); newest push first within a repository. */
export function imageRows(details: ImageDetail[]): ImageRow[] {
  const order = new Map<string, number>()
  for (const d of details) if (!order.has(d.repositoryName ?? '')) order.set(d.repositoryName ?? '', order.size)
  const sorted = [...details].sort(
    (a, b) =>
      (order.get(a.repositoryName ?? '') ?? 0) - (order.get(b.repositoryName ?? '') ?? 0) ||
      (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0),
  )
  return sorted.flatMap((d) =>
    (d.imageTags?.length ? d.imageTags : ['<none>']).map((tag) => ({
      repositoryName: d.repositoryName ?? '',
      tag,
      imageDigest: d.imageDigest ?? '',
      ...(d.imagePushedAt ? {imagePushedAt: d.imagePushedAt} : {}),
      ...(d.imageSizeInBytes !== undefined ? {imageSizeInBytes: d.imageSizeInBytes} : {}),
    })),
  )
}

export function imageColumns(now: number): Array<TableColumn<ImageRow>> {
  return [
    {header: 'REPOSITORY NAME', get: (r) => r.repositoryName},
    {header: 'TAG', get: (r) => r.tag},
    {header: 'IMAGE DIGEST', get: (r) => r.imageDigest},
    {header: 'PUSHED AT', get: (r) => (r.imagePushedAt ? `${humanDuration(now - r.imagePushedAt.getTime())} ago` : '')},
    {header: 'SIZE', get: (r) => (r.imageSizeInBytes !== undefined ? humanSize(r.imageSizeInBytes) : '')},
  ]
}

/** Docker's units.HumanSize: decimal units, three significant digits ("51.7 MB", "203 MB"). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  let value = bytes
  let i = 0
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000
    i++
  }
  return `${Number(value.toPrecision(3))} ${units[i]}`
}

/** Docker's units.HumanDuration ("Less than a second", "About a minute", "4 days", "3 months" …). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.floor(seconds / 60)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.floor(ms / 3_600_000 + 0.5)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`
}

// ---------------------------------------------------------------------------------------------------------------
// login, repositories

export interface RegistryLogin {
  /** Registry host, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com */
  registry: string
  username: string
  password: string
}

/** GetAuthorizationToken, decoded. The password is a secret: hand it to docker through stdin only. */
export async function registryLogin(ecr: EcrClients, registryId?: string): Promise<RegistryLogin> {
  const out = await ecr.client.send(
    new ecr.sdk.GetAuthorizationTokenCommand(registryId ? {registryIds: [registryId]} : {}),
  )
  const data = out.authorizationData?.[0]
  if (!data?.authorizationToken || !data.proxyEndpoint) throw new OperationError('ECR returned no authorization data.')
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new OperationError('ECR returned a malformed authorization token.')
  return {
    registry: data.proxyEndpoint.replace(/^https?:\/\//, '').replace(/\/+$/, ''),
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  }
}

/** DescribeRepositories; CreateRepository when it does not exist (ecs-cli push does the same). */
export async function ensureRepository(
  ecr: EcrClients,
  repositoryName: string,
  options: {registryId?: string; tags?: Tag[]},
): Promise<{repository: Repository; created: boolean}> {
  try {
    const out = await ecr.client.send(
      new ecr.sdk.DescribeRepositoriesCommand({
        repositoryNames: [repositoryName],
        ...(options.registryId ? {registryId: options.registryId} : {}),
      }),
    )
    const repository = out.repositories?.[0]
    if (repository) return {repository, created: false}
  } catch (err) {
    if (awsErrorName(err) !== 'RepositoryNotFoundException') throw err
  }
  const created = await ecr.client.send(
    new ecr.sdk.CreateRepositoryCommand({
      repositoryName,
      ...(options.registryId ? {registryId: options.registryId} : {}),
      ...(options.tags && options.tags.length > 0 ? {tags: options.tags} : {}),
    }),
  )
  return {repository: created.repository ?? {repositoryName}, created: true}
}
