import crypto from 'node:crypto';
import { digest } from '../../src/auth/opaque-tokens';
import { startTestApp, type TestApp } from '../helpers/app';
import { waitFor } from '../helpers/realtime';
import { createTenant, type Tenant } from '../helpers/tenant';

/** The sweep that deletes refresh and one-time tokens nobody can use any more, against the real tables. */
let t: TestApp;
let org: Tenant;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Sweep Org');
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs);
const hash = () => crypto.randomBytes(32).toString('hex');

async function refreshToken(family: string, expiresIn: number, revoked = false): Promise<string> {
  const row = await t.c.models.get('RefreshToken').create({
    organization_id: org.organizationId,
    user_id: org.rep.id,
    family_id: family,
    token_hash: hash(),
    expires_at: at(expiresIn),
    ...(revoked ? { revoked_at: at(-2 * HOUR), revoked_reason: 'rotated' } : {}),
  });
  return row.get('id') as string;
}

async function oneTimeToken(purpose: string, expiresIn: number, userId = org.rep.id): Promise<string> {
  const row = await t.c.models.get('OneTimeToken').create({
    user_id: userId,
    purpose,
    token_hash: hash(),
    expires_at: at(expiresIn),
  });
  return row.get('id') as string;
}

const remaining = async (model: string, ids: string[]) =>
  (await t.c.models.get(model).findAll({ where: { id: ids }, attributes: ['id'], raw: true })).map(
    (r) => (r as unknown as { id: string }).id,
  );

describe('a sweep', () => {
  let ended: string[];
  let living: string[];
  let oneTime: Record<string, string>;

  beforeAll(async () => {
    const endedFamily = crypto.randomUUID();
    ended = [await refreshToken(endedFamily, -3 * HOUR, true), await refreshToken(endedFamily, -HOUR)];
    // Its first token expired, but the family lives on in its rotated successor.
    const livingFamily = crypto.randomUUID();
    living = [await refreshToken(livingFamily, -HOUR, true), await refreshToken(livingFamily, HOUR)];
    oneTime = {
      expiredReset: await oneTimeToken('password_reset', -HOUR),
      expiredInvite: await oneTimeToken('invitation', -HOUR),
      validReset: await oneTimeToken('password_reset', HOUR),
      expiredCode: await oneTimeToken('email_code', -HOUR),
      confirmedCode: await oneTimeToken('email_code', -HOUR, org.support.id),
      validConfirmedCode: await oneTimeToken('email_code', HOUR, org.support.id),
    };
    // The support agent has confirmed their address; the sales rep never has.
    await t.c.models.get('User').update({ email_verified_at: new Date() }, { where: { id: org.support.id } });
    const deleted = await t.c.expiredTokens.sweep();
    expect(deleted.refreshTokens).toBeGreaterThanOrEqual(2);
    expect(deleted.oneTimeTokens).toBeGreaterThanOrEqual(3);
  });

  it('deletes a refresh-token family once every token in it has expired', async () => {
    expect(await remaining('RefreshToken', ended)).toEqual([]);
  });

  it('keeps every token of a family that still has a valid one, rotated ones included', async () => {
    expect((await remaining('RefreshToken', living)).sort()).toEqual([...living].sort());
  });

  it('deletes expired password-reset and invitation tokens and keeps valid ones', async () => {
    expect(await remaining('OneTimeToken', [oneTime.expiredReset!, oneTime.expiredInvite!])).toEqual([]);
    expect(await remaining('OneTimeToken', [oneTime.validReset!])).toEqual([oneTime.validReset]);
  });

  it('keeps the emailed codes of an unconfirmed account, which mark it as registered and waiting', async () => {
    expect(await remaining('OneTimeToken', [oneTime.expiredCode!])).toEqual([oneTime.expiredCode]);
  });

  it('deletes the expired emailed codes of an account that has confirmed its address', async () => {
    expect(await remaining('OneTimeToken', [oneTime.confirmedCode!])).toEqual([]);
    expect(await remaining('OneTimeToken', [oneTime.validConfirmedCode!])).toEqual([
      oneTime.validConfirmedCode,
    ]);
  });
});

it('a rotated token of a living family is still recognised as reused after a sweep', async () => {
  const login = await t.http
    .post('/api/v1/auth/login')
    .send({ email: org.manager.email, password: 'correct-horse-battery' });
  expect(login.status).toBe(200);
  const first = login.body.data.refresh_token as string;
  const rotated = await t.http.post('/api/v1/auth/refresh-token').send({ refresh_token: first });
  expect(rotated.status).toBe(200);
  // The spent token has expired by now; its successor has not.
  await t.c.models
    .get('RefreshToken')
    .update({ expires_at: at(-HOUR) }, { where: { token_hash: digest(first) } });
  await t.c.expiredTokens.sweep();
  // Presenting the spent token again ends the session it was rotated into.
  expect((await t.http.post('/api/v1/auth/refresh-token').send({ refresh_token: first })).status).toBe(401);
  const next = rotated.body.data.refresh_token as string;
  expect((await t.http.post('/api/v1/auth/refresh-token').send({ refresh_token: next })).status).toBe(401);
});

it('runs on its own once started, and stops', async () => {
  const family = crypto.randomUUID();
  const id = await refreshToken(family, -HOUR);
  t.c.expiredTokens.start(50);
  try {
    await waitFor(async () => (await remaining('RefreshToken', [id])).length === 0, 'the sweep');
  } finally {
    await t.c.expiredTokens.stop();
  }
});
