import crypto from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import { bearer, emailsTo, linkToken, signIn } from '../helpers/auth';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;

beforeAll(async () => {
  t = await startTestApp({ INVITE_URL: 'https://crm.example.com/join?token={token}' });
  org = await createTenant(t.c, 'Accounts Org');
});
afterAll(() => t.close());

const unique = (name: string) => `${name}.${crypto.randomBytes(4).toString('hex')}@signup.example.com`;
const registration = (email: string) => ({
  email,
  password: 'a sturdy passphrase',
  first_name: 'Ada',
  last_name: 'Lovelace',
  organization_name: 'Analytical Engines',
});
const register = (body: Record<string, unknown>) => t.http.post('/api/v1/auth/register').send(body);

describe('POST /api/v1/auth/register', () => {
  it('creates an organization with the registrant as its admin, signs them in and welcomes them', async () => {
    const email = unique('ada');
    const res = await register(registration(email)).expect(201);
    const session = res.body.data;
    expect(session).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      user: { email, role: 'admin', first_name: 'Ada', last_name: 'Lovelace', is_active: true },
    });
    expect(session.user.organization_id).not.toBe(org.organizationId);
    expect(session.user.created_by).toBe(session.user.id);
    expect(JSON.stringify(session)).not.toContain('password');
    const organization = (await t.c.models
      .get('Organization')
      .findByPk(session.user.organization_id, { raw: true })) as unknown as { name: string; slug: string };
    expect(organization).toMatchObject({ name: 'Analytical Engines' });
    await t.http.get('/api/v1/auth/me').set(bearer(session.access_token)).expect(200);
    await t.http
      .post('/api/v1/auth/refresh-token')
      .send({ refresh_token: session.refresh_token })
      .expect(200);
    await signIn(t, email, 'a sturdy passphrase');
    const [welcome] = await emailsTo(t, email, 'welcome');
    expect(welcome).toMatchObject({ subject: 'Welcome to Analytical Engines, Ada', status: 'sent' });
    // The new admin runs their own organization and sees nobody else's.
    const users = await t.http.get('/api/v1/users').set(bearer(session.access_token)).expect(200);
    expect(users.body.data.map((u: { email: string }) => u.email)).toEqual([email]);
  });

  it('gives a second organization of the same name its own slug', async () => {
    const a = (await register(registration(unique('first'))).expect(201)).body.data.user;
    const b = (await register(registration(unique('second'))).expect(201)).body.data.user;
    const slugs = (await t.c.models.get('Organization').findAll({
      where: { id: [a.organization_id, b.organization_id] },
      raw: true,
    })) as unknown as { slug: string }[];
    expect(new Set(slugs.map((o) => o.slug)).size).toBe(2);
  });

  it('never applies fields a registrant may not choose', async () => {
    const email = unique('sneaky');
    const id = crypto.randomUUID();
    const res = await register({
      ...registration(email),
      id,
      role: 'sales_rep',
      organization_id: org.organizationId,
      is_active: false,
      email_verified_at: '2020-01-01T00:00:00Z',
      password_hash: 'x',
      tokens_valid_after: '2999-01-01T00:00:00Z',
    }).expect(201);
    const user = res.body.data.user;
    expect(user).toMatchObject({ role: 'admin', is_active: true, email_verified_at: null });
    expect(user.id).not.toBe(id);
    expect(user.organization_id).not.toBe(org.organizationId);
    await signIn(t, email, 'a sturdy passphrase');
    const seen = await t.http.get('/api/v1/users').set(org.admin.auth).expect(200);
    expect(seen.body.data.map((u: { email: string }) => u.email)).not.toContain(email);
  });

  it('refuses an email that already has an account, in any case', async () => {
    const res = await register(registration(org.rep.email.toUpperCase())).expect(409);
    expect(res.body.error.code).toBe('CONFLICT');
  });

  it.each([
    ['too short', 'abc123'],
    ['one of the most common', 'password1'],
    ['common, in capitals', 'QWERTYUIOP'],
  ])('refuses a password that is %s', async (_name, password) => {
    const res = await register({ ...registration(unique('weak')), password }).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['password']);
  });

  it('needs an email, a password and an organization name', async () => {
    const res = await register({}).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'organization_name',
      'password',
    ]);
  });

  it('is refused when sign-up is turned off', async () => {
    const closed = await startTestApp({ ALLOW_SIGNUP: 'false' });
    try {
      const email = unique('closed');
      const res = await closed.http.post('/api/v1/auth/register').send(registration(email)).expect(403);
      expect(res.body.error).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/turned off/),
      });
      expect(await t.c.models.get('User').count({ where: { email } })).toBe(0);
    } finally {
      await closed.close();
    }
  });

  it('still registers when the welcome email cannot be sent', async () => {
    const broken = await startTestApp({ MAIL_DRIVER: 'ses', SES_ENDPOINT: 'http://127.0.0.1:9' });
    try {
      const email = unique('nomail');
      await broken.http.post('/api/v1/auth/register').send(registration(email)).expect(201);
      const [welcome] = await emailsTo(broken, email, 'welcome');
      expect(welcome!.status).toBe('failed');
    } finally {
      await broken.close();
    }
  });
});

