import crypto from 'node:crypto';
import { issueKey } from '../helpers/api-keys';
import { startTestApp, type TestApp } from '../helpers/app';
import { allKeys, expectErrorShape, expectIsoUtc } from '../helpers/crud-api';
import { createTenant, type Tenant } from '../helpers/tenant';

/** Issuing, managing and using API keys: lifecycle, who may manage them, and what a key may do. */
let t: TestApp;
let org: Tenant;
let other: Tenant;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Key Org');
  other = await createTenant(t.c, 'Other Key Org');
});
afterAll(() => t.close());

const KEY_FORMAT = /^nxk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const storedKey = async (id: string) =>
  (await t.c.models.get('ApiKey').findByPk(id, { raw: true })) as unknown as Record<string, unknown>;
const setStored = (id: string, values: Record<string, unknown>) =>
  t.c.models.get('ApiKey').update(values, { where: { id } });

/** Neither the hash nor the secret may appear anywhere in a reply that is not the one issuing it. */
function expectNoSecrets(body: unknown, secret?: string): void {
  expect([...allKeys(body)]).not.toEqual(expect.arrayContaining(['key_hash']));
  expect([...allKeys(body)]).not.toEqual(expect.arrayContaining(['key']));
  if (secret) expect(JSON.stringify(body)).not.toContain(secret.slice(13));
}

