import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { entities } from '../../src/entities';
import { startClientApp, type ClientTestApp } from '../helpers/client';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

const run = promisify(execFile);
const CLIENT_DIR = path.join(__dirname, '..', '..', 'client');

let t: ClientTestApp;
let org: Tenant;
/** A scratch project with the built client installed as `@nexa-crm/client`, the way an app would have it. */
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-client-app-'));

beforeAll(async () => {
  await run('npm', ['run', 'client:build'], { cwd: path.join(CLIENT_DIR, '..') });
  fs.mkdirSync(path.join(project, 'node_modules', '@nexa-crm'), { recursive: true });
  fs.symlinkSync(CLIENT_DIR, path.join(project, 'node_modules', '@nexa-crm', 'client'), 'dir');
  t = await startClientApp();
  org = await createTenant(t.c, 'Client Build');
}, 180_000);
afterAll(async () => {
  await t.close();
  fs.rmSync(project, { recursive: true, force: true });
});

/** What an app written against the package does, run by plain Node as an ES module. */
const APP = `
import { configure, AuthAPI, Lead, ApiError, ENTITY_PATHS } from '@nexa-crm/client';
configure({ baseUrl: process.env.SERVER_URL });
await AuthAPI.login(process.env.EMAIL, process.env.PASSWORD);
const lead = await Lead.create({ email: process.env.LEAD_EMAIL, first_name: 'Built' });
const found = await Lead.filter({ email: process.env.LEAD_EMAIL });
let refused;
try {
  await Lead.create({ first_name: 'No email' });
} catch (err) {
  refused = { isApiError: err instanceof ApiError, status: err.status, code: err.code };
}
console.log(JSON.stringify({
  me: (await AuthAPI.me()).email,
  created: lead.first_name,
  found: found.map((l) => l.id === lead.id),
  refused,
  entities: Object.keys(ENTITY_PATHS).length,
}));
`;

describe('npm run client:build', () => {
  it('declares entry points that exist', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(CLIENT_DIR, 'package.json'), 'utf8')) as {
      type: string;
      exports: { '.': { types: string; import: string } };
    };
    expect(pkg.type).toBe('module');
    for (const file of [pkg.exports['.'].import, pkg.exports['.'].types]) {
      expect(fs.existsSync(path.join(CLIENT_DIR, file))).toBe(true);
    }
  });

  it('produces an ES module package that a Node app imports and uses against the server', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', APP], {
      cwd: project,
      env: {
        ...process.env,
        SERVER_URL: t.url,
        EMAIL: org.admin.email,
        PASSWORD,
        LEAD_EMAIL: `built-${Date.now()}@example.com`,
      },
    });
    expect(JSON.parse(stdout)).toEqual({
      me: org.admin.email,
      created: 'Built',
      found: [true],
      refused: { isApiError: true, status: 400, code: 'VALIDATION_FAILED' },
      entities: entities.length,
    });
  });
});
