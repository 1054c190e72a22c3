import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient, memoryStorage, type ClientOptions, type NexaClient } from '../../client/src/index.js';
import { startTestApp, type TestApp } from './app';
import type { TestUser } from './tenant';

export interface ClientTestApp extends TestApp {
  /** Where the server answers, which is also its PUBLIC_URL (so public file links can be followed). */
  url: string;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The real app on a loopback port, for clients that speak HTTP to it (fetch, event streams). */
export async function startClientApp(env: NodeJS.ProcessEnv = {}): Promise<ClientTestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await startTestApp({ PUBLIC_URL: url, ...env });
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    ...t,
    url,
    close: async () => {
      t.c.realtime.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** A client of the app with its own memory storage, signed in as `user` when given. */
export function clientFor(
  app: ClientTestApp,
  user?: TestUser,
  options: Partial<ClientOptions> = {},
): NexaClient {
  const client = createClient({ baseUrl: app.url, storage: memoryStorage(), ...options });
  if (user) client.auth.setToken(user.token);
  return client;
}

/** The ApiError a call rejects with. */
export async function failure(call: Promise<unknown>): Promise<{
  name: string;
  status: number;
  code: string;
  message: string;
  details: { field?: string; message: string }[];
}> {
  try {
    await call;
  } catch (err) {
    return err as Awaited<ReturnType<typeof failure>>;
  }
  throw new Error('Expected the call to fail');
}
