import crypto from 'node:crypto';
import {
  connectSocket,
  startRealtimeApp,
  tokenExpiring,
  waitFor,
  type RealtimeTestApp,
  type TestSocket,
} from '../helpers/realtime';
import { createTenant, PASSWORD, type Tenant, type TestUser } from '../helpers/tenant';

let t: RealtimeTestApp;
let org: Tenant;
let appId: string;
const open: TestSocket[] = [];

const tag = () => crypto.randomBytes(4).toString('hex');

/** Gives a tenant's organization its own Base44 app id. */
async function withAppId(tenant: Tenant): Promise<string> {
  const id = `app-${tag()}`;
  await t.c.models.get('Organization').update({ app_id: id }, { where: { id: tenant.organizationId } });
  return id;
}

beforeAll(async () => {
  // Access is read again every second, so a session ended outside the change feed is noticed quickly.
  t = await startRealtimeApp({ REALTIME_RECHECK_SECONDS: '1' });
  org = await createTenant(t.c, 'Realtime Sockets');
  appId = await withAppId(org);
});
afterEach(() => {
  for (const s of open.splice(0)) s.socket.close();
});
afterAll(() => t.close());

const room = (entity: string, app = appId) => `entities:${app}:${entity}`;

async function connectAs(user: TestUser, app = appId): Promise<TestSocket> {
  const s = await connectSocket(t.url, { app_id: app, token: user.token });
  open.push(s);
  return s;
}

async function join(s: TestSocket, entity: string, app = appId): Promise<unknown> {
  return s.socket.timeout(5000).emitWithAck('join', room(entity, app));
}

async function subscribed(user: TestUser, ...entities: string[]): Promise<TestSocket> {
  const s = await connectAs(user);
  for (const entity of entities) expect(await join(s, entity)).toEqual({ ok: true });
  return s;
}

const createLead = async (body: Record<string, unknown> = {}, as: TestUser = org.admin) =>
  (
    await t.http
      .post('/api/v1/leads')
      .set(as.auth)
      .send({ email: `lead-${tag()}@example.com`, ...body })
      .expect(201)
  ).body.data as Record<string, unknown>;

const createDeal = async () =>
  (
    await t.http
      .post('/api/v1/deals')
      .set(org.admin.auth)
      .send({ name: `Deal ${tag()}`, amount: 100 })
      .expect(201)
  ).body.data as Record<string, unknown>;

const updateFor = (s: TestSocket, id: unknown, type = 'create') =>
  waitFor(() => s.updates.find((u) => u.id === id && u.type === type), `${type} of ${String(id)}`);

