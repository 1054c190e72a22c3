import { DataTypes, QueryTypes, Utils, type Transaction } from 'sequelize';
import type { AnyModel } from '../db/models';

type Row = Record<string, unknown>;

/** PostgreSQL takes at most 65,535 bind parameters per statement; stay well under it. */
const MAX_PARAMETERS = 20_000;

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A declared default as Sequelize fills it in: NOW is the statement's one timestamp, UUIDV4 a new id. */
const defaultOf = (value: unknown, now: Date): unknown =>
  value instanceof DataTypes.NOW ? now : Utils.toDefaultValue(value);

/**
 * Inserts rows with one multi-row `INSERT … RETURNING` per chunk, as `Model.bulkCreate` would store them
 * (the model's defaults and timestamps filled in, unknown keys dropped) but without building a Sequelize
 * instance per row or inlining every value into the SQL: values travel as bind parameters. Returns the
 * stored rows (every attribute) in the order given, as a raw query reads them.
 */
export async function insertRows(model: AnyModel, rows: Row[], transaction: Transaction): Promise<Row[]> {
  if (rows.length === 0) return [];
  const attributes = model.getAttributes();
  const now = new Date();
  const filled = rows.map((row) => {
    const out: Row = {};
    for (const [name, attribute] of Object.entries(attributes)) {
      const value = row[name];
      if (value !== undefined) out[name] = value;
      else if (name === 'created_at' || name === 'updated_at') out[name] = now;
      else if (attribute.defaultValue !== undefined) out[name] = defaultOf(attribute.defaultValue, now);
    }
    return out;
  });
  const columns = Object.keys(attributes).filter((name) => filled.some((row) => name in row));
  const json = new Set(
    columns.filter((name) => {
      const key = (attributes[name]!.type as { key?: string }).key;
      return key === 'JSON' || key === 'JSONB';
    }),
  );
  const table = quote(model.getTableName() as string);
  const fields = columns.map((name) => quote(attributes[name]!.field ?? name));
  const returning = Object.entries(attributes)
    .map(([name, a]) => (a.field && a.field !== name ? `${quote(a.field)} AS ${quote(name)}` : quote(name)))
    .join(', ');
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const stored: Row[] = [];
  for (let start = 0; start < filled.length; start += perChunk) {
    const bind: unknown[] = [];
    const tuples = filled.slice(start, start + perChunk).map((row) => {
      const cells = columns.map((name) => {
        if (!(name in row)) return 'DEFAULT';
        const value = row[name];
        // node-postgres would send a JS array as a PostgreSQL array: a JSON column gets its JSON text.
        bind.push(json.has(name) && value !== null ? JSON.stringify(value) : value);
        return `$${bind.length}`;
      });
      return `(${cells.join(', ')})`;
    });
    const sql = `INSERT INTO ${table} (${fields.join(', ')}) VALUES ${tuples.join(', ')} RETURNING ${returning}`;
    stored.push(...(await model.sequelize!.query<Row>(sql, { bind, type: QueryTypes.SELECT, transaction })));
  }
  return stored;
}