describe('the lifecycle of a key', () => {
  it('shows the secret once, on creation, and stores only its hash', async () => {
    const res = await t.http
      .post('/api/v1/api-keys')
      .set(org.admin.auth)
      .send({
        name: 'Lead vendor',
        scopes: ['leads:create', 'leads:read'],
        source_code: 'acme-vendor',
        rate_limit_per_minute: 120,
        daily_quota: 5000,
        expires_at: '2099-01-01T00:00:00Z',
      })
      .expect(201);
    const data = res.body.data;
    expect(res.headers.location).toBe(`/api/v1/api-keys/${data.id}`);
    expect(data).toMatchObject({
      name: 'Lead vendor',
      scopes: ['leads:create', 'leads:read'],
      source_code: 'acme-vendor',
      rate_limit_per_minute: 120,
      daily_quota: 5000,
      usage_today: 0,
      last_used_at: null,
      expires_at: '2099-01-01T00:00:00.000Z',
      revoked_at: null,
      created_by: org.admin.id,
    });
    expect(data.key).toMatch(KEY_FORMAT);
    expect(data.prefix).toMatch(/^nxk_[0-9a-f]{8}$/);
    expect(data.key.startsWith(`${data.prefix}_`)).toBe(true);
    expectIsoUtc(data.created_at);
    expect(data).not.toHaveProperty('key_hash');

    const row = await storedKey(data.id);
    expect(row.key_hash).toBe(sha256(data.key));
    expect(JSON.stringify(row)).not.toContain(data.key);

    const listed = await t.http.get('/api/v1/api-keys').set(org.admin.auth).expect(200);
    const mine = listed.body.data.find((k: { id: string }) => k.id === data.id);
    expect(mine).toEqual({ ...data, key: undefined });
    expect(listed.body.meta).toMatchObject({ page: 1, limit: 20, total: expect.any(Number) });
    expectNoSecrets(listed.body, data.key);
    const one = await t.http.get(`/api/v1/api-keys/${data.id}`).set(org.admin.auth).expect(200);
    expect(one.body.data.prefix).toBe(data.prefix);
    expectNoSecrets(one.body, data.key);
  });

  it('validates names, scopes, limits and expiry, and refuses fields it does not have', async () => {
    const post = (body: unknown) =>
      t.http
        .post('/api/v1/api-keys')
        .set(org.admin.auth)
        .send(body as object);
    const fieldsOf = (res: { body: { error: { details: { field: string }[] } } }) =>
      res.body.error.details.map((d) => d.field).sort();

    const missing = await post({}).expect(400);
    expectErrorShape(missing.body);
    expect(fieldsOf(missing)).toEqual(['name', 'scopes']);

    const scopes = await post({
      name: 'x',
      scopes: ['leads:read', 'leads:write', 'nothing:read', 'api-keys:read', 'leads', '**'],
    }).expect(400);
    expect(fieldsOf(scopes)).toEqual(['scopes[1]', 'scopes[2]', 'scopes[3]', 'scopes[4]', 'scopes[5]']);
    expect(scopes.body.error.details[0].message).toMatch(/is not a scope/);

    await post({ name: 'x', scopes: [] }).expect(400);
    await post({ name: 'x', scopes: ['leads:read', 'leads:read'] }).expect(400);
    const limits = await post({
      name: 'x',
      scopes: ['*'],
      daily_quota: 0,
      rate_limit_per_minute: 1.5,
      expires_at: '2001-01-01T00:00:00Z',
    }).expect(400);
    expect(fieldsOf(limits)).toEqual(['daily_quota', 'expires_at', 'rate_limit_per_minute']);
    const unknown = await post({ name: 'x', scopes: ['*'], key_hash: 'a'.repeat(64), prefix: 'nxk_mine' });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown)).toEqual(['key_hash', 'prefix']);
    await t.http
      .post('/api/v1/api-keys')
      .set(org.admin.auth)
      .send([{ name: 'x' }])
      .expect(400);
  });

  it('changes name, scopes, source code, limits and expiry; new scopes apply at once', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['leads:read'] });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    await t.http.get('/api/v1/contacts').set(issued.auth).expect(403);

    const res = await t.http
      .patch(`/api/v1/api-keys/${issued.id}`)
      .set(org.admin.auth)
      .send({
        name: 'Renamed',
        scopes: ['contacts:*'],
        source_code: 'partner-x',
        rate_limit_per_minute: 10,
        daily_quota: 99,
        expires_at: '2098-06-01T12:00:00Z',
      })
      .expect(200);
    expect(res.body.data).toMatchObject({
      id: issued.id,
      name: 'Renamed',
      scopes: ['contacts:*'],
      source_code: 'partner-x',
      rate_limit_per_minute: 10,
      daily_quota: 99,
      expires_at: '2098-06-01T12:00:00.000Z',
      prefix: issued.data.prefix,
    });
    expectNoSecrets(res.body, issued.key);
    await t.http.get('/api/v1/leads').set(issued.auth).expect(403);
    await t.http.get('/api/v1/contacts').set(issued.auth).expect(200);

    const cleared = await t.http
      .patch(`/api/v1/api-keys/${issued.id}`)
      .set(org.admin.auth)
      .send({ source_code: null, daily_quota: null, expires_at: null })
      .expect(200);
    expect(cleared.body.data).toMatchObject({ source_code: null, daily_quota: null, expires_at: null });
    const bad = await t.http
      .patch(`/api/v1/api-keys/${issued.id}`)
      .set(org.admin.auth)
      .send({ scopes: ['contacts:write'], key_hash: 'x' })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'key_hash',
      'scopes[0]',
    ]);
  });

  it('stops working once revoked, and cannot be regenerated back to life', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['leads:read'] });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    const revoked = await t.http.post(`/api/v1/api-keys/${issued.id}/revoke`).set(org.admin.auth).expect(200);
    expectIsoUtc(revoked.body.data.revoked_at);

    const res = await t.http.get('/api/v1/leads').set(issued.auth).expect(401);
    expectErrorShape(res.body);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED', message: 'This API key has been revoked' });

    const again = await t.http.post(`/api/v1/api-keys/${issued.id}/revoke`).set(org.admin.auth).expect(200);
    expect(again.body.data.revoked_at).toBe(revoked.body.data.revoked_at);
    const regen = await t.http
      .post(`/api/v1/api-keys/${issued.id}/regenerate`)
      .set(org.admin.auth)
      .expect(409);
    expect(regen.body.error.message).toMatch(/revoked/);
    await t.http.get('/api/v1/leads').set(issued.auth).expect(401);
  });

  it('regenerates: the new secret is shown once and works, the old one stops at once', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['leads:read'], source_code: 'vendor-r' });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    const res = await t.http.post(`/api/v1/api-keys/${issued.id}/regenerate`).set(org.admin.auth).expect(200);
    const fresh = res.body.data;
    expect(fresh).toMatchObject({ id: issued.id, scopes: ['leads:read'], source_code: 'vendor-r' });
    expect(fresh.key).toMatch(KEY_FORMAT);
    expect(fresh.key).not.toBe(issued.key);
    expect(fresh.prefix).not.toBe(issued.data.prefix);
    expect(fresh.key.startsWith(`${fresh.prefix}_`)).toBe(true);

    const old = await t.http.get('/api/v1/leads').set(issued.auth).expect(401);
    expect(old.body.error.message).toBe('This API key is not valid');
    await t.http.get('/api/v1/leads').set('X-API-Key', fresh.key).expect(200);
    const shown = await t.http.get(`/api/v1/api-keys/${issued.id}`).set(org.admin.auth).expect(200);
    expect(shown.body.data.prefix).toBe(fresh.prefix);
    expectNoSecrets(shown.body, fresh.key);
  });

  it('deletes a key: it stops working and is gone', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['*'] });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    await t.http.delete(`/api/v1/api-keys/${issued.id}`).set(org.admin.auth).expect(204);
    await t.http.get('/api/v1/leads').set(issued.auth).expect(401);
    await t.http.get(`/api/v1/api-keys/${issued.id}`).set(org.admin.auth).expect(404);
    await t.http.delete(`/api/v1/api-keys/${issued.id}`).set(org.admin.auth).expect(404);
    expect(await storedKey(issued.id)).toBeNull();
  });

  it('stops working when it expires', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['*'], expires_at: '2099-01-01T00:00:00Z' });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    await setStored(issued.id, { expires_at: new Date(Date.now() - 1000) });
    const res = await t.http.get('/api/v1/leads').set(issued.auth).expect(401);
    expect(res.body.error.message).toBe('This API key has expired');
  });

  it('refuses unknown and malformed keys, and a key sent together with a bearer token', async () => {
    const forged = `nxk_00000000_${crypto.randomBytes(32).toString('base64url')}`;
    for (const key of [forged, 'nonsense', '', `${forged}x`]) {
      const res = await t.http.get('/api/v1/leads').set('X-API-Key', key).expect(401);
      expect(res.body.error.message).toBe('This API key is not valid');
    }
    const issued = await issueKey(t, org.admin, { scopes: ['*'] });
    const both = await t.http.get('/api/v1/leads').set(issued.auth).set(org.admin.auth).expect(401);
    expect(both.body.error.message).toMatch(/not both/);
  });
});

