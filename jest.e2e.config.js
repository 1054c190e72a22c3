/**
 * End-to-end tests of the admin app in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core), against the real server and database. Separate from `npm test`: `npm run test:e2e`.
 */
// A CommonJS config file, like jest.config.js: require is how it reads its sibling.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const unit = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e.ts'],
  globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
  testTimeout: 120000,
  maxWorkers: 1,
};
