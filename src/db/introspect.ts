import { QueryTypes, type Sequelize } from 'sequelize';
import { TRIGRAM, type IndexShape, type TableShape } from '../schema/physical';

const ON_DELETE: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** A B-tree is the default (no method); pg_trgm's GIN operator class on every column is a trigram index. */
function indexMethod(i: { method: string; opclasses: string[] }): Pick<IndexShape, 'method'> {
  if (i.method === 'btree') return {};
  if (i.method === 'gin' && i.opclasses.every((o) => o === 'gin_trgm_ops')) return { method: TRIGRAM };
  return { method: i.method };
}

/** Reads the tables of the `public` schema into the same shape declarations produce. */
export async function readSchema(
  sequelize: Sequelize,
  ignore: string[] = ['schema_migrations'],
): Promise<TableShape[]> {
  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT });

  const columns = await select<{
    table: string;
    name: string;
    type: string;
    nullable: boolean;
    default: string | null;
  }>(`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`);

  const enums = await select<{ name: string; labels: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public'
    GROUP BY t.typname`);

  const indexes = await select<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
    method: string;
    opclasses: string[];
  }>(`
    SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
           ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
           am.amname AS method,
           ARRAY(SELECT o.opcname::text FROM unnest(ix.indclass::oid[]) WITH ORDINALITY k(opc, ord)
                 JOIN pg_opclass o ON o.oid = k.opc ORDER BY k.ord) AS opclasses
    FROM pg_index ix
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_am am ON am.oid = i.relam
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public'`);

  const foreignKeys = await select<{
    table: string;
    name: string;
    column: string;
    ref_table: string;
    on_delete: string;
  }>(`
    SELECT c.relname AS table, con.conname AS name, a.attname AS column, rc.relname AS ref_table,
           con.confdeltype AS on_delete
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_class rc ON rc.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
    WHERE n.nspname = 'public' AND con.contype = 'f'`);

  const enumLabels = new Map(enums.map((e) => [e.name, e.labels]));
  const tables = new Map<string, TableShape>();
  for (const c of columns) {
    if (ignore.includes(c.table)) continue;
    let t = tables.get(c.table);
    if (!t) {
      t = { name: c.table, columns: [], primaryKey: '', indexes: [], foreignKeys: [] };
      tables.set(c.table, t);
    }
    const labels = enumLabels.get(c.type);
    t.columns.push({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      default: c.default,
      ...(labels ? { enumValues: labels } : {}),
    });
  }
  for (const i of indexes) {
    const t = tables.get(i.table);
    if (!t) continue;
    if (i.primary) t.primaryKey = i.columns.join(',');
    else t.indexes.push({ name: i.name, columns: i.columns, unique: i.unique, ...indexMethod(i) });
  }
  for (const fk of foreignKeys) {
    tables.get(fk.table)?.foreignKeys.push({
      name: fk.name,
      column: fk.column,
      refTable: fk.ref_table,
      onDelete: ON_DELETE[fk.on_delete] ?? fk.on_delete,
    });
  }
  return [...tables.values()];
}