describe('who manages keys', () => {
  it('only administrators of the organization, signed in', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['*'] });
    const everything = await issueKey(t, org.admin, { scopes: ['*'] });
    const routes = [
      ['get', '/api/v1/api-keys'],
      ['post', '/api/v1/api-keys'],
      ['get', `/api/v1/api-keys/${issued.id}`],
      ['patch', `/api/v1/api-keys/${issued.id}`],
      ['post', `/api/v1/api-keys/${issued.id}/revoke`],
      ['post', `/api/v1/api-keys/${issued.id}/regenerate`],
      ['delete', `/api/v1/api-keys/${issued.id}`],
    ] as const;
    const callers = [org.manager.auth, org.rep.auth, org.support.auth, everything.auth];
    for (const [method, url] of routes) {
      for (const auth of callers) {
        const res = await t.http[method](url)
          .set(auth)
          .send({ name: 'Sneaky', scopes: ['*'] });
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 403 });
        expectErrorShape(res.body);
      }
    }
    const byKey = await t.http.get('/api/v1/api-keys').set(everything.auth).expect(403);
    expect(byKey.body.error.message).toMatch(/API keys cannot manage API keys/);
    const stored = await storedKey(issued.id);
    expect(stored).toMatchObject({ name: 'Test key', revoked_at: null, key_hash: sha256(issued.key) });
  });

  it("answers 404 for another organization's key, and lists only the organization's own", async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['*'] });
    for (const [method, url] of [
      ['get', `/api/v1/api-keys/${issued.id}`],
      ['patch', `/api/v1/api-keys/${issued.id}`],
      ['post', `/api/v1/api-keys/${issued.id}/revoke`],
      ['post', `/api/v1/api-keys/${issued.id}/regenerate`],
      ['delete', `/api/v1/api-keys/${issued.id}`],
      ['get', '/api/v1/api-keys/not-a-uuid'],
    ] as const) {
      const res = await t.http[method](url).set(other.admin.auth).send({ name: 'Taken over' });
      expect({ method, url, status: res.status }).toEqual({ method, url, status: 404 });
    }
    const theirs = await t.http.get('/api/v1/api-keys?limit=100').set(other.admin.auth).expect(200);
    expect(theirs.body.data.map((k: { id: string }) => k.id)).not.toContain(issued.id);
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    await t.http.get('/api/v1/api-keys?sort=name').set(org.admin.auth).expect(400);
  });

  it('pages the list', async () => {
    const fresh = await createTenant(t.c, 'Paged Key Org');
    for (const name of ['one', 'two', 'three']) await issueKey(t, fresh.admin, { name, scopes: ['*'] });
    const first = await t.http.get('/api/v1/api-keys?limit=2').set(fresh.admin.auth).expect(200);
    const second = await t.http.get('/api/v1/api-keys?limit=2&page=2').set(fresh.admin.auth).expect(200);
    expect(second.body.meta).toEqual({ page: 2, limit: 2, total: 3, total_pages: 2 });
    const names = [...first.body.data, ...second.body.data].map((k: { name: string }) => k.name);
    expect(second.body.data).toHaveLength(1);
    expect(names.sort()).toEqual(['one', 'three', 'two']);
  });
});

