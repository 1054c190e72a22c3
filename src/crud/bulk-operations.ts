import type { Sequelize, Transaction } from 'sequelize';
import { ValidationError } from '../errors';
import type { Values } from '../schema/entity';
import type { CrudService } from './crud-service';
import { isPlainObject } from './filter/values';
import { forRecord } from './record-index';
import { applyUpdateOperators, checkUpdateOperators } from './update-operators';

export const MAX_BATCH = 500;

/**
 * Operations on many records at once, made of the service's single-record operations inside one
 * transaction: every record is validated, permission-checked, hooked and announced as if written alone,
 * and either all of a call's changes land or none do.
 */
export class BulkOperations {
  constructor(
    private readonly svc: CrudService,
    private readonly sequelize: Sequelize,
  ) {}

  private atomically<T>(work: (t: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  /** The same operators applied to up to 500 matching records; `hasMore` when more match. */
  async updateMany(filter: unknown, operators: unknown): Promise<{ updated: number; hasMore: boolean }> {
    const ops = checkUpdateOperators(operators, this.svc.fieldOf);
    return this.atomically(async (transaction) => {
      const rows = await this.svc.rowsMatching(filter ?? {}, 'update', MAX_BATCH + 1, transaction);
      const batch = rows.slice(0, MAX_BATCH);
      for (const row of batch)
        await this.svc.update(row.id as string, applyUpdateOperators(ops, row), { transaction });
      return { updated: batch.length, hasMore: rows.length > MAX_BATCH };
    });
  }

  /** Every matching record the actor may delete. */
  async deleteMany(filter: unknown): Promise<number> {
    if (filter !== undefined && !isPlainObject(filter))
      throw new ValidationError('Send the query as a JSON object');
    return this.atomically(async (transaction) => {
      let deleted = 0;
      for (;;) {
        const rows = await this.svc.rowsMatching(filter ?? {}, 'delete', MAX_BATCH, transaction);
        for (const row of rows) await this.svc.remove(row.id as string, { transaction });
        deleted += rows.length;
        if (rows.length < MAX_BATCH) return deleted;
      }
    });
  }

  /** Up to 500 records, each `{ id, ...changes }`. */
  async bulkUpdate(items: unknown): Promise<Values[]> {
    const list = this.batch(items);
    const ids = list.map((item, index) => {
      if (!isPlainObject(item) || typeof item.id !== 'string') {
        throw new ValidationError('Every record needs its id', [{ index, field: 'id', message: 'required' }]);
      }
      return item.id;
    });
    return this.atomically(async (transaction) => {
      const out: Values[] = [];
      for (const [index, item] of list.entries()) {
        const { id: _id, ...changes } = item as Values;
        out.push(await forRecord(index, () => this.svc.update(ids[index]!, changes, { transaction })));
      }
      return out;
    });
  }

  /**
   * Creates the records whose key is new and merges the others into the record with that key; within one
   * call, the last record with a key wins.
   */
  async upsert(
    records: unknown,
    key: unknown,
  ): Promise<{ created: number; updated: number; records: Values[] }> {
    const list = this.batch(records);
    const keys = (Array.isArray(key) ? key : [key]).filter(
      (k): k is string => typeof k === 'string' && k !== '',
    );
    if (!keys.length)
      throw new ValidationError('Name the key field, or fields, that identify a record', [
        { field: 'key', message: 'required' },
      ]);
    for (const k of keys) {
      if (!this.svc.fieldOf(k))
        throw new ValidationError(`Unknown key field "${k}"`, [{ field: 'key', message: `no field ${k}` }]);
    }
    const byKey = new Map<string, Values>();
    list.forEach((record, index) => {
      if (!isPlainObject(record) || keys.some((k) => record[k] === undefined || record[k] === null)) {
        throw new ValidationError(`Record ${index} lacks its key`, [
          { index, field: keys.join(','), message: 'every key field needs a value' },
        ]);
      }
      const id = JSON.stringify(keys.map((k) => record[k]));
      byKey.set(id, { ...byKey.get(id), ...record });
    });
    return this.atomically(async (transaction) => {
      let created = 0;
      let updated = 0;
      const out: Values[] = [];
      for (const [index, record] of [...byKey.values()].entries()) {
        const filter = Object.fromEntries(keys.map((k) => [k, record[k]]));
        const [existing] = (await this.svc.list({ filter, limit: 1, sort: 'created_at', transaction })).rows;
        if (existing) {
          out.push(
            await forRecord(index, () => this.svc.update(existing.id as string, record, { transaction })),
          );
          updated++;
        } else {
          out.push(await forRecord(index, () => this.svc.create(record, { transaction })));
          created++;
        }
      }
      return { created, updated, records: out };
    });
  }

  private batch(items: unknown): unknown[] {
    if (!Array.isArray(items) || items.length === 0)
      throw new ValidationError('Send a non-empty JSON array of records');
    if (items.length > MAX_BATCH) throw new ValidationError(`Send at most ${MAX_BATCH} records at a time`);
    return items;
  }
}
