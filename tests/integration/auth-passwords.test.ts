import { startTestApp, type TestApp } from '../helpers/app';
import { bearer, emailsTo, linkToken, signIn } from '../helpers/auth';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ PASSWORD_RESET_URL: 'https://crm.example.com/reset?token={token}' });
});
afterAll(() => t.close());

const me = (token: string) => t.http.get('/api/v1/auth/me').set(bearer(token));
const refresh = (refreshToken: string) =>
  t.http.post('/api/v1/auth/refresh-token').send({ refresh_token: refreshToken });
const forgot = (email: string) => t.http.post('/api/v1/auth/forgot-password').send({ email });
const reset = (token: string, password: string) =>
  t.http.post(`/api/v1/auth/reset-password/${token}`).send({ password });

describe('PUT /api/v1/auth/update-password', () => {
  let org: Tenant;
  beforeAll(async () => {
    org = await createTenant(t.c, 'Password Change Org');
  });

  it('needs the current password', async () => {
    const session = await signIn(t, org.rep.email);
    const res = await t.http
      .put('/api/v1/auth/update-password')
      .set(bearer(session.access_token))
      .send({ current_password: 'not my password', new_password: 'a fresh passphrase' })
      .expect(400);
    expect(res.body.error.details).toEqual([{ field: 'current_password', message: 'incorrect' }]);
    await me(session.access_token).expect(200);
  });

  it.each([
    ['too short', 'short1'],
    ['common', 'password123'],
    ['common in another case', 'PassWord123'],
  ])('refuses a %s new password', async (_name, weak) => {
    const res = await t.http
      .put('/api/v1/auth/update-password')
      .set(org.teamRep.auth)
      .send({ current_password: PASSWORD, new_password: weak })
      .expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['new_password']);
  });

  it('ends every other session and answers with a fresh one', async () => {
    const other = await signIn(t, org.rep.email);
    const current = await signIn(t, org.rep.email);
    const res = await t.http
      .put('/api/v1/auth/update-password')
      .set(bearer(current.access_token))
      .send({ current_password: PASSWORD, new_password: 'a fresh passphrase' })
      .expect(200);
    const fresh = res.body.data;
    expect(fresh).toMatchObject({ token_type: 'Bearer', user: { id: org.rep.id } });
    await me(fresh.access_token).expect(200);
    await refresh(fresh.refresh_token).expect(200);
    for (const old of [other, current]) {
      await me(old.access_token).expect(401);
      await refresh(old.refresh_token).expect(401);
    }
    await t.http.post('/api/v1/auth/login').send({ email: org.rep.email, password: PASSWORD }).expect(401);
    await signIn(t, org.rep.email, 'a fresh passphrase');
  });

  it('is not reachable without signing in', async () => {
    await t.http
      .put('/api/v1/auth/update-password')
      .send({ current_password: PASSWORD, new_password: 'a fresh passphrase' })
      .expect(401);
  });
});

