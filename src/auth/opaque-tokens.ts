import crypto from 'node:crypto';

/** A secret a client holds (refresh token, emailed link): 256 random bits, URL-safe. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: digest(token) };
}

/** What is stored instead of the token. A plain SHA-256 suffices: 256 random bits leave nothing to guess. */
export const digest = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

/** Tokens this service issues are 43 characters; anything much longer is not one of them. */
export const plausibleToken = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 100;