describe('PUT /api/v1/auth/update-profile', () => {
  it('changes the caller’s profile fields, whatever their role', async () => {
    const res = await t.http
      .put('/api/v1/auth/update-profile')
      .set(org.support.auth)
      .send({ first_name: 'Sam', title: 'Support lead', phone: '+1 555 0100', timezone: 'Europe/Paris' })
      .expect(200);
    expect(res.body.data).toMatchObject({
      id: org.support.id,
      first_name: 'Sam',
      title: 'Support lead',
      phone: '+1 555 0100',
      timezone: 'Europe/Paris',
      role: 'support',
    });
  });

  it.each([
    ['role', 'admin'],
    ['organization_id', crypto.randomUUID()],
    ['is_active', false],
    ['email_verified_at', '2020-01-01T00:00:00Z'],
    ['id', crypto.randomUUID()],
    ['email', 'new.address@example.com'],
    ['password', 'another passphrase'],
    ['manager_id', null],
  ])('refuses %s, naming it', async (field, value) => {
    const res = await t.http
      .put('/api/v1/auth/update-profile')
      .set(org.soloRep.auth)
      .send({ first_name: 'Changed', [field]: value })
      .expect(400);
    expect(res.body.error.details).toEqual([{ field, message: 'not a profile field' }]);
    const user = (await t.c.models.get('User').findByPk(org.soloRep.id, { raw: true })) as unknown as Record<
      string,
      unknown
    >;
    expect(user).toMatchObject({ role: 'sales_rep', is_active: true, first_name: 'solorep' });
  });

  it('validates the values as the User entity does', async () => {
    const res = await t.http
      .put('/api/v1/auth/update-profile')
      .set(org.soloRep.auth)
      .send({ avatar_url: 'javascript:alert(1)' })
      .expect(400);
    expect(res.body.error.details[0].field).toBe('avatar_url');
  });
});

describe('what nobody may do to their own account', () => {
  it.each([
    ['change their role', { role: 'manager' }, /own role/],
    ['deactivate themselves', { is_active: false }, /deactivate or reactivate yourself/],
    ['set their password without the current one', { password: 'admin sets own' }, /update-password/],
  ])('an admin may not %s', async (_name, patch, message) => {
    const res = await t.http
      .patch(`/api/v1/users/${org.admin.id}`)
      .set(org.admin.auth)
      .send(patch)
      .expect(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(message) });
    const user = (await t.c.models.get('User').findByPk(org.admin.id, { raw: true })) as unknown as Record<
      string,
      unknown
    >;
    expect(user).toMatchObject({ role: 'admin', is_active: true });
  });

  it('repeating one’s own role and flag is not a change', async () => {
    await t.http
      .put(`/api/v1/users/${org.admin.id}`)
      .set(org.admin.auth)
      .send({ role: 'admin', is_active: true, title: 'Founder' })
      .expect(200);
  });

  it('an admin may not move themselves to another organization', async () => {
    const other = await createTenant(t.c, 'Elsewhere Org');
    await t.http
      .patch(`/api/v1/users/${org.admin.id}`)
      .set(org.admin.auth)
      .send({ organization_id: other.organizationId })
      .expect(200);
    const user = (await t.c.models.get('User').findByPk(org.admin.id, { raw: true })) as unknown as Record<
      string,
      unknown
    >;
    expect(user.organization_id).toBe(org.organizationId);
  });

  it('an admin may not delete themselves, but may delete someone else', async () => {
    const res = await t.http.delete(`/api/v1/users/${org.admin.id}`).set(org.admin.auth).expect(403);
    expect(res.body.error.message).toMatch(/delete your own account/);
    const other = await createTenant(t.c, 'Deletion Org');
    await t.http.delete(`/api/v1/users/${other.soloRep.id}`).set(other.admin.auth).expect(204);
  });

  it('another admin may change an admin’s role and active flag', async () => {
    const other = await createTenant(t.c, 'Two Admins Org');
    const second = await t.http
      .post('/api/v1/users')
      .set(other.admin.auth)
      .send({ email: unique('second.admin'), role: 'admin', password: 'second admin pass' })
      .expect(201);
    await t.http
      .patch(`/api/v1/users/${other.admin.id}`)
      .set(bearer(await tokenOf(second.body.data.email, 'second admin pass')))
      .send({ role: 'manager', is_active: false })
      .expect(200);
  });
});