describe('acting with a key', () => {
  it("acts as its creator within the creator's organization only", async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['leads:*'] });
    const theirs = await t.http
      .post('/api/v1/leads')
      .set(other.admin.auth)
      .send({ email: 'theirs@example.com' })
      .expect(201);
    const made = await t.http
      .post('/api/v1/leads')
      .set(issued.auth)
      .send({ email: 'by-key@example.com' })
      .expect(201);
    expect(made.body.data).toMatchObject({ organization_id: org.organizationId, created_by: org.admin.id });

    const listed = await t.http.get('/api/v1/leads?limit=100').set(issued.auth).expect(200);
    const orgs = new Set(listed.body.data.map((l: { organization_id: string }) => l.organization_id));
    expect([...orgs]).toEqual([org.organizationId]);
    const id = theirs.body.data.id;
    await t.http.get(`/api/v1/leads/${id}`).set(issued.auth).expect(404);
    await t.http.patch(`/api/v1/leads/${id}`).set(issued.auth).send({ notes: 'x' }).expect(404);
    await t.http.delete(`/api/v1/leads/${id}`).set(issued.auth).expect(404);
    await t.http.get(`/api/v1/leads/${id}`).set(other.admin.auth).expect(200);
  });

  it("takes its creator's current role: a demoted creator's key loses what the role lost", async () => {
    const fresh = await createTenant(t.c, 'Demoted Key Org');
    const issued = await issueKey(t, fresh.admin, { scopes: ['users:*'] });
    await t.http.get('/api/v1/users').set(issued.auth).expect(200);
    await t.c.models.get('User').update({ role: 'support' }, { where: { id: fresh.admin.id } });
    await t.http.get('/api/v1/users').set(issued.auth).expect(200);
    const res = await t.http
      .post('/api/v1/users')
      .set(issued.auth)
      .send({ email: `new.${Date.now()}@example.com`, password: 'long-enough-1' })
      .expect(403);
    expect(res.body.error.message).toMatch(/role \(support\)/);
  });

  it('stops working when its creator is deactivated or removed', async () => {
    const fresh = await createTenant(t.c, 'Deactivated Key Org');
    const issued = await issueKey(t, fresh.admin, { scopes: ['*'] });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    const users = t.c.models.get('User');
    await users.update({ is_active: false }, { where: { id: fresh.admin.id } });
    const res = await t.http.get('/api/v1/leads').set(issued.auth).expect(401);
    expect(res.body.error.message).toMatch(/created this API key no longer has access/);
    await users.update({ is_active: true }, { where: { id: fresh.admin.id } });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    await users.destroy({ where: { id: fresh.admin.id } });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(401);
  });

  it("stamps a vendor's source code on the leads it creates, whatever the body says", async () => {
    const vendor = await issueKey(t, org.admin, { scopes: ['leads:create'], source_code: 'acme-leads' });
    const sent = await t.http
      .post('/api/v1/leads')
      .set(vendor.auth)
      .send({ email: 'v1@example.com', source: 'website' })
      .expect(201);
    expect(sent.body.data.source).toBe('acme-leads');
    const omitted = await t.http
      .post('/api/v1/leads')
      .set(vendor.auth)
      .send({ email: 'v2@example.com' })
      .expect(201);
    expect(omitted.body.data.source).toBe('acme-leads');
    const bulk = await t.http
      .post('/api/v1/leads/bulk')
      .set(vendor.auth)
      .send([
        { email: 'v3@example.com', source: 'referral' },
        { email: 'v4@example.com', source: 'trade-show' },
      ])
      .expect(201);
    expect(bulk.body.data.map((l: { source: string }) => l.source)).toEqual(['acme-leads', 'acme-leads']);
    const stored = await t.http.get(`/api/v1/leads/${sent.body.data.id}`).set(org.admin.auth).expect(200);
    expect(stored.body.data).toMatchObject({ source: 'acme-leads', created_by: org.admin.id });

    const plain = await issueKey(t, org.admin, { scopes: ['leads:create'] });
    const kept = await t.http
      .post('/api/v1/leads')
      .set(plain.auth)
      .send({ email: 'v5@example.com', source: 'referral' })
      .expect(201);
    expect(kept.body.data.source).toBe('referral');
  });

  it('marks the key used', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['leads:read'] });
    expect(issued.data.last_used_at).toBeNull();
    const before = Date.now();
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    const shown = (await t.http.get(`/api/v1/api-keys/${issued.id}`).set(org.admin.auth).expect(200)).body
      .data;
    expectIsoUtc(shown.last_used_at);
    expect(Date.parse(shown.last_used_at)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(shown.last_used_at)).toBeLessThanOrEqual(Date.now());
    expect(shown.usage_today).toBe(1);
  });

  it('answers 429 with Retry-After until midnight UTC once the daily quota is spent', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['leads:read'], daily_quota: 3 });
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    const now = new Date();
    const res = await t.http.get('/api/v1/leads').set(issued.auth).expect(429);
    expect(res.body).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/daily quota/) },
    });
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const expected = Math.ceil((midnight - now.getTime()) / 1000);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(Math.abs(retryAfter - expected)).toBeLessThanOrEqual(5);

    const shown = await t.http.get(`/api/v1/api-keys/${issued.id}`).set(org.admin.auth).expect(200);
    expect(shown.body.data.usage_today).toBe(3);
    // A new UTC day starts a new count.
    await setStored(issued.id, { usage_day: '2000-01-01' });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
    expect((await storedKey(issued.id)).usage_count).toBe(1);
    // Raising the quota lets the key go on at once.
    await setStored(issued.id, { usage_count: 3 });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(429);
    await t.http.patch(`/api/v1/api-keys/${issued.id}`).set(org.admin.auth).send({ daily_quota: 4 });
    await t.http.get('/api/v1/leads').set(issued.auth).expect(200);
  });

  it('never lets concurrent requests overshoot the quota', async () => {
    const issued = await issueKey(t, org.admin, { scopes: ['leads:read'], daily_quota: 4 });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async () => (await t.http.get('/api/v1/leads').set(issued.auth)).status),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    expect((await storedKey(issued.id)).usage_count).toBe(4);
  });

  it('hands the key and its limits to the request, for the rate limiter and source stamping', async () => {
    const issued = await issueKey(t, org.admin, {
      scopes: ['leads:create'],
      source_code: 'limiter-test',
      rate_limit_per_minute: 30,
    });
    const actor = await t.c.apiKeys.authenticate(issued.key);
    expect(actor).toEqual({
      organizationId: org.organizationId,
      userId: org.admin.id,
      email: org.admin.email,
      role: 'admin',
      apiKey: {
        id: issued.id,
        scopes: ['leads:create'],
        sourceCode: 'limiter-test',
        rateLimitPerMinute: 30,
      },
    });
    const unlimited = await issueKey(t, org.admin, { scopes: ['*'] });
    expect((await t.c.apiKeys.authenticate(unlimited.key)).apiKey?.rateLimitPerMinute).toBeNull();
  });
});

describe('inviting users with a key', () => {
  it('needs users:create; without it the invitation is refused and nobody is created', async () => {
    const reader = await issueKey(t, org.admin, { scopes: ['users:read'] });
    const inviter = await issueKey(t, org.admin, { scopes: ['users:create', 'users:read'] });
    const email = `invited.${crypto.randomBytes(3).toString('hex')}@example.com`;
    const refused = await t.http
      .post('/api/v1/users/invite')
      .set(reader.auth)
      .send({ email, role: 'support' })
      .expect(403);
    expectErrorShape(refused.body);
    expect(await t.c.models.get('User').count({ where: { email } })).toBe(0);
    const invited = await t.http
      .post('/api/v1/users/invite')
      .set(inviter.auth)
      .send({ email, role: 'support' })
      .expect(201);
    expect(invited.body.data).toMatchObject({ email, role: 'support', organization_id: org.organizationId });
  });
});
