/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    // client/ is an ES module package; see the transformer for why it is not ts-jest.
    '^.+/client/src/.+\\.ts$': '<rootDir>/tests/setup/client-transform.mjs',
    // Transpile only (tsconfig sets isolatedModules): `npm run typecheck` is where types are checked.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // The official Base44 SDK and its uuid are ES modules; the conformance tests load them through Jest.
    '^.+/node_modules/.+\\.m?js$': [
      'babel-jest',
      { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] },
    ],
  },
  // client/ is ESM source whose relative imports end in `.js` (as Node's ESM needs); Jest resolves them to the .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: ['/node_modules/(?!(@base44/sdk|uuid)/)'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
