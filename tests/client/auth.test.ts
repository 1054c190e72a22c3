import crypto from 'node:crypto';
import { ApiError, memoryStorage, type TokenStorage } from '../../client/src/index.js';
import { emailsTo, linkToken } from '../helpers/auth';
import { clientFor, failure, startClientApp, type ClientTestApp } from '../helpers/client';
import { tokenExpiring } from '../helpers/realtime';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

let t: ClientTestApp;
let org: Tenant;

beforeAll(async () => {
  t = await startClientApp();
  org = await createTenant(t.c, 'Client Auth');
});
afterAll(() => t.close());

const expired = (user: Tenant['rep']) => tokenExpiring(t.c, user.id, org.organizationId, -60);

/** A fetch that counts the calls to one path, passing everything through to the real server. */
function counting(path: string) {
  const calls = { count: 0 };
  const wrapped: typeof fetch = (input, init) => {
    if (String(input).includes(path)) calls.count += 1;
    return fetch(input, init);
  };
  return { calls, fetch: wrapped };
}

describe('auth', () => {
  it('signs in, keeps the tokens in the given storage and reads the profile', async () => {
    const storage: TokenStorage = memoryStorage();
    const client = clientFor(t, undefined, { storage });
    expect(client.auth.isAuthenticated()).toBe(false);
    const session = await client.auth.login(org.manager.email, PASSWORD);
    expect(session).toMatchObject({ token_type: 'Bearer', user: { id: org.manager.id, role: 'manager' } });
    expect(storage.getItem('nexa_access_token')).toBe(session.access_token);
    expect(storage.getItem('nexa_refresh_token')).toBe(session.refresh_token);
    expect(client.auth.isAuthenticated()).toBe(true);
    const me = await client.auth.me();
    expect(me).toMatchObject({ id: org.manager.id, email: org.manager.email });
    expect(me).not.toHaveProperty('password_hash');
  });

  it('refuses a wrong password with an ApiError, without calling onAuthError', async () => {
    const onAuthError = jest.fn();
    const client = clientFor(t, undefined, { onAuthError });
    const error = await failure(client.auth.login(org.manager.email, 'not the password'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, message: 'Email or password is incorrect' });
    expect(onAuthError).not.toHaveBeenCalled();
    expect(client.auth.isAuthenticated()).toBe(false);
  });

  it('updates the profile, and only the profile', async () => {
    const client = clientFor(t);
    await client.auth.login(org.teamRep.email, PASSWORD);
    expect(await client.auth.updateMe({ first_name: 'Renamed', title: 'Closer' })).toMatchObject({
      first_name: 'Renamed',
      title: 'Closer',
    });
    expect(await failure(client.auth.updateMe({ role: 'admin' }))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'role', message: 'not a profile field' }],
    });
    expect((await client.auth.me()).role).toBe('sales_rep');
  });

  it('renews an expired access token once, however many calls meet the 401 together', async () => {
    const { calls, fetch } = counting('/auth/refresh-token');
    const client = clientFor(t, undefined, { fetch });
    const session = await client.auth.login(org.rep.email, PASSWORD);
    client.auth.setToken(expired(org.rep), session.refresh_token);
    // Refresh tokens rotate: a second refresh with the same token would end the session, failing a call.
    const results = await Promise.all([
      client.auth.me(),
      client.entities.Lead.list(),
      client.entities.Task.list(),
      client.auth.me(),
    ]);
    expect(results[0]).toMatchObject({ id: org.rep.id });
    expect(calls.count).toBe(1);
    const renewed = client.auth.getToken();
    expect(renewed).not.toBe(session.access_token);
    await client.auth.me();
    expect(client.auth.getToken()).toBe(renewed);
  });

  it('calls onAuthError and forgets the session when it cannot be renewed', async () => {
    const onAuthError = jest.fn();
    const client = clientFor(t, undefined, { onAuthError });
    client.auth.setToken(expired(org.rep), 'a-refresh-token-the-server-never-issued');
    const error = await failure(client.auth.me());
    expect(error).toMatchObject({ name: 'ApiError', status: 401, code: 'UNAUTHORIZED' });
    expect(onAuthError).toHaveBeenCalledTimes(1);
    expect(onAuthError).toHaveBeenCalledWith(error);
    expect(client.auth.getToken()).toBeNull();
  });

  it('uses an app-supplied getToken as is: no refresh, a 401 goes to onAuthError', async () => {
    const onAuthError = jest.fn();
    const { calls, fetch } = counting('/auth/refresh-token');
    const fresh = clientFor(t, undefined, { getToken: () => org.admin.token, fetch });
    expect((await fresh.auth.me()).id).toBe(org.admin.id);
    const stale = clientFor(t, undefined, { getToken: async () => expired(org.rep), onAuthError, fetch });
    expect(await failure(stale.auth.me())).toMatchObject({ status: 401 });
    expect(onAuthError).toHaveBeenCalledTimes(1);
    expect(calls.count).toBe(0);
  });

  it('logs out: the tokens are forgotten and the refresh token stops working', async () => {
    const client = clientFor(t);
    const session = await client.auth.login(org.support.email, PASSWORD);
    await client.auth.logout();
    expect(client.auth.getToken()).toBeNull();
    expect(await failure(client.auth.me())).toMatchObject({ status: 401 });
    const other = clientFor(t);
    other.auth.setToken(tokenExpiring(t.c, org.support.id, org.organizationId, -60), session.refresh_token);
    expect(await failure(other.auth.me())).toMatchObject({ status: 401 });
  });

  it('registers a new organization with its first admin, signed in', async () => {
    const client = clientFor(t);
    const email = `founder-${crypto.randomBytes(4).toString('hex')}@example.com`;
    const session = await client.auth.register({
      email,
      password: 'a long enough passphrase',
      organization_name: 'Client Founders',
      first_name: 'Fay',
    });
    expect(session.user).toMatchObject({ email, role: 'admin', first_name: 'Fay' });
    expect((await client.auth.me()).email).toBe(email);
    const taken = await failure(
      clientFor(t).auth.register({ email, password: 'a long enough passphrase', organization_name: 'Again' }),
    );
    expect(taken).toBeInstanceOf(ApiError);
    expect(taken).toMatchObject({ status: 409, code: 'CONFLICT' });
  });

  it('resets a forgotten password through the emailed link', async () => {
    const client = clientFor(t);
    expect((await client.auth.resetPasswordRequest(org.soloRep.email)).message).toMatch(/email/);
    const token = linkToken((await emailsTo(t, org.soloRep.email, 'password-reset'))[0]);
    expect((await client.auth.resetPassword(token, 'a brand new passphrase')).message).toMatch(/sign in/);
    await client.auth.login(org.soloRep.email, 'a brand new passphrase');
    expect((await client.auth.me()).id).toBe(org.soloRep.id);
    expect(await failure(client.auth.resetPassword(token, 'another new passphrase'))).toMatchObject({
      status: 400,
    });
    expect(await failure(clientFor(t).auth.login(org.soloRep.email, PASSWORD))).toMatchObject({
      status: 401,
    });
  });
});
