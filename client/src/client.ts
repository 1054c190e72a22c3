import { authApi, type AuthApi, type AuthSession } from './auth.js';
import { entityApi, type EntityApi } from './entities.js';
import type { ApiError } from './errors.js';
import { fileApi, type FileApi } from './files.js';
import { ENTITY_PATHS, type EntityName, type EntityRecords } from './generated/entities.js';
import { coreIntegrations, type CoreIntegrations } from './integrations.js';
import { Session } from './session.js';
import { defaultStorage, type TokenStorage } from './storage.js';
import { Transport } from './transport.js';

export interface ClientOptions {
  /** Where the server answers, e.g. `https://crm.example.com`; '' for the page's own origin. */
  baseUrl: string;
  /**
   * Supplies the access token when the app manages sign-in itself; the client then never stores or refreshes
   * tokens, and a 401 goes straight to onAuthError.
   */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Called with the 401 once the session cannot be renewed: time to send the person to sign in. */
  onAuthError?: (error: ApiError) => void;
  /** Token storage; localStorage in a browser, memory elsewhere. */
  storage?: TokenStorage;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface NexaClient {
  entities: { [K in EntityName]: EntityApi<EntityRecords[K]> };
  auth: AuthApi;
  integrations: { Core: CoreIntegrations };
  files: FileApi;
}

export function createClient(options: ClientOptions): NexaClient {
  // The session refreshes through the transport, and the transport asks the session for tokens.
  const session: Session = new Session(
    options.storage ?? defaultStorage(),
    (refreshToken): Promise<AuthSession> =>
      http.data<AuthSession>('/api/v1/auth/refresh-token', {
        method: 'POST',
        body: { refresh_token: refreshToken },
        authenticated: false,
      }),
    options.getToken,
  );
  const http: Transport = new Transport({
    baseUrl: options.baseUrl,
    tokens: session,
    onAuthError: options.onAuthError,
    fetch: options.fetch,
  });
  const entities = Object.fromEntries(
    Object.entries(ENTITY_PATHS).map(([name, path]) => [name, entityApi(http, name, path)]),
  ) as unknown as NexaClient['entities'];
  const files = fileApi(http);
  return {
    entities,
    auth: authApi(http, session),
    integrations: { Core: coreIntegrations(http, files) },
    files,
  };
}
