import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app';
import { bearer } from '../helpers/auth';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

/**
 * What a Base44 frontend's browser does on its own: the login page `redirectToLogin()` opens and its
 * redirect back with `?access_token=`, logout, public settings, analytics and page pings, CORS preflights.
 */
let t: TestApp;
let org: Tenant;
let frontend: { origin: string; stop(): Promise<void> };
const APP_ID = 'browser-app';

/** A stand-in for the app's own origin: it answers with the path and query the browser arrived with. */
async function startFrontend() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://frontend');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: url.pathname, query: Object.fromEntries(url.searchParams) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  frontend = await startFrontend();
  t = await startTestApp({ APP_BASE_URLS: frontend.origin, BASE44_ANY_APP_ID: 'false' });
  org = await createTenant(t.c, 'Browser Org');
  await t.c.models.get('Organization').update({ app_id: APP_ID }, { where: { id: org.organizationId } });
});
afterAll(async () => {
  await t.close();
  await frontend.stop();
});

describe('the login page', () => {
  it('serves a form with no script or outside asset, under a strict content security policy', async () => {
    const res = await t.http.get('/login').query({ from_url: `${frontend.origin}/dashboard?tab=2` });
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('<form method="post" action="/login">');
    expect(res.text).toContain(`value="${frontend.origin}/dashboard?tab=2"`);
    expect(res.text).not.toMatch(/<script|src=|href=/);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`form-action 'self' `);
    expect(csp).toContain(frontend.origin);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('after signing in, takes the browser back to from_url with an access token that works', async () => {
    const res = await t.http
      .post('/login')
      .type('form')
      .send({ from_url: `${frontend.origin}/dashboard?tab=2`, email: org.rep.email, password: PASSWORD })
      .redirects(1);
    expect(res.status).toBe(200);
    const landed = res.body as { path: string; query: Record<string, string> };
    expect(landed.path).toBe('/dashboard');
    expect(landed.query.tab).toBe('2');
    const me = await t.http
      .get(`/api/apps/${APP_ID}/entities/User/me`)
      .set(bearer(landed.query.access_token!));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: org.rep.id, email: org.rep.email });
  });

  it('shows the form again with the reason when the password is wrong', async () => {
    const res = await t.http
      .post('/login')
      .type('form')
      .send({ from_url: `${frontend.origin}/`, email: org.rep.email, password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('Email or password is incorrect');
    expect(res.text).toContain(`value="${org.rep.email}"`);
  });

  it('never sends a token to an origin it does not name', async () => {
    for (const fromUrl of [
      'https://evil.example.com/steal',
      '//evil.example.com/x',
      'javascript:alert(1)',
      '',
    ]) {
      const page = await t.http.get('/login').query({ from_url: fromUrl });
      expect(page.status).toBe(400);
      expect(page.text).toContain('APP_BASE_URLS');
      const post = await t.http
        .post('/login')
        .type('form')
        .send({ from_url: fromUrl, email: org.rep.email, password: PASSWORD });
      expect(post.status).toBe(400);
      expect(post.headers.location).toBeUndefined();
    }
  });
});

describe('calls a Base44 frontend makes on its own', () => {
  it('logs out by sending the browser back to from_url, on a named origin only', async () => {
    const res = await t.http.get('/api/apps/auth/logout').query({ from_url: `${frontend.origin}/bye` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${frontend.origin}/bye`);
    const evil = await t.http.get('/api/apps/auth/logout').query({ from_url: 'https://evil.example.com/' });
    expect(evil.status).toBe(422);
    expect(evil.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers the public settings of an app it knows, in Base44’s shape', async () => {
    const res = await t.http.get(`/api/apps/public/prod/public-settings/by-id/${APP_ID}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: APP_ID,
      public_settings: { requires_auth: true, registration_enabled: false },
    });
    expect((await t.http.get('/api/apps/public/prod/public-settings/by-id/nope')).status).toBe(404);
  });

  it('refuses sign-in through an app id no organization has, when each organization has its own', async () => {
    const res = await t.http
      .post('/api/apps/no-such-app/auth/login')
      .send({ email: org.rep.email, password: PASSWORD });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no-such-app') });
    const known = await t.http
      .post(`/api/apps/${APP_ID}/auth/login`)
      .send({ email: org.rep.email, password: PASSWORD });
    expect(known.status).toBe(200);
    expect(Object.keys(known.body).sort()).toEqual(['access_token', 'expires_in', 'token_type', 'user']);
  });

  it('accepts analytics batches and page pings without a token, storing nothing', async () => {
    const batch = await t.http
      .post(`/api/apps/${APP_ID}/analytics/track/batch`)
      .send({ events: [{ event_name: 'page_view', properties: { page: '/' } }] });
    expect(batch.status).toBe(204);
    const ping = await t.http.post(`/api/app-logs/${APP_ID}/log-user-in-app/Dashboard`);
    expect(ping.status).toBe(200);
  });

  it('lets browsers send the SDK’s headers across origins', async () => {
    const headers = [
      'authorization',
      'content-type',
      'accept',
      'x-app-id',
      'x-origin-url',
      'x-base44-anonymous-id',
      'base44-functions-version',
      'on-behalf-of',
      'x-environment',
    ];
    const res = await t.http
      .options(`/api/apps/${APP_ID}/entities/Lead`)
      .set('Origin', frontend.origin)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', headers.join(','));
    expect(res.status).toBe(204);
    const allowed = String(res.headers['access-control-allow-headers'])
      .toLowerCase()
      .split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(headers));
  });
});
