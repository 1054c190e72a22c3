import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

async function waitUntilAnswering(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer ${url} within 2 minutes`);
}

function start(args: string[], env: NodeJS.ProcessEnv, port: number, probe: string, what: string) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    ready: waitUntilAnswering(`${url}${probe}`, child, what),
    server: {
      url,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    } satisfies RunningServer,
  };
}

/** The app as production runs it: the compiled build, NODE_ENV=production, logging at warn. */
export async function startApp(databaseUrl: string, jwtSecret: string, port: number, extra: string[] = []) {
  const { ready, server } = start(
    [...extra, 'dist/src/index.js'],
    {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      LOG_TO_FILES: 'false',
      // The limiters run (their cost is part of every request) but a load test must not meet them.
      RATE_LIMIT_ANON_MAX: '10000000',
      RATE_LIMIT_USER_MAX: '10000000',
      AUTH_RATE_LIMIT_MAX: '10000000',
      AUTH_ACCOUNT_RATE_LIMIT_MAX: '10000000',
      REDIS_URL: '',
    },
    port,
    '/health/ready',
    'The app',
  );
  await ready;
  return server;
}

export async function startBaseline(databaseUrl: string, jwtSecret: string, port: number) {
  const { ready, server } = start(
    ['--import', 'tsx', 'scripts/bench/baseline-server.ts'],
    { DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret },
    port,
    '/',
    'The baseline server',
  );
  await ready;
  return server;
}
