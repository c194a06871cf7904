import {afterEach} from '@jest/globals'
// oclif's Command.catch() sets process.exitCode (2 for a bad flag), which leaks into jest's own exit status
afterEach(() => {
  process.exitCode = undefined
})
