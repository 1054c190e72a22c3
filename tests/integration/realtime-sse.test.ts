import crypto from 'node:crypto';
import { issueKey } from '../helpers/api-keys';
import {
  openStream,
  startRealtimeApp,
  tokenExpiring,
  waitFor,
  type RealtimeTestApp,
  type StreamEvent,
  type TestStream,
} from '../helpers/realtime';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

let t: RealtimeTestApp;
let org: Tenant;
const open: TestStream[] = [];

const tag = () => crypto.randomBytes(4).toString('hex');

beforeAll(async () => {
  // Access is read again every second, so a revoked key is noticed quickly.
  t = await startRealtimeApp({ REALTIME_RECHECK_SECONDS: '1' });
  org = await createTenant(t.c, 'Realtime Streams');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(() => t.close());

async function stream(query: string, headers: Record<string, string> = {}): Promise<TestStream> {
  const s = await openStream(`${t.url}/api/v1/realtime?${query}`, headers);
  open.push(s);
  return s;
}

/** A stream of `user`'s, once its `ready` event has arrived (from then on every change reaches it). */
async function subscribed(user: TestUser, entities: string): Promise<TestStream> {
  const s = await stream(`entities=${entities}`, user.auth);
  expect(s.status).toBe(200);
  await waitFor(() => s.events.find((e) => e.event === 'ready'), 'ready');
  return s;
}

const changes = (s: TestStream) => s.events.filter((e) => e.event === 'change').map((e) => e.data);

const changeFor = (s: TestStream, id: unknown, type = 'create') =>
  waitFor(
    () => changes(s).find((c) => c.id === id && c.type === type),
    `${type} of ${String(id)}`,
  ) as Promise<StreamEvent['data'] & { data: Record<string, unknown> }>;

const createLead = async (body: Record<string, unknown> = {}) =>
  (
    await t.http
      .post('/api/v1/leads')
      .set(org.admin.auth)
      .send({ email: `lead-${tag()}@example.com`, ...body })
      .expect(201)
  ).body.data as Record<string, unknown>;

describe('GET /api/v1/realtime (Server-Sent Events)', () => {
  it('announces itself, then streams creates, updates and deletes in /api/v1 shape', async () => {
    const s = await subscribed(org.admin, 'Lead,Deal');
    expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.events[0]).toEqual({ event: 'ready', data: { entities: ['Lead', 'Deal'] } });

    const lead = await createLead({ first_name: 'Grace' });
    const created = await changeFor(s, lead.id);
    expect(created).toEqual({
      entity: 'Lead',
      type: 'create',
      id: lead.id,
      data: lead,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });

    await t.http
      .patch(`/api/v1/leads/${String(lead.id)}`)
      .set(org.admin.auth)
      .send({ status: 'qualified' });
    expect((await changeFor(s, lead.id, 'update')).data).toMatchObject({ status: 'qualified' });
    await t.http
      .delete(`/api/v1/leads/${String(lead.id)}`)
      .set(org.admin.auth)
      .expect(204);
    expect((await changeFor(s, lead.id, 'delete')).data).toMatchObject({
      email: lead.email,
      status: 'qualified',
    });
    expect(changes(s).map((c) => c.type)).toEqual(['create', 'update', 'delete']);
  });

  it('is a request in flight until its client closes it, so shutdown waits for open streams only', async () => {
    const s = await subscribed(org.admin, 'Lead');
    let idle = false;
    void t.c.inFlight.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(idle).toBe(false);
    s.close();
    await waitFor(() => idle, 'no request in flight');
  });

  it('sends each user only the records their role may read, without fields it may not read', async () => {
    const rep = await subscribed(org.rep, 'Lead,Product');
    const manager = await subscribed(org.manager, 'Lead');

    const mine = await createLead({ assigned_to: org.rep.id });
    const other = await createLead({ assigned_to: org.soloRep.id });
    await t.http
      .patch(`/api/v1/leads/${String(other.id)}`)
      .set(org.admin.auth)
      .send({ assigned_to: org.rep.id })
      .expect(200);
    await changeFor(rep, other.id, 'update');
    await changeFor(manager, other.id, 'update');
    for (const s of [rep, manager]) {
      expect(changes(s).map((c) => [c.type, c.id])).toEqual([
        ['create', mine.id],
        ['update', other.id],
      ]);
    }

    const product = (
      await t.http
        .post('/api/v1/products')
        .set(org.admin.auth)
        .send({ name: `Gadget ${tag()}`, price: 12, cost: 5 })
        .expect(201)
    ).body.data as Record<string, unknown>;
    const seen = (await changeFor(rep, product.id)).data;
    expect(seen).toMatchObject({ name: product.name, price: 12 });
    expect(seen).not.toHaveProperty('cost');
  });

  it('streams an import’s records as creates once it commits, each within the reader’s scope', async () => {
    const rep = await subscribed(org.rep, 'Lead');
    const admin = await subscribed(org.admin, 'Lead');
    const domain = `import-${tag()}.example`;
    // The import announces its records as batches of ids, not as one held change per row.
    const single: string[] = [];
    const batched: string[] = [];
    const stop = [
      t.c.events.on((c) => c.entity === 'Lead' && single.push(c.id)),
      t.c.events.onBatch((b) => b.entity === 'Lead' && batched.push(...b.ids)),
    ];
    const csv = ['email,assigned_to', `a@${domain},${org.rep.id}`, `b@${domain},${org.soloRep.id}`];
    csv.push(`c@${domain},${org.rep.id}`);
    const res = await t.http
      .post('/api/v1/leads/import')
      .set(org.admin.auth)
      .attach('file', Buffer.from(csv.join('\n')), 'leads.csv')
      .expect(202);
    await t.c.importJobs.idle();
    stop.forEach((off) => off());
    const job = (await t.http.get(`/api/v1/leads/import/${String(res.body.data.id)}`).set(org.admin.auth))
      .body.data as { status: string };
    expect(job.status).toBe('completed');
    const stored = (await t.c.models.get('Lead').findAll({
      where: { organization_id: org.organizationId },
      raw: true,
    })) as unknown as Record<string, unknown>[];
    const byEmail = new Map(stored.map((r) => [r.email, r]));
    const ids = ['a', 'b', 'c'].map((n) => byEmail.get(`${n}@${domain}`)!.id as string);
    expect(batched).toEqual(ids);
    expect(single.filter((id) => ids.includes(id))).toEqual([]);

    const last = await changeFor(admin, ids[2]);
    expect(last.data).toMatchObject({ email: `c@${domain}`, assigned_to: org.rep.id });
    expect(changes(admin).map((c) => c.id)).toEqual(ids);
    await changeFor(rep, ids[2]);
    expect(changes(rep).map((c) => [c.type, c.id])).toEqual([
      ['create', ids[0]],
      ['create', ids[2]],
    ]);
  });

  describe('takes the credential as', () => {
    it('?access_token= (EventSource cannot send headers)', async () => {
      const s = await stream(`entities=Lead&access_token=${org.rep.token}`);
      expect(s.status).toBe(200);
      await waitFor(() => s.events[0], 'ready');
      const lead = await createLead({ assigned_to: org.rep.id });
      await changeFor(s, lead.id);
    });

    it('an X-API-Key, narrowed to its scopes', async () => {
      const key = await issueKey(t, org.admin, { scopes: ['leads:read'] });
      const s = await stream('entities=Lead', key.auth);
      expect(s.status).toBe(200);
      await waitFor(() => s.events[0], 'ready');
      const lead = await createLead();
      await changeFor(s, lead.id);

      const refused = await stream('entities=Deal', key.auth);
      expect(refused.status).toBe(403);
      expect(refused.body!.error.message).toMatch(/deals:read/);
    });
  });

  describe('refuses before streaming', () => {
    it.each([
      ['an unknown entity', 'entities=Lead,Spaceship', 400, 'INVALID_QUERY', /"Spaceship"/],
      ['no entities', 'entities=', 400, 'INVALID_QUERY', /entities=Lead,Deal/],
      ['an unknown parameter', 'entities=Lead&since=yesterday', 400, 'INVALID_QUERY', /"since"/],
    ])('%s', async (_name, query, status, code, message) => {
      const s = await stream(query, org.admin.auth);
      expect(s.status).toBe(status);
      expect(s.body!.error.code).toBe(code);
      expect(s.body!.error.message).toMatch(message);
    });

    it('an entity the role may not read: 403', async () => {
      const s = await stream('entities=Ticket,Lead', org.support.auth);
      expect(s.status).toBe(403);
      expect(s.body!.error.message).toMatch(/support/);
    });

    it.each([
      ['no credential', () => ({})],
      ['an invalid token', () => ({ Authorization: 'Bearer nope' })],
      [
        'an expired token',
        () => ({ Authorization: `Bearer ${tokenExpiring(t.c, org.rep.id, org.organizationId, -60)}` }),
      ],
      ['an unknown API key', () => ({ 'X-API-Key': 'nxk_00000000_nope' })],
    ])('%s: 401', async (_name, headers) => {
      const s = await stream('entities=Lead', headers());
      expect(s.status).toBe(401);
      expect(s.body!.error.code).toBe('UNAUTHORIZED');
    });

    it('two credentials at once: 401', async () => {
      const s = await stream(`entities=Lead&access_token=${org.rep.token}`, org.admin.auth);
      expect(s.status).toBe(401);
      expect(s.body!.error.message).toMatch(/one credential/);
    });
  });

  describe('ends the stream, saying why,', () => {
    const ended = async (s: TestStream, message: RegExp) => {
      await waitFor(() => s.ended(), 'the end of the stream');
      const last = s.events.at(-1)!;
      expect(last.event).toBe('end');
      expect(last.data.message).toMatch(message);
    };

    it('when its user is deactivated', async () => {
      const tenant = await createTenant(t.c, 'Stream Deactivation');
      const s = await stream('entities=Lead', tenant.rep.auth);
      await waitFor(() => s.events[0], 'ready');
      await t.http
        .patch(`/api/v1/users/${tenant.rep.id}`)
        .set(tenant.admin.auth)
        .send({ is_active: false })
        .expect(200);
      await ended(s, /no longer has access/);
    });

    it('when its API key is revoked', async () => {
      const key = await issueKey(t, org.admin, { scopes: ['leads:read'] });
      const s = await stream('entities=Lead', key.auth);
      await waitFor(() => s.events[0], 'ready');
      await t.http.post(`/api/v1/api-keys/${key.id}/revoke`).set(org.admin.auth).expect(200);
      await ended(s, /revoked/);
    });

    it('when its access token expires', async () => {
      const token = tokenExpiring(t.c, org.rep.id, org.organizationId, 2);
      const s = await stream(`entities=Lead&access_token=${token}`);
      await waitFor(() => s.events[0], 'ready');
      await ended(s, /expired/);
    });
  });
});
