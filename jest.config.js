/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    // Transpile only (tsconfig sets isolatedModules): `npm run typecheck` is where types are checked.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // The official Base44 SDK and its uuid are ES modules; the conformance tests load them through Jest.
    '^.+/node_modules/.+\\.m?js$': [
      'babel-jest',
      { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@base44/sdk|uuid)/)'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
