import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The README's first command on a machine with nothing but Node: `npm start` builds if needed, starts the
 * embedded PostgreSQL under DATA_DIR, migrates, creates the admin with a generated password it prints once,
 * seeds the demo data, and serves. A second start on the same data directory keeps everything.
 */
const root = path.resolve(__dirname, '../..');
let dataDir: string;

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_TO_FILES: 'false',
  };
  for (const name of [
    'DATABASE_URL',
    'JWT_SECRET',
    'ADMIN_PASSWORD',
    'SEED_DEMO',
    'BCRYPT_ROUNDS',
    'LOG_LEVEL',
  ])
    delete env[name];
  const child = spawn('npm', ['start'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /running at (http:\/\/localhost:\d+)/.exec(output);
      if (m) {
        clearInterval(timer);
        resolve({ child, url: m[1]!, output: () => output });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

/** SIGTERM to the whole process group, as a terminal's Ctrl-C or a process manager does; resolves with the output. */
function stop(s: Started): Promise<string> {
  return new Promise((resolve) => {
    s.child.once('close', () => resolve(s.output()));
    process.kill(-s.child.pid!, 'SIGTERM');
  });
}

async function login(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, body: (await res.json()) as { data: { access_token: string } } };
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-start-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('starts on the embedded database, prints the admin login once, serves, stops cleanly, and restarts with its data', async () => {
  const first = await start();
  try {
    expect(first.output()).toContain('embedded PostgreSQL (PGlite)');
    const m = /Admin login: (\S+) \/ (\S+)\s+\(generated now and shown only this once\)/.exec(first.output());
    expect(m).not.toBeNull();
    const [, email, password] = m!;
    const { status, body } = await login(first.url, email!, password!);
    expect(status).toBe(200);
    const leads = await fetch(`${first.url}/api/v1/leads?limit=1`, {
      headers: { Authorization: `Bearer ${body.data.access_token}` },
    });
    const page = (await leads.json()) as { meta: { total: number } };
    expect(page.meta.total).toBeGreaterThanOrEqual(200);
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);
    // The reset email is sent after the answer; stopping at once must not lose it.
    const forgot = await fetch(`${first.url}/api/v1/auth/forgot-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    expect(forgot.status).toBe(202);
    const stopped = await stop(first);
    expect(stopped).toContain('Stopped cleanly');
    expect(stopped).not.toMatch(/was not sent|were not run/);

    const second = await start();
    try {
      expect(second.output()).not.toContain(password!);
      expect(second.output()).toContain(`Admin login: ${email}`);
      const again = await login(second.url, email!, password!);
      expect(again.status).toBe(200);
      const count = await fetch(`${second.url}/api/v1/leads?limit=1`, {
        headers: { Authorization: `Bearer ${again.body.data.access_token}` },
      });
      expect(((await count.json()) as { meta: { total: number } }).meta.total).toBe(page.meta.total);
      const mail = await fetch(`${second.url}/api/v1/emails?template=password-reset`, {
        headers: { Authorization: `Bearer ${again.body.data.access_token}` },
      });
      expect(((await mail.json()) as { data: { to: string[]; status: string }[] }).data).toEqual([
        expect.objectContaining({ to: [email], status: 'sent' }),
      ]);
    } finally {
      expect(await stop(second)).toContain('Stopped cleanly');
    }
  } finally {
    if (first.child.exitCode === null && first.child.signalCode === null)
      process.kill(-first.child.pid!, 'SIGKILL');
  }
}, 300_000);
