import crypto from 'node:crypto';
import { ApiError, type ChangeEvent, type Unsubscribe } from '../../client/src/index.js';
import { clientFor, failure, startClientApp, type ClientTestApp } from '../helpers/client';
import { tokenExpiring, waitFor } from '../helpers/realtime';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

let t: ClientTestApp;
let org: Tenant;
const subscriptions: Unsubscribe[] = [];

const tag = () => crypto.randomBytes(4).toString('hex');

beforeAll(async () => {
  t = await startClientApp();
  org = await createTenant(t.c, 'Client Realtime');
});
afterEach(() => {
  for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
});
afterAll(() => t.close());

/** A subscription to Lead whose events land in the returned array, once the server has confirmed it. */
async function follow(client: ReturnType<typeof clientFor>): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  const unsubscribe = client.entities.Lead.subscribe((e) => events.push(e));
  subscriptions.push(unsubscribe);
  await unsubscribe.ready;
  return events;
}

const seen = (events: ChangeEvent[], type: string, id: string) =>
  waitFor(() => events.find((e) => e.type === type && e.id === id), `${type} of ${id}`);

describe('subscribe', () => {
  it('receives creates, updates and deletes; a sales rep only those of records they may read', async () => {
    const admin = clientFor(t, org.admin);
    const adminEvents = await follow(admin);
    const repEvents = await follow(clientFor(t, org.rep));

    const mine = await admin.entities.Lead.create({
      email: `mine-${tag()}@example.com`,
      assigned_to: org.rep.id,
    });
    const other = await admin.entities.Lead.create({
      email: `other-${tag()}@example.com`,
      first_name: 'Other',
    });
    await admin.entities.Lead.update(mine.id, { status: 'contacted' });
    await admin.entities.Lead.delete(mine.id);

    expect(await seen(adminEvents, 'create', mine.id)).toMatchObject({
      entity: 'Lead',
      data: { id: mine.id, assigned_to: org.rep.id },
      timestamp: expect.any(String),
    });
    await seen(adminEvents, 'create', other.id);
    expect((await seen(adminEvents, 'update', mine.id)).data).toMatchObject({ status: 'contacted' });
    await seen(adminEvents, 'delete', mine.id);

    await seen(repEvents, 'create', mine.id);
    await seen(repEvents, 'update', mine.id);
    // Each subscriber gets events in commit order: once the delete has arrived, the other create would have too.
    await seen(repEvents, 'delete', mine.id);
    expect(repEvents.map((e) => e.id)).not.toContain(other.id);
  });

  it('stops delivering once unsubscribed', async () => {
    const admin = clientFor(t, org.admin);
    const stopped: ChangeEvent[] = [];
    const unsubscribe = admin.entities.Lead.subscribe((e) => stopped.push(e));
    await unsubscribe.ready;
    const still = await follow(admin);
    unsubscribe();
    const lead = await admin.entities.Lead.create({ email: `after-${tag()}@example.com` });
    await seen(still, 'create', lead.id);
    expect(stopped).toEqual([]);
  });

  it('renews an expired access token before following', async () => {
    const rep = clientFor(t);
    const session = await rep.auth.login(org.rep.email, PASSWORD);
    rep.auth.setToken(tokenExpiring(t.c, org.rep.id, org.organizationId, -60), session.refresh_token);
    const events = await follow(rep);
    const lead = await clientFor(t, org.admin).entities.Lead.create({
      email: `renewed-${tag()}@example.com`,
      assigned_to: org.rep.id,
    });
    await seen(events, 'create', lead.id);
    expect(rep.auth.getToken()).not.toBe(session.access_token);
  });

  it('reports a refused subscription through `ready` and onError, without retrying', async () => {
    const errors: ApiError[] = [];
    const unsubscribe = clientFor(t, org.support).entities.Lead.subscribe(() => undefined, {
      onError: (e) => errors.push(e),
    });
    subscriptions.push(unsubscribe);
    const error = await failure(unsubscribe.ready);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(403);
    expect(errors).toEqual([error]);
  });
});
