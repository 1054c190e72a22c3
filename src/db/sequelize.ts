import pg from 'pg';
import { Sequelize } from 'sequelize';
import type { Logger } from '../logger';
import { keepStatementsPrepared } from './fixed-statement';

export interface ConnectionOptions {
  url: string;
  ssl: 'off' | 'verify' | 'no-verify';
  poolMax: number;
  statementTimeoutMs: number;
  /** Fixed statements may stay prepared on this instance's connections (see fixed-statement.ts). */
  preparedStatements?: boolean;
  logger?: Logger;
}

export function createSequelize(o: ConnectionOptions): Sequelize {
  const ssl = o.ssl === 'off' ? undefined : { rejectUnauthorized: o.ssl === 'verify' };
  const sequelize = new Sequelize(o.url, {
    dialect: 'postgres',
    dialectModule: pg,
    // Checked once: winston formats a message before its transports drop it, and this runs for every query.
    logging: o.logger?.isDebugEnabled() ? (sql) => o.logger!.debug(sql) : false,
    pool: { max: o.poolMax, min: 0, idle: 10_000, acquire: 30_000 },
    dialectOptions: {
      ...(ssl ? { ssl } : {}),
      ...(o.statementTimeoutMs ? { statement_timeout: o.statementTimeoutMs } : {}),
      application_name: 'nexa-crm',
    },
  });
  if (o.preparedStatements) keepStatementsPrepared(sequelize);
  return sequelize;
}
