import {describe, expect, it} from '@jest/globals'
import {PassThrough} from 'node:stream'

import {createDockerCli} from '../../../src/lib/aws/docker.js'
import {pullImage, pushImage} from '../../../src/lib/aws/image-transfer.js'
import {fakeAwsForSuite} from './support/fake-aws.js'
import {installFakeDocker, pathWithoutDocker} from './support/fake-docker.js'
import {awsSettings, recordingUi} from './support/fakes.js'

const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com'
const PASSWORD = 'eyJwYXlsb2FkIjoiRUNSLVRPS0VOIn0-secret'
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64')
const DIGEST_A = 'sha256:6b079ae764a6affcb632231349d4a5e1b084bece8c46883c099863ee2aeb5cf8'

describe('push / pull: ECR requests and docker invocations', () => {
  const fake = fakeAwsForSuite()

  const now = Date.UTC(2026, 10, 25, 2, 0, 0)

  function ecrHandlers(repoExists: boolean) {
    fake.on('ecr:GetAuthorizationToken', () => ({
      json: {
        authorizationData: [
          {authorizationToken: TOKEN, expiresAt: now / 1000 + 43200, proxyEndpoint: `https://${REGISTRY}`},
        ],
      },
    }))
    fake.on('ecr:DescribeRepositories', (req) =>
      repoExists
        ? {
            json: {
              repositories: [
                {repositoryName: (req.params.repositoryNames as string[])[0], repositoryUri: `${REGISTRY}/ubuntu`},
              ],
            },
          }
        : {error: {code: 'RepositoryNotFoundException', message: 'The repository with name ubuntu does not exist'}},
    )
    fake.on('ecr:CreateRepository', (req) => ({
      json: {
        repository: {
          repositoryName: req.params.repositoryName,
          repositoryUri: `${REGISTRY}/${req.params.repositoryName}`,
        },
      },
    }))
  }

  it('push: token, create the missing repository (with --tags), tag, login via stdin, push', async () => {
    ecrHandlers(false)
    const docker = installFakeDocker()
    const ui = recordingUi()
    const result = await pushImage(
      awsSettings(),
      ui,
      createDockerCli({env: docker.env, output: new PassThrough()}),
      'ubuntu',
      {tags: [{Key: 'team', Value: 'web'}]},
    )
    expect(fake.requests.map((r) => [r.operation, r.params])).toEqual([
      ['GetAuthorizationToken', {}],
      ['DescribeRepositories', {repositoryNames: ['ubuntu']}],
      ['CreateRepository', {repositoryName: 'ubuntu', tags: [{Key: 'team', Value: 'web'}]}],
    ])
    expect(docker.invocations()).toEqual([
      {argv: ['info', '--format', '{{.ServerVersion}}'], stdin: ''},
      {argv: ['tag', 'ubuntu', `${REGISTRY}/ubuntu:latest`], stdin: ''},
      {argv: ['login', '--username', 'AWS', '--password-stdin', REGISTRY], stdin: PASSWORD},
      {argv: ['push', `${REGISTRY}/ubuntu:latest`], stdin: ''},
    ])
    expect(result).toEqual({
      sourceImage: 'ubuntu',
      image: `${REGISTRY}/ubuntu:latest`,
      repositoryName: 'ubuntu',
      repositoryUri: `${REGISTRY}/ubuntu`,
      tag: 'latest',
      repositoryCreated: true,
    })
    const everything = JSON.stringify([ui.lines, result, docker.invocations().map((i) => i.argv)])
    expect(everything).not.toContain(PASSWORD)
    expect(everything).not.toContain(TOKEN)
    expect(ui.lines.info).toEqual([
      'Getting the ECR registry address...',
      'Repository created repository=ubuntu',
      `Tagging image repository=${REGISTRY}/ubuntu source-image=ubuntu tag=latest`,
      `Pushing image repository=${REGISTRY}/ubuntu tag=latest`,
      'Image pushed',
    ])
  })

  it('push of a full ECR name into another account uses that registry id and region', async () => {
    ecrHandlers(true)
    const docker = installFakeDocker()
    const other = '210987654321.dkr.ecr.eu-west-1.amazonaws.com'
    await pushImage(
      awsSettings(),
      recordingUi(),
      createDockerCli({env: docker.env, output: new PassThrough()}),
      `${other}/team/web:2`,
    )
    expect(fake.requests.map((r) => [r.operation, r.params])).toEqual([
      ['GetAuthorizationToken', {registryIds: ['210987654321']}],
      ['DescribeRepositories', {repositoryNames: ['team/web'], registryId: '210987654321'}],
    ])
    expect(String(fake.requests[0]?.headers.authorization)).toContain('/eu-west-1/ecr/aws4_request')
    expect(docker.invocations().map((i) => i.argv[0])).toEqual(['info', 'login', 'push'])
    expect(docker.invocations()[2]?.argv).toEqual(['push', `${other}/team/web:2`])
  })

  it('pull REPOSITORY@DIGEST from --registry-id', async () => {
    ecrHandlers(true)
    const docker = installFakeDocker()
    const result = await pullImage(
      awsSettings(),
      recordingUi(),
      createDockerCli({env: docker.env, output: new PassThrough()}),
      `amazonlinux@${DIGEST_A}`,
      {registryId: '123456789012'},
    )
    expect(fake.requests.map((r) => [r.operation, r.params])).toEqual([
      ['GetAuthorizationToken', {registryIds: ['123456789012']}],
    ])
    expect(docker.invocations().map((i) => i.argv)).toEqual([
      ['info', '--format', '{{.ServerVersion}}'],
      ['login', '--username', 'AWS', '--password-stdin', REGISTRY],
      ['pull', `${REGISTRY}/amazonlinux@${DIGEST_A}`],
    ])
    expect(result).toEqual({image: `${REGISTRY}/amazonlinux@${DIGEST_A}`, repositoryName: 'amazonlinux'})
  })

  it('without docker, push and pull fail with exit 1 before any AWS request', async () => {
    const docker = createDockerCli({env: pathWithoutDocker()})
    await expect(pushImage(awsSettings(), recordingUi(), docker, 'ubuntu')).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('Docker is not available'),
    })
    await expect(pullImage(awsSettings(), recordingUi(), docker, 'ubuntu')).rejects.toMatchObject({exitCode: 1})
    expect(fake.requests).toEqual([])
  })

  it('push by digest and a mismatched --registry-id are exit 2', async () => {
    const docker = createDockerCli({env: pathWithoutDocker()})
    await expect(pushImage(awsSettings(), recordingUi(), docker, `web@${DIGEST_A}`)).rejects.toMatchObject({
      exitCode: 2,
    })
    await expect(
      pushImage(awsSettings(), recordingUi(), docker, `${REGISTRY}/web`, {registryId: '999999999999'}),
    ).rejects.toMatchObject({exitCode: 2})
  })
})
