import type { Sequelize, Transaction } from 'sequelize';
import type { CrudService } from '../../crud/crud-service';
import { AppError, type ErrorDetail } from '../../errors';
import type { Values } from '../../schema/entity';
import { cellValue, mapColumns } from './columns';
import type { SourceRecord } from './read-records';

export type ImportMode = 'all_or_nothing' | 'skip_invalid';

export interface RowFailure {
  row: number;
  errors: ErrorDetail[];
}

export interface ImportProgress {
  processed: number;
  created: number;
  failed: number;
}

export interface ImportReport extends ImportProgress {
  mode: ImportMode;
  /** Whether the valid rows were kept: always with skip_invalid, only without failures otherwise. */
  committed: boolean;
  failures: RowFailure[];
  ignored_columns: string[];
  /** The created records, when asked for (small imports). */
  records?: Values[];
}

const CHUNK = 500;
const MAX_REPORTED_FAILURES = 1000;

interface Pending {
  row: number;
  values: Values;
}

/**
 * Imports records from a file through the entity's CrudService, so each row is validated, permission-
 * checked and hooked like a single create. Rows stream in and are written in chunks inside one
 * transaction; a chunk that fails is rolled back to its savepoint and retried without the failing rows, so
 * every failure is reported with its row. `all_or_nothing` then rolls everything back if any row failed;
 * `skip_invalid` keeps the valid rows.
 */
export class Importer {
  constructor(private readonly sequelize: Sequelize) {}

  async run(
    svc: CrudService,
    source: AsyncIterable<SourceRecord>,
    opts: { mode: ImportMode; keepRecords?: boolean; onProgress?: (p: ImportProgress) => void },
  ): Promise<ImportReport> {
    svc.authorize('create');
    const report: ImportReport = {
      mode: opts.mode,
      committed: false,
      processed: 0,
      created: 0,
      failed: 0,
      failures: [],
      ignored_columns: [],
    };
    const records: Values[] = [];
    // Owner columns may only name people within the importer's reach; other names are dropped, not applied.
    const owners = await svc.ownersInReach();
    const ownerFields = new Set(svc.entity.decl.owner);
    const columns = new Map<string, string | undefined>();
    const fieldOf = (header: string) => {
      if (!columns.has(header)) {
        const { fields, ignored } = mapColumns([header], svc.entity, svc.unwritableFields);
        columns.set(header, fields.get(header));
        report.ignored_columns.push(...ignored);
      }
      return columns.get(header);
    };
    const toValues = (raw: Values): Values => {
      const out: Values = {};
      for (const [header, cell] of Object.entries(raw)) {
        const field = fieldOf(header);
        const value = field ? cellValue(svc.entity.decl.fields[field]?.spec.kind, cell) : undefined;
        if (
          owners &&
          field &&
          ownerFields.has(field) &&
          typeof value === 'string' &&
          !owners.has(value.toLowerCase())
        ) {
          if (!report.ignored_columns.includes(header)) report.ignored_columns.push(header);
          continue;
        }
        if (field && value !== undefined) out[field] = value;
      }
      return out;
    };
    const fail = (row: number, errors: ErrorDetail[]) => {
      report.failed++;
      if (report.failures.length < MAX_REPORTED_FAILURES)
        report.failures.push({ row, errors: errors.map(({ index: _i, ...e }) => e) });
    };

    const transaction = await this.sequelize.transaction();
    try {
      const flush = async (chunk: Pending[]) => {
        const created = await this.write(svc, chunk, transaction, fail);
        report.created += created.length;
        if (opts.keepRecords) records.push(...created);
        report.processed += chunk.length;
        opts.onProgress?.({ processed: report.processed, created: report.created, failed: report.failed });
      };
      let chunk: Pending[] = [];
      for await (const record of source) {
        chunk.push({ row: record.row, values: toValues(record.values) });
        if (chunk.length >= CHUNK) {
          await flush(chunk);
          chunk = [];
        }
      }
      if (chunk.length) await flush(chunk);
      report.committed = opts.mode === 'skip_invalid' || report.failed === 0;
      if (report.committed) await transaction.commit();
      else await transaction.rollback();
    } catch (err) {
      await transaction.rollback();
      throw err;
    }
    if (!report.committed) report.created = 0;
    return { ...report, ...(opts.keepRecords && report.committed ? { records } : {}) };
  }

  /** Writes a chunk, dropping failing rows (each reported) until the rest goes in or none is left. */
  private async write(
    svc: CrudService,
    chunk: Pending[],
    t: Transaction,
    fail: (row: number, errors: ErrorDetail[]) => void,
  ): Promise<Values[]> {
    let pending = chunk;
    while (pending.length) {
      await this.sequelize.query('SAVEPOINT import_chunk', { transaction: t });
      try {
        // Announced by id after commit: a 100,000-row import must not hold every created row until then.
        const created = await svc.bulkCreate(
          pending.map((p) => p.values),
          { transaction: t, announce: 'ids' },
        );
        await this.sequelize.query('RELEASE SAVEPOINT import_chunk', { transaction: t });
        return created;
      } catch (err) {
        await this.sequelize.query('ROLLBACK TO SAVEPOINT import_chunk', { transaction: t });
        if (!(err instanceof AppError)) throw err;
        const byIndex = new Map<number, ErrorDetail[]>();
        for (const d of err.details ?? [])
          if (d.index !== undefined) byIndex.set(d.index, [...(byIndex.get(d.index) ?? []), d]);
        if (!byIndex.size) {
          // Not tied to a row (a duplicate key, say): find the culprits by writing the rows one at a time.
          if (pending.length === 1) {
            fail(pending[0]!.row, err.details?.length ? err.details : [{ message: err.message }]);
            return [];
          }
          const created: Values[] = [];
          for (const p of pending) created.push(...(await this.write(svc, [p], t, fail)));
          return created;
        }
        for (const [index, errors] of byIndex) fail(pending[index]!.row, errors);
        pending = pending.filter((_, i) => !byIndex.has(i));
      }
    }
    return [];
  }
}
