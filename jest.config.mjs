export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/interop runs the built CLI against moto_server: its own command, `npm run test:interop`
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/'],
  setupFiles: ['<rootDir>/test/setup-console.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {
    '^.+\\.ts$': ['@swc/jest', {jsc: {parser: {syntax: 'typescript'}, target: 'es2022'}, module: {type: 'es6'}}],
  },
  testTimeout: 60000,
}
