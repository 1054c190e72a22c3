import { Transport, type TokenSource } from '../../../client/src/transport';

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

const ENDED = 'Your session has ended. Sign in again to continue.';
const signedOut: TokenSource = { current: async () => null, renew: async () => null };

/**
 * The signed-in session, as the token source of our apiClient's transport (client/src): tokens kept in
 * localStorage (so a reload stays signed in), refreshed before expiry and once more on a 401; when
 * refreshing fails the session ends and listeners hear why.
 */
export class Session implements TokenSource {
  private tokens: Tokens | null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();

  /** Refreshing goes without a token (the refresh token is in the body). */
  private readonly http: Transport;

  constructor(
    baseUrl = '',
    private readonly store: Storage = localStorage,
  ) {
    this.http = new Transport({ baseUrl, tokens: signedOut });
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
      try {
        this.start(
          await this.http.data<Parameters<Session['start']>[0]>('/api/v1/auth/refresh-token', {
            method: 'POST',
            body: { refresh_token },
            authenticated: false,
          }),
        );
        return true;
      } catch {
        this.end(ENDED);
        return false;
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The access token for a request, refreshed first when it is about to expire. */
  async current(): Promise<string | null> {
    if (this.tokens && this.tokens.expires_at - EARLY_MS < Date.now()) await this.refresh();
    return this.accessToken;
  }

  /** After a 401: a token newer than the refused one, or null once the session cannot be renewed. */
  async renew(rejected: string): Promise<string | null> {
    if (this.tokens && this.tokens.access_token !== rejected) return this.tokens.access_token;
    return (await this.refresh()) ? this.accessToken : null;
  }
}
