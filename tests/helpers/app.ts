import type { Express } from 'express';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { buildContainer, type Container } from '../../src/container';
import { createSequelize } from '../../src/db/sequelize';
import { createLogger } from '../../src/logger';

export interface TestApp {
  app: Express;
  c: Container;
  http: ReturnType<typeof supertest>;
  close(): Promise<void>;
}

/** Rate limits stay on in tests, but only a test that sets them low meets them. */
const GENEROUS_LIMITS = {
  RATE_LIMIT_ANON_MAX: '1000000',
  RATE_LIMIT_USER_MAX: '1000000',
  AUTH_RATE_LIMIT_MAX: '1000000',
};

/** Retries of a failed email come quickly, so a test sees its final outcome in well under a second. */
const QUICK_RETRIES = { MAIL_RETRY_BACKOFF_MS: '20' };

/** The real app over the run's test database (see tests/setup/global-setup.ts). */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...GENEROUS_LIMITS, ...QUICK_RETRIES, ...env });
  const logger = createLogger(config.log);
  const sequelize = createSequelize({
    url: config.database.url!,
    ssl: 'off',
    poolMax: env.DATABASE_POOL_MAX ? config.database.poolMax : 5,
    statementTimeoutMs: 10_000,
    // As the app runs on each: prepared on PostgreSQL, never on the embedded database (database.ts).
    preparedStatements: config.database.preparedStatements && process.env.TEST_DATABASE_KIND !== 'embedded',
  });
  const c = buildContainer(config, logger, sequelize);
  const app = createApp(c);
  return {
    app,
    c,
    http: supertest(app),
    close: async () => {
      await c.close();
      await sequelize.close();
    },
  };
}
