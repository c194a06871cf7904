// The browser tests (test/browser): headless Chromium against the built CLI. `npm run test:browser`; .ci/run installs
// Debian's chromium first. Kept out of `npm test`, which must not depend on a browser being installed.
import base from './jest.config.mjs'

export default {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
}
