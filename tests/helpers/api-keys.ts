import type { TestApp } from './app';
import type { TestUser } from './tenant';

export interface IssuedKey {
  id: string;
  /** The secret, as the 201 reply showed it. */
  key: string;
  /** Headers that authenticate with this key. */
  auth: { 'X-API-Key': string };
  /** The whole 201 reply body's `data`. */
  data: Record<string, unknown>;
}

/** An API key issued through the API by an administrator. */
export async function issueKey(
  t: TestApp,
  admin: TestUser,
  body: Record<string, unknown>,
): Promise<IssuedKey> {
  const res = await t.http
    .post('/api/v1/api-keys')
    .set(admin.auth)
    .send({ name: 'Test key', ...body });
  if (res.status !== 201) throw new Error(`Could not issue a key: ${res.status} ${JSON.stringify(res.body)}`);
  const data = res.body.data as Record<string, unknown> & { id: string; key: string };
  return { id: data.id, key: data.key, auth: { 'X-API-Key': data.key }, data };
}