describe('socket.io realtime (the Base44 protocol)', () => {
  it('delivers creates, updates and deletes made through /api/v1 in Base44 shape', async () => {
    const s = await subscribed(org.admin, 'Lead');
    const lead = await createLead({ first_name: 'Ada', assigned_to: org.rep.id });

    const created = await updateFor(s, lead.id);
    expect(created.room).toBe(room('Lead'));
    expect(new Date(created.timestamp).toISOString()).toBe(created.timestamp);
    expect(created.data).toMatchObject({
      id: lead.id,
      email: lead.email,
      first_name: 'Ada',
      assigned_to: org.rep.id,
      created_date: lead.created_at,
      updated_date: lead.updated_at,
      created_by: org.admin.email,
      created_by_id: org.admin.id,
    });
    expect(created.data).not.toHaveProperty('created_at');
    expect(created.data).not.toHaveProperty('organization_id');

    await t.http
      .patch(`/api/v1/leads/${String(lead.id)}`)
      .set(org.admin.auth)
      .send({ status: 'contacted' });
    expect((await updateFor(s, lead.id, 'update')).data).toMatchObject({ status: 'contacted' });

    await t.http
      .delete(`/api/v1/leads/${String(lead.id)}`)
      .set(org.admin.auth)
      .expect(204);
    // A delete carries the record as it was.
    expect((await updateFor(s, lead.id, 'delete')).data).toMatchObject({
      email: lead.email,
      status: 'contacted',
    });
    expect(s.updates.map((u) => u.type)).toEqual(['create', 'update', 'delete']);
  });

  it('sends each user only the records their role may read, without fields it may not read', async () => {
    const rep = await subscribed(org.rep, 'Lead', 'Product', 'Deal');
    const manager = await subscribed(org.manager, 'Lead', 'Deal');
    const admin = await subscribed(org.admin, 'Product');

    const mine = await createLead({ assigned_to: org.rep.id });
    const other = await createLead({ assigned_to: org.soloRep.id });
    await t.http
      .patch(`/api/v1/leads/${String(other.id)}`)
      .set(org.admin.auth)
      .send({ assigned_to: org.rep.id })
      .expect(200);
    await updateFor(rep, other.id, 'update');
    await updateFor(manager, other.id, 'update');
    // Each socket hears changes in commit order, so the create of `other` has been passed over by now.
    for (const s of [rep, manager]) {
      expect(s.updates.map((u) => [u.type, u.id])).toEqual([
        ['create', mine.id],
        ['update', other.id],
      ]);
    }

    const product = (
      await t.http
        .post('/api/v1/products')
        .set(org.admin.auth)
        .send({ name: `Widget ${tag()}`, price: 10, cost: 4 })
        .expect(201)
    ).body.data as Record<string, unknown>;
    expect((await updateFor(admin, product.id)).data).toMatchObject({ price: 10, cost: 4 });
    const seenByRep = (await updateFor(rep, product.id)).data;
    expect(seenByRep).toMatchObject({ name: product.name, price: 10 });
    expect(seenByRep).not.toHaveProperty('cost');
  });

  it('never sends hidden fields', async () => {
    const admin = await subscribed(org.admin, 'User');
    await t.http
      .patch(`/api/v1/users/${org.support.id}`)
      .set(org.admin.auth)
      .send({ title: 'Head of support' })
      .expect(200);
    const { data } = await updateFor(admin, org.support.id, 'update');
    expect(data).toMatchObject({ email: org.support.email, title: 'Head of support' });
    expect(data).not.toHaveProperty('password_hash');
    expect(data).not.toHaveProperty('tokens_valid_after');
  });

  it('treats joins as idempotent and stops after a leave', async () => {
    const s = await subscribed(org.admin, 'Lead', 'Lead', 'Deal');
    s.socket.emit('join', room('Lead'));
    expect(await join(s, 'Lead')).toEqual({ ok: true });
    const lead = await createLead();
    const deal = await createDeal();
    await updateFor(s, deal.id);
    expect(s.updates.map((u) => u.id)).toEqual([lead.id, deal.id]);

    expect(await s.socket.timeout(5000).emitWithAck('leave', room('Lead'))).toEqual({ ok: true });
    await createLead();
    const next = await createDeal();
    await updateFor(s, next.id);
    expect(s.updates.map((u) => u.id)).toEqual([lead.id, deal.id, next.id]);
  });

  describe('refuses a connection', () => {
    const refused = (query: Record<string, string>) =>
      connectSocket(t.url, query).then(
        (s) => {
          open.push(s);
          throw new Error('connected');
        },
        (err: Error & { data?: { code: string } }) => ({ message: err.message, code: err.data?.code }),
      );

    it.each([
      ['without a token', () => ({ app_id: appId })],
      ['with the token "null" (the SDK signed out)', () => ({ app_id: appId, token: 'null' })],
      ['with a token that is not one', () => ({ app_id: appId, token: 'not-a-jwt' })],
      [
        'with an expired token',
        () => ({ app_id: appId, token: tokenExpiring(t.c, org.rep.id, org.organizationId, -60) }),
      ],
    ])('%s', async (_name, query) => {
      const answer = await refused(query());
      expect(answer.code).toBe('UNAUTHORIZED');
      expect(answer.message).toMatch(/sign in|not valid|expired/i);
    });

    it('for another organization’s app id', async () => {
      const other = await createTenant(t.c, 'Realtime Elsewhere');
      const otherApp = await withAppId(other);
      expect(await refused({ app_id: otherApp, token: org.admin.token })).toEqual({
        code: 'NOT_FOUND',
        message: `No app with id "${otherApp}"`,
      });
      // Its own members connect to it.
      await connectAs(other.admin, otherApp);
    });

    it('without an app id', async () => {
      expect(await refused({ token: org.admin.token })).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });

  it('accepts an app id no organization has, as the caller’s own (BASE44_ANY_APP_ID)', async () => {
    const unclaimed = `unclaimed-${tag()}`;
    const s = await connectAs(org.admin, unclaimed);
    expect(await join(s, 'Lead', unclaimed)).toEqual({ ok: true });
  });

  describe('refuses a join', () => {
    it.each([
      [
        'of another app’s room',
        () => org.admin,
        () => room('Lead', 'someone-elses-app'),
        'FORBIDDEN',
        /is for app/,
      ],
      [
        'of an undeclared entity',
        () => org.admin,
        () => room('Spaceship'),
        'INVALID_QUERY',
        /No entity named "Spaceship"/,
      ],
      [
        'of an entity named in lower case',
        () => org.admin,
        () => room('lead'),
        'INVALID_QUERY',
        /PascalCase/,
      ],
      ['of a room that is not an entity room', () => org.admin, () => 'lobby', 'FORBIDDEN', /is for app/],
      ['of an entity the role may not read', () => org.support, () => room('Lead'), 'FORBIDDEN', /support/],
    ])('%s', async (_name, who, target, code, message) => {
      const s = await connectAs(who());
      const answer = (await s.socket.timeout(5000).emitWithAck('join', target())) as Record<string, unknown>;
      expect(answer).toMatchObject({ ok: false, code });
      expect(answer.message).toMatch(message);
      const error = await waitFor(() => s.errors[0], 'the error event');
      expect(error).toMatchObject({ code, room: target() });
    });
  });

  describe('drops a socket', () => {
    const dropped = async (s: TestSocket, message: RegExp) => {
      await waitFor(() => s.disconnected(), 'the disconnect');
      expect(s.errors.at(-1)).toMatchObject({ code: 'SUBSCRIPTION_ENDED' });
      expect(s.errors.at(-1)!.message).toMatch(message);
    };

    it('when its user is deactivated', async () => {
      const tenant = await createTenant(t.c, 'Realtime Deactivation');
      const s = await connectSocket(t.url, { app_id: `any-${tag()}`, token: tenant.rep.token });
      open.push(s);
      await t.http
        .patch(`/api/v1/users/${tenant.rep.id}`)
        .set(tenant.admin.auth)
        .send({ is_active: false })
        .expect(200);
      await dropped(s, /no longer has access/);
    });

    it('when its user signs out everywhere', async () => {
      const tenant = await createTenant(t.c, 'Realtime Sign-out');
      const session = (
        await t.http
          .post('/api/v1/auth/login')
          .send({ email: tenant.rep.email, password: PASSWORD })
          .expect(200)
      ).body.data as { access_token: string; refresh_token: string };
      const s = await connectSocket(t.url, { app_id: `any-${tag()}`, token: session.access_token });
      open.push(s);
      await t.http
        .post('/api/v1/auth/logout')
        .send({ refresh_token: session.refresh_token, all: true })
        .expect(204);
      await dropped(s, /session has ended/);
    });

    it('when its access token expires', async () => {
      const token = tokenExpiring(t.c, org.rep.id, org.organizationId, 2);
      const s = await connectSocket(t.url, { app_id: appId, token });
      open.push(s);
      expect(s.disconnected()).toBe(false);
      await dropped(s, /expired/);
    });
  });
});
