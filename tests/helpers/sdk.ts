import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@base44/sdk';
import { startTestApp, type TestApp } from './app';
import { createTenant, type Tenant } from './tenant';

/** The test app listening on a loopback port, as the official SDK needs a real server. */
export interface ListeningApp extends TestApp {
  url: string;
  server: http.Server;
}

export async function startListeningApp(env: NodeJS.ProcessEnv = {}): Promise<ListeningApp> {
  const t = await startTestApp(env);
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...t,
    url,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export type Sdk = ReturnType<typeof createClient>;

const clients: Sdk[] = [];

/** An official SDK client for this server; `token` signs it in. Cleaned up by `closeClients`. */
export function sdkClient(app: ListeningApp, appId: string, token?: string): Sdk {
  const client = createClient({
    serverUrl: app.url,
    appId,
    ...(token ? { token } : {}),
    analytics: { enabled: false },
  } as Parameters<typeof createClient>[0]);
  clients.push(client);
  return client;
}

export function closeClients(): void {
  for (const client of clients.splice(0)) client.cleanup();
}

/** The error a rejected SDK call throws, with the fields Base44Error has. */
export async function sdkError(
  call: Promise<unknown>,
): Promise<{ status: number; code: string; message: string; data: unknown }> {
  try {
    await call;
  } catch (err) {
    return err as { status: number; code: string; message: string; data: unknown };
  }
  throw new Error('Expected the SDK call to fail');
}

/** Expects the SDK call to fail with these fields (`message` matched as by `toMatch`); returns the error. */
export async function expectSdkError(
  call: Promise<unknown>,
  expected: { status: number; code?: string; message?: RegExp | string },
): Promise<{ status: number; code: string; message: string; data: unknown }> {
  const err = await sdkError(call);
  const { message, ...fields } = expected;
  expect(err).toMatchObject(fields);
  if (message !== undefined) expect(err.message).toMatch(message);
  return err;
}

/** The SDK prints every failed call to console.error outside production; tests of failures expect them. */
export function quietSdkLogs(): void {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
}

/** A listening app with two organizations, the first serving `appId`: the stage of the SDK conformance tests. */
export interface Base44Stage {
  app: ListeningApp;
  org: Tenant;
  other: Tenant;
}

/** Quiets the SDK's logs, starts the app and creates `<name> Org` (serving `appId`) and `Other <name> Org`. */
export async function startBase44Stage(
  appId: string,
  name: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Base44Stage> {
  quietSdkLogs();
  const app = await startListeningApp(env);
  const org = await createTenant(app.c, `${name} Org`);
  const other = await createTenant(app.c, `Other ${name} Org`);
  await app.c.models.get('Organization').update({ app_id: appId }, { where: { id: org.organizationId } });
  return { app, org, other };
}

/** Closes the SDK clients the tests made, then the app. */
export async function stopBase44Stage(app: ListeningApp): Promise<void> {
  closeClients();
  await app.close();
}
