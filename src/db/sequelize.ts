import pg from 'pg';
import { Sequelize } from 'sequelize';
import type { Logger } from '../logger';

export interface ConnectionOptions {
  url: string;
  ssl: 'off' | 'verify' | 'no-verify';
  poolMax: number;
  statementTimeoutMs: number;
  logger?: Logger;
}

export function createSequelize(o: ConnectionOptions): Sequelize {
  const ssl = o.ssl === 'off' ? undefined : { rejectUnauthorized: o.ssl === 'verify' };
  return new Sequelize(o.url, {
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
}
