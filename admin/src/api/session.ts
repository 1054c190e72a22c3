import { ApiError } from './errors';

export interface SessionUser {
  id: string;
  email: string;
  role: 'admin' | 'manager' | 'sales_rep' | 'support';
  first_name?: string | null;
  last_name?: string | null;
}

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  user: SessionUser;
}

const STORAGE_KEY = 'nexa_admin_session';
/** Refresh this long before the access token expires, so a request never races its expiry. */
const EARLY_MS = 30_000;

export type SessionListener = (user: SessionUser | null, reason?: string) => void;

/**
 * The signed-in session: tokens kept in localStorage (so a reload stays signed in), every request sent
 * with the access token, refreshed before expiry and once more on a 401; when refreshing fails the session
 * ends and listeners hear why.
 */
export class Session {
  private tokens: Tokens | null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();

  constructor(
    private readonly base = '/api/v1',
    private readonly store: Storage = localStorage,
  ) {
    const raw = store.getItem(STORAGE_KEY);
    this.tokens = raw ? (JSON.parse(raw) as Tokens) : null;
  }

  get user(): SessionUser | null {
    return this.tokens?.user ?? null;
  }

  get accessToken(): string | null {
    return this.tokens?.access_token ?? null;
  }

  onChange(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(data: { access_token: string; refresh_token: string; expires_in: number; user: SessionUser }): void {
    this.tokens = {
      access_token: data.access_token,
      refresh_token: data.refresh_token,
      expires_at: Date.now() + data.expires_in * 1000,
      user: data.user,
    };
    this.store.setItem(STORAGE_KEY, JSON.stringify(this.tokens));
    this.listeners.forEach((l) => l(this.tokens!.user));
  }

  end(reason?: string): void {
    this.tokens = null;
    this.store.removeItem(STORAGE_KEY);
    this.listeners.forEach((l) => l(null, reason));
  }

  setUser(user: SessionUser): void {
    if (!this.tokens) return;
    this.tokens = { ...this.tokens, user };
    this.store.setItem(STORAGE_KEY, JSON.stringify(this.tokens));
  }

  get refreshToken(): string | null {
    return this.tokens?.refresh_token ?? null;
  }

  /** Trades the refresh token for new tokens; one refresh at a time, shared by concurrent callers. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refresh_token = this.tokens?.refresh_token;
      if (!refresh_token) return false;
      const res = await fetch(`${this.base}/auth/refresh-token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token }),
      }).catch(() => null);
      if (!res?.ok) {
        this.end('Your session has ended. Sign in again to continue.');
        return false;
      }
      this.start(((await res.json()) as { data: Parameters<Session['start']>[0] }).data);
      return true;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** fetch with the session's credentials; JSON bodies are encoded here; errors become ApiError. */
  async fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    if (this.tokens && this.tokens.expires_at - EARLY_MS < Date.now()) await this.refresh();
    const send = () => {
      const headers = new Headers(init.headers);
      if (this.tokens) headers.set('Authorization', `Bearer ${this.tokens.access_token}`);
      if (init.json !== undefined) headers.set('Content-Type', 'application/json');
      return fetch(`${this.base}${path}`, {
        ...init,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
    };
    let res = await send();
    if (res.status === 401 && this.tokens && (await this.refresh())) res = await send();
    if (!res.ok) throw await ApiError.from(res);
    return res;
  }

  async json<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
    const res = await this.fetch(path, init);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
}
