import crypto from 'node:crypto';
import type { Actor } from '../../src/context';
import { readableBy, readableFields } from '../../src/crud/policy';
import { issueKey } from '../helpers/api-keys';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant, type TestUser } from '../helpers/tenant';

/**
 * Realtime checks each change in memory with `readableBy`; a GET checks it in SQL through CrudService.
 * They must agree, for every kind of reader and every kind of ownership.
 */
let t: TestApp;
let org: Tenant;
let outsider: Tenant;

const tag = () => crypto.randomBytes(4).toString('hex');

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Realtime Policy');
  outsider = await createTenant(t.c, 'Realtime Policy Outsider');
});
afterAll(() => t.close());

interface Reader {
  name: string;
  headers: Record<string, string>;
  actor: () => Promise<Actor>;
}

const person = (name: string, user: () => TestUser, tenant: () => Tenant = () => org): Reader => ({
  name,
  get headers() {
    return user().auth;
  },
  actor: () => t.c.directory.actorFor({ userId: user().id, organizationId: tenant().organizationId }),
});

async function keyReader(name: string, scopes: string[]): Promise<Reader> {
  const key = await issueKey(t, org.admin, { scopes });
  return { name, headers: key.auth, actor: () => t.c.apiKeys.recheck(key.key) };
}

const readers = (): Reader[] => [
  person('admin', () => org.admin),
  person('manager', () => org.manager),
  person('rep', () => org.rep),
  person('teamRep', () => org.teamRep),
  person('soloRep', () => org.soloRep),
  person('support', () => org.support),
  person(
    'another organization’s admin',
    () => outsider.admin,
    () => outsider,
  ),
];

async function leadOwnedBy(creator: TestUser, assignee: TestUser | null): Promise<string> {
  const created = await t.http
    .post('/api/v1/leads')
    .set(creator.auth)
    .send({ email: `owned-${tag()}@example.com` })
    .expect(201);
  const id = created.body.data.id as string;
  if (assignee) {
    await t.http
      .patch(`/api/v1/leads/${id}`)
      .set(org.admin.auth)
      .send({ assigned_to: assignee.id })
      .expect(200);
  }
  return id;
}

it('readableBy answers as GET /api/v1/leads/:id does, for every reader and ownership', async () => {
  const lead = t.c.registry.get('Lead');
  const all = [
    ...readers(),
    await keyReader('API key with leads:read', ['leads:read']),
    await keyReader('API key without a leads scope', ['contacts:read']),
  ];
  const ownerships: [string, () => Promise<string>][] = [
    ['created by the admin, unassigned', () => leadOwnedBy(org.admin, null)],
    ['assigned to rep', () => leadOwnedBy(org.admin, org.rep)],
    ['assigned to teamRep', () => leadOwnedBy(org.admin, org.teamRep)],
    ['assigned to soloRep', () => leadOwnedBy(org.admin, org.soloRep)],
    ['assigned to the manager', () => leadOwnedBy(org.admin, org.manager)],
    ['created by rep, unassigned', () => leadOwnedBy(org.rep, null)],
    ['created by soloRep, unassigned', () => leadOwnedBy(org.soloRep, null)],
    ['created by rep, assigned to soloRep', () => leadOwnedBy(org.rep, org.soloRep)],
    ['created by teamRep, assigned to the admin', () => leadOwnedBy(org.teamRep, org.admin)],
  ];

  const answers: string[] = [];
  const disagreements: string[] = [];
  for (const [ownership, make] of ownerships) {
    const id = await make();
    const stored = (await lead.model.findByPk(id, { raw: true })) as unknown as Record<string, unknown>;
    for (const reader of all) {
      const res = await t.http.get(`/api/v1/leads/${id}`).set(reader.headers);
      expect([200, 403, 404]).toContain(res.status);
      const actor = await reader.actor();
      const realtime = readableBy(lead.decl, actor, stored, await t.c.directory.teamOf(actor));
      answers.push(`${ownership} / ${reader.name}: ${res.status}`);
      if (realtime !== (res.status === 200))
        disagreements.push(`${ownership} / ${reader.name}: GET ${res.status}, readableBy ${realtime}`);
    }
  }
  expect(disagreements).toEqual([]);
  // The table covers both answers for the scoped roles (rep and teamRep report to the manager).
  expect(answers).toEqual(
    expect.arrayContaining([
      'assigned to teamRep / manager: 200',
      'assigned to soloRep / manager: 404',
      'created by rep, assigned to soloRep / rep: 200',
      'assigned to soloRep / rep: 404',
      'assigned to rep / support: 403',
      'assigned to rep / API key without a leads scope: 403',
      'assigned to rep / another organization’s admin: 404',
    ]),
  );
});

it('readableFields leaves out what GET leaves out, for every role', async () => {
  const product = t.c.registry.get('Product');
  const created = await t.http
    .post('/api/v1/products')
    .set(org.admin.auth)
    .send({ name: `Thing ${tag()}`, price: 3, cost: 1 })
    .expect(201);
  const record = created.body.data as Record<string, unknown>;
  for (const reader of readers().slice(0, -1)) {
    const res = await t.http
      .get(`/api/v1/products/${String(record.id)}`)
      .set(reader.headers)
      .expect(200);
    const fields = Object.keys(readableFields(product.decl, await reader.actor(), record)).sort();
    expect({ reader: reader.name, fields }).toEqual({
      reader: reader.name,
      fields: Object.keys(res.body.data as object).sort(),
    });
  }
});
