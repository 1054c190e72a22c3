import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { createSequelize } from '../../src/db/sequelize';
import { Migrator } from '../../src/db/migrator';
import { freshDatabase, reachable, serverUrl } from './test-database';

/**
 * One migrated database for the whole run, on the PostgreSQL server when one is reachable (CI insists on
 * it with TEST_REQUIRE_POSTGRES=true), otherwise on an in-memory embedded PostgreSQL. Test files share it
 * safely because each works inside organizations of its own.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-test-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    BCRYPT_ROUNDS: '4',
    LOG_TO_FILES: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    DATA_DIR: dataDir,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
  });
  const teardown: (() => Promise<void>)[] = [
    async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  ];

  if (await reachable(serverUrl())) {
    const db = await freshDatabase('nexa_test');
    process.env.DATABASE_URL = db.url;
    process.env.TEST_DATABASE_KIND = 'postgres';
    teardown.push(db.drop);
  } else if (process.env.TEST_REQUIRE_POSTGRES === 'true') {
    throw new Error(
      `TEST_REQUIRE_POSTGRES=true but no PostgreSQL answers at ${serverUrl()} (set TEST_DATABASE_URL)`,
    );
  } else {
    // Two workers, each with several apps and their pools: PGlite serves them one session at a time, but
    // refuses connections beyond this many.
    const embedded = await startEmbeddedPostgres(path.join(dataDir, 'pglite'), 64);
    process.env.DATABASE_URL = embedded.url;
    process.env.TEST_DATABASE_KIND = 'embedded';
    teardown.push(embedded.stop);
    process.stdout.write('\nNo PostgreSQL reachable: testing against the embedded database.\n');
  }

  const sequelize = createSequelize({
    url: process.env.DATABASE_URL!,
    ssl: 'off',
    poolMax: 2,
    statementTimeoutMs: 0,
  });
  await new Migrator(sequelize).up();
  await sequelize.close();
  (globalThis as { __nexaTeardown?: typeof teardown }).__nexaTeardown = teardown;
}
