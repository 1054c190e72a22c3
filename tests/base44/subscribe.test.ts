import { startRealtimeApp, waitFor, type RealtimeTestApp } from '../helpers/realtime';
import { closeClients, quietSdkLogs, sdkClient, type ListeningApp } from '../helpers/sdk';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * `entities.<E>.subscribe()` of the official SDK, over its own socket.io connection: create, update and
 * delete events for what the user may read, and nothing of what a user of lesser rights may not.
 */
interface Event {
  type: 'create' | 'update' | 'delete';
  id: string;
  data: Record<string, unknown>;
}

let t: RealtimeTestApp;
let org: Tenant;
const APP_ID = 'subscribe-app';

beforeAll(async () => {
  quietSdkLogs();
  t = await startRealtimeApp();
  org = await createTenant(t.c, 'Subscribe Org');
  await t.c.models.get('Organization').update({ app_id: APP_ID }, { where: { id: org.organizationId } });
});
afterAll(async () => {
  closeClients();
  await t.close();
});

/** A signed-in SDK client's events for `entity`, collected until the test ends. */
function subscribe(token: string, entity: string): { events: Event[]; client: ReturnType<typeof sdkClient> } {
  const client = sdkClient({ url: t.url } as ListeningApp, APP_ID, token);
  const events: Event[] = [];
  client.entities[entity]!.subscribe((e) => events.push(e as unknown as Event));
  return { events, client };
}

const eventFor = (events: Event[], id: string, type: Event['type']) =>
  waitFor(() => events.find((e) => e.id === id && e.type === type), `${type} of ${id}`);

it('delivers creates, updates and deletes, and to a sales rep only the leads the rep may read', async () => {
  const admin = subscribe(org.admin.token, 'Lead');
  const rep = subscribe(org.rep.token, 'Lead');
  const Lead = admin.client.entities.Lead!;
  // The SDK connects and joins in the background: once both have heard of a lead, both are in the room.
  for (let i = 0; admin.events.length === 0 || rep.events.length === 0; i++) {
    if (i === 50) throw new Error('The SDK sockets never joined their rooms');
    await Lead.create({ email: `warmup.${i}.${Date.now()}@example.com`, assigned_to: org.rep.id });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const mine = (await Lead.create({ email: `mine.${Date.now()}@example.com`, assigned_to: org.rep.id })) as {
    id: string;
  };
  const notMine = (await Lead.create({
    email: `other.${Date.now()}@example.com`,
    assigned_to: org.soloRep.id,
  })) as { id: string };
  await Lead.update(mine.id, { company: 'Engines Ltd' });
  await Lead.delete(mine.id);

  expect((await eventFor(admin.events, mine.id, 'create')).data).toMatchObject({ assigned_to: org.rep.id });
  expect((await eventFor(admin.events, notMine.id, 'create')).data).toMatchObject({
    assigned_to: org.soloRep.id,
  });
  expect((await eventFor(admin.events, mine.id, 'update')).data).toMatchObject({ company: 'Engines Ltd' });
  await eventFor(admin.events, mine.id, 'delete');

  await eventFor(rep.events, mine.id, 'create');
  await eventFor(rep.events, mine.id, 'update');
  await eventFor(rep.events, mine.id, 'delete');
  // Events reach each socket in commit order: the rep's delete came after the other lead's create.
  expect(rep.events.filter((e) => e.id === notMine.id)).toEqual([]);
});
