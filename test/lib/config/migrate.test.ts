import {afterEach, describe, expect, it} from '@jest/globals'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {saveClusterConfiguration} from '../../../src/lib/config/configure.js'
import {applyMigration, describeMigration, planMigration} from '../../../src/lib/config/migrate.js'
import {resolveSettings} from '../../../src/lib/config/resolve.js'
import {InputError} from '../../../src/lib/errors.js'
import {cleanupTempDirs, makeTempDir} from '../../helpers/cli.js'

afterEach(cleanupTempDirs)

function env(): Record<string, string> {
  const home = makeTempDir('ecsx-mig-')
  mkdirSync(path.join(home, '.ecs'), {recursive: true})
  return {HOME: home, ECSX_HOME: path.join(home, '.ecsx')}
}

const LEGACY = `[ecs]
cluster = legacy-cluster
aws_profile =
region = us-west-2
aws_access_key_id = AKIALEGACY
aws_secret_access_key = legacysecret
compose-project-name-prefix = ecscompose-
compose-service-name-prefix = ecscompose-service-
cfn-stack-name-prefix = amazon-ecs-cli-setup-
`

describe('configure migrate', () => {
  it("converts the legacy INI file, keeping its prefixes, with credentials in a 0600 file; ecs-cli's file untouched", async () => {
    const e = env()
    writeFileSync(path.join(e.HOME, '.ecs', 'config'), LEGACY)
    const plan = await planMigration(e)
    expect(plan.legacyFormat).toBe(true)
    expect(plan.added).toEqual(['cluster configuration default', 'profile default'])
    const text = (await describeMigration(plan)).join('\n')
    expect(text).not.toContain('legacysecret')
    expect(text).toContain('********')
    const written = await applyMigration(e, plan)
    expect(written).toEqual([path.join(e.ECSX_HOME, 'config'), path.join(e.ECSX_HOME, 'credentials')])
    for (const f of written) expect(statSync(f).mode & 0o777).toBe(0o600)
    expect(readFileSync(path.join(e.HOME, '.ecs', 'config'), 'utf8')).toBe(LEGACY)
    const s = await resolveSettings({backend: 'aws'}, e)
    expect(s).toMatchObject({
      cluster: 'legacy-cluster',
      region: 'us-west-2',
      composeProjectNamePrefix: 'ecscompose-',
      composeServiceNamePrefix: 'ecscompose-service-',
      cfnStackName: 'amazon-ecs-cli-setup-legacy-cluster',
    })
    expect(s.credentials).toMatchObject({source: 'ecs-profile', accessKeyId: 'AKIALEGACY'})
  })

  it("merges v1 YAML files into existing ecsx configuration, reporting replaced entries and keeping ecsx's default", async () => {
    const e = env()
    await saveClusterConfiguration(e, {configName: 'mine', cluster: 'mine'})
    await saveClusterConfiguration(e, {configName: 'shared', cluster: 'old-value'})
    writeFileSync(
      path.join(e.HOME, '.ecs', 'config'),
      'version: v1\ndefault: shared\nclusters:\n  shared:\n    cluster: new-value\n    region: eu-west-1\n  extra:\n    cluster: extra\n    region: eu-west-1\n',
    )
    const plan = await planMigration(e)
    expect(plan.replaced).toEqual(['cluster configuration shared'])
    expect(plan.added).toEqual(['cluster configuration extra'])
    await applyMigration(e, plan)
    expect((await resolveSettings({}, e)).cluster).toBe('mine')
    expect((await resolveSettings({'cluster-config': 'shared'}, e)).cluster).toBe('new-value')
  })

  it('with nothing to migrate: bad input', async () => {
    const e = env()
    await expect(planMigration(e)).rejects.toThrow(InputError)
  })
})
