import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import { createApiClient } from './client';
import { Session } from './session';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const signedIn = (access: string, expiresIn = 900) => ({
  access_token: access,
  refresh_token: `refresh-${access}`,
  expires_in: expiresIn,
  user: { id: 'u1', email: 'a@example.com', role: 'admin' as const },
});

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('Session', () => {
  it('refreshes once on a 401 and retries the request with the new token', async () => {
    const seen: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        if (url.endsWith('/auth/refresh-token')) return json(200, { data: signedIn('second') });
        const auth = new Headers(init.headers).get('Authorization')!;
        seen.push(auth);
        return auth === 'Bearer second' ? json(200, { data: { ok: true } }) : json(401, { error: {} });
      }),
    );
    const session = new Session('', localStorage);
    session.start(signedIn('first'));
    expect(await createApiClient(session, {}).request('/leads')).toEqual({ data: { ok: true } });
    expect(seen).toEqual(['Bearer first', 'Bearer second']);
    expect(session.accessToken).toBe('second');
  });

  it('refreshes ahead of an expiring token instead of waiting for a 401', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        return url.endsWith('/auth/refresh-token') ? json(200, { data: signedIn('fresh') }) : json(200, {});
      }),
    );
    const session = new Session('', localStorage);
    session.start(signedIn('old', 10));
    await createApiClient(session, {}).request('/leads');
    expect(urls).toEqual(['/api/v1/auth/refresh-token', '/api/v1/leads']);
  });

  it('ends the session with a message when the refresh token is refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(401, { error: { code: 'UNAUTHORIZED', message: 'expired' } })),
    );
    const session = new Session('', localStorage);
    session.start(signedIn('first'));
    const heard: (string | undefined)[] = [];
    session.onChange((user, reason) => heard.push(user ? 'signed in' : reason));
    const failure = await createApiClient(session, {})
      .request('/leads')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(401);
    expect(heard).toEqual(['Your session has ended. Sign in again to continue.']);
    expect(session.user).toBeNull();
    expect(localStorage.length).toBe(0);
  });
});
