import { startTestApp } from '../helpers/app';
import { emailsTo, linkToken } from '../helpers/auth';
import {
  expectSdkError,
  sdkClient,
  sdkError,
  startBase44Stage,
  stopBase44Stage,
  type ListeningApp,
} from '../helpers/sdk';
import { PASSWORD, type Tenant } from '../helpers/tenant';

/**
 * The official @base44/sdk's auth and users modules against our server: sign-in, registration confirmed by
 * an emailed code, the caller's own record, password reset and change, invitations.
 */
let app: ListeningApp;
let org: Tenant;
let other: Tenant;
const APP_ID = 'auth-conformance-app';
const NEW_PASSWORD = 'staple-orbit-lantern-42';

beforeAll(async () => {
  ({ app, org, other } = await startBase44Stage(APP_ID, 'Auth', { BASE44_SIGNUP_ROLE: 'support' }));
});
afterAll(() => stopBase44Stage(app));

/** The six-digit code in the newest verification email to `address`. */
async function codeSentTo(address: string, count = 1): Promise<string> {
  const sent = await emailsTo(app, address, 'verification-code', count);
  const match = /\b(\d{6})\b/.exec(sent[count - 1]?.body_text ?? '');
  if (!match) throw new Error(`No code emailed to ${address}`);
  return match[1]!;
}

describe('sign-in', () => {
  it('signs in with email and password, and the token reads the caller’s own record', async () => {
    const client = sdkClient(app, APP_ID);
    const { access_token, user } = await client.auth.loginViaEmailPassword(org.rep.email, PASSWORD);
    expect(typeof access_token).toBe('string');
    expect(user).toMatchObject({
      id: org.rep.id,
      email: org.rep.email,
      role: 'sales_rep',
      full_name: 'rep Auth Org',
    });
    expect(user).not.toHaveProperty('password_hash');
    const me = await client.auth.me();
    expect(me).toMatchObject({ id: org.rep.id, email: org.rep.email });
    expect(me).toHaveProperty('created_date');
    expect(me).not.toHaveProperty('password_hash');
    expect(await client.auth.isAuthenticated()).toBe(true);
  });

  it('refuses a wrong password, and an account of another organization through this app', async () => {
    await expectSdkError(sdkClient(app, APP_ID).auth.loginViaEmailPassword(org.rep.email, 'nope-nope'), {
      status: 401,
      code: 'UNAUTHORIZED',
      message: /incorrect/,
    });
    await expectSdkError(sdkClient(app, APP_ID).auth.loginViaEmailPassword(other.rep.email, PASSWORD), {
      status: 401,
    });
  });

  it('answers 401 to me() without a token', async () => {
    const client = sdkClient(app, APP_ID);
    expect((await sdkError(client.auth.me())).status).toBe(401);
    expect(await client.auth.isAuthenticated()).toBe(false);
  });
});

describe('the caller’s own record', () => {
  it('merges updateMe, ignoring identity fields sent back unchanged and fields users do not have', async () => {
    const client = sdkClient(app, APP_ID, org.manager.token);
    const me = (await client.auth.me()) as Record<string, unknown>;
    const updated = await client.auth.updateMe({
      ...me,
      title: 'Head of Sales',
      phone: '+44 20 7946 0000',
      favourite_colour: 'teal',
    });
    expect(updated).toMatchObject({
      id: org.manager.id,
      email: org.manager.email,
      title: 'Head of Sales',
      role: 'manager',
    });
    expect(updated).not.toHaveProperty('favourite_colour');
  });

  it.each([
    ['email', 'someone.else@example.com'],
    ['role', 'support'],
    ['id', '00000000-0000-4000-8000-000000000000'],
  ])('refuses to change %s', async (field, value) => {
    const client = sdkClient(app, APP_ID, org.admin.token);
    await expectSdkError(client.auth.updateMe({ [field]: value }), {
      status: 403,
      code: 'FORBIDDEN',
      message: field,
    });
    expect(await client.auth.me()).toMatchObject({ id: org.admin.id, email: org.admin.email, role: 'admin' });
  });

  it('lets apps list colleagues through the User entity, without secrets', async () => {
    const users = (await sdkClient(app, APP_ID, org.support.token).entities.User!.list()) as Record<
      string,
      unknown
    >[];
    expect(users.map((u) => u.email)).toEqual(expect.arrayContaining([org.admin.email, org.rep.email]));
    expect(users.map((u) => u.email)).not.toContain(other.admin.email);
    for (const u of users) {
      expect(u).not.toHaveProperty('password_hash');
      expect(u).not.toHaveProperty('tokens_valid_after');
    }
  });
});

