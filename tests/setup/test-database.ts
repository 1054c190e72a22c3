import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';

/** Where the tests' PostgreSQL server is: TEST_DATABASE_URL, else the local one on 127.0.0.1:5432. */
export const serverUrl = (): string =>
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs statements on the server's maintenance connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function admin(url: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A fresh, empty database and how to drop it: on the test server, or — when the run uses the embedded
 * database — a new in-memory embedded one.
 */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.TEST_DATABASE_KIND === 'embedded') return embeddedServer();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await admin(serverUrl(), `CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(serverUrl(), name),
    drop: () => admin(serverUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A new in-memory embedded database, served by a child process (see embedded-server.ts). */
export async function embeddedServer(maxConnections = 4): Promise<{ url: string; drop(): Promise<void> }> {
  const script = path.join(__dirname, 'embedded-server.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(maxConnections)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) =>
      reject(new Error(`The embedded database exited (code ${code}) before it started`)),
    );
  });
  return {
    url,
    drop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
