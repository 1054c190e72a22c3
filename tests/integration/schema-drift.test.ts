import { Catalog } from '../../src/schema/catalog';
import { allTables } from '../../src/entities';
import { createSequelize } from '../../src/db/sequelize';
import { Migrator } from '../../src/db/migrator';
import { readSchema } from '../../src/db/introspect';
import { diffSchema } from '../../src/db/schema-diff';
import { FORM_FIELDS } from '../../src/services/intake/lead-intake';
import { freshDatabase } from '../setup/test-database';
import type { Sequelize } from 'sequelize';

/**
 * The migrations and the entity declarations must describe the same database: every column (type,
 * nullability, default), enum, index and foreign key. If this fails, run `npm run migration:generate -- <name>`.
 */
let db: { url: string; drop(): Promise<void> };
let sequelize: Sequelize;
const expected = new Catalog(allTables).shapes();

beforeAll(async () => {
  db = await freshDatabase('nexa_drift');
  sequelize = createSequelize({ url: db.url, ssl: 'off', poolMax: 2, statementTimeoutMs: 0 });
}, 60_000);
afterAll(async () => {
  await sequelize.close();
  await db.drop();
});

it('migrations produce exactly the declared schema', async () => {
  const applied = await new Migrator(sequelize).up();
  expect(applied.length).toBeGreaterThan(0);
  const changes = diffSchema(expected, await readSchema(sequelize));
  expect(changes.map((c) => c.description)).toEqual([]);
});

it('declares every table the issue asks for, with the columns of the seed schema on leads', async () => {
  const live = await readSchema(sequelize);
  const tables = live.map((t) => t.name).sort();
  expect(tables).toEqual(expected.map((t) => t.name).sort());
  const crm = [
    'users',
    'leads',
    'contacts',
    'accounts',
    'deals',
    'tasks',
    'meetings',
    'calls',
    'activities',
    'customers',
    'products',
    'orders',
    'campaigns',
    'suppliers',
    'invoices',
    'tickets',
    'link_analytics',
    'emails',
    'documents',
    'workflows',
  ];
  expect(tables).toEqual(expect.arrayContaining([...crm, 'organizations']));
  const leads = live.find((t) => t.name === 'leads')!;
  const col = (name: string) => leads.columns.find((c) => c.name === name);
  // Every field a public intake form may fill, and the ones the CRM itself keeps.
  for (const name of [
    ...FORM_FIELDS,
    'source',
    'status',
    'lead_score',
    'assigned_to',
    'converted_date',
    'last_contact_date',
    'custom_fields',
  ]) {
    expect(col(name)).toBeDefined();
  }
  expect(col('annual_revenue')!.type).toBe('numeric(15,2)');
  expect(col('email')!.nullable).toBe(false);
  expect(col('source')!.default).toMatch(/^'website'/);
  expect(col('lead_score')).toMatchObject({ type: 'integer', default: '0' });
  for (const indexed of ['email', 'status', 'assigned_to', 'lead_score']) {
    expect(leads.indexes.some((i) => i.columns.includes(indexed))).toBe(true);
  }
  expect(leads.foreignKeys).toContainEqual(
    expect.objectContaining({ column: 'assigned_to', refTable: 'users', onDelete: 'SET NULL' }),
  );
  for (const t of live.filter((t) => crm.includes(t.name))) {
    expect(t.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'id',
        'organization_id',
        'created_at',
        'updated_at',
        'created_by',
        'custom_fields',
      ]),
    );
  }
});

it('every migration can be undone and applied again', async () => {
  const migrator = new Migrator(sequelize);
  const { executed } = await migrator.status();
  await migrator.down(executed.length);
  expect((await readSchema(sequelize)).map((t) => t.name)).toEqual([]);
  expect(await migrator.pending()).toEqual(executed);
  await migrator.up();
  expect(diffSchema(expected, await readSchema(sequelize))).toEqual([]);
});

it('a migration that adds an index keeps one built beforehand under its name (CONCURRENTLY, by an operator)', async () => {
  const index = 'leads_created_by_organization_id_status_created_at_id_idx';
  await sequelize.query(`DROP INDEX "${index}"`);
  const changes = diffSchema(expected, await readSchema(sequelize));
  expect(changes.map((c) => c.description)).toEqual([expect.stringContaining(index)]);
  await sequelize.query(
    `CREATE INDEX CONCURRENTLY "${index}" ON "leads" ("created_by", "organization_id", "status", "created_at", "id")`,
  );
  await sequelize.transaction(async (transaction) => {
    for (const sql of changes.flatMap((c) => c.up)) await sequelize.query(sql, { transaction });
  });
  expect(diffSchema(expected, await readSchema(sequelize))).toEqual([]);
});
