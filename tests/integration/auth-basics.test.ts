import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c);
});
afterAll(() => t.close());

describe('POST /api/v1/auth/login', () => {
  it('returns an access token and the user without its password hash', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: org.admin.email, password: PASSWORD })
      .expect(200);
    expect(res.body.data).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      user: { id: org.admin.id, role: 'admin' },
    });
    expect(typeof res.body.data.access_token).toBe('string');
    expect(JSON.stringify(res.body)).not.toContain('password');
    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${res.body.data.access_token}`)
      .expect(200);
    expect(me.body.data.email).toBe(org.admin.email);
  });

  it('accepts the email in any case', async () => {
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: org.rep.email.toUpperCase(), password: PASSWORD })
      .expect(200);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const wrong = await t.http
      .post('/api/v1/auth/login')
      .send({ email: org.admin.email, password: 'nope-nope-nope' });
    const unknown = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@nowhere.example', password: 'nope-nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.message).toBe('Email or password is incorrect');
  });

  it('rejects a malformed body with field details', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('refuses deactivated users', async () => {
    const fresh = await createTenant(t.c, 'Deactivated Org');
    await t.c.models.get('User').update({ is_active: false }, { where: { id: fresh.rep.id } });
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: fresh.rep.email, password: PASSWORD })
      .expect(401);
    expect(res.body.error.message).toMatch(/deactivated/);
    await t.http.get('/api/v1/auth/me').set(fresh.rep.auth).expect(401);
  });
});

describe('bearer tokens', () => {
  it('guards every entity route', async () => {
    for (const rt of t.c.registry.all()) {
      const res = await t.http.get(`/api/v1/${rt.decl.path}`).expect(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('rejects a tampered or foreign token', async () => {
    const [h, p] = org.admin.token.split('.');
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${h}.${p}.AAAA`).expect(401);
    await t.http.get('/api/v1/auth/me').set('Authorization', 'Bearer nonsense').expect(401);
    await t.http.get('/api/v1/auth/me').set('Authorization', `Basic ${org.admin.token}`).expect(401);
  });
});
