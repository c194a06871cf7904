export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/browser needs Chromium: `npm run test:browser` (jest.browser.config.mjs), run by .ci/run
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  setupFiles: ['<rootDir>/test/setup-console.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-after-env.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {
    '^.+\\.ts$': ['@swc/jest', {jsc: {parser: {syntax: 'typescript'}, target: 'es2022'}, module: {type: 'es6'}}],
  },
  testTimeout: 60000,
}