describe('forgot and reset password', () => {
  let org: Tenant;
  beforeAll(async () => {
    org = await createTenant(t.c, 'Reset Org');
  });

  it('answers identically whether or not the account exists, and mails only real accounts', async () => {
    const nobody = `nobody.${Date.now()}@nowhere.example`;
    const known = await forgot(org.manager.email);
    const unknown = await forgot(nobody);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.headers['content-length']).toBe(known.headers['content-length']);
    const [sent] = await emailsTo(t, org.manager.email, 'password-reset');
    expect(sent).toMatchObject({ subject: 'Reset your password', status: 'sent' });
    expect(sent!.body_text).toContain('https://crm.example.com/reset?token=');
    expect(await emailsTo(t, nobody, 'password-reset', 0)).toEqual([]);
  });

  it('sets a new password with the emailed token, once, and ends every session', async () => {
    const session = await signIn(t, org.support.email);
    await forgot(org.support.email.toUpperCase()).expect(202);
    const token = linkToken((await emailsTo(t, org.support.email, 'password-reset'))[0]);
    const res = await reset(token, 'reset passphrase one').expect(200);
    expect(res.body.data.message).toMatch(/changed/);
    await me(session.access_token).expect(401);
    await refresh(session.refresh_token).expect(401);
    await signIn(t, org.support.email, 'reset passphrase one');
    // Single use.
    const again = await reset(token, 'reset passphrase two').expect(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
    await signIn(t, org.support.email, 'reset passphrase one');
    const user = await t.c.models.get('User').findByPk(org.support.id, { raw: true });
    expect((user as unknown as { email_verified_at: Date | null }).email_verified_at).toBeInstanceOf(Date);
  });

  it('a newer link replaces the older one', async () => {
    await forgot(org.soloRep.email).expect(202);
    await emailsTo(t, org.soloRep.email, 'password-reset', 1);
    await forgot(org.soloRep.email).expect(202);
    const [older, newer] = await emailsTo(t, org.soloRep.email, 'password-reset', 2);
    await reset(linkToken(older), 'superseded passphrase').expect(400);
    await reset(linkToken(newer), 'newest passphrase').expect(200);
    await signIn(t, org.soloRep.email, 'newest passphrase');
  });

  it('a link expires after an hour', async () => {
    await forgot(org.teamRep.email).expect(202);
    const token = linkToken((await emailsTo(t, org.teamRep.email, 'password-reset'))[0]);
    const stored = (await t.c.models
      .get('OneTimeToken')
      .findOne({ where: { user_id: org.teamRep.id, purpose: 'password_reset' }, raw: true })) as unknown as {
      id: string;
      created_at: Date;
      expires_at: Date;
    };
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBeGreaterThan(3590_000);
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBeLessThanOrEqual(3600_000);
    await t.c.models
      .get('OneTimeToken')
      .update({ expires_at: new Date(Date.now() - 1000) }, { where: { id: stored.id } });
    await reset(token, 'too late passphrase').expect(400);
    await signIn(t, org.teamRep.email);
  });

  it('keeps the token out of the request log', async () => {
    await forgot(org.manager.email).expect(202);
    const sent = await emailsTo(t, org.manager.email, 'password-reset', 2);
    const token = linkToken(sent[sent.length - 1]);
    // Request lines are written at info, which the test logger leaves out: let them through, silently.
    const { level, silent } = t.c.logger;
    Object.assign(t.c.logger, { level: 'info', silent: true });
    const log = jest.spyOn(t.c.logger, 'log');
    try {
      await reset(token, 'logged passphrase').expect(200);
      await reset(token, 'logged passphrase').expect(400);
      const lines = JSON.stringify(log.mock.calls);
      expect(lines).toContain('/api/v1/auth/reset-password/:token');
      expect(lines).not.toContain(token);
    } finally {
      log.mockRestore();
      Object.assign(t.c.logger, { level, silent });
    }
  });

  it('refuses made-up tokens and weak passwords', async () => {
    await reset('made-up-token', 'whatever passphrase').expect(400);
    await reset('x'.repeat(300), 'whatever passphrase').expect(400);
    await forgot(org.admin.email).expect(202);
    const token = linkToken((await emailsTo(t, org.admin.email, 'password-reset'))[0]);
    const weak = await reset(token, 'iloveyou1').expect(400);
    expect(weak.body.error.details[0]).toMatchObject({ field: 'password' });
    expect(weak.body.error.details[0].message).toMatch(/most common/);
    // The weak attempt did not spend the token.
    await reset(token, 'a decent passphrase').expect(200);
  });

  it('sends nothing for a deactivated account', async () => {
    await t.c.models.get('User').update({ is_active: false }, { where: { id: org.rep.id } });
    const before = (await emailsTo(t, org.manager.email, 'password-reset', 0)).length;
    await forgot(org.rep.email).expect(202);
    await forgot(org.manager.email).expect(202); // a later request, to know the first one was handled
    await emailsTo(t, org.manager.email, 'password-reset', before + 1);
    expect(await emailsTo(t, org.rep.email, 'password-reset', 0)).toEqual([]);
  });

  it('rejects a malformed address the same way for everyone', async () => {
    const res = await forgot('not-an-email').expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['email']);
  });
});
