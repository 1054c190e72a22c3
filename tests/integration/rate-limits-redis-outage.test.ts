import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../helpers/app';
import { waitFor } from '../helpers/realtime';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

/**
 * Rate limits counted in Redis, reached through a proxy the test cuts and restores: while Redis cannot be
 * reached the limits hold per instance and no request waits for it; once it is back they count in Redis
 * again. The Redis may be shared with other test runs, so this run keeps to keys under a prefix of its own.
 */
const REDIS_URL = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `nexa-test-${crypto.randomBytes(6).toString('hex')}`;
const LIMIT = 3;

let proxy: TcpProxy;
let t: TestApp;
let redis: Redis;

beforeAll(async () => {
  proxy = await startTcpProxy(Number(REDIS_URL.port || 6379), REDIS_URL.hostname);
  // Down from the start: the limiters' first set-up (loading their scripts) fails.
  proxy.cut();
  t = await startTestApp({
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    REDIS_KEY_PREFIX: prefix,
    QUEUE_WORKER_IN_PROCESS: 'false',
    TRUST_PROXY: '1',
    RATE_LIMIT_ANON_MAX: String(LIMIT),
  });
  redis = new Redis(REDIS_URL.toString());
});

afterAll(async () => {
  proxy.restore();
  await waitFor(() => t.c.redis!.commands.status === 'ready', 'Redis back before closing', 15_000);
  await t.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await proxy.stop();
});

let nextIp = 1;
const newClient = () => `203.0.113.${nextIp++}`;
const anonymous = (client: string) => t.http.get('/no-such-route').set('X-Forwarded-For', client);
const countedInRedis = async (client: string) => redis.get(`${prefix}:rl:anonymous:ip:${client}`);

/** LIMIT requests answered as usual, each without waiting on Redis, then a 429. */
async function expectLimitedAfter(client: string): Promise<void> {
  for (let i = 0; i < LIMIT; i++) {
    const started = Date.now();
    expect((await anonymous(client)).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(1000);
  }
  const res = await anonymous(client);
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('RATE_LIMITED');
}

it('counts in this instance while Redis has been unreachable since the start', async () => {
  const client = newClient();
  await expectLimitedAfter(client);
  expect(await countedInRedis(client)).toBeNull();
});

it('counts in Redis once it can be reached', async () => {
  proxy.restore();
  await waitFor(() => t.c.redis!.commands.status === 'ready', 'Redis reachable', 15_000);
  const client = newClient();
  await expectLimitedAfter(client);
  expect(Number(await countedInRedis(client))).toBeGreaterThanOrEqual(LIMIT);
});

it('falls back again when Redis goes away mid-run, without failing or stalling a request', async () => {
  proxy.cut();
  await waitFor(() => t.c.redis!.commands.status !== 'ready', 'the cut noticed');
  const client = newClient();
  await expectLimitedAfter(client);
  expect(await countedInRedis(client)).toBeNull();
});