describe('registration confirmed by an emailed code', () => {
  it('registers into the app’s organization, refuses sign-in until the code is confirmed, then signs in', async () => {
    const email = `reg.${Date.now()}@example.com`;
    const client = sdkClient(app, APP_ID);
    expect(await client.auth.register({ email, password: PASSWORD })).toMatchObject({
      message: expect.any(String),
    });
    const code = await codeSentTo(email);
    await expectSdkError(client.auth.loginViaEmailPassword(email, PASSWORD), {
      status: 401,
      message: /Confirm your email address first/,
    });
    expect((await sdkError(client.auth.loginViaEmailPassword(email, 'not-the-password'))).message).toMatch(
      /incorrect/,
    );

    await expectSdkError(client.auth.verifyOtp({ email, otpCode: code === '000000' ? '111111' : '000000' }), {
      status: 400,
      code: 'INVALID_CODE',
    });

    const verified = (await client.auth.verifyOtp({ email, otpCode: code })) as {
      access_token: string;
      user: Record<string, unknown>;
    };
    expect(verified.user).toMatchObject({ email, role: 'support', is_active: true });
    expect(verified.user.email_verified_at).toBeTruthy();
    const row = await app.c.models.get('User').findOne({ where: { email }, raw: true });
    expect((row as unknown as { organization_id: string }).organization_id).toBe(org.organizationId);
    expect((await sdkError(client.auth.verifyOtp({ email, otpCode: code }))).code).toBe('INVALID_CODE');
    const { user } = await sdkClient(app, APP_ID).auth.loginViaEmailPassword(email, PASSWORD);
    expect(user).toMatchObject({ email });
  });

  it('stores codes only as hashes, replaces a code on resend, and spends it after five wrong guesses', async () => {
    const email = `resend.${Date.now()}@example.com`;
    const client = sdkClient(app, APP_ID);
    await client.auth.register({ email, password: PASSWORD });
    const first = await codeSentTo(email);
    const user = (await app.c.models.get('User').findOne({ where: { email }, raw: true })) as unknown as {
      id: string;
    };
    const stored = (await app.c.models
      .get('OneTimeToken')
      .findAll({ where: { purpose: 'email_code', user_id: user.id }, raw: true })) as unknown as {
      token_hash: string;
    }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    expect(await client.auth.resendOtp(email)).toMatchObject({ expires_in_minutes: 10 });
    const second = await codeSentTo(email, 2);
    if (first !== second)
      expect((await sdkError(client.auth.verifyOtp({ email, otpCode: first }))).status).toBe(400);

    const wrong = second === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) await sdkError(client.auth.verifyOtp({ email, otpCode: wrong }));
    expect((await sdkError(client.auth.verifyOtp({ email, otpCode: second }))).code).toBe('INVALID_CODE');
  });

  it('answers resend-otp the same for an address nobody registered, and sends nothing', async () => {
    const email = `nobody.${Date.now()}@example.com`;
    expect(await sdkClient(app, APP_ID).auth.resendOtp(email)).toMatchObject({ message: expect.any(String) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await emailsTo(app, email, 'verification-code', 0)).toEqual([]);
  });

  it('refuses an address that already has an account, and a code for an account an admin deactivated', async () => {
    const client = sdkClient(app, APP_ID);
    await expectSdkError(client.auth.register({ email: org.rep.email, password: PASSWORD }), {
      status: 409,
      code: 'CONFLICT',
    });
    await app.c.models.get('User').update({ is_active: false }, { where: { id: org.teamRep.id } });
    await client.auth.resendOtp(org.teamRep.email);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await emailsTo(app, org.teamRep.email, 'verification-code', 0)).toEqual([]);
    expect(
      (await sdkError(client.auth.verifyOtp({ email: org.teamRep.email, otpCode: '123456' }))).status,
    ).toBe(400);
  });

  it('refuses the code of a registration an admin deactivated while it waited, or activated and then deactivated', async () => {
    const client = sdkClient(app, APP_ID);
    const setActive = async (id: string, is_active: boolean) =>
      app.http.patch(`/api/v1/users/${id}`).set(org.admin.auth).send({ is_active }).expect(200);
    const waiting = async (label: string) => {
      const email = `${label}.${Date.now()}@example.com`;
      await client.auth.register({ email, password: PASSWORD });
      const code = await codeSentTo(email);
      const row = (await app.c.models.get('User').findOne({ where: { email }, raw: true })) as unknown as {
        id: string;
      };
      return { email, code, id: row.id };
    };

    // Still waiting for its code, so already inactive: the admin's "no" must stick all the same.
    const rejected = await waiting('rejected');
    await setActive(rejected.id, false);
    await expectSdkError(client.auth.verifyOtp({ email: rejected.email, otpCode: rejected.code }), {
      status: 400,
      code: 'INVALID_CODE',
    });
    await client.auth.resendOtp(rejected.email);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await emailsTo(app, rejected.email, 'verification-code', 1)).toHaveLength(1);
    await expectSdkError(client.auth.register({ email: rejected.email, password: PASSWORD }), {
      status: 409,
    });

    const revoked = await waiting('revoked');
    await setActive(revoked.id, true);
    await setActive(revoked.id, false);
    await expectSdkError(client.auth.verifyOtp({ email: revoked.email, otpCode: revoked.code }), {
      status: 400,
      code: 'INVALID_CODE',
    });

    // An admin editing a waiting registration otherwise leaves it waiting.
    const edited = await waiting('edited');
    await app.http
      .patch(`/api/v1/users/${edited.id}`)
      .set(org.admin.auth)
      .send({ title: 'Intern' })
      .expect(200);
    const verified = (await client.auth.verifyOtp({ email: edited.email, otpCode: edited.code })) as {
      user: Record<string, unknown>;
    };
    expect(verified.user).toMatchObject({ email: edited.email, is_active: true, title: 'Intern' });
  });

  it('is refused when BASE44_SIGNUP_ROLE is not set', async () => {
    const closed = await startTestApp();
    try {
      const res = await closed.http
        .post(`/api/apps/${APP_ID}/auth/register`)
        .send({ email: `closed.${Date.now()}@example.com`, password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/BASE44_SIGNUP_ROLE/);
    } finally {
      await closed.close();
    }
  });
});

