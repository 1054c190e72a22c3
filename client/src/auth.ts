import type { Session } from './session.js';
import type { Transport } from './transport.js';

export type UserRecord = { id: string; email: string; role: string } & Record<string, unknown>;

/** What sign-in, sign-up and refresh answer. */
export interface AuthSession {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: UserRecord;
}

export interface Registration {
  email: string;
  password: string;
  organization_name: string;
  first_name?: string;
  last_name?: string;
}

export interface AuthApi {
  /** Signs in and keeps the tokens. */
  login(email: string, password: string): Promise<AuthSession>;
  /** Ends the session on the server (its refresh token stops working) and forgets the tokens. */
  logout(options?: { all?: boolean }): Promise<void>;
  me(): Promise<UserRecord>;
  /** Profile fields only (names, phone, title, department, avatar_url, timezone). */
  updateMe(data: Record<string, unknown>): Promise<UserRecord>;
  /** Creates an organization with this person as its admin, and signs them in. */
  register(data: Registration): Promise<AuthSession>;
  /** Emails a reset link if the address has an account; answers the same either way. */
  resetPasswordRequest(email: string): Promise<{ message: string }>;
  /** `resetToken` is the `token` of the emailed link. */
  resetPassword(resetToken: string, newPassword: string): Promise<{ message: string }>;
  /** Uses tokens obtained elsewhere (an SSO redirect, a server-rendered page). */
  setToken(accessToken: string, refreshToken?: string): void;
  getToken(): string | null;
  isAuthenticated(): boolean;
}

export function authApi(http: Transport, session: Session): AuthApi {
  const signIn = async (path: string, body: unknown): Promise<AuthSession> => {
    const data = await http.data<AuthSession>(path, { method: 'POST', body, authenticated: false });
    session.save(data);
    return data;
  };
  return {
    login: (email, password) => signIn('/api/v1/auth/login', { email, password }),
    register: (data) => signIn('/api/v1/auth/register', data),
    async logout(options = {}) {
      const refreshToken = session.refreshToken();
      try {
        if (refreshToken) {
          await http.json('/api/v1/auth/logout', {
            method: 'POST',
            body: { refresh_token: refreshToken, ...(options.all ? { all: true } : {}) },
            authenticated: false,
          });
        }
      } finally {
        // Forgotten locally even when the server could not be told: the person asked to be signed out.
        session.clear();
      }
    },
    me: () => http.data<UserRecord>('/api/v1/auth/me'),
    updateMe: (data) => http.data<UserRecord>('/api/v1/auth/update-profile', { method: 'PUT', body: data }),
    resetPasswordRequest: (email) =>
      http.data('/api/v1/auth/forgot-password', { method: 'POST', body: { email }, authenticated: false }),
    resetPassword: (resetToken, newPassword) =>
      http.data(`/api/v1/auth/reset-password/${encodeURIComponent(resetToken)}`, {
        method: 'POST',
        body: { password: newPassword },
        authenticated: false,
      }),
    setToken: (accessToken, refreshToken) =>
      session.save({ access_token: accessToken, refresh_token: refreshToken }),
    getToken: () => session.accessToken(),
    isAuthenticated: () => session.accessToken() !== null,
  };
}
