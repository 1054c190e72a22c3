import crypto, { type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../errors';

export interface AccessTokenOptions {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** How many verified tokens to remember (default 10,000); the oldest is forgotten first. */
  maxRemembered?: number;
}

export interface AccessClaims {
  userId: string;
  organizationId: string;
}

export interface VerifiedAccess extends AccessClaims {
  /** When the token was issued, in ms: tokens older than the user's `tokens_valid_after` are refused. */
  issuedAt: number;
  /** When the token stops working, in ms: long-lived connections opened with it end then. */
  expiresAt: number;
}

const EXPIRED = 'The access token has expired: sign in again';

/** Short-lived HS256 JWTs; algorithm, issuer, audience and expiry are all checked on the way in. */
export class AccessTokens {
  /**
   * Built once: given a string, jsonwebtoken first tries to parse it as a PEM public key (and fails) on
   * every call — a tenth of the CPU time of a simple authenticated GET, measured with --cpu-prof.
   */
  private readonly key: KeyObject;
  /**
   * Tokens already verified, by their exact text. A signed token cannot change, so checking its signature,
   * issuer and audience again would give the same answer: only its expiry is checked on each use. Checking
   * the signature was a twentieth of the CPU time of a GET by id (docs/PERFORMANCE.md), and a client sends
   * the same token with every request until it expires. Revocation is not decided here: the caller lookup
   * compares `issuedAt` with the user's `tokens_valid_after` on every request.
   */
  private readonly remembered = new Map<string, VerifiedAccess>();

  constructor(private readonly o: AccessTokenOptions) {
    this.key = crypto.createSecretKey(Buffer.from(o.secret, 'utf8'));
  }

  get ttlSeconds(): number {
    return this.o.ttlSeconds;
  }

  sign(claims: AccessClaims): string {
    // `iat` to the millisecond (JWT allows fractional NumericDates): signing out everywhere must refuse a
    // token issued earlier in the same second, and accept the one issued right after it.
    const iat = Date.now() / 1000;
    return jwt.sign({ org: claims.organizationId, typ: 'access', iat }, this.key, {
      algorithm: 'HS256',
      subject: claims.userId,
      issuer: this.o.issuer,
      audience: this.o.audience,
      expiresIn: this.o.ttlSeconds,
    });
  }

  verify(token: string): VerifiedAccess {
    const known = this.remembered.get(token);
    if (known) {
      // jsonwebtoken's own rule: expired from the second of `exp` on.
      if (Math.floor(Date.now() / 1000) < known.expiresAt / 1000) return known;
      this.remembered.delete(token);
      throw new UnauthorizedError(EXPIRED);
    }
    const access = this.check(token);
    if (this.remembered.size >= (this.o.maxRemembered ?? 10_000))
      this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(token, access);
    return access;
  }

  private check(token: string): VerifiedAccess {
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.o.issuer,
        audience: this.o.audience,
      }) as jwt.JwtPayload;
    } catch (err) {
      const expired = err instanceof jwt.TokenExpiredError;
      throw new UnauthorizedError(expired ? EXPIRED : 'The access token is not valid');
    }
    if (
      payload.typ !== 'access' ||
      typeof payload.sub !== 'string' ||
      typeof payload.org !== 'string' ||
      typeof payload.iat !== 'number' ||
      typeof payload.exp !== 'number'
    ) {
      throw new UnauthorizedError('The access token is not valid');
    }
    // Frozen: the same object answers every later use of this token.
    return Object.freeze({
      userId: payload.sub,
      organizationId: payload.org,
      issuedAt: Math.round(payload.iat * 1000),
      expiresAt: Math.round(payload.exp * 1000),
    });
  }
}
