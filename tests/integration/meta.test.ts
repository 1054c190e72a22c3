import { issueKey } from '../helpers/api-keys';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTenant, type Tenant } from '../helpers/tenant';

let t: TestApp;
let org: Tenant;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Meta Org');
});
afterAll(() => t.close());

interface FieldMeta {
  name: string;
  kind: string;
  writable: boolean;
  required: boolean;
  sortable: boolean;
  searchable: boolean;
  values?: string[];
  ref?: { entity: string; path: string };
}
interface EntityMeta {
  name: string;
  path: string;
  actions: Record<string, string>;
  fields: FieldMeta[];
  relations: { entity: string; path: string; field: string }[];
}

const entities = async (auth: Record<string, string>) =>
  (await t.http.get('/api/v1/meta/entities').set(auth).expect(200)).body.data as EntityMeta[];
const entity = async (auth: Record<string, string>, name: string) =>
  (await t.http.get(`/api/v1/meta/entities/${name}`).set(auth).expect(200)).body.data as EntityMeta;
const field = (meta: EntityMeta, name: string) => meta.fields.find((f) => f.name === name);

describe('GET /api/v1/meta/entities', () => {
  it('describes the lead declaration to an admin, with every action', async () => {
    const lead = (await entities(org.admin.auth)).find((e) => e.name === 'Lead')!;
    expect(lead).toMatchObject({
      path: 'leads',
      actions: { read: 'all', create: 'all', update: 'all', delete: 'all' },
    });
    expect(field(lead, 'email')).toMatchObject({
      kind: 'email',
      required: true,
      searchable: true,
      writable: true,
    });
    expect(field(lead, 'status')).toMatchObject({
      kind: 'enum',
      values: expect.arrayContaining(['new', 'converted']),
    });
    expect(field(lead, 'assigned_to')).toMatchObject({ kind: 'ref', ref: { entity: 'User', path: 'users' } });
    expect(field(lead, 'id')).toMatchObject({ writable: false });
    expect(field(lead, 'converted_deal_id')).toMatchObject({ writable: false });
    expect(field(lead, 'custom_fields')).toMatchObject({ sortable: false });
  });

  it('never shows hidden fields, to anyone', async () => {
    const user = await entity(org.admin.auth, 'users');
    expect(field(user, 'password_hash')).toBeUndefined();
    expect(field(user, 'tokens_valid_after')).toBeUndefined();
    expect(field(user, 'email')).toBeDefined();
  });

  it('gives a sales rep their own reach and keeps the owner field read-only for them', async () => {
    const lead = await entity(org.rep.auth, 'Lead');
    expect(lead.actions).toEqual({ read: 'own', create: 'all', update: 'own' });
    expect(field(lead, 'assigned_to')).toMatchObject({ writable: false });
  });

  it('leaves out the fields a role may not read, and the entities it may not use', async () => {
    const product = await entity(org.rep.auth, 'products');
    expect(product.actions).toEqual({ read: 'all' });
    expect(field(product, 'cost')).toBeUndefined();
    expect(field(await entity(org.admin.auth, 'products'), 'cost')).toBeDefined();
    const adminNames = (await entities(org.admin.auth)).map((e) => e.name);
    const supportNames = (await entities(org.support.auth)).map((e) => e.name);
    expect(supportNames.length).toBeLessThan(adminNames.length);
    const hidden = adminNames.find((n) => !supportNames.includes(n))!;
    const res = await t.http.get(`/api/v1/meta/entities/${hidden}`).set(org.support.auth).expect(403);
    expect(res.body.error.message).toContain('support');
  });

  it('gives a manager team reach', async () => {
    expect((await entity(org.manager.auth, 'leads')).actions).toEqual({
      read: 'team',
      create: 'all',
      update: 'team',
      delete: 'team',
    });
  });

  it('lists the relations that point at a record, for its related links', async () => {
    const account = await entity(org.admin.auth, 'Account');
    expect(account.relations).toEqual(
      expect.arrayContaining([expect.objectContaining({ entity: 'Contact', path: 'contacts' })]),
    );
  });

  it('narrows an API key to its scopes', async () => {
    const key = await issueKey(t, org.admin, { scopes: ['leads:read', 'leads:create'] });
    const list = await entities(key.auth);
    expect(list.map((e) => e.name)).toEqual(['Lead']);
    expect(list[0]!.actions).toEqual({ read: 'all', create: 'all' });
  });

  it('answers 404 naming the unknown entity, and 401 without credentials', async () => {
    const res = await t.http.get('/api/v1/meta/entities/nope').set(org.admin.auth).expect(404);
    expect(res.body.error.message).toContain('nope');
    await t.http.get('/api/v1/meta/entities').expect(401);
  });
});
