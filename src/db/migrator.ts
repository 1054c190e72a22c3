import fs from 'node:fs';
import path from 'node:path';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Logger } from '../logger';

/** What a migration file receives: a way to run SQL inside the migration batch's transaction. */
export interface MigrationContext {
  run(statements: readonly string[]): Promise<void>;
  sequelize: Sequelize;
  transaction: Transaction;
}

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');
const TABLE = 'schema_migrations';
// Any constant works; it only has to be the same in every instance of this app.
const LOCK_KEY = 4_242_001;

/**
 * Runs migrations from `migrations/` (compiled `.js` in production, `.ts` under tsx or jest) in one
 * transaction under an advisory lock, so instances starting together neither race nor half-apply a batch.
 */
export class Migrator {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger?: Logger,
    private readonly dir = MIGRATIONS_DIR,
  ) {}

  async up(): Promise<string[]> {
    return this.locked(async (umzug) => (await umzug.up()).map((m) => m.name));
  }

  async down(step = 1): Promise<string[]> {
    return this.locked(async (umzug) => (await umzug.down({ step })).map((m) => m.name));
  }

  async status(): Promise<{ executed: string[]; pending: string[] }> {
    return this.locked(async (umzug) => ({
      executed: (await umzug.executed()).map((m) => m.name),
      pending: (await umzug.pending()).map((m) => m.name),
    }));
  }

  /** A cheap check for readiness probes: no lock, no DDL. */
  async pending(): Promise<string[]> {
    const [table] = await this.sequelize.query<{ exists: boolean }>(
      `SELECT to_regclass('${TABLE}') IS NOT NULL AS exists`,
      {
        type: QueryTypes.SELECT,
      },
    );
    const done = table?.exists
      ? new Set(
          (
            await this.sequelize.query<{ name: string }>(`SELECT name FROM ${TABLE}`, {
              type: QueryTypes.SELECT,
            })
          ).map((r) => r.name),
        )
      : new Set<string>();
    return this.files().filter((name) => !done.has(name));
  }

  private files(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
      .map((f) => f.replace(/\.(js|ts)$/, ''))
      .sort();
  }

  private async locked<T>(work: (umzug: Umzug<MigrationContext>) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query('SELECT pg_advisory_xact_lock(:key)', {
        replacements: { key: LOCK_KEY },
        transaction,
      });
      await this.sequelize.query(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (name varchar(255) PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
        { transaction },
      );
      return work(this.umzug(transaction));
    });
  }

  private umzug(transaction: Transaction): Umzug<MigrationContext> {
    const { sequelize, logger } = this;
    const context: MigrationContext = {
      sequelize,
      transaction,
      async run(statements) {
        for (const sql of statements) await sequelize.query(sql, { transaction });
      },
    };
    const storage: UmzugStorage = {
      async executed() {
        const rows = await sequelize.query<{ name: string }>(`SELECT name FROM ${TABLE} ORDER BY name`, {
          type: QueryTypes.SELECT,
          transaction,
        });
        return rows.map((r) => r.name);
      },
      async logMigration({ name }) {
        await sequelize.query(`INSERT INTO ${TABLE} (name) VALUES (:name)`, {
          replacements: { name },
          transaction,
        });
      },
      async unlogMigration({ name }) {
        await sequelize.query(`DELETE FROM ${TABLE} WHERE name = :name`, {
          replacements: { name },
          transaction,
        });
      },
    };
    return new Umzug<MigrationContext>({
      migrations: {
        glob: ['*.{js,ts}', { cwd: this.dir, ignore: ['*.d.ts'] }],
        resolve: ({ name, path: file }) => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const mod = require(file!) as { up: (c: MigrationContext) => Promise<void>; down: typeof mod.up };
          return {
            name: name.replace(/\.(js|ts)$/, ''),
            up: () => mod.up(context),
            down: () => mod.down(context),
          };
        },
      },
      context,
      storage,
      logger: logger
        ? {
            info: (m) => logger.info(`migration ${String(m.event)} ${String(m.name ?? '')}`.trim()),
            warn: (m) => logger.warn(m),
            error: (m) => logger.error(m),
            debug: (m) => logger.debug(m),
          }
        : undefined,
    });
  }
}
