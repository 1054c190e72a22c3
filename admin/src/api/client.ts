import { ApiError } from './errors';
import type { Session, SessionUser } from './session';
import type { ApiClient, EntityHandle, Query, RecordValues, SignedIn } from './types';

/** /api/v1 caps a page at 100 records. */
const MAX_LIMIT = 100;

function listPath(path: string, query: Query | undefined, sort?: string, limit?: number, skip?: number) {
  const p = new URLSearchParams();
  if (query && Object.keys(query).length) p.set('filter', JSON.stringify(query));
  if (sort) p.set('sort', sort);
  p.set('limit', String(Math.min(limit ?? MAX_LIMIT, MAX_LIMIT)));
  if (skip) p.set('offset', String(skip));
  return `/${path}?${p.toString()}`;
}

function entityHandle(session: Session, path: string): EntityHandle {
  const rows = async (url: string) => (await session.json<{ data: RecordValues[] }>(url)).data;
  const one = async (url: string, init?: RequestInit & { json?: unknown }) =>
    (await session.json<{ data: RecordValues }>(url, init)).data;
  return {
    list: (sort, limit, skip) => rows(listPath(path, undefined, sort, limit, skip)),
    filter: (query, sort, limit, skip) => rows(listPath(path, query, sort, limit, skip)),
    count: async (query) =>
      (await session.json<{ meta: { total: number } }>(listPath(path, query, undefined, 1))).meta.total,
    get: (id) => one(`/${path}/${encodeURIComponent(id)}`),
    create: (data) => one(`/${path}`, { method: 'POST', json: data }),
    update: (id, data) => one(`/${path}/${encodeURIComponent(id)}`, { method: 'PATCH', json: data }),
    delete: async (id) => {
      await session.fetch(`/${path}/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    aggregate: async (spec) =>
      (
        await session.json<{ data: { rows: Record<string, unknown>[] } }>(`/${path}/aggregate`, {
          method: 'POST',
          json: spec,
        })
      ).data,
  };
}

/** The ApiClient over /api/v1; `paths` maps entity names to their route segments (from /meta/entities). */
export function createApiClient(session: Session, paths: Record<string, string>): ApiClient {
  const entities = Object.fromEntries(
    Object.entries(paths).map(([name, path]) => [name, entityHandle(session, path)]),
  );
  const data = async <T>(path: string, json: unknown) =>
    (await session.json<{ data: T }>(path, { method: 'POST', json })).data;
  return {
    entities,
    auth: {
      login: async (email, password) => {
        const signed = await data<SignedIn>('/auth/login', { email, password });
        session.start(signed);
        return signed;
      },
      me: async () => {
        const user = (await session.json<{ data: SessionUser }>('/auth/me')).data;
        session.setUser(user);
        return user;
      },
      refresh: () => session.refresh(),
      logout: async () => {
        const refresh_token = session.refreshToken;
        session.end();
        if (refresh_token) await data('/auth/logout', { refresh_token }).catch(() => undefined);
      },
      forgotPassword: async (email) =>
        (await data<{ message: string }>('/auth/forgot-password', { email })).message,
      resetPassword: async (token, password) =>
        (await data<{ message: string }>(`/auth/reset-password/${encodeURIComponent(token)}`, { password }))
          .message,
      acceptInvite: async (token, password) => {
        const signed = await data<SignedIn>(`/auth/accept-invite/${encodeURIComponent(token)}`, { password });
        session.start(signed);
        return signed;
      },
    },
    request: (path, init) => session.json(path, init),
    raw: (path) => session.fetch(path),
    upload: (path, form, onProgress) =>
      new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `/api/v1${path}`);
        const token = session.accessToken;
        if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
        xhr.onerror = () => reject(new Error('The upload failed: check your connection and try again'));
        xhr.onload = () => {
          const body = JSON.parse(xhr.responseText || '{}') as { data?: unknown; error?: ApiError };
          if (xhr.status < 300) resolve(body.data as never);
          else {
            const e = body.error;
            reject(
              new ApiError(
                xhr.status,
                e?.code ?? 'UPLOAD_FAILED',
                e?.message ?? 'The upload failed',
                e?.details,
              ),
            );
          }
        };
        xhr.send(form);
      }),
    subscribe: (names, onChange) => {
      const token = session.accessToken;
      if (!token || typeof EventSource === 'undefined') return () => undefined;
      const params = new URLSearchParams({ entities: names.join(','), access_token: token });
      const source = new EventSource(`/api/v1/realtime?${params.toString()}`);
      source.addEventListener('change', (e) =>
        onChange((JSON.parse((e as MessageEvent<string>).data) as { entity: string }).entity),
      );
      // The server ends the stream when the token expires; the next screen visit opens a fresh one.
      source.addEventListener('end', () => source.close());
      return () => source.close();
    },
  };
}
