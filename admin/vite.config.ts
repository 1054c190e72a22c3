import path from 'node:path';
import { defineConfig } from 'vitest/config';

// No React plugin: esbuild compiles JSX with the automatic runtime, which is all this app needs.
export default defineConfig({
  root: __dirname,
  base: '/admin/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: path.join(__dirname, 'dist'), emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'] },
});
