import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import type { Sequelize } from 'sequelize';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { buildContainer, type Container } from '../../src/container';
import { readSchema } from '../../src/db/introspect';
import { renderMigration } from '../../src/db/migration-file';
import { MIGRATIONS_DIR, Migrator } from '../../src/db/migrator';
import { diffSchema } from '../../src/db/schema-diff';
import { createSequelize } from '../../src/db/sequelize';
import { allTables } from '../../src/entities';
import { createLogger } from '../../src/logger';
import { Catalog } from '../../src/schema/catalog';
import { defineEntity } from '../../src/schema/entity';
import { f } from '../../src/schema/fields';
import { freshDatabase } from '../setup/test-database';
import { createTenant } from '../helpers/tenant';

/**
 * Adding an entity is one declaration and one generated migration: nothing in the generic layer names it.
 * This declares a twenty-first entity here, generates its migration the way `npm run migration:generate`
 * does, runs it, and uses the generated REST routes.
 */
const Widget = defineEntity({
  name: 'Widget',
  table: 'widgets',
  path: 'widgets',
  fields: {
    name: f.string(100).required().searchable(),
    size: f.enum(['small', 'medium', 'large']).default('medium').index(),
    weight_kg: f.decimal(8, 3).min(0),
    parent_id: f.ref('Widget').index(),
    account_id: f.ref('Account').index(),
  },
  tags: true,
});

let db: { url: string; drop(): Promise<void> };
let sequelize: Sequelize;
let migrationsDir: string;

beforeAll(async () => {
  db = await freshDatabase('nexa_generic');
  sequelize = createSequelize({ url: db.url, ssl: 'off', poolMax: 3, statementTimeoutMs: 0 });
  migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-migrations-'));
  for (const file of fs.readdirSync(MIGRATIONS_DIR))
    fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(migrationsDir, file));
}, 60_000);
// A container's hashing threads and listeners would keep the test worker alive.
const containers: Container[] = [];
afterAll(async () => {
  for (const c of containers) await c.close();
  await sequelize.close();
  await db.drop();
  fs.rmSync(migrationsDir, { recursive: true, force: true });
});

it('generates, applies and reverts the migration of a new entity', async () => {
  const migrator = new Migrator(sequelize, undefined, migrationsDir);
  await migrator.up();
  const catalog = new Catalog([...allTables, Widget]);
  const changes = diffSchema(catalog.shapes(), await readSchema(sequelize));
  expect(changes.map((c) => c.description)).toEqual(['create tables widgets']);

  fs.writeFileSync(path.join(migrationsDir, '29991231000000-add-widgets.ts'), renderMigration(changes));
  expect(await migrator.up()).toEqual(['29991231000000-add-widgets']);
  expect(diffSchema(catalog.shapes(), await readSchema(sequelize))).toEqual([]);

  await migrator.down(1);
  expect(diffSchema(catalog.shapes(), await readSchema(sequelize)).map((c) => c.description)).toEqual([
    'create tables widgets',
  ]);
  await migrator.up();
});

it('turns a changed declaration into the migration that resolves it', async () => {
  const changed = defineEntity({
    ...Widget,
    fields: {
      ...Widget.fields,
      size: f.enum(['small', 'medium', 'large', 'huge']).default('medium').index(),
      colour: f.string(30),
    },
  });
  const catalog = new Catalog([...allTables, changed]);
  const changes = diffSchema(catalog.shapes(), await readSchema(sequelize));
  expect(changes.map((c) => c.description)).toEqual([
    'widgets.size: enum values ["small","medium","large"] → ["small","medium","large","huge"]',
    'widgets: add column colour',
  ]);
  await sequelize.transaction(async (transaction) => {
    for (const sql of changes.flatMap((c) => c.up)) await sequelize.query(sql, { transaction });
  });
  expect(diffSchema(catalog.shapes(), await readSchema(sequelize))).toEqual([]);
  await sequelize.transaction(async (transaction) => {
    for (const sql of [...changes].reverse().flatMap((c) => c.down))
      await sequelize.query(sql, { transaction });
  });
  expect(diffSchema(new Catalog([...allTables, Widget]).shapes(), await readSchema(sequelize))).toEqual([]);
});

it('serves the new entity through the generated routes with the generic query language', async () => {
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url });
  const c = buildContainer(config, createLogger(config.log), sequelize, [...allTables, Widget]);
  containers.push(c);
  const http = supertest(createApp(c));
  const org = await createTenant(c, 'Widget Co');

  const parent = await http
    .post('/api/v1/widgets')
    .set(org.admin.auth)
    .send({ name: 'Frame', weight_kg: 2.5 })
    .expect(201);
  expect(parent.body.data).toMatchObject({ name: 'Frame', size: 'medium', weight_kg: 2.5, tags: [] });
  const child = await http
    .post('/api/v1/widgets')
    .set(org.admin.auth)
    .send({ name: 'Wheel', size: 'small', parent_id: parent.body.data.id, tags: ['round'] })
    .expect(201);
  await http.post('/api/v1/widgets').set(org.admin.auth).send({ name: 'Bad', size: 'gigantic' }).expect(400);

  const list = await http
    .get('/api/v1/widgets?size=small&tags[all]=round&sort=-name')
    .set(org.admin.auth)
    .expect(200);
  expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([child.body.data.id]);
  const search = await http.get('/api/v1/widgets?search=fra').set(org.admin.auth).expect(200);
  expect(search.body.meta.total).toBe(1);
  await http
    .patch(`/api/v1/widgets/${child.body.data.id}`)
    .set(org.admin.auth)
    .send({ weight_kg: 0.75 })
    .expect(200);
  await http.delete(`/api/v1/widgets/${child.body.data.id}`).set(org.admin.auth).expect(204);

  // The new entity is a valid target of polymorphic links too.
  await http
    .post('/api/v1/tasks')
    .set(org.admin.auth)
    .send({ title: 'Inspect the frame', related_type: 'widget', related_id: parent.body.data.id })
    .expect(201);
});