describe('invitations', () => {
  const invite = (body: Record<string, unknown>, auth = org.admin.auth) =>
    t.http.post('/api/v1/users/invite').set(auth).send(body);

  it('invite → accept → sign in', async () => {
    const email = unique('invitee');
    const res = await invite({
      email,
      role: 'sales_rep',
      first_name: 'Ivy',
      manager_id: org.manager.id,
    }).expect(201);
    const user = res.body.data;
    expect(user).toMatchObject({
      email,
      role: 'sales_rep',
      first_name: 'Ivy',
      manager_id: org.manager.id,
      is_active: true,
    });
    expect(res.headers.location).toBe(`/api/v1/users/${user.id}`);
    // No password yet: nobody can sign in as the invitee.
    await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(401);

    const [mail] = await emailsTo(t, email, 'invite');
    expect(mail).toMatchObject({ subject: 'admin Accounts Org invited you to Accounts Org', status: 'sent' });
    expect(mail!.body_text).toContain('as sales rep');
    expect(mail!.body_text).toContain('https://crm.example.com/join?token=');
    const token = linkToken(mail);
    const stored = (await t.c.models
      .get('OneTimeToken')
      .findOne({ where: { user_id: user.id, purpose: 'invitation' }, raw: true })) as unknown as {
      created_at: Date;
      expires_at: Date;
    };
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBeGreaterThan(
      7 * 86_400_000 - 10_000,
    );

    const weak = await t.http
      .post(`/api/v1/auth/accept-invite/${token}`)
      .send({ password: 'letmein1' })
      .expect(400);
    expect(weak.body.error.details[0].field).toBe('password');
    const accepted = await t.http
      .post(`/api/v1/auth/accept-invite/${token}`)
      .send({ password: 'my own passphrase' })
      .expect(200);
    expect(accepted.body.data).toMatchObject({
      token_type: 'Bearer',
      user: { id: user.id, role: 'sales_rep' },
    });
    expect(accepted.body.data.user.email_verified_at).not.toBeNull();
    await t.http.get('/api/v1/auth/me').set(bearer(accepted.body.data.access_token)).expect(200);
    await signIn(t, email, 'my own passphrase');
    // The link works once.
    const again = await t.http
      .post(`/api/v1/auth/accept-invite/${token}`)
      .send({ password: 'hijacked passphrase' })
      .expect(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
  });

  it('only admins invite', async () => {
    for (const who of [org.manager, org.rep, org.support]) {
      await invite({ email: unique('nope'), role: 'sales_rep' }, who.auth).expect(403);
    }
  });

  it('validates the invitation', async () => {
    const res = await invite({ email: 'not-an-email', role: 'owner', is_active: false }).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'is_active',
      'role',
    ]);
    await invite({ email: org.rep.email, role: 'sales_rep' }).expect(409);
    await invite({ email: unique('lost'), role: 'sales_rep', manager_id: crypto.randomUUID() }).expect(404);
  });

  it('an invitation link expires, and a deactivated invitee cannot accept', async () => {
    const email = unique('late');
    const user = (await invite({ email, role: 'support' }).expect(201)).body.data;
    const token = linkToken((await emailsTo(t, email, 'invite'))[0]);
    await t.c.models
      .get('OneTimeToken')
      .update({ expires_at: new Date(Date.now() - 1000) }, { where: { user_id: user.id } });
    await t.http
      .post(`/api/v1/auth/accept-invite/${token}`)
      .send({ password: 'a late passphrase' })
      .expect(400);

    const other = unique('deactivated');
    const second = (await invite({ email: other, role: 'support' }).expect(201)).body.data;
    const secondToken = linkToken((await emailsTo(t, other, 'invite'))[0]);
    await t.http
      .patch(`/api/v1/users/${second.id}`)
      .set(org.admin.auth)
      .send({ is_active: false })
      .expect(200);
    await t.http
      .post(`/api/v1/auth/accept-invite/${secondToken}`)
      .send({ password: 'a late passphrase' })
      .expect(400);
  });
});

async function tokenOf(email: string, password: string): Promise<string> {
  return (await signIn(t, email, password)).access_token;
}
