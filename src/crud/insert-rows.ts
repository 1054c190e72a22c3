import { DataTypes, QueryTypes, Utils, type Transaction } from 'sequelize';
import type { AnyModel } from '../db/models';

type Row = Record<string, unknown>;

/** Rows per statement: bounds the size of one statement and of its arrays, not a PostgreSQL limit. */
const ROWS_PER_STATEMENT = 5_000;

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A declared default as Sequelize fills it in: NOW is the statement's one timestamp, UUIDV4 a new id. */
const defaultOf = (value: unknown, now: Date): unknown =>
  value instanceof DataTypes.NOW ? now : Utils.toDefaultValue(value);

/** A value as PostgreSQL's text input for its column reads it (the column's type is applied in SQL). */
function asText(value: unknown, json: boolean): string | null {
  if (value === null || value === undefined) return null;
  if (json) return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (Array.isArray(value)) {
    const items = value.map((v) =>
      v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`,
    );
    return `{${items.join(',')}}`;
  }
  // PostgreSQL text cannot hold NUL; Sequelize's bind path writes it as the two characters \0, and so do we.
  return typeof value === 'object' ? JSON.stringify(value) : String(value).replace(/\0/g, '\\0');
}

/** Each column's SQL type as the catalog names it (enums, varchar lengths), read once per table. */
const columnTypes = new WeakMap<AnyModel, Promise<Map<string, string>>>();
function typesOf(model: AnyModel, transaction: Transaction): Promise<Map<string, string>> {
  let types = columnTypes.get(model);
  if (!types) {
    types = model
      .sequelize!.query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        { bind: [quote(model.getTableName() as string)], type: QueryTypes.SELECT, transaction },
      )
      .then((rows) => new Map(rows.map((r) => [r.name, r.type])));
    // A failed read (the transaction was aborted, say) is not remembered.
    types.catch(() => columnTypes.delete(model));
    columnTypes.set(model, types);
  }
  return types;
}

/**
 * Inserts rows as `Model.bulkCreate` would store them (the model's defaults and timestamps filled in, unknown
 * keys dropped), with one `INSERT … SELECT FROM unnest(…) RETURNING` per 5,000 rows: one array parameter per
 * column, so PostgreSQL plans a statement of a few parameters instead of binding and planning a VALUES list of
 * thousands (measured: the two inserts of a 1,000-lead bulk create took 60–110 ms each that way, most of it in
 * bind and plan). A column some rows leave out is NULL for them, as PostgreSQL would store it: the model's
 * defaults, filled in here, are the columns' own (src/schema/physical.ts). Returns the stored rows (every
 * attribute) in the order given, as a raw query reads them.
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
  const types = await typesOf(model, transaction);
  const fieldOf = (name: string): string => attributes[name]!.field ?? name;
  const table = quote(model.getTableName() as string);
  const fields = columns.map((name) => quote(fieldOf(name)));
  const cast = columns.map((name, i) => `c${i}::${types.get(fieldOf(name)) ?? 'text'}`);
  const arrays = columns.map((_, i) => `$${i + 1}::text[]`);
  const returning = Object.entries(attributes)
    .map(([name, a]) => (a.field && a.field !== name ? `${quote(a.field)} AS ${quote(name)}` : quote(name)))
    .join(', ');
  const sql =
    `INSERT INTO ${table} (${fields.join(', ')}) SELECT ${cast.join(', ')}` +
    ` FROM unnest(${arrays.join(', ')}) AS u(${columns.map((_, i) => `c${i}`).join(', ')}) RETURNING ${returning}`;
  const stored: Row[] = [];
  for (let start = 0; start < filled.length; start += ROWS_PER_STATEMENT) {
    const chunk = filled.slice(start, start + ROWS_PER_STATEMENT);
    const bind = columns.map((name) => chunk.map((row) => asText(row[name], json.has(name))));
    const returned = await model.sequelize!.query<Row>(sql, { bind, type: QueryTypes.SELECT, transaction });
    stored.push(...inGivenOrder(model.primaryKeyAttribute, chunk, returned));
  }
  return stored;
}

/**
 * PostgreSQL does not promise that RETURNING follows the order rows were inserted in, and callers pair each
 * stored row with the input it came from: the rows are matched by key (filled in above from the model's
 * default when not given).
 */
function inGivenOrder(pk: string, given: Row[], returned: Row[]): Row[] {
  const keyOf = (row: Row) => String(row[pk]).toLowerCase();
  const byKey = new Map(returned.map((row) => [keyOf(row), row]));
  return given.map((row) => {
    const stored = row[pk] === undefined || row[pk] === null ? undefined : byKey.get(keyOf(row));
    if (!stored) throw new Error(`insertRows: a row given has no key to pair it with the stored one`);
    return stored;
  });
}
