import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

/**
 * The API process stopping (SIGTERM) while a request runs whose client has already gone: the server closes at
 * once (it has no connection left to drain), but the handler still needs the database, so the process waits
 * for it before closing what handlers use. The database answers through a proxy that holds its replies, so
 * the handler is still waiting on it when the signal comes.
 */
const root = path.resolve(__dirname, '../..');
let t: TestApp;
let org: Tenant;
let proxy: TcpProxy;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Shutdown Org');
  const db = new URL(process.env.DATABASE_URL!);
  proxy = await startTcpProxy(Number(db.port || 5432), db.hostname);
});
afterAll(async () => {
  await proxy.stop();
  await t.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('lets a sign-in whose client left finish before the process closes the database', async () => {
  const databaseUrl = new URL(process.env.DATABASE_URL!);
  databaseUrl.port = String(proxy.port);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl.toString(),
      HOST: '127.0.0.1',
      PORT: '0',
      MIGRATE_ON_START: 'false',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      LOG_TO_FILES: 'false',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (let i = 0; !/running at http:\/\/localhost:\d+/.test(output); i++) {
      if (i > 200 || child.exitCode !== null) throw new Error(`The server did not start:\n${output}`);
      await sleep(100);
    }
    const port = /running at http:\/\/localhost:(\d+)/.exec(output)![1];
    const sessions = () => t.c.models.get('RefreshToken').count({ where: { user_id: org.rep.id } });
    const before = await sessions();

    proxy.hold();
    const req = http.request(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ email: org.rep.email, password: PASSWORD }));
    await sleep(300);
    req.destroy();
    child.kill('SIGTERM');
    await sleep(500);
    proxy.release();

    expect(await exited).toBe(0);
    expect(output).toMatch(/Stopped cleanly/);
    expect(output).not.toMatch(/"level":"error"/);
    // The handler ran to its end: the session it opened is recorded, though nobody was left to receive it.
    expect(await sessions()).toBe(before + 1);
  } finally {
    proxy.release();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
