import {describe, expect, it} from '@jest/globals'
import fc from 'fast-check'

import {composeFiles, projectNameWithoutCompose, projectNames} from '../../../src/lib/workflows/project.js'

describe('projectNames (ecs-cli naming)', () => {
  it('uses the project name as family and service name with empty prefixes', () => {
    expect(projectNames('wordpress', {composeProjectNamePrefix: '', composeServiceNamePrefix: ''})).toEqual({
      family: 'wordpress',
      serviceName: 'wordpress',
      group: 'task:wordpress',
      startedBy: 'wordpress',
    })
  })
  it('applies the legacy INI prefixes to the service, group and startedBy but not the family', () => {
    expect(
      projectNames('hello-world', {
        composeProjectNamePrefix: 'ecscompose-',
        composeServiceNamePrefix: 'ecscompose-service-',
      }),
    ).toEqual({
      family: 'hello-world',
      serviceName: 'ecscompose-service-hello-world',
      group: 'task:ecscompose-hello-world',
      startedBy: 'ecscompose-hello-world',
    })
  })
  it('keeps startedBy within the 128 characters ECS allows', () => {
    fc.assert(
      fc.property(fc.string({minLength: 1, maxLength: 255}), fc.string({maxLength: 40}), (name, prefix) => {
        const n = projectNames(name, {composeProjectNamePrefix: prefix, composeServiceNamePrefix: ''})
        expect(n.startedBy.length).toBeLessThanOrEqual(128)
        expect(n.group).toBe(`task:${prefix}${name}`)
        expect(n.family).toBe(name)
      }),
    )
  })
})

describe('composeFiles', () => {
  it('prefers --file, then COMPOSE_FILE split on the path separator, then the default lookup', () => {
    expect(composeFiles({file: ['a.yml', 'b.yml']}, {COMPOSE_FILE: 'c.yml'})).toEqual(['a.yml', 'b.yml'])
    expect(composeFiles({}, {COMPOSE_FILE: 'c.yml:d.yml'})).toEqual(['c.yml', 'd.yml'])
    expect(composeFiles({}, {})).toEqual([])
  })
})

describe('projectNameWithoutCompose', () => {
  it('prefers --project-name, then COMPOSE_PROJECT_NAME, then the directory name', () => {
    expect(projectNameWithoutCompose({'project-name': 'p'}, {COMPOSE_PROJECT_NAME: 'e'}, '/x/dir')).toBe('p')
    expect(projectNameWithoutCompose({}, {COMPOSE_PROJECT_NAME: 'e'}, '/x/dir')).toBe('e')
    expect(projectNameWithoutCompose({}, {}, '/x/dir')).toBe('dir')
  })
})
