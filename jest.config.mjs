export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/interop runs the built CLI against moto_server: `npm run test:interop` (jest.interop.config.mjs);
  // test/browser needs Chromium: `npm run test:browser` (jest.browser.config.mjs); .ci/run runs both
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/', '<rootDir>/test/browser/'],
  setupFiles: ['<rootDir>/test/setup-console.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {
    '^.+\\.ts$': ['@swc/jest', {jsc: {parser: {syntax: 'typescript'}, target: 'es2022'}, module: {type: 'es6'}}],
  },
  testTimeout: 60000,
}
