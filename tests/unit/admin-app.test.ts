import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import supertest from 'supertest';
import { adminApp } from '../../src/http/admin-app';
import { errorHandler } from '../../src/http/error-handler';
import { createLogger } from '../../src/logger';

const logger = createLogger({ level: 'error', format: 'json', toFiles: false, dir: '' });
const serve = (dist: string) => supertest(express().use('/admin', adminApp(dist)).use(errorHandler(logger)));

let dist: string;
beforeAll(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
});
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

describe('the admin app at /admin', () => {
  it('caches hashed assets for good', async () => {
    const res = await serve(dist).get('/admin/assets/index-abc123.js').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves index.html for every screen path, revalidated each time, with its content policy', async () => {
    for (const p of ['/admin', '/admin/', '/admin/e/leads/123', '/admin/reset-password']) {
      const res = await serve(dist).get(p).expect(200);
      expect(res.text).toContain('id="root"');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data: blob:");
    }
  });

  it('revalidates other static files rather than caching them', async () => {
    const res = await serve(dist).get('/admin/favicon.svg').expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with a JSON 404, never with index.html', async () => {
    const res = await serve(dist).get('/admin/assets/index-old999.js').expect(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(res.body.error.message).toContain('reload the page');
  });

  it('says how to build the app when it has not been built', async () => {
    const res = await serve(path.join(dist, 'nowhere')).get('/admin/').expect(503);
    expect(res.body.error.message).toContain('npm run build');
  });
});
