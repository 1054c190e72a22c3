import crypto, { type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../errors';

export interface AccessTokenOptions {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
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

/** Short-lived HS256 JWTs; algorithm, issuer, audience and expiry are all checked on the way in. */
export class AccessTokens {
  /**
   * Built once: given a string, jsonwebtoken first tries to parse it as a PEM public key (and fails) on
   * every call — a tenth of the CPU time of a simple authenticated GET, measured with --cpu-prof.
   */
  private readonly key: KeyObject;

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
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.o.issuer,
        audience: this.o.audience,
      }) as jwt.JwtPayload;
    } catch (err) {
      const expired = err instanceof jwt.TokenExpiredError;
      throw new UnauthorizedError(
        expired ? 'The access token has expired: sign in again' : 'The access token is not valid',
      );
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
    return {
      userId: payload.sub,
      organizationId: payload.org,
      issuedAt: Math.round(payload.iat * 1000),
      expiresAt: Math.round(payload.exp * 1000),
    };
  }
}
