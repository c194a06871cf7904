import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {
  humanDuration,
  humanSize,
  imageColumns,
  imageRows,
  listImages,
  mapConcurrent,
  openEcr,
  parseEcrRegistry,
  parseImageReference,
} from '../../../src/lib/aws/ecr.js'
import {EcsxError} from '../../../src/lib/errors.js'
import {fakeAwsForSuite} from './support/fake-aws.js'
import {awsSettings} from './support/fakes.js'

const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com'
const DIGEST_A = 'sha256:6b079ae764a6affcb632231349d4a5e1b084bece8c46883c099863ee2aeb5cf8'
const DIGEST_B = 'sha256:512e30a26d9fa3648dbccb9e78e9bab636e6022e2d80bd73c99177b21a0d3982'

describe('image references', () => {
  it('parses repository, tag, digest and registry like docker', () => {
    expect(parseImageReference('ubuntu')).toEqual({repository: 'ubuntu'})
    expect(parseImageReference('ubuntu:xenial')).toEqual({repository: 'ubuntu', tag: 'xenial'})
    expect(parseImageReference(`amazonlinux@${DIGEST_A}`)).toEqual({repository: 'amazonlinux', digest: DIGEST_A})
    expect(parseImageReference('awsbatch/fetch_and_run:latest')).toEqual({
      repository: 'awsbatch/fetch_and_run',
      tag: 'latest',
    })
    expect(parseImageReference(`${REGISTRY}/team/web:1.2`)).toEqual({
      registry: REGISTRY,
      repository: 'team/web',
      tag: '1.2',
    })
    expect(parseImageReference('localhost:5000/app')).toEqual({registry: 'localhost:5000', repository: 'app'})
  })

  it('rejects malformed references with exit 2', () => {
    for (const bad of ['', 'Ubuntu', 'a b', 'web:', 'web@sha256:xyz', 'web:-bad', 'localhost:5000/']) {
      let caught: unknown
      try {
        parseImageReference(bad)
      } catch (err) {
        caught = err
      }
      expect(caught).toBeInstanceOf(EcsxError)
      expect((caught as EcsxError).exitCode).toBe(2)
    }
  })

  it('round-trips any well-formed repository[:tag] (property)', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,8}([._-][a-z0-9]{1,5})?$/)
    fc.assert(
      fc.property(
        fc.array(component, {minLength: 1, maxLength: 3}),
        fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), {nil: undefined}),
        (parts, tag) => {
          const repository = parts.join('/')
          // a first component with "." would be read as a registry host, as docker does
          fc.pre(!(parts.length > 1 && (parts[0] as string).includes('.')))
          const ref = parseImageReference(tag ? `${repository}:${tag}` : repository)
          expect(ref).toEqual({repository, ...(tag ? {tag} : {})})
        },
      ),
    )
  })

  it('recognises ECR registry hosts', () => {
    expect(parseEcrRegistry(REGISTRY)).toEqual({accountId: '123456789012', region: 'us-west-2'})
    expect(parseEcrRegistry('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com')).toEqual({
      accountId: '123456789012',
      region: 'us-east-1',
    })
    expect(parseEcrRegistry('ghcr.io')).toBeUndefined()
  })
})

describe('mapConcurrent', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0
    let peak = 0
    const out = await mapConcurrent([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      for (let i = 0; i < n; i++) await Promise.resolve()
      inFlight--
      return n * 10
    })
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60])
    expect(peak).toBe(3)
    expect(await mapConcurrent([], 3, async () => 1)).toEqual([])
  })
})

describe('docker-style units', () => {
  it('humanSize: decimal units with three significant digits (ecs-cli images SIZE column)', () => {
    expect(humanSize(0)).toBe('0 B')
    expect(humanSize(999)).toBe('999 B')
    expect(humanSize(51_700_000)).toBe('51.7 MB')
    expect(humanSize(203_400_000)).toBe('203 MB')
    expect(humanSize(98_812_345)).toBe('98.8 MB')
    expect(humanSize(1_500_000_000)).toBe('1.5 GB')
  })

  it('humanDuration follows docker go-units', () => {
    expect(humanDuration(500)).toBe('Less than a second')
    expect(humanDuration(1000)).toBe('1 second')
    expect(humanDuration(59_000)).toBe('59 seconds')
    expect(humanDuration(60_000)).toBe('About a minute')
    expect(humanDuration(19 * 60_000)).toBe('19 minutes')
    expect(humanDuration(60 * 60_000)).toBe('About an hour')
    expect(humanDuration(5 * 3_600_000)).toBe('5 hours')
    expect(humanDuration(4 * 86_400_000)).toBe('4 days')
    expect(humanDuration(14 * 86_400_000)).toBe('2 weeks')
    expect(humanDuration(92 * 86_400_000)).toBe('3 months')
    expect(humanDuration(800 * 86_400_000)).toBe('2 years')
  })
})

