import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { startTestApp, type TestApp } from '../helpers/app';
import { bearer, signIn } from '../helpers/auth';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;
let secret: string;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Token Org');
  secret = t.c.config.auth.jwtSecret!;
});
afterAll(() => t.close());

const me = (token: string) => t.http.get('/api/v1/auth/me').set(bearer(token));
const refresh = (refreshToken: unknown) =>
  t.http.post('/api/v1/auth/refresh-token').send({ refresh_token: refreshToken });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** What a genuine access token of `org.rep` carries, for forging variants of it. */
const claims = () => ({
  sub: org.rep.id,
  org: org.organizationId,
  typ: 'access',
  iss: t.c.config.auth.jwtIssuer,
  aud: t.c.config.auth.jwtAudience,
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 600,
});

describe('access tokens', () => {
  it('works as signed (the control for the forgeries below)', async () => {
    await me(jwt.sign(claims(), secret, { algorithm: 'HS256' })).expect(200);
  });

  it.each([
    ['a tampered signature', () => `${org.rep.token.slice(0, -4)}AAAA`],
    [
      'a tampered payload',
      () => {
        const [h, , s] = org.rep.token.split('.');
        return `${h}.${b64({ ...claims(), sub: org.admin.id })}.${s}`;
      },
    ],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['HS512 with the right secret', () => jwt.sign(claims(), secret, { algorithm: 'HS512' })],
    [
      'RS256 in the header, signed with the secret as an HMAC key',
      () => {
        const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims())}`;
        return `${unsigned}.${crypto.createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
      },
    ],
    ['another secret', () => jwt.sign(claims(), 'x'.repeat(40), { algorithm: 'HS256' })],
    [
      'an expired one',
      () => jwt.sign({ ...claims(), iat: 1_700_000_000, exp: 1_700_000_600 }, secret, { algorithm: 'HS256' }),
    ],
    [
      'the wrong audience',
      () => jwt.sign({ ...claims(), aud: 'another-api' }, secret, { algorithm: 'HS256' }),
    ],
    [
      'the wrong issuer',
      () => jwt.sign({ ...claims(), iss: 'someone-else' }, secret, { algorithm: 'HS256' }),
    ],
    ['no type', () => jwt.sign({ ...claims(), typ: undefined }, secret, { algorithm: 'HS256' })],
  ])('refuses %s', async (_name, forge) => {
    const res = await me(forge()).expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('says when a token has expired', async () => {
    const expired = jwt.sign({ ...claims(), iat: 1_700_000_000, exp: 1_700_000_600 }, secret, {
      algorithm: 'HS256',
    });
    expect((await me(expired)).body.error.message).toMatch(/expired/);
  });

  it('refuses a refresh token used as an access token', async () => {
    const session = await signIn(t, org.support.email);
    await me(session.refresh_token).expect(401);
  });
});

describe('sign-in sessions', () => {
  it('login answers with an access token, a refresh token and the user', async () => {
    const session = await signIn(t, org.manager.email);
    expect(session).toMatchObject({ token_type: 'Bearer', expires_in: 3600, user: { id: org.manager.id } });
    expect(session.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await me(session.access_token).expect(200);
  });

  it('stores only a hash of the refresh token, with the device it was issued to', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('User-Agent', 'TokenTest/1.0')
      .send({ email: org.teamRep.email, password: PASSWORD })
      .expect(200);
    const token = res.body.data.refresh_token as string;
    const rows = (await t.c.models
      .get('RefreshToken')
      .findAll({ where: { user_id: org.teamRep.id }, raw: true })) as unknown as Record<string, unknown>[];
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    expect(rows.map((r) => r.token_hash)).toContain(hash);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.find((r) => r.token_hash === hash)).toMatchObject({ user_agent: 'TokenTest/1.0' });
  });

  it('rotates the refresh token on every use', async () => {
    const first = await signIn(t, org.manager.email);
    const second = (await refresh(first.refresh_token).expect(200)).body.data;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.user.id).toBe(org.manager.id);
    await me(second.access_token).expect(200);
    const third = (await refresh(second.refresh_token).expect(200)).body.data;
    await me(third.access_token).expect(200);
  });

  it('revokes the whole family when a rotated refresh token comes back', async () => {
    const first = await signIn(t, org.manager.email);
    const second = (await refresh(first.refresh_token).expect(200)).body.data;
    const third = (await refresh(second.refresh_token).expect(200)).body.data;
    // Someone replays the first token: every token of this sign-in dies, the newest included.
    await refresh(first.refresh_token).expect(401);
    await refresh(third.refresh_token).expect(401);
    // Other sign-ins of the same user are not affected.
    const other = await signIn(t, org.manager.email);
    await refresh(other.refresh_token).expect(200);
  });

  it('refuses unknown, malformed and missing refresh tokens', async () => {
    await refresh(crypto.randomBytes(32).toString('base64url')).expect(401);
    await refresh('x'.repeat(500)).expect(400);
    await refresh(42).expect(400);
    await t.http.post('/api/v1/auth/refresh-token').send({}).expect(400);
  });

  it('refuses an expired refresh token', async () => {
    const session = await signIn(t, org.soloRep.email);
    await t.c.models
      .get('RefreshToken')
      .update(
        { expires_at: new Date(Date.now() - 1000) },
        { where: { token_hash: crypto.createHash('sha256').update(session.refresh_token).digest('hex') } },
      );
    await refresh(session.refresh_token).expect(401);
  });

  it('logout ends the session of the presented refresh token only', async () => {
    const kept = await signIn(t, org.soloRep.email);
    const ended = await signIn(t, org.soloRep.email);
    await t.http.post('/api/v1/auth/logout').send({ refresh_token: ended.refresh_token }).expect(204);
    await refresh(ended.refresh_token).expect(401);
    await refresh(kept.refresh_token).expect(200);
    // Already signed out: nothing to do, same answer.
    await t.http.post('/api/v1/auth/logout').send({ refresh_token: ended.refresh_token }).expect(204);
  });

  it('logout with all=true ends every session and refuses the access tokens issued before it', async () => {
    const fresh = await createTenant(t.c, 'Logout All Org');
    const a = await signIn(t, fresh.rep.email);
    const b = await signIn(t, fresh.rep.email);
    await t.http.post('/api/v1/auth/logout?all=true').send({ refresh_token: a.refresh_token }).expect(204);
    await refresh(a.refresh_token).expect(401);
    await refresh(b.refresh_token).expect(401);
    const refused = await me(b.access_token).expect(401);
    expect(refused.body.error.message).toMatch(/session has ended/);
    await me(fresh.rep.token).expect(401);
    // Signing in again works at once.
    const again = await signIn(t, fresh.rep.email);
    await me(again.access_token).expect(200);
    // all=true in the body does the same.
    await t.http
      .post('/api/v1/auth/logout')
      .send({ refresh_token: again.refresh_token, all: true })
      .expect(204);
    await me(again.access_token).expect(401);
  });

  it('logout everywhere needs a refresh token it knows', async () => {
    const res = await t.http
      .post('/api/v1/auth/logout')
      .send({ refresh_token: crypto.randomBytes(32).toString('base64url'), all: true })
      .expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('a deactivated user can neither refresh nor use their access tokens', async () => {
    const fresh = await createTenant(t.c, 'Deactivation Org');
    const session = await signIn(t, fresh.rep.email);
    await t.http
      .patch(`/api/v1/users/${fresh.rep.id}`)
      .set(fresh.admin.auth)
      .send({ is_active: false })
      .expect(200);
    await me(session.access_token).expect(401);
    await refresh(session.refresh_token).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: fresh.rep.email, password: PASSWORD }).expect(401);
    // The refresh tokens are marked revoked too, and reactivation does not bring the old sessions back.
    await waitFor(async () => (await activeRefreshTokens(fresh.rep.id)) === 0);
    await t.http
      .patch(`/api/v1/users/${fresh.rep.id}`)
      .set(fresh.admin.auth)
      .send({ is_active: true })
      .expect(200);
    await me(session.access_token).expect(401);
    await refresh(session.refresh_token).expect(401);
    await signIn(t, fresh.rep.email);
  });

  it('an admin setting someone else’s password ends their sessions', async () => {
    const fresh = await createTenant(t.c, 'Admin Password Org');
    const session = await signIn(t, fresh.support.email);
    await t.http
      .patch(`/api/v1/users/${fresh.support.id}`)
      .set(fresh.admin.auth)
      .send({ password: 'a brand new passphrase' })
      .expect(200);
    await me(session.access_token).expect(401);
    await refresh(session.refresh_token).expect(401);
    await waitFor(async () => (await activeRefreshTokens(fresh.support.id)) === 0);
    await signIn(t, fresh.support.email, 'a brand new passphrase');
    // Other changes leave sessions alone.
    const kept = await signIn(t, fresh.manager.email);
    await t.http
      .patch(`/api/v1/users/${fresh.manager.id}`)
      .set(fresh.admin.auth)
      .send({ title: 'Boss' })
      .expect(200);
    await me(kept.access_token).expect(200);
    await refresh(kept.refresh_token).expect(200);
  });
});

async function activeRefreshTokens(userId: string): Promise<number> {
  return t.c.models.get('RefreshToken').count({ where: { user_id: userId, revoked_at: null } });
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
