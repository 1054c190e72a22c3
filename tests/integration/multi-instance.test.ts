import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { startFlakySes } from '../helpers/flaky-endpoint';
import { settledEmail } from '../helpers/mail';
import { startSes, useStandInCredentials, type SesStandIn } from '../helpers/aws-stand-ins';
import { openStream, startRealtimeApp, waitFor, type RealtimeTestApp } from '../helpers/realtime';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * Two instances of the app behind an imaginary load balancer: one PostgreSQL, one Redis. The Redis may be
 * shared with other test runs, so this run keeps to keys and channels under a prefix of its own.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `nexa-test-${crypto.randomBytes(6).toString('hex')}`;

let ses: SesStandIn;
let flaky: Awaited<ReturnType<typeof startFlakySes>>;
let a: RealtimeTestApp;
let b: RealtimeTestApp;
let org: Tenant;

beforeAll(async () => {
  useStandInCredentials();
  ses = await startSes();
  // SES is down for the first two attempts at sending.
  flaky = await startFlakySes(ses.endpoint, 2);
  const shared = {
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    TRUST_PROXY: '1',
    RATE_LIMIT_ANON_MAX: '4',
    MAIL_DRIVER: 'ses',
    SES_ENDPOINT: flaky.endpoint,
    MAIL_MAX_ATTEMPTS: '4',
  };
  // Instance A only queues mail; B's worker sends it.
  a = await startRealtimeApp({ ...shared, QUEUE_WORKER_IN_PROCESS: 'false' });
  b = await startRealtimeApp(shared);
  await Promise.all([a.c.changeFeed.whenReady(), b.c.changeFeed.whenReady()]);
  org = await createTenant(a.c, 'Two Instances');
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await flaky?.stop();
  await ses?.stop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

it('keeps one rate limit for a client whose requests alternate between the instances', async () => {
  const client = { 'X-Forwarded-For': '203.0.113.77' };
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++)
    statuses.push((await (i % 2 ? b : a).http.get('/no-such-page').set(client)).status);
  // Four requests are allowed in all, not four per instance.
  expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
  const other = await b.http.get('/no-such-page').set({ 'X-Forwarded-For': '203.0.113.78' });
  expect(other.status).toBe(404);
});

it('tells a subscriber on one instance of a change made on the other', async () => {
  const stream = await openStream(`${b.url}/api/v1/realtime?entities=Lead`, org.admin.auth);
  try {
    expect(stream.status).toBe(200);
    await waitFor(() => stream.events.find((e) => e.event === 'ready'), 'ready');
    const lead = await a.http
      .post('/api/v1/leads')
      .set(org.admin.auth)
      .send({ email: `cross-${crypto.randomBytes(3).toString('hex')}@example.com` })
      .expect(201);
    const change = await waitFor(
      () => stream.events.find((e) => e.event === 'change' && e.data.id === lead.body.data.id),
      'the change made on instance A',
    );
    expect(change.data).toMatchObject({ type: 'create', entity: 'Lead' });
  } finally {
    stream.close();
  }
});

it('tells a subscriber on one instance of records an import created on the other', async () => {
  const stream = await openStream(`${b.url}/api/v1/realtime?entities=Lead`, org.admin.auth);
  try {
    await waitFor(() => stream.events.find((e) => e.event === 'ready'), 'ready');
    const tag = crypto.randomBytes(3).toString('hex');
    const csv = `email,first_name\nimport-${tag}-1@example.com,One\nimport-${tag}-2@example.com,Two\n`;
    await a.http
      .post('/api/v1/leads/import')
      .set(org.admin.auth)
      .attach('file', Buffer.from(csv), 'leads.csv')
      .expect(202);
    // Imports announce their records as one batch of ids; B reads them back and tells its subscriber.
    const created = await waitFor(() => {
      const emails = stream.events
        .filter((e) => e.event === 'change' && e.data.type === 'create')
        .map((e) => String((e.data.data as Record<string, unknown>).email));
      return emails.filter((email) => email.startsWith(`import-${tag}-`)).length === 2 ? emails : undefined;
    }, 'both imported leads, announced on instance B');
    expect(created).toEqual(
      expect.arrayContaining([`import-${tag}-1@example.com`, `import-${tag}-2@example.com`]),
    );
  } finally {
    stream.close();
  }
});

it('retries an email SES could not take, and records it once sent', async () => {
  const res = await a.http
    .post('/api/v1/emails/send')
    .set(org.admin.auth)
    .send({ to: 'retry@example.com', subject: 'Sent on the third try', text: 'Hello' })
    .expect(201);
  expect(res.body.data.status).toBe('queued');
  const settled = await settledEmail(a, res.body.data.id, 15_000);
  expect(settled).toMatchObject({ status: 'sent', attempts: 3, error: null });
  expect(settled.provider_message_id).toBeTruthy();
  expect(flaky.requests()).toBe(3);
  const delivered = (await ses.emails()).filter((e) => e.subject === 'Sent on the third try');
  expect(delivered).toHaveLength(1);
});
