import crypto from 'node:crypto';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app';
import { issueKey } from '../helpers/api-keys';
import { signIn } from '../helpers/auth';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

/** Behind one trusted proxy: the last X-Forwarded-For hop is the client, whatever comes before it. */
let proxied: TestApp;
/** No proxy trusted: X-Forwarded-For is the client's own claim and is ignored. */
let direct: TestApp;
let org: Tenant;

const LIMITS = {
  AUTH_RATE_LIMIT_MAX: '3',
  AUTH_ACCOUNT_RATE_LIMIT_MAX: '5',
  RATE_LIMIT_ANON_MAX: '5',
  RATE_LIMIT_USER_MAX: '4',
  EXPORT_RATE_LIMIT_MAX: '2',
};

beforeAll(async () => {
  proxied = await startTestApp({ ...LIMITS, TRUST_PROXY: '1' });
  direct = await startTestApp({ ...LIMITS, TRUST_PROXY: '0' });
  org = await createTenant(proxied.c, 'Rate Limit Org');
});
afterAll(async () => {
  await proxied.close();
  await direct.close();
});

let nextIp = 1;
/** A client address no other test uses, so each test starts with fresh counters. */
const newClient = () => `198.51.100.${nextIp++}`;
const spoofed = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(256)}`;
/** What the proxy forwards: whatever the client claimed, then the address the proxy saw. */
const via = (client: string) => ({ 'X-Forwarded-For': `${spoofed()}, ${client}` });

const wrongLogin = (
  t: TestApp,
  headers: Record<string, string>,
  email = `nobody.${crypto.randomUUID()}@x.example`,
) => t.http.post('/api/v1/auth/login').set(headers).send({ email, password: 'not the password' });

function expectLimited(res: Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.headers['ratelimit-limit']).toBeDefined();
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
}

describe('sign-in routes, per client IP', () => {
  it('refuses a client after AUTH_RATE_LIMIT_MAX failed logins, however it rotates X-Forwarded-For', async () => {
    const client = newClient();
    for (let i = 0; i < 3; i++) {
      const res = await wrongLogin(proxied, via(client)).expect(401);
      expect(res.headers['ratelimit-limit']).toBe('3');
    }
    const limited = await wrongLogin(proxied, via(client));
    expectLimited(limited);
    expect(limited.body.error.message).toMatch(/Too many attempts/);
    // Even the right password waits.
    expectLimited(
      await proxied.http
        .post('/api/v1/auth/login')
        .set(via(client))
        .send({ email: org.rep.email, password: PASSWORD }),
    );
    // Another client behind the same proxy is not affected.
    await wrongLogin(proxied, via(newClient())).expect(401);
  });

  it('counts only failed logins', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i++) {
      await proxied.http
        .post('/api/v1/auth/login')
        .set(via(client))
        .send({ email: org.manager.email, password: PASSWORD })
        .expect(200);
    }
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    for (let i = 0; i < 3; i++) {
      await wrongLogin(direct, { 'X-Forwarded-For': spoofed() }).expect(401);
    }
    expectLimited(await wrongLogin(direct, { 'X-Forwarded-For': spoofed() }));
    expectLimited(await wrongLogin(direct, {}));
  });

  it('limits forgot-password requests, answered or not', async () => {
    const client = newClient();
    for (let i = 0; i < 3; i++) {
      await proxied.http
        .post('/api/v1/auth/forgot-password')
        .set(via(client))
        .send({ email: `someone.${i}@x.example` })
        .expect(202);
    }
    expectLimited(
      await proxied.http
        .post('/api/v1/auth/forgot-password')
        .set(via(client))
        .send({ email: 'another@x.example' }),
    );
  });

  it('limits guesses at reset and invitation links', async () => {
    for (const route of ['reset-password', 'accept-invite']) {
      const client = newClient();
      for (let i = 0; i < 3; i++) {
        await proxied.http
          .post(`/api/v1/auth/${route}/${crypto.randomBytes(32).toString('base64url')}`)
          .set(via(client))
          .send({ password: 'a guessing passphrase' })
          .expect(400);
      }
      expectLimited(
        await proxied.http
          .post(`/api/v1/auth/${route}/${crypto.randomBytes(32).toString('base64url')}`)
          .set(via(client))
          .send({ password: 'a guessing passphrase' }),
      );
    }
  });
});

describe('sign-in routes, per account', () => {
  it('lets the owner sign in from elsewhere while one address that guessed wrong is refused', async () => {
    const owner = (await createTenant(proxied.c, 'Guessed Org')).support;
    const guesser = newClient();
    for (let i = 0; i < 3; i++) await wrongLogin(proxied, via(guesser), owner.email).expect(401);
    // Refused attempts check no password, so they do not count against the account either.
    for (let i = 0; i < 6; i++) expectLimited(await wrongLogin(proxied, via(guesser), owner.email));
    await proxied.http
      .post('/api/v1/auth/login')
      .set(via(newClient()))
      .send({ email: owner.email, password: PASSWORD })
      .expect(200);
  });

  it('refuses an account after AUTH_ACCOUNT_RATE_LIMIT_MAX failures from all addresses together', async () => {
    const victim = (await createTenant(proxied.c, 'Targeted Org')).support;
    for (let i = 0; i < 5; i++) await wrongLogin(proxied, via(newClient()), victim.email).expect(401);
    // The address is normalised: case and spaces do not make a new account.
    const limited = await wrongLogin(proxied, via(newClient()), ` ${victim.email.toUpperCase()} `);
    expectLimited(limited);
    expect(limited.headers['ratelimit-limit']).toBe('5');
    expectLimited(
      await proxied.http
        .post('/api/v1/auth/login')
        .set(via(newClient()))
        .send({ email: victim.email, password: PASSWORD }),
    );
    // Other accounts, from those same kinds of addresses, are not affected.
    await signIn(proxied, org.teamRep.email);
  });

  it('also limits forgot-password per account', async () => {
    const email = `target.${crypto.randomUUID()}@x.example`;
    for (let i = 0; i < 3; i++) {
      await proxied.http
        .post('/api/v1/auth/forgot-password')
        .set(via(newClient()))
        .send({ email })
        .expect(202);
    }
    expectLimited(
      await proxied.http.post('/api/v1/auth/forgot-password').set(via(newClient())).send({ email }),
    );
  });
});

describe('the general limit', () => {
  it('counts requests without valid credentials per client IP', async () => {
    const client = newClient();
    const requests = [
      () => proxied.http.get('/api/v1/leads').set(via(client)).expect(401),
      () =>
        proxied.http.get('/api/v1/leads').set(via(client)).set('Authorization', 'Bearer forged').expect(401),
      () => proxied.http.get(`/files/public/${crypto.randomUUID()}`).set(via(client)).expect(404),
      () => proxied.http.get('/no/such/route').set(via(client)).expect(404),
      () =>
        proxied.http
          .post('/api/v1/auth/refresh-token')
          .set(via(client))
          .send({ refresh_token: 'nope' })
          .expect(401),
    ];
    for (const request of requests) {
      const res = await request();
      expect(res.headers['ratelimit-limit']).toBe('5');
    }
    const limited = await proxied.http.get('/api/v1/leads').set(via(client));
    expectLimited(limited);
    expect(limited.body.error.message).toMatch(/Too many requests/);
    // Health checks are never limited; a signed-in user from the same address has a budget of their own.
    for (let i = 0; i < 10; i++) await proxied.http.get('/health').set(via(client)).expect(200);
    await proxied.http.get('/api/v1/leads').set(via(client)).set(org.admin.auth).expect(200);
  });

  it('counts signed-in requests per user, wherever they come from', async () => {
    const user = (await createTenant(proxied.c, 'Busy User Org')).rep;
    for (let i = 0; i < 4; i++) {
      const res = await proxied.http.get('/api/v1/leads').set(via(newClient())).set(user.auth).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('4');
    }
    expectLimited(await proxied.http.get('/api/v1/auth/me').set(via(newClient())).set(user.auth));
    await proxied.http.get('/api/v1/leads').set(org.soloRep.auth).expect(200);
  });

  it('counts API keys per key, with the key’s own limit when it has one', async () => {
    const tenant = await createTenant(proxied.c, 'Key Limit Org');
    const own = await issueKey(proxied, tenant.admin, { scopes: ['leads:read'], rate_limit_per_minute: 2 });
    const plain = await issueKey(proxied, tenant.admin, { scopes: ['leads:read'] });
    for (let i = 0; i < 2; i++) {
      const res = await proxied.http.get('/api/v1/leads').set(own.auth).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('2');
    }
    const limited = await proxied.http.get('/api/v1/leads').set(own.auth);
    expectLimited(limited);
    expect(limited.body.error.message).toMatch(/API key/);
    // A key without a limit of its own gets the user limit, counted apart from its creator's.
    for (let i = 0; i < 4; i++) {
      const res = await proxied.http.get('/api/v1/leads').set(plain.auth).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('4');
    }
    expectLimited(await proxied.http.get('/api/v1/leads').set(plain.auth));
    await proxied.http.get('/api/v1/leads').set(tenant.admin.auth).expect(200);
  });
});

describe('exports and reports', () => {
  const exportLeads = (auth: Record<string, string>, query = '') =>
    proxied.http.get(`/api/v1/leads/export${query}`).set(auth);
  const report = (auth: Record<string, string>) =>
    proxied.http.post('/api/v1/reports/generate').set(auth).send({ entity: 'leads', format: 'json' });

  it('share EXPORT_RATE_LIMIT_MAX per user', async () => {
    const tenant = await createTenant(proxied.c, 'Export Limit Org');
    let res = await exportLeads(tenant.rep.auth).expect(200);
    expect(res.headers['ratelimit-limit']).toBe('2');
    expect(res.headers['ratelimit-remaining']).toBe('1');
    res = await report(tenant.rep.auth).expect(200);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    const limited = await exportLeads(tenant.rep.auth, '?format=json');
    expectLimited(limited);
    expect(limited.body.error.message).toMatch(/Too many exports and reports/);
    expectLimited(await report(tenant.rep.auth));
    // Counted per user: the rep's manager still exports.
    await exportLeads(tenant.manager.auth).expect(200);
  });

  it('do not count a refused export, nor close other routes', async () => {
    const tenant = await createTenant(proxied.c, 'Export Refusal Org');
    const bad = await exportLeads(tenant.manager.auth, '?format=xml').expect(400);
    expect(bad.body.error.message).toMatch(/format/);
    await exportLeads(tenant.manager.auth).expect(200);
    const res = await exportLeads(tenant.manager.auth).expect(200);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    const list = await proxied.http.get('/api/v1/leads').set(tenant.manager.auth).expect(200);
    expect(list.headers['ratelimit-limit']).toBe('4');
  });

  it('count an API key apart from its creator', async () => {
    const tenant = await createTenant(proxied.c, 'Export Key Org');
    const key = await issueKey(proxied, tenant.admin, { scopes: ['leads:read'] });
    await exportLeads(key.auth).expect(200);
    await exportLeads(key.auth).expect(200);
    expectLimited(await exportLeads(key.auth));
    await exportLeads(tenant.admin.auth).expect(200);
  });
});

it('RATE_LIMIT_ENABLED=false turns every limit off', async () => {
  const open = await startTestApp({ ...LIMITS, RATE_LIMIT_ENABLED: 'false' });
  try {
    for (let i = 0; i < 8; i++) {
      const res = await wrongLogin(open, {}, org.rep.email).expect(401);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  } finally {
    await open.close();
  }
});
