// The interop suite (test/interop): the built CLI against moto_server, an independent AWS implementation.
// `npm run test:interop` (needs `npm run build` first and moto_server on PATH; .ci/run runs it after `npm test`).
import base from './jest.config.mjs'

export default {
  ...base,
  roots: ['<rootDir>/test/interop'],
  testPathIgnorePatterns: ['/node_modules/'],
  // each file starts its own moto_server; two at a time keep a 2-core machine busy without thrashing it
  maxWorkers: 2,
  testTimeout: 240_000,
}
