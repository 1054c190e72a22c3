import { searchedFields, type Declaration } from './entity';
import { NOW, type Field } from './fields';

/**
 * The PostgreSQL shape a declaration implies. Migrations are generated from it and the drift test compares
 * it with the migrated database, so the two cannot disagree. Type names are PostgreSQL's own `format_type`
 * spellings, which are valid in DDL too.
 */
export interface ColumnShape {
  name: string;
  type: string;
  nullable: boolean;
  /** SQL default expression, or null. */
  default: string | null;
  enumValues?: readonly string[];
}
export interface IndexShape {
  name: string;
  columns: string[];
  unique: boolean;
  /**
   * Absent for a B-tree. `trigram`: a GIN index of pg_trgm's trigrams, which serves `ILIKE '%term%'`. Read
   * from a database, any other access method appears under its own name, so a drift shows.
   */
  method?: string;
}

export const TRIGRAM = 'trigram';
export interface ForeignKeyShape {
  name: string;
  column: string;
  refTable: string;
  onDelete: string;
}
export interface TableShape {
  name: string;
  columns: ColumnShape[];
  primaryKey: string;
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export function enumTypeName(table: string, column: string): string {
  return `enum_${table}_${column}`;
}

const TEXT_KINDS: ReadonlySet<Field['spec']['kind']> = new Set(['string', 'email', 'url', 'phone', 'text']);

/** Timestamps keep milliseconds, as JavaScript dates do, so a value read back compares equal to the row. */
export function sqlType(table: string, column: string, field: Field): string {
  const s = field.spec;
  switch (s.kind) {
    case 'string':
    case 'email':
    case 'url':
    case 'phone':
    case 'relatedType':
      return `character varying(${s.length})`;
    case 'text':
      return 'text';
    case 'integer':
      return 'integer';
    case 'decimal':
      return `numeric(${s.length},${s.scale})`;
    case 'float':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'timestamp(3) with time zone';
    case 'enum':
      return enumTypeName(table, column);
    case 'uuid':
    case 'ref':
      return 'uuid';
    case 'json':
      return 'jsonb';
    case 'list':
      return 'text[]';
  }
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function defaultSql(name: string, field: Field): string | null {
  const v = field.spec.defaultValue;
  if (name === 'id') return 'gen_random_uuid()';
  if (name === 'created_at' || name === 'updated_at') return 'now()';
  if (v === undefined || v === null) return null;
  if (v === NOW) return 'now()';
  switch (field.spec.kind) {
    case 'json':
      return `${quoteLiteral(JSON.stringify(v))}::jsonb`;
    case 'list':
      return `${quoteLiteral(`{${(v as string[]).map((t) => JSON.stringify(t)).join(',')}}`)}::text[]`;
    case 'integer':
    case 'decimal':
    case 'float':
    case 'boolean':
      return String(v);
    default:
      return quoteLiteral(String(v));
  }
}

/** Resolves an entity name (as used by `ref` fields) to its table. */
export type TableResolver = (entityName: string) => string;

/**
 * Whether a declared index is used as written rather than led by the organization: always outside an entity;
 * in one, when a reference leads it, so that it also serves the foreign key's lookups by value.
 */
const byValue = (decl: Declaration, cols: readonly string[]): boolean =>
  decl.kind !== 'entity' || decl.fields[cols[0]!]?.spec.kind === 'ref';

export function tableShape(decl: Declaration, tableOf: TableResolver): TableShape {
  const t = decl.table;
  const columns: ColumnShape[] = [];
  const indexes: IndexShape[] = [];
  const foreignKeys: ForeignKeyShape[] = [];
  const scoped = decl.kind === 'entity';

  // A declared index led by a field serves lookups by that field too, so the field needs no index of its own.
  const ledBy = new Set(decl.indexes.filter((cols) => byValue(decl, cols)).map((cols) => cols[0]));

  for (const [name, field] of Object.entries(decl.fields)) {
    const s = field.spec;
    columns.push({
      name,
      type: sqlType(t, name, field),
      nullable: name === 'id' ? false : field.allowsNull,
      default: defaultSql(name, field),
      ...(s.kind === 'enum' ? { enumValues: s.values } : {}),
    });
    if (s.kind === 'ref' && s.target) {
      foreignKeys.push({
        name: `${t}_${name}_fkey`,
        column: name,
        refTable: tableOf(s.target),
        onDelete: s.onDelete ?? 'SET NULL',
      });
    }
    if (s.unique) {
      const cols = s.unique === 'organization' && scoped ? ['organization_id', name] : [name];
      indexes.push({ name: `${t}_${cols.join('_')}_key`, columns: cols, unique: true });
    } else if (s.index && !ledBy.has(name)) {
      // Foreign keys are looked up by value alone (ON DELETE, joins); other filters always run inside one
      // organization, so the organization leads those indexes.
      const cols = s.kind === 'ref' || !scoped ? [name] : ['organization_id', name];
      indexes.push({ name: `${t}_${cols.join('_')}_idx`, columns: cols, unique: false });
    }
  }
  for (const cols of decl.indexes) {
    const all = byValue(decl, cols) ? [...cols] : ['organization_id', ...cols];
    indexes.push({ name: `${t}_${all.join('_')}_idx`, columns: all, unique: false });
  }
  for (const cols of decl.uniques ?? []) {
    indexes.push({ name: `${t}_${cols.join('_')}_key`, columns: [...cols], unique: true });
  }
  // `?search=` matches a substring anywhere in a field, which no B-tree serves: without this every search
  // reads all of the organization's (or the owner's) rows. Fields PostgreSQL stores as text only (an enum
  // would be matched through a cast the index does not hold).
  const searched = searchedFields(decl).filter((name) => TEXT_KINDS.has(decl.fields[name]!.spec.kind));
  if (scoped && searched.length) {
    indexes.push({ name: `${t}_search_trgm_idx`, columns: searched, unique: false, method: TRIGRAM });
  }
  if (scoped) {
    // Serves the default listing (newest first within an organization) and keyset paging on it.
    indexes.push({
      name: `${t}_organization_id_created_at_id_idx`,
      columns: ['organization_id', 'created_at', 'id'],
      unique: false,
    });
  }
  return { name: t, columns, primaryKey: 'id', indexes, foreignKeys };
}
