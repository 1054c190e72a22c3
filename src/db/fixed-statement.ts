import type { Client, QueryConfig } from 'pg';
import { DatabaseError, QueryTypes, type Options, type Sequelize, type Transaction } from 'sequelize';

/**
 * Runs a fixed SELECT — the same text every time, values bound — straight on node-postgres, on a connection
 * from Sequelize's pool. For the statements every request runs (the caller lookup, a row by id): Sequelize's
 * query path merges options, captures a stack trace and post-processes rows on each call, which at thousands
 * of requests a second costs more CPU than the statement itself (docs/PERFORMANCE.md). Failures come out as
 * Sequelize's `DatabaseError` (what `fromDatabaseError` and the error handler expect), and a connection that
 * broke mid-query is dropped from the pool as Sequelize would drop it.
 *
 * Inside a transaction the statement goes through Sequelize, which owns the transaction's connection.
 */
export async function selectFixed<T extends object>(
  sequelize: Sequelize,
  sql: string,
  bind: unknown[],
  transaction?: Transaction,
): Promise<T[]> {
  if (transaction) return sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
  // The debug log shows every statement the app runs, these too, in the words Sequelize uses for its own.
  // `options` (what the instance was built with) is public at run time but missing from Sequelize's types.
  const { logging } = (sequelize as Sequelize & { options: Options }).options;
  if (typeof logging === 'function') logging(`Executing (default): ${sql}`);
  const pool = sequelize.connectionManager;
  const connection = (await pool.getConnection({ type: 'read' })) as Client & { _invalid?: boolean };
  try {
    const query: QueryConfig = { text: sql, values: bind };
    return (await connection.query(query)).rows as T[];
  } catch (err) {
    const failure = err as Error & { code?: string; sql?: string };
    // No SQLSTATE: the connection itself failed (reset, closed); do not hand it out again.
    if (!failure.code || !/^[0-9A-Z]{5}$/.test(failure.code)) connection._invalid = true;
    failure.sql = sql;
    throw new DatabaseError(failure as ConstructorParameters<typeof DatabaseError>[0]);
  } finally {
    pool.releaseConnection(connection);
  }
}
