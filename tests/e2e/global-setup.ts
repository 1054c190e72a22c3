import { execFileSync } from 'node:child_process';
import path from 'node:path';
import globalSetup from '../setup/global-setup';

const root = path.resolve(__dirname, '../..');

/** The test database, as for every test, plus a fresh build of the admin app that the server serves. */
export default async function e2eSetup(): Promise<void> {
  await globalSetup();
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'admin', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
