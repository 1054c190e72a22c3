import crypto from 'node:crypto';

export interface SignedParams {
  key: string;
  expires: number;
  disposition: string;
  filename: string;
  contentType: string;
}

/** HMAC-signed, expiring download links for the local storage driver. */
export class UrlSigner {
  constructor(private readonly secret: string) {}

  private mac(p: SignedParams): string {
    const payload = [p.key, p.expires, p.disposition, p.filename, p.contentType].join('\n');
    return crypto.createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  sign(p: SignedParams): string {
    return this.mac(p);
  }

  /** True when the signature matches these exact parameters and has not expired. */
  verify(p: SignedParams, signature: string, now = Date.now()): 'valid' | 'expired' | 'invalid' {
    const expected = Buffer.from(this.mac(p));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return 'invalid';
    return p.expires * 1000 < now ? 'expired' : 'valid';
  }
}