describe('passwords', () => {
  it('resets a forgotten password with the emailed token', async () => {
    const client = sdkClient(app, APP_ID);
    await client.auth.resetPasswordRequest(org.soloRep.email);
    const token = linkToken((await emailsTo(app, org.soloRep.email, 'password-reset'))[0]);
    expect(await client.auth.resetPassword({ resetToken: token, newPassword: NEW_PASSWORD })).toMatchObject({
      message: expect.any(String),
    });
    await client.auth.loginViaEmailPassword(org.soloRep.email, NEW_PASSWORD);
    await expectSdkError(client.auth.resetPassword({ resetToken: token, newPassword: NEW_PASSWORD }), {
      status: 400,
      code: 'INVALID_TOKEN',
    });
  });

  it('changes one’s own password with the current one; other sessions end', async () => {
    const client = sdkClient(app, APP_ID, org.support.token);
    const change = (userId: string, currentPassword: string) =>
      client.auth.changePassword({ userId, currentPassword, newPassword: NEW_PASSWORD });
    await expectSdkError(change(org.support.id, 'not-it'), { status: 422 });
    await expectSdkError(change(org.rep.id, PASSWORD), { status: 403 });
    const changed = (await change(org.support.id, PASSWORD)) as { access_token: string };
    expect((await sdkError(client.auth.me())).status).toBe(401);
    expect(await sdkClient(app, APP_ID, changed.access_token).auth.me()).toMatchObject({
      id: org.support.id,
    });
    await sdkClient(app, APP_ID).auth.loginViaEmailPassword(org.support.email, NEW_PASSWORD);
  });
});

/** The SDK builds a `users` module (runtime/users/invite-user) that its type declarations leave out. */
const usersOf = (client: ReturnType<typeof sdkClient>) =>
  (client as unknown as { users: { inviteUser(email: string, role: string): Promise<unknown> } }).users;

describe('invitations', () => {
  it('invites through users.inviteUser and auth.inviteUser, mapping Base44 roles to ours', async () => {
    const admin = sdkClient(app, APP_ID, org.admin.token);
    const asUser = `inv.user.${Date.now()}@example.com`;
    const asAdmin = `inv.admin.${Date.now()}@example.com`;
    expect(await usersOf(admin).inviteUser(asUser, 'user')).toMatchObject({ email: asUser, role: 'support' });
    expect(await admin.auth.inviteUser(asAdmin, 'admin')).toMatchObject({ email: asAdmin, role: 'admin' });
    expect(await emailsTo(app, asUser, 'invite')).toHaveLength(1);
    const bad = await sdkError(admin.auth.inviteUser(`x.${Date.now()}@example.com`, 'overlord'));
    expect(bad.status).toBe(422);
  });

  it('refuses an invitation from a role that may not create users', async () => {
    const rep = sdkClient(app, APP_ID, org.rep.token);
    expect((await sdkError(usersOf(rep).inviteUser(`no.${Date.now()}@example.com`, 'user'))).status).toBe(
      403,
    );
  });
});
