import { ApiError } from './errors.js';
import type { TokenStorage } from './storage.js';
import type { TokenSource } from './transport.js';

const ACCESS_KEY = 'nexa_access_token';
const REFRESH_KEY = 'nexa_refresh_token';

export interface Tokens {
  access_token: string;
  refresh_token?: string;
}

/**
 * The signed-in session: tokens in the given storage, renewed through the refresh token when the server
 * answers 401. Concurrent 401s share one refresh: refresh tokens rotate on use, and the server treats a rotated
 * token used twice as theft and ends the whole session.
 */
export class Session implements TokenSource {
  private refreshing: Promise<string | null> | undefined;

  constructor(
    private readonly storage: TokenStorage,
    private readonly exchange: (refreshToken: string) => Promise<Tokens>,
    private readonly getToken?: () => string | null | undefined | Promise<string | null | undefined>,
  ) {}

  async current(): Promise<string | null> {
    if (this.getToken) return (await this.getToken()) ?? null;
    return this.storage.getItem(ACCESS_KEY);
  }

  accessToken(): string | null {
    return this.storage.getItem(ACCESS_KEY);
  }

  refreshToken(): string | null {
    return this.storage.getItem(REFRESH_KEY);
  }

  save(tokens: Tokens): void {
    this.storage.setItem(ACCESS_KEY, tokens.access_token);
    if (tokens.refresh_token) this.storage.setItem(REFRESH_KEY, tokens.refresh_token);
    else this.storage.removeItem(REFRESH_KEY);
  }

  clear(): void {
    this.storage.removeItem(ACCESS_KEY);
    this.storage.removeItem(REFRESH_KEY);
  }

  /** A new access token, or null when there is none to be had (the app's own getToken, or no refresh token). */
  renew(rejected: string): Promise<string | null> {
    if (this.getToken) return Promise.resolve(null);
    // Another request already renewed the token this one was sent with: use the new one.
    const stored = this.accessToken();
    if (stored && stored !== rejected) return Promise.resolve(stored);
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<string | null> {
    const refreshToken = this.refreshToken();
    if (!refreshToken) return null;
    try {
      const tokens = await this.exchange(refreshToken);
      this.save(tokens);
      return tokens.access_token;
    } catch (err) {
      // Refused (expired, revoked, reused): the session is over. A network failure leaves it for a later try.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
        this.clear();
        return null;
      }
      throw err;
    }
  }
}
