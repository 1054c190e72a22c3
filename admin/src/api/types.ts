import type { EntityApi } from '../../../client/src/entities';
import type { SessionUser } from './session';

/**
 * What the admin app needs from the server, shaped like the Base44 SDK's client (`entities.<Entity>.list`,
 * `filter`, `get`, `create`, `update`, `delete`; `auth.login`, `me`, `refresh`); ./client.ts builds it on
 * the project's own apiClient (client/src).
 */
export type RecordValues = Record<string, unknown> & { id?: string };
/** A MongoDB-style query, as the Base44 SDK sends it and /api/v1 takes in `filter=`. */
export type Query = Record<string, unknown>;

/** Our apiClient's entity methods (client/src/entities.ts): list, filter, count, get, create, update, delete... */
export type EntityHandle = EntityApi;

export interface SignedIn {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: SessionUser;
}

export interface AuthHandle {
  login(email: string, password: string): Promise<SignedIn>;
  me(): Promise<SessionUser>;
  refresh(): Promise<boolean>;
  logout(): Promise<void>;
  forgotPassword(email: string): Promise<string>;
  resetPassword(token: string, password: string): Promise<string>;
  /** Sets the invited person's password and signs them in. */
  acceptInvite(token: string, password: string): Promise<SignedIn>;
}

export interface ApiClient {
  /** Keyed by entity name (`Lead`, `LinkAnalytics`). */
  entities: Record<string, EntityHandle>;
  auth: AuthHandle;
  /** Any other /api/v1 route (lead actions, documents, API keys, audit, metadata). */
  request<T>(path: string, init?: { method?: string; json?: unknown }): Promise<T>;
  /** The response itself, for downloads. */
  raw(path: string): Promise<Response>;
  /** A multipart upload with progress (0..1), which fetch cannot report. */
  upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T>;
  /** The realtime stream of changes to these entities; returns a function that closes it. */
  subscribe(entities: string[], onChange: (entity: string) => void): () => void;
}
