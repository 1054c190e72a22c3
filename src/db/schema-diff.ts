import * as ddl from '../schema/ddl';
import type { ColumnShape, ForeignKeyShape, IndexShape, TableShape } from '../schema/physical';

/** One difference between the declared schema and a database, with the SQL that resolves it and undoes it. */
export interface SchemaChange {
  description: string;
  up: string[];
  down: string[];
}

/** `'new'::enum_leads_status` and `'new'` are the same default; PostgreSQL adds the casts. */
export function normalizeDefault(expr: string | null): string | null {
  if (expr === null) return null;
  let out = expr.trim();
  const cast = /::(?:"[^"]+"|[a-z_][a-z0-9_ ]*(?:\(\d+(?:,\d+)?\))?)(?:\[\])?$/i;
  while (cast.test(out)) out = out.replace(cast, '');
  return out.replace(/^\((.*)\)$/, '$1');
}

const sameList = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function recreateEnum(table: string, want: ColumnShape, have: ColumnShape): string[] {
  const old = `${want.type}_old`;
  return [
    `ALTER TYPE ${ddl.q(have.type)} RENAME TO ${ddl.q(old)}`,
    ddl.createEnumType(want.type, want.enumValues!),
    ddl.setDefault(table, want.name, null),
    ddl.alterColumnType(table, want),
    ...(want.default !== null ? [ddl.setDefault(table, want.name, want.default)] : []),
    ddl.dropEnumType(old),
  ];
}

function diffColumns(want: TableShape, have: TableShape): SchemaChange[] {
  const t = want.name;
  const changes: SchemaChange[] = [];
  const haveCols = new Map(have.columns.map((c) => [c.name, c]));
  const wantNames = new Set(want.columns.map((c) => c.name));

  for (const w of want.columns) {
    const h = haveCols.get(w.name);
    if (!h) {
      const type = w.enumValues ? [ddl.createEnumType(w.type, w.enumValues)] : [];
      const note =
        !w.nullable && w.default === null ? ' (NOT NULL without a default: fails if the table has rows)' : '';
      changes.push({
        description: `${t}: add column ${w.name}${note}`,
        up: [...type, ddl.addColumn(t, w)],
        down: [ddl.dropColumn(t, w.name), ...(w.enumValues ? [ddl.dropEnumType(w.type)] : [])],
      });
      continue;
    }
    if (w.enumValues && h.enumValues) {
      if (!sameList(w.enumValues, h.enumValues)) {
        changes.push({
          description: `${t}.${w.name}: enum values ${JSON.stringify(h.enumValues)} → ${JSON.stringify(w.enumValues)}`,
          up: recreateEnum(t, w, h),
          down: recreateEnum(t, h, w),
        });
      }
    } else if (w.type !== h.type) {
      changes.push({
        description: `${t}.${w.name}: type ${h.type} → ${w.type}`,
        up: [...(w.enumValues ? [ddl.createEnumType(w.type, w.enumValues)] : []), ddl.alterColumnType(t, w)],
        down: [ddl.alterColumnType(t, h)],
      });
    }
    if (w.nullable !== h.nullable) {
      changes.push({
        description: `${t}.${w.name}: ${w.nullable ? 'allow' : 'disallow'} null`,
        up: [ddl.setNotNull(t, w.name, !w.nullable)],
        down: [ddl.setNotNull(t, w.name, !h.nullable)],
      });
    }
    if (normalizeDefault(w.default) !== normalizeDefault(h.default)) {
      changes.push({
        description: `${t}.${w.name}: default ${h.default ?? 'none'} → ${w.default ?? 'none'}`,
        up: [ddl.setDefault(t, w.name, w.default)],
        down: [ddl.setDefault(t, w.name, h.default)],
      });
    }
  }
  for (const h of have.columns) {
    if (wantNames.has(h.name)) continue;
    changes.push({
      description: `${t}: drop column ${h.name} (its data is lost)`,
      up: [ddl.dropColumn(t, h.name)],
      down: [ddl.addColumn(t, h)],
    });
  }
  return changes;
}

function diffNamed<S extends { name: string }>(
  table: string,
  what: string,
  want: S[],
  have: S[],
  same: (a: S, b: S) => boolean,
  create: (s: S) => string,
  drop: (s: S) => string,
): SchemaChange[] {
  const haveByName = new Map(have.map((s) => [s.name, s]));
  const wantByName = new Map(want.map((s) => [s.name, s]));
  const changes: SchemaChange[] = [];
  for (const h of have) {
    const w = wantByName.get(h.name);
    if (!w || !same(w, h)) {
      changes.push({ description: `${table}: drop ${what} ${h.name}`, up: [drop(h)], down: [create(h)] });
    }
  }
  for (const w of want) {
    const h = haveByName.get(w.name);
    if (!h || !same(w, h)) {
      changes.push({ description: `${table}: create ${what} ${w.name}`, up: [create(w)], down: [drop(w)] });
    }
  }
  return changes;
}

const sameIndex = (a: IndexShape, b: IndexShape) =>
  a.unique === b.unique && a.method === b.method && sameList(a.columns, b.columns);
const sameFk = (a: ForeignKeyShape, b: ForeignKeyShape) =>
  a.column === b.column && a.refTable === b.refTable && a.onDelete === b.onDelete;

/** Everything that differs between the declarations (`expected`) and a database (`actual`), in applying order. */
export function diffSchema(expected: TableShape[], actual: TableShape[]): SchemaChange[] {
  const actualByName = new Map(actual.map((t) => [t.name, t]));
  const expectedNames = new Set(expected.map((t) => t.name));
  const missing = expected.filter((t) => !actualByName.has(t.name));
  const common = expected.filter((t) => actualByName.has(t.name));
  const extra = actual.filter((t) => !expectedNames.has(t.name));
  const changes: SchemaChange[] = [];

  if (missing.length) {
    changes.push({
      description: `create tables ${missing.map((t) => t.name).join(', ')}`,
      up: ddl.createTables(missing),
      down: ddl.dropTables(missing),
    });
  }
  for (const want of common) {
    const have = actualByName.get(want.name)!;
    const t = want.name;
    changes.push(
      ...diffColumns(want, have),
      ...diffNamed(
        t,
        'foreign key',
        want.foreignKeys,
        have.foreignKeys,
        sameFk,
        (fk) => ddl.addForeignKey(t, fk),
        (fk) => ddl.dropConstraint(t, fk.name),
      ),
      ...diffNamed(
        t,
        'index',
        want.indexes,
        have.indexes,
        sameIndex,
        (i) => ddl.createIndex(t, i),
        (i) => ddl.dropIndex(i.name),
      ),
    );
  }
  // New tables bring the extension with them (createTables); indexes added to existing ones need it first.
  const added = common.flatMap((want) => {
    const have = actualByName.get(want.name)!.indexes;
    return want.indexes.filter((w) => !have.some((h) => h.name === w.name && sameIndex(w, h)));
  });
  if (ddl.needsTrigrams(added) && !ddl.needsTrigrams(missing.flatMap((t) => t.indexes))) {
    changes.unshift({ description: 'enable the pg_trgm extension', up: [ddl.ENABLE_TRIGRAMS], down: [] });
  }
  if (extra.length) {
    changes.push({
      description: `drop tables ${extra.map((t) => t.name).join(', ')} (no declaration; their data is lost)`,
      up: ddl.dropTables(extra),
      down: ddl.createTables(extra),
    });
  }
  return changes;
}
