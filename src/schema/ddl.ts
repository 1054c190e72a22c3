import {
  TRIGRAM,
  quoteLiteral,
  type ColumnShape,
  type ForeignKeyShape,
  type IndexShape,
  type TableShape,
} from './physical';

/** PostgreSQL DDL statements for table shapes. Identifiers come from declarations, never from requests. */
export const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

export function columnDefinition(c: ColumnShape): string {
  const type = c.enumValues ? q(c.type) : c.type;
  return [q(c.name), type, c.nullable ? '' : 'NOT NULL', c.default !== null ? `DEFAULT ${c.default}` : '']
    .filter(Boolean)
    .join(' ');
}

export function createEnumType(name: string, values: readonly string[]): string {
  return `CREATE TYPE ${q(name)} AS ENUM (${values.map(quoteLiteral).join(', ')})`;
}

export const dropEnumType = (name: string): string => `DROP TYPE IF EXISTS ${q(name)}`;

export function createTable(t: TableShape): string {
  const lines = [
    ...t.columns.map(columnDefinition),
    `CONSTRAINT ${q(`${t.name}_pkey`)} PRIMARY KEY (${q(t.primaryKey)})`,
  ];
  return `CREATE TABLE ${q(t.name)} (\n  ${lines.join(',\n  ')}\n)`;
}

export const dropTable = (name: string): string => `DROP TABLE IF EXISTS ${q(name)}`;

export function addForeignKey(table: string, fk: ForeignKeyShape): string {
  return (
    `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(fk.name)} FOREIGN KEY (${q(fk.column)}) ` +
    `REFERENCES ${q(fk.refTable)} ("id") ON DELETE ${fk.onDelete}`
  );
}

export const dropConstraint = (table: string, name: string): string =>
  `ALTER TABLE ${q(table)} DROP CONSTRAINT IF EXISTS ${q(name)}`;

/**
 * IF NOT EXISTS: on a large table an operator can build the index beforehand with CREATE INDEX CONCURRENTLY
 * under the same name, and the migration, which would lock the table's writes while it builds, skips it.
 */
export function createIndex(table: string, i: IndexShape): string {
  const head = `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${q(i.name)} ON ${q(table)}`;
  return i.method === TRIGRAM
    ? `${head} USING gin (${i.columns.map((c) => `${q(c)} gin_trgm_ops`).join(', ')})`
    : `${head} (${i.columns.map(q).join(', ')})`;
}

/**
 * Trigram indexes need the pg_trgm extension. It is a trusted extension (PostgreSQL 13+): the database's
 * owner may create it without being a superuser, on RDS as anywhere. It is never dropped: other schemas of
 * the same database may use it.
 */
export const ENABLE_TRIGRAMS = 'CREATE EXTENSION IF NOT EXISTS pg_trgm';

export const needsTrigrams = (indexes: IndexShape[]): boolean => indexes.some((i) => i.method === TRIGRAM);

export const dropIndex = (name: string): string => `DROP INDEX IF EXISTS ${q(name)}`;

export const addColumn = (table: string, c: ColumnShape): string =>
  `ALTER TABLE ${q(table)} ADD COLUMN ${columnDefinition(c)}`;

export const dropColumn = (table: string, name: string): string =>
  `ALTER TABLE ${q(table)} DROP COLUMN IF EXISTS ${q(name)}`;

export function alterColumnType(table: string, c: ColumnShape): string {
  const type = c.enumValues ? q(c.type) : c.type;
  return `ALTER TABLE ${q(table)} ALTER COLUMN ${q(c.name)} TYPE ${type} USING ${q(c.name)}::text::${type}`;
}

export const setNotNull = (table: string, column: string, notNull: boolean): string =>
  `ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} ${notNull ? 'SET' : 'DROP'} NOT NULL`;

export const setDefault = (table: string, column: string, expr: string | null): string =>
  `ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} ${expr === null ? 'DROP DEFAULT' : `SET DEFAULT ${expr}`}`;

/** Every statement that creates a set of tables, ordered so that references resolve. */
export function createTables(tables: TableShape[]): string[] {
  return [
    ...(needsTrigrams(tables.flatMap((t) => t.indexes)) ? [ENABLE_TRIGRAMS] : []),
    ...tables.flatMap((t) =>
      t.columns.filter((c) => c.enumValues).map((c) => createEnumType(c.type, c.enumValues!)),
    ),
    ...tables.map(createTable),
    ...tables.flatMap((t) => t.foreignKeys.map((fk) => addForeignKey(t.name, fk))),
    ...tables.flatMap((t) => t.indexes.map((i) => createIndex(t.name, i))),
  ];
}

export function dropTables(tables: TableShape[]): string[] {
  return [
    ...[...tables].reverse().map((t) => `DROP TABLE IF EXISTS ${q(t.name)} CASCADE`),
    ...tables.flatMap((t) => t.columns.filter((c) => c.enumValues).map((c) => dropEnumType(c.type))),
  ];
}