describe('ECR requests', () => {
  const fake = fakeAwsForSuite()

  const pushedAt = Date.UTC(2026, 10, 21, 2, 0, 0) / 1000 // 4 days before "now" below
  const now = Date.UTC(2026, 10, 25, 2, 0, 0)

  it('images: every repository, paginated, filtered by tag status; one row per tag', async () => {
    fake.on('ecr:DescribeRepositories', (req) =>
      req.params.nextToken
        ? {json: {repositories: [{repositoryName: 'amazonlinux', registryId: '123456789012'}]}}
        : {json: {repositories: [{repositoryName: 'ubuntu', registryId: '123456789012'}], nextToken: 'r2'}},
    )
    fake.on('ecr:DescribeImages', (req) => {
      if (req.params.repositoryName === 'amazonlinux') return {json: {imageDetails: []}}
      if (!req.params.nextToken) {
        return {
          json: {
            imageDetails: [
              {
                repositoryName: 'ubuntu',
                imageDigest: DIGEST_A,
                imageTags: ['xenial', 'latest'],
                imageSizeInBytes: 51_700_000,
                imagePushedAt: pushedAt,
              },
            ],
            nextToken: 'i2',
          },
        }
      }
      return {
        json: {
          imageDetails: [
            {
              repositoryName: 'ubuntu',
              imageDigest: DIGEST_B,
              imageSizeInBytes: 268_000_000,
              imagePushedAt: now / 1000 - 20 * 60,
            },
          ],
        },
      }
    })
    const ecr = await openEcr(awsSettings())
    let details
    try {
      details = await listImages(ecr, {tagStatus: 'TAGGED'})
    } finally {
      ecr.close()
    }
    expect(fake.requests.slice(0, 2).map((r) => [r.operation, r.params])).toEqual([
      ['DescribeRepositories', {}],
      ['DescribeRepositories', {nextToken: 'r2'}],
    ])
    // repositories are listed concurrently: pin the requests per repository, in order
    const imagesOf = (name: string) =>
      fake
        .calls('ecr', 'DescribeImages')
        .filter((r) => r.params.repositoryName === name)
        .map((r) => r.params)
    expect(fake.calls('ecr', 'DescribeImages')).toHaveLength(3)
    expect(imagesOf('ubuntu')).toEqual([
      {repositoryName: 'ubuntu', registryId: '123456789012', filter: {tagStatus: 'TAGGED'}},
      {repositoryName: 'ubuntu', registryId: '123456789012', filter: {tagStatus: 'TAGGED'}, nextToken: 'i2'},
    ])
    expect(imagesOf('amazonlinux')).toEqual([
      {repositoryName: 'amazonlinux', registryId: '123456789012', filter: {tagStatus: 'TAGGED'}},
    ])
    expect(fake.requests[0]?.headers['x-amz-target']).toBe('AmazonEC2ContainerRegistry_V20150921.DescribeRepositories')
    expect(String(fake.requests[0]?.headers.authorization)).toContain('/us-west-2/ecr/aws4_request')
    const rows = imageRows(details)
    const columns = imageColumns(now)
    expect(columns.map((c) => c.header)).toEqual(['REPOSITORY NAME', 'TAG', 'IMAGE DIGEST', 'PUSHED AT', 'SIZE'])
    expect(rows.map((r) => columns.map((c) => c.get(r)))).toEqual([
      ['ubuntu', '<none>', DIGEST_B, '20 minutes ago', '268 MB'],
      ['ubuntu', 'xenial', DIGEST_A, '4 days ago', '51.7 MB'],
      ['ubuntu', 'latest', DIGEST_A, '4 days ago', '51.7 MB'],
    ])
  })

  it('images REPOSITORY --registry-id asks for that repository only; an unknown one is exit 1', async () => {
    fake.on('ecr:DescribeRepositories', () => ({
      error: {
        code: 'RepositoryNotFoundException',
        message: "The repository with name 'nope' does not exist in the registry with id '210987654321'",
      },
    }))
    const ecr = await openEcr(awsSettings())
    try {
      await expect(listImages(ecr, {repositoryName: 'nope', registryId: '210987654321'})).rejects.toMatchObject({
        exitCode: 1,
        message: 'Repository nope not found in the registry 210987654321.',
      })
    } finally {
      ecr.close()
    }
    expect(fake.requests.map((r) => r.params)).toEqual([{registryId: '210987654321', repositoryNames: ['nope']}])
  })
})
