import path from 'node:path';
import { defineConfig } from 'vitest/config';

// No React plugin: esbuild compiles JSX with the automatic runtime, which is all this app needs.
export default defineConfig(({ command }) => ({
  root: __dirname,
  base: '/admin/',
  esbuild: { jsx: 'automatic', jsxDev: command !== 'build' },
  build: { outDir: path.join(__dirname, 'dist'), emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'] },
  // A build is for serving, whatever NODE_ENV the caller runs with (tests set "test", `npm start` in the
  // start test "development"): always React's production bundle.
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
}));
