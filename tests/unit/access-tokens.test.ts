import jwt from 'jsonwebtoken';
import { AccessTokens } from '../../src/auth/access-tokens';

const options = { secret: 'unit-test-secret-of-some-length', issuer: 'nexa-crm', audience: 'nexa-crm-api' };
const claims = {
  userId: '5d1f3a52-0c4e-4b8e-9a55-3f0c2d0b9e11',
  organizationId: 'b7c1b0a4-1f0e-4a3e-8d2f-6a5c9e0d4b22',
};

describe('AccessTokens', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('answers a token it has verified again until the token expires, then refuses it as expired', () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    const tokens = new AccessTokens({ ...options, ttlSeconds: 60 });
    const token = tokens.sign(claims);
    const first = tokens.verify(token);
    expect(first).toMatchObject({ ...claims, expiresAt: Date.parse('2026-12-07T12:01:00Z') });

    jest.setSystemTime(new Date('2026-12-07T12:00:59.900Z'));
    expect(tokens.verify(token)).toEqual(first);

    jest.setSystemTime(new Date('2026-12-07T12:01:00Z'));
    expect(() => tokens.verify(token)).toThrow('The access token has expired: sign in again');
    // Still refused once forgotten: the signature check then says the same.
    expect(() => tokens.verify(token)).toThrow('The access token has expired: sign in again');
  });

  it('checks the signature of a token once, not on every use', () => {
    const tokens = new AccessTokens({ ...options, ttlSeconds: 60 });
    const token = tokens.sign(claims);
    const verify = jest.spyOn(jwt, 'verify');
    for (let i = 0; i < 5; i++) tokens.verify(token);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('remembers a bounded number of tokens, forgetting the oldest first', () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    const tokens = new AccessTokens({ ...options, ttlSeconds: 60, maxRemembered: 2 });
    const [a, b, c] = [0, 1, 2].map((i) => {
      jest.setSystemTime(Date.parse('2026-12-07T12:00:00Z') + i); // distinct iat, so distinct tokens
      return tokens.sign(claims);
    }) as [string, string, string];
    const verify = jest.spyOn(jwt, 'verify');
    tokens.verify(a);
    tokens.verify(b);
    tokens.verify(c); // forgets a
    expect(verify).toHaveBeenCalledTimes(3);
    tokens.verify(b);
    tokens.verify(c);
    expect(verify).toHaveBeenCalledTimes(3);
    tokens.verify(a);
    expect(verify).toHaveBeenCalledTimes(4);
  });

  it('never remembers a token it refused', () => {
    const tokens = new AccessTokens({ ...options, ttlSeconds: 60 });
    const foreign = new AccessTokens({ ...options, secret: 'another-secret-of-some-length', ttlSeconds: 60 });
    const forged = foreign.sign(claims);
    expect(() => tokens.verify(forged)).toThrow('The access token is not valid');
    expect(() => tokens.verify(forged)).toThrow('The access token is not valid');
    const otherAudience = new AccessTokens({ ...options, audience: 'elsewhere', ttlSeconds: 60 }).sign(
      claims,
    );
    expect(() => tokens.verify(otherAudience)).toThrow('The access token is not valid');
  });
});
