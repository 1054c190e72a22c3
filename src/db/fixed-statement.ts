import { createHash } from 'node:crypto';
import type { Client, QueryConfig } from 'pg';
import { DatabaseError, QueryTypes, type Options, type Sequelize, type Transaction } from 'sequelize';

export interface FixedStatementOptions {
  /** Read inside a caller's transaction. */
  transaction?: Transaction;
  /**
   * The statement's values are all bound, so its text is a query shape: it may stay prepared on each
   * connection (up to `MAX_PREPARED_PER_CONNECTION`; further shapes run unnamed).
   */
  prepare?: boolean;
}

type PooledClient = Client & { _invalid?: boolean };

/** Sequelize instances whose connections may keep statements prepared (DATABASE_PREPARED_STATEMENTS). */
const preparing = new WeakSet<Sequelize>();

export function keepStatementsPrepared(sequelize: Sequelize): void {
  preparing.add(sequelize);
}

/**
 * How many statements one connection keeps prepared. Clients choose filters and sorts, so the shapes are
 * not bounded; PostgreSQL keeps each prepared statement's parse tree and plan in the session's memory.
 */
export const MAX_PREPARED_PER_CONNECTION = 100;

/** The statements each connection was asked to prepare. */
const held = new WeakMap<Client, Set<string>>();

// Remembers the names of the texts met lately, so a statement run again is not hashed again.
const names = new Map<string, string>();
const MAX_NAMES = 1000;

/** Each text's statement name: the same text is the same statement on every connection. */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `nexa_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    if (names.size >= MAX_NAMES) names.clear();
    names.set(sql, name);
  }
  return name;
}

/** The name to prepare `sql` under on this connection, or none when it runs unnamed. */
function preparedName(connection: Client, sql: string): string | undefined {
  const name = statementName(sql);
  let prepared = held.get(connection);
  if (!prepared) held.set(connection, (prepared = new Set()));
  if (!prepared.has(name)) {
    if (prepared.size >= MAX_PREPARED_PER_CONNECTION) return undefined;
    prepared.add(name);
  }
  return name;
}

/**
 * The session and the driver disagree about a prepared statement: its table changed under it (a migration
 * altered a column it reads: "cached plan must not change result type"), the session forgot it (DISCARD ALL),
 * or the session already holds it (a pooler handed this connection a session another client prepared it on;
 * DATABASE_PREPARED_STATEMENTS=false is the setting for such poolers).
 */
const STALE_PREPARED = new Set(['0A000', '26000', '42P05']);

/**
 * Runs a SELECT whose values are bound — the same text for every request of one shape — straight on
 * node-postgres, on a connection from Sequelize's pool. For the statements every request runs (the caller
 * lookup, a row by id, a page of a list and its count): Sequelize's query path merges options, captures a
 * stack trace and post-processes rows on each call, which at thousands of requests a second costs more CPU
 * than the statement itself (docs/PERFORMANCE.md). Failures come out as
 * Sequelize's `DatabaseError` (what `fromDatabaseError` and the error handler expect), and a connection that
 * broke mid-query is dropped from the pool as Sequelize would drop it.
 *
 * With `prepare`, the statement is prepared once per connection and then only bound and run: PostgreSQL
 * no longer parses and plans it each time, which was most of its CPU time for a row by id and for a sales
 * rep's list.
 *
 * Inside a transaction the statement goes through Sequelize, which owns the transaction's connection.
 */
export async function selectFixed<T extends object>(
  sequelize: Sequelize,
  sql: string,
  bind: unknown[],
  opts: FixedStatementOptions = {},
): Promise<T[]> {
  const { transaction } = opts;
  if (transaction) return sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
  // The debug log shows every statement the app runs, these too, in the words Sequelize uses for its own.
  // `options` (what the instance was built with) is public at run time but missing from Sequelize's types.
  const { logging } = (sequelize as Sequelize & { options: Options }).options;
  if (typeof logging === 'function') logging(`Executing (default): ${sql}`);
  const pool = sequelize.connectionManager;
  const connection = (await pool.getConnection({ type: 'read' })) as PooledClient;
  const unnamed: QueryConfig = { text: sql, values: bind };
  const name = opts.prepare && preparing.has(sequelize) ? preparedName(connection, sql) : undefined;
  try {
    try {
      return (await connection.query(name ? { ...unnamed, name } : unnamed)).rows as T[];
    } catch (err) {
      if (!name || !STALE_PREPARED.has((err as { code?: string }).code ?? '')) throw err;
      // Answer this request unprepared, and let the pool replace the connection: a new one prepares the
      // statement against the table as it is now.
      connection._invalid = true;
      return (await connection.query(unnamed)).rows as T[];
    }
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
