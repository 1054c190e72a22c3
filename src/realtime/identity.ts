import type { AccessTokens } from '../auth/access-tokens';
import type { ApiKeys } from '../auth/api-keys';
import type { Directory } from '../auth/directory';
import type { Actor } from '../context';

/** Who a realtime subscriber is, and how to make sure again that they still may receive. */
export interface Identity {
  /** As verified when the connection opened. */
  actor: Actor;
  /** When the credential stops working by itself (an access token's expiry), in ms since the epoch. */
  expiresAt?: number;
  /** The actor as they are now; throws UnauthorizedError once the credential no longer works. */
  recheck(): Promise<Actor>;
}

/**
 * An access token, verified exactly as on HTTP: signature, issuer, audience, expiry, the account still
 * active and its sessions not ended since the token was issued.
 */
export async function tokenIdentity(
  c: { tokens: AccessTokens; directory: Directory },
  token: string,
): Promise<Identity> {
  const claims = c.tokens.verify(token);
  const recheck = () => c.directory.actorFor(claims);
  return { actor: await recheck(), expiresAt: claims.expiresAt, recheck };
}

/** An API key, verified (and its use counted) as on HTTP; the periodic rechecks of an open stream do not count. */
export async function apiKeyIdentity(apiKeys: ApiKeys, key: string): Promise<Identity> {
  return { actor: await apiKeys.authenticate(key), recheck: () => apiKeys.recheck(key) };
}
