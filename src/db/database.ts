import path from 'node:path';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres } from './embedded';
import { createSequelize } from './sequelize';

export interface Database {
  sequelize: Sequelize;
  kind: 'embedded' | 'postgres';
  /** Where the data lives, for people (no credentials). */
  description: string;
  close(): Promise<void>;
}

// PGlite runs one query at a time; a few pooled connections only queue at its door.
const EMBEDDED_POOL = 4;

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR when it is unset. */
export async function openDatabase(config: Config, logger?: Logger): Promise<Database> {
  const { database } = config;
  if (database.url) {
    const sequelize = createSequelize({ ...database, url: database.url, logger });
    const u = new URL(database.url);
    return {
      sequelize,
      kind: 'postgres',
      description: `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`,
      close: () => sequelize.close(),
    };
  }
  const dataDir = path.join(config.dataDir, 'pglite');
  const embedded = await startEmbeddedPostgres(dataDir, EMBEDDED_POOL);
  // Every connection to the embedded database shares its one session: a statement one connection prepared
  // would already exist, unknown to the next, which would fail to prepare it again.
  const sequelize = createSequelize({
    url: embedded.url,
    ssl: 'off',
    poolMax: EMBEDDED_POOL,
    statementTimeoutMs: 0,
    preparedStatements: false,
    logger,
  });
  return {
    sequelize,
    kind: 'embedded',
    description: `embedded PostgreSQL (PGlite) in ${path.relative(process.cwd(), dataDir) || dataDir}`,
    async close() {
      await sequelize.close();
      await embedded.stop();
    },
  };
}
