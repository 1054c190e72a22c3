#!/usr/bin/env node
// `npm start` on a fresh clone: compile when dist/ is missing or older than any source file; otherwise do nothing.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const stamp = path.join(root, 'dist', 'src', 'index.js');
const sources = [
  'src',
  'migrations',
  'seeders',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  // The admin app is built into admin/dist by the same `npm run build`.
  'admin/src',
  'admin/index.html',
  'admin/vite.config.ts',
];

function newest(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(full).map((name) => newest(path.join(p, name))));
}

if (!fs.existsSync(path.join(root, 'src'))) process.exit(0); // a production image ships dist/ only
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (built && built >= Math.max(...sources.map(newest))) process.exit(0);
console.log('Building (sources changed since the last build)...');
execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
