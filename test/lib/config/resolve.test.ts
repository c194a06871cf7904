import {afterEach, describe, expect, it} from '@jest/globals'
import fc from 'fast-check'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {
  saveClusterConfiguration,
  saveProfile,
  setDefaultClusterConfiguration,
  setDefaultProfile,
} from '../../../src/lib/config/configure.js'
import {loadClusterConfig} from '../../../src/lib/config/files.js'
import {LOCAL_DEFAULT_REGION, REGION_MISSING_MESSAGE, resolveSettings} from '../../../src/lib/config/resolve.js'
import {InputError} from '../../../src/lib/errors.js'
import {cleanupTempDirs, makeTempDir} from '../../helpers/cli.js'

afterEach(cleanupTempDirs)

/** A clean environment: HOME and ECSX_HOME in a temp dir, nothing else. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const home = makeTempDir('ecsx-cfg-')
  return {HOME: home, ECSX_HOME: path.join(home, '.ecsx'), ...extra}
}

function writeEcsCli(e: Record<string, string>, file: 'config' | 'credentials', text: string): void {
  mkdirSync(path.join(e.HOME, '.ecs'), {recursive: true})
  writeFileSync(path.join(e.HOME, '.ecs', file), text)
}

function writeAws(e: Record<string, string>, file: 'config' | 'credentials', text: string): void {
  mkdirSync(path.join(e.HOME, '.aws'), {recursive: true})
  writeFileSync(path.join(e.HOME, '.aws', file), text)
}

describe('resolveSettings defaults', () => {
  it('uses the local backend, cluster "default", us-east-1 and ecs-cli stack naming with no files and no flags', async () => {
    const e = env()
    const s = await resolveSettings({}, e)
    expect(s).toMatchObject({
      backend: 'local',
      cluster: 'default',
      region: LOCAL_DEFAULT_REGION,
      cfnStackName: 'amazon-ecs-cli-setup-default',
      composeServiceNamePrefix: '',
      composeProjectNamePrefix: '',
    })
    expect(s.home).toBe(e.ECSX_HOME)
    expect(s.configName).toBeUndefined()
    expect(s.credentials.source).toBe('default-chain')
  })

  it('defaults ECSX_HOME to ~/.ecsx', async () => {
    const e = env()
    delete (e as Record<string, string | undefined>).ECSX_HOME
    expect((await resolveSettings({}, e)).home).toBe(path.join(e.HOME, '.ecsx'))
  })

  it('on the aws backend without any region fails with the ecs-cli message (exit 2)', async () => {
    const e = env()
    const err = await resolveSettings({backend: 'aws'}, e).catch((error: unknown) => error)
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toBe(REGION_MISSING_MESSAGE)
    // ecs-cli's text names a `--profile` flag that ecsx does not have (issue 12): only real flags and variables
    expect(REGION_MISSING_MESSAGE).not.toMatch(/--profile\b/)
    expect(REGION_MISSING_MESSAGE).toMatch(/ecsx configure --region.*--region.*AWS_REGION.*--aws-profile.*AWS_PROFILE/)
  })
})

describe('cluster precedence: --cluster > ECS_CLUSTER > config > default', () => {
  it('follows the order', async () => {
    const e = env()
    await saveClusterConfiguration(e, {configName: 'main', cluster: 'from-config', region: 'eu-west-1'})
    expect((await resolveSettings({}, e)).cluster).toBe('from-config')
    expect((await resolveSettings({}, {...e, ECS_CLUSTER: 'from-env'})).cluster).toBe('from-env')
    expect((await resolveSettings({cluster: 'from-flag'}, {...e, ECS_CLUSTER: 'from-env'})).cluster).toBe('from-flag')
    expect((await resolveSettings({cluster: 'from-flag'}, e)).cfnStackName).toBe('amazon-ecs-cli-setup-from-flag')
  })
})

describe('region precedence: --region / config > AWS_REGION > AWS_DEFAULT_REGION > AWS profile > us-east-1', () => {
  it('follows the order', async () => {
    const e = env()
    writeAws(e, 'config', '[default]\nregion = ap-south-1\n\n[profile other]\nregion = ca-central-1\n')
    expect((await resolveSettings({}, e)).region).toBe('ap-south-1')
    expect((await resolveSettings({backend: 'aws', 'aws-profile': 'other'}, e)).region).toBe('ca-central-1')
    expect((await resolveSettings({}, {...e, AWS_DEFAULT_REGION: 'us-west-1'})).region).toBe('us-west-1')
    expect((await resolveSettings({}, {...e, AWS_DEFAULT_REGION: 'us-west-1', AWS_REGION: 'us-west-2'})).region).toBe(
      'us-west-2',
    )
    await saveClusterConfiguration(e, {configName: 'c', cluster: 'x', region: 'eu-central-1'})
    expect((await resolveSettings({}, {...e, AWS_REGION: 'us-west-2'})).region).toBe('eu-central-1')
    expect((await resolveSettings({region: 'sa-east-1'}, {...e, AWS_REGION: 'us-west-2'})).region).toBe('sa-east-1')
  })

  it('a config with an empty region falls through to the environment', async () => {
    const e = env()
    await saveClusterConfiguration(e, {configName: 'c', cluster: 'x'})
    expect((await resolveSettings({}, {...e, AWS_REGION: 'us-west-2'})).region).toBe('us-west-2')
  })
})

describe('backend precedence: --backend > ECSX_BACKEND > config backend > local', () => {
  it('follows the order and rejects a bad ECSX_BACKEND', async () => {
    const e = env({AWS_REGION: 'us-east-2'})
    await saveClusterConfiguration(e, {configName: 'c', cluster: 'x', backend: 'aws'})
    expect((await resolveSettings({}, e)).backend).toBe('aws')
    expect((await resolveSettings({}, {...e, ECSX_BACKEND: 'local'})).backend).toBe('local')
    expect((await resolveSettings({backend: 'aws'}, {...e, ECSX_BACKEND: 'local'})).backend).toBe('aws')
    await expect(resolveSettings({}, {...e, ECSX_BACKEND: 'docker'})).rejects.toThrow(
      'ECSX_BACKEND is "docker"; expected local or aws',
    )
  })
})

describe('cluster configurations', () => {
  it('--cluster-config selects one; its default_launch_type applies unless --launch-type is given', async () => {
    const e = env()
    await saveClusterConfiguration(e, {configName: 'a', cluster: 'ca', region: 'us-east-1'})
    await saveClusterConfiguration(e, {
      configName: 'b',
      cluster: 'cb',
      region: 'us-west-2',
      defaultLaunchType: 'FARGATE',
      composeServiceNamePrefix: 'svc-',
      cfnStackName: 'my-stack',
    })
    const a = await resolveSettings({}, e)
    expect(a).toMatchObject({configName: 'a', cluster: 'ca'})
    expect(a.defaultLaunchType).toBeUndefined()
    const b = await resolveSettings({'cluster-config': 'b'}, e)
    expect(b).toMatchObject({
      configName: 'b',
      cluster: 'cb',
      region: 'us-west-2',
      defaultLaunchType: 'FARGATE',
      composeServiceNamePrefix: 'svc-',
      cfnStackName: 'my-stack',
    })
    expect((await resolveSettings({'cluster-config': 'b', 'launch-type': 'EC2'}, e)).defaultLaunchType).toBe('EC2')
  })

  it('an unknown --cluster-config is bad input naming it and `ecsx configure`', async () => {
    const e = env()
    await saveClusterConfiguration(e, {configName: 'a', cluster: 'ca'})
    const err = (await resolveSettings({'cluster-config': 'nope'}, e).catch((error: unknown) => error)) as InputError
    expect(err).toBeInstanceOf(InputError)
    expect(err.exitCode).toBe(2)
    expect(err.message).toBe(
      "Cluster Configuration nope could not be found. Configure clusters using 'ecsx configure'.",
    )
    expect(err.hint).toContain('a')
  })

  it('the first configuration saved becomes the default; later ones do not; configure default switches', async () => {
    const e = env()
    expect((await saveClusterConfiguration(e, {configName: 'first', cluster: 'c1'})).isDefault).toBe(true)
    expect((await saveClusterConfiguration(e, {configName: 'second', cluster: 'c2'})).isDefault).toBe(false)
    expect((await resolveSettings({}, e)).cluster).toBe('c1')
    await setDefaultClusterConfiguration(e, 'second')
    expect((await resolveSettings({}, e)).cluster).toBe('c2')
    await expect(setDefaultClusterConfiguration(e, 'third')).rejects.toThrow(
      'Cluster Configuration third could not be found',
    )
  })

  it('writes ecs-cli v1 YAML with a backend field, mode 0600, atomically (no temp files left)', async () => {
    const e = env()
    const {path: file} = await saveClusterConfiguration(e, {
      configName: 'demo',
      cluster: 'ecs-cli-demo',
      region: 'us-east-1',
      defaultLaunchType: 'FARGATE',
      backend: 'local',
    })
    expect(file).toBe(path.join(e.ECSX_HOME, 'config'))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = readFileSync(file, 'utf8')
    expect(text).toBe(
      'version: v1\ndefault: demo\nclusters:\n  demo:\n    cluster: ecs-cli-demo\n    region: us-east-1\n    default_launch_type: FARGATE\n    backend: local\n',
    )
    const {readdirSync} = await import('node:fs')
    expect(readdirSync(e.ECSX_HOME)).toEqual(['config'])
  })

  it('reports invalid YAML with the file and line', async () => {
    const e = env()
    mkdirSync(e.ECSX_HOME, {recursive: true})
    writeFileSync(path.join(e.ECSX_HOME, 'config'), 'version: v1\nclusters:\n  a: [unclosed\n')
    await expect(resolveSettings({}, e)).rejects.toThrow(
      new RegExp(`${path.join(e.ECSX_HOME, 'config').replaceAll('.', '\\.')}:\\d+: invalid YAML`),
    )
  })

  it('rejects a bad default_launch_type naming the key', async () => {
    const e = env()
    mkdirSync(e.ECSX_HOME, {recursive: true})
    writeFileSync(
      path.join(e.ECSX_HOME, 'config'),
      'version: v1\ndefault: a\nclusters:\n  a:\n    cluster: x\n    default_launch_type: EC3\n',
    )
    await expect(resolveSettings({}, e)).rejects.toThrow('clusters.a.default_launch_type is "EC3"')
  })
})

describe('ecs-cli fallback (~/.ecs)', () => {
  it('reads ~/.ecs/config and ~/.ecs/credentials when ecsx has none', async () => {
    const e = env({})
    writeEcsCli(
      e,
      'config',
      'version: v1\ndefault: tut\nclusters:\n  tut:\n    cluster: tutorial\n    region: us-west-2\n    default_launch_type: FARGATE\n',
    )
    writeEcsCli(
      e,
      'credentials',
      'version: v1\ndefault: tp\necs_profiles:\n  tp:\n    aws_access_key_id: AKIAEXAMPLE\n    aws_secret_access_key: secret\n',
    )
    const s = await resolveSettings({backend: 'aws'}, e)
    expect(s).toMatchObject({cluster: 'tutorial', region: 'us-west-2', defaultLaunchType: 'FARGATE', configName: 'tut'})
    expect(s.credentials).toEqual({
      source: 'ecs-profile',
      ecsProfile: 'tp',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
    })
  })

  it('ignores ~/.ecs once ecsx has its own file, and never writes to ~/.ecs', async () => {
    const e = env()
    const ecsText = 'version: v1\ndefault: tut\nclusters:\n  tut:\n    cluster: tutorial\n    region: us-west-2\n'
    writeEcsCli(e, 'config', ecsText)
    const saved = await saveClusterConfiguration(e, {configName: 'mine', cluster: 'mine'})
    expect(saved.importedFrom).toBe(path.join(e.HOME, '.ecs', 'config'))
    expect(readFileSync(path.join(e.HOME, '.ecs', 'config'), 'utf8')).toBe(ecsText)
    // the copied configuration keeps its default; the new one is added beside it
    expect((await resolveSettings({}, e)).cluster).toBe('tutorial')
    expect((await resolveSettings({'cluster-config': 'mine'}, e)).cluster).toBe('mine')
    expect((await loadClusterConfig(e))?.source).toBe('ecsx')
  })

  it('understands the legacy INI file with its ecscompose- prefixes', async () => {
    const e = env()
    writeEcsCli(
      e,
      'config',
      '[ecs]\ncluster = old\nregion = us-west-1\naws_access_key_id = AKIAOLD\naws_secret_access_key = oldsecret\ncompose-project-name-prefix = ecscompose-\ncompose-service-name-prefix = ecscompose-service-\ncfn-stack-name-prefix = amazon-ecs-cli-setup-\n',
    )
    const s = await resolveSettings({backend: 'aws'}, e)
    expect(s).toMatchObject({
      cluster: 'old',
      region: 'us-west-1',
      composeProjectNamePrefix: 'ecscompose-',
      composeServiceNamePrefix: 'ecscompose-service-',
      cfnStackName: 'amazon-ecs-cli-setup-old',
    })
    expect(s.credentials).toMatchObject({source: 'ecs-profile', accessKeyId: 'AKIAOLD'})
  })
})

describe('credentials precedence', () => {
  async function withProfiles(): Promise<Record<string, string>> {
    const e = env({AWS_REGION: 'us-east-1'})
    await saveProfile(e, {profileName: 'first', accessKey: 'AKIA1', secretKey: 's1'})
    await saveProfile(e, {profileName: 'second', accessKey: 'AKIA2', secretKey: 's2', sessionToken: 't2'})
    return e
  }

  it('--ecs-profile > --aws-profile > ECS_PROFILE > AWS_PROFILE > AWS_ACCESS_KEY_ID > default ECS profile > default AWS profile > chain', async () => {
    const e = await withProfiles()
    const full = {
      ...e,
      ECS_PROFILE: 'second',
      AWS_PROFILE: 'envprof',
      AWS_ACCESS_KEY_ID: 'AKIAENV',
      AWS_SECRET_ACCESS_KEY: 'senv',
    }
    expect(await resolveSettings({backend: 'aws', 'ecs-profile': 'second', 'aws-profile': 'x'}, full)).toMatchObject({
      credentials: {source: 'flag-ecs-profile', accessKeyId: 'AKIA2', sessionToken: 't2'},
    })
    expect((await resolveSettings({backend: 'aws', 'aws-profile': 'x'}, full)).credentials).toEqual({
      source: 'flag-aws-profile',
      awsProfile: 'x',
    })
    expect((await resolveSettings({backend: 'aws'}, full)).credentials).toMatchObject({
      source: 'env',
      accessKeyId: 'AKIA2',
    })
    const noEcsProfile = {...full, ECS_PROFILE: ''}
    expect((await resolveSettings({backend: 'aws'}, noEcsProfile)).credentials).toEqual({
      source: 'env',
      awsProfile: 'envprof',
    })
    expect((await resolveSettings({backend: 'aws'}, {...noEcsProfile, AWS_PROFILE: ''})).credentials).toEqual({
      source: 'env',
      accessKeyId: 'AKIAENV',
      secretAccessKey: 'senv',
    })
    expect((await resolveSettings({backend: 'aws'}, e)).credentials).toEqual({
      source: 'ecs-profile',
      ecsProfile: 'first',
      accessKeyId: 'AKIA1',
      secretAccessKey: 's1',
    })
    await setDefaultProfile(e, 'second')
    expect((await resolveSettings({backend: 'aws'}, e)).credentials).toMatchObject({
      source: 'ecs-profile',
      accessKeyId: 'AKIA2',
    })

    const bare = env({AWS_REGION: 'us-east-1'})
    expect((await resolveSettings({backend: 'aws'}, bare)).credentials).toEqual({source: 'default-chain'})
    writeAws(bare, 'credentials', '[default]\naws_access_key_id = AKIADEF\naws_secret_access_key = x\n')
    expect((await resolveSettings({backend: 'aws'}, bare)).credentials).toEqual({
      source: 'aws-profile',
      awsProfile: 'default',
    })
  })

  it('the local backend reads no credentials at all', async () => {
    const e = await withProfiles()
    expect(
      (
        await resolveSettings(
          {'ecs-profile': 'second'},
          {...e, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x'},
        )
      ).credentials,
    ).toEqual({source: 'default-chain'})
  })

  it('an unknown --ecs-profile is bad input on aws and ignored locally', async () => {
    const e = await withProfiles()
    await expect(resolveSettings({backend: 'aws', 'ecs-profile': 'nope'}, e)).rejects.toThrow(
      'ECS profile nope could not be found.',
    )
    expect((await resolveSettings({'ecs-profile': 'nope'}, e)).backend).toBe('local')
  })

  it('the credentials file is mode 0600 and the first profile becomes the default', async () => {
    const e = env()
    const first = await saveProfile(e, {profileName: 'p1', accessKey: 'AKIA1', secretKey: 's1'})
    const second = await saveProfile(e, {profileName: 'p2', accessKey: 'AKIA2', secretKey: 's2'})
    expect(first.isDefault).toBe(true)
    expect(second.isDefault).toBe(false)
    expect(statSync(first.path).mode & 0o777).toBe(0o600)
    expect(readFileSync(first.path, 'utf8')).toContain('default: p1')
    await expect(setDefaultProfile(e, 'p3')).rejects.toThrow('ECS profile p3 could not be found.')
  })
})

describe('precedence property', () => {
  it('cluster and backend: the first source that is set wins, for every combination', async () => {
    const base = env()
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          flag: fc.option(fc.constantFrom('f-cluster'), {nil: undefined}),
          envVar: fc.option(fc.constantFrom('e-cluster'), {nil: undefined}),
          config: fc.option(fc.constantFrom('c-cluster'), {nil: undefined}),
        }),
        fc.record({
          flag: fc.option(fc.constantFrom('aws', 'local') as fc.Arbitrary<'aws' | 'local'>, {nil: undefined}),
          envVar: fc.option(fc.constantFrom('aws', 'local'), {nil: undefined}),
          config: fc.option(fc.constantFrom('aws', 'local') as fc.Arbitrary<'aws' | 'local'>, {nil: undefined}),
        }),
        async (cluster, backend) => {
          const e: Record<string, string> = {...base, HOME: makeTempDir('ecsx-prop-'), AWS_REGION: 'us-east-2'}
          e.ECSX_HOME = path.join(e.HOME, '.ecsx')
          if (cluster.envVar) e.ECS_CLUSTER = cluster.envVar
          if (backend.envVar) e.ECSX_BACKEND = backend.envVar
          if (cluster.config || backend.config) {
            // written by hand: a configuration may name a backend without a cluster
            mkdirSync(e.ECSX_HOME, {recursive: true})
            writeFileSync(
              path.join(e.ECSX_HOME, 'config'),
              `version: v1\ndefault: p\nclusters:\n  p:\n    cluster: "${cluster.config ?? ''}"\n    region: ""\n${backend.config ? `    backend: ${backend.config}\n` : ''}`,
            )
          }
          const s = await resolveSettings({cluster: cluster.flag, backend: backend.flag}, e)
          expect(s.cluster).toBe(cluster.flag ?? cluster.envVar ?? cluster.config ?? 'default')
          expect(s.backend).toBe(backend.flag ?? backend.envVar ?? backend.config ?? 'local')
        },
      ),
      {numRuns: 60},
    )
  })
})
