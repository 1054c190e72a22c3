/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Transpile only (tsconfig sets isolatedModules): `npm run typecheck` is where types are checked.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
