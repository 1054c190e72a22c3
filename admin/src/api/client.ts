import { entityApi } from '../../../client/src/entities';
import { subscribeTo } from '../../../client/src/realtime';
import { Transport } from '../../../client/src/transport';
import { ApiError } from './errors';
import type { Session, SessionUser } from './session';
import type { ApiClient, SignedIn } from './types';

const V1 = '/api/v1';

/**
 * The ApiClient over /api/v1, built from our own apiClient (client/src): its transport (bearer token,
 * JSON, ApiError, one renewal on a 401 through the session), its Base44-shaped entity methods and its
 * realtime stream. `paths` maps entity names to their route segments (from /meta/entities), which the app
 * learns at sign-in.
 */
export function createApiClient(session: Session, paths: Record<string, string>): ApiClient {
  const http = new Transport({ baseUrl: '', tokens: session });
  const entities = Object.fromEntries(
    Object.entries(paths).map(([name, path]) => [name, entityApi(http, name, path)]),
  );
  const signedOut = <T>(path: string, body: unknown) =>
    http.data<T>(`${V1}${path}`, { method: 'POST', body, authenticated: false });
  return {
    entities,
    auth: {
      login: async (email, password) => {
        const signed = await signedOut<SignedIn>('/auth/login', { email, password });
        session.start(signed);
        return signed;
      },
      me: async () => {
        const user = await http.data<SessionUser>(`${V1}/auth/me`);
        session.setUser(user);
        return user;
      },
      refresh: () => session.refresh(),
      logout: async () => {
        const refresh_token = session.refreshToken;
        session.end();
        if (refresh_token) await signedOut('/auth/logout', { refresh_token }).catch(() => undefined);
      },
      forgotPassword: async (email) =>
        (await signedOut<{ message: string }>('/auth/forgot-password', { email })).message,
      resetPassword: async (token, password) =>
        (
          await signedOut<{ message: string }>(`/auth/reset-password/${encodeURIComponent(token)}`, {
            password,
          })
        ).message,
      acceptInvite: async (token, password) => {
        const signed = await signedOut<SignedIn>(`/auth/accept-invite/${encodeURIComponent(token)}`, {
          password,
        });
        session.start(signed);
        return signed;
      },
    },
    request: (path, init = {}) => http.json(`${V1}${path}`, { method: init.method, body: init.json }),
    raw: (path) => http.open(`${V1}${path}`),
    // fetch cannot report upload progress, so this one request goes through XMLHttpRequest.
    upload: async (path, form, onProgress) => {
      const token = await session.current();
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${V1}${path}`);
        if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
        xhr.onerror = () => reject(new Error('The upload failed: check your connection and try again'));
        xhr.onload = () => {
          const body = JSON.parse(xhr.responseText || '{}') as {
            data?: unknown;
            error?: { code?: string; message?: string; details?: ApiError['details'] };
          };
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
      });
    },
    // The stream goes through the transport: token in the header (not the URL), renewed on a 401, and
    // reconnected when the server ends it.
    subscribe: (names, onChange) => {
      const subscriptions = names.map((name) => subscribeTo(http, name, () => onChange(name)));
      return () => subscriptions.forEach((unsubscribe) => unsubscribe());
    },
  };
}
