import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, MIGRATIONS_DIR } from '../../src/db/migrator';
import { startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('GET /health answers while the process runs', async () => {
  expect((await t.http.get('/health').expect(200)).body).toEqual({ status: 'ok' });
});

it('GET /health/ready is 200 when the database answers and every migration is applied', async () => {
  expect((await t.http.get('/health/ready').expect(200)).body).toEqual({ status: 'ready' });
});

it('GET /health/ready is 503 while a migration is pending', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-pending-'));
  for (const f of fs.readdirSync(MIGRATIONS_DIR))
    fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
  fs.writeFileSync(
    path.join(dir, '29990101000000-not-yet.ts'),
    'export const up = async () => {};\nexport const down = up;\n',
  );
  const original = t.c.migrator;
  t.c.migrator = new Migrator(t.c.sequelize, undefined, dir);
  try {
    const res = await t.http.get('/health/ready').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', problems: ['1 migration(s) not applied'] });
  } finally {
    t.c.migrator = original;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('GET /health/ready is 503 once shutdown has begun', async () => {
  t.c.lifecycle.shuttingDown = true;
  try {
    expect((await t.http.get('/health/ready').expect(503)).body.problems).toContain('shutting down');
  } finally {
    t.c.lifecycle.shuttingDown = false;
  }
});

it('unknown routes answer a JSON 404', async () => {
  const res = await t.http.get('/api/v1/nope').expect(401);
  expect(res.body.error.code).toBe('UNAUTHORIZED');
  expect((await t.http.get('/nowhere').expect(404)).body.error).toEqual({
    code: 'NOT_FOUND',
    message: 'No route for GET /nowhere',
  });
});
