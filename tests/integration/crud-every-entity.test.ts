import type { EntityRuntime } from '../../src/crud/registry';
import { entities } from '../../src/entities';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  apiClient,
  expectError,
  expectIsoUtc,
  hiddenFieldNames,
  UUID_V4ish,
  type Client,
} from '../helpers/crud-api';
import {
  COMPUTED,
  editableTextFields,
  expectEcho,
  SampleMaker,
  tag,
  type Values,
} from '../helpers/crud-samples';
import { createTenant, PASSWORD, type Tenant } from '../helpers/tenant';

/**
 * Create, read, list, update and delete for every declared entity, as an admin, with bodies generated from
 * each declaration. Every response passes through the client's checks (no 5xx, the error shape, no hidden
 * field anywhere).
 */
let t: TestApp;
let org: Tenant;
let api: Client;
let samples: SampleMaker;
let hidden: string[];

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Every Entity Org');
  hidden = hiddenFieldNames(t);
  api = apiClient(t, org.admin.auth, hidden);
  samples = new SampleMaker(t.c.registry, api, org);
});
afterAll(() => t.close());

it('serves exactly the declared entities, and hides password hashes and storage keys', () => {
  expect(
    t.c.registry
      .all()
      .map((rt) => rt.decl.name)
      .sort(),
  ).toEqual(entities.map((e) => e.name).sort());
  expect(hidden).toEqual(expect.arrayContaining(['password_hash', 'storage_key']));
});

/** The shape every record shown to an admin has, whatever the entity. */
function expectRecordShape(rt: EntityRuntime, record: Values): void {
  expect(Object.keys(record).sort()).toEqual([...rt.visible].sort());
  for (const name of hidden) expect(record).not.toHaveProperty(name);
  for (const [name, field] of Object.entries(rt.decl.fields)) {
    const value = record[name];
    if (value === null || field.spec.hidden) continue;
    const where = `${rt.decl.name}.${name}`;
    if (field.spec.kind === 'timestamp') expectIsoUtc(value);
    if (['decimal', 'float', 'integer'].includes(field.spec.kind))
      expect({ [where]: typeof value }).toEqual({ [where]: 'number' });
    if (field.spec.kind === 'boolean') expect({ [where]: typeof value }).toEqual({ [where]: 'boolean' });
  }
}

describe.each(entities.map((e) => [e.name, e.path] as const))('%s at /api/v1/%s', (name, path) => {
  const base = `/api/v1/${path}`;
  let rt: EntityRuntime;
  let sent: Values;
  let created: Values;
  let patched: Values;
  let text: string[];

  beforeAll(async () => {
    rt = t.c.registry.get(name);
    sent = await samples.values(name);
    text = editableTextFields(rt);
  });

  it('POST creates the record: 201, Location, the values echoed, server fields set', async () => {
    const before = Date.now();
    const res = await api.post(base, sent);
    expect(res.status).toBe(201);
    created = res.body.data;
    expect(res.headers.location).toBe(`${base}/${created.id as string}`);
    expectRecordShape(rt, created);
    expectEcho(rt, sent, created);
    expect(created).toMatchObject(COMPUTED[name] ?? {});
    expect(created.id).toMatch(UUID_V4ish);
    expect(created.organization_id).toBe(org.organizationId);
    expect(created.created_by).toBe(org.admin.id);
    expect(created.updated_at).toBe(created.created_at);
    const at = Date.parse(created.created_at as string);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    // Every decimal comes back as a JSON number with the value that was sent (or computed).
    for (const [field, spec] of Object.entries(rt.decl.fields)) {
      if (spec.spec.kind === 'decimal') expect(typeof created[field]).toBe('number');
    }
  });

  it('GET /:id returns the same record', async () => {
    const res = await api.get(`${base}/${created.id as string}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: created });
  });

  it('GET / lists it, and ?id= finds exactly it', async () => {
    const all = await api.get(base, { limit: '100' });
    expect(all.status).toBe(200);
    expect(all.body.meta).toMatchObject({ page: 1, limit: 100 });
    expect(all.body.meta.total).toBeGreaterThanOrEqual(1);
    expect(all.body.data).toContainEqual(created);
    for (const record of all.body.data as Values[]) expect(record.organization_id).toBe(org.organizationId);

    const one = await api.get(base, { id: created.id as string });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual([created]);
    expect(one.body.meta).toMatchObject({ page: 1, limit: 20, total: 1, total_pages: 1 });
  });

  it('PATCH changes only the fields sent', async () => {
    expect(text.length).toBeGreaterThan(0);
    const change = { [text[0]!]: `patched ${tag()}` };
    const res = await api.patch(`${base}/${created.id as string}`, change);
    expect(res.status).toBe(200);
    patched = res.body.data;
    expectRecordShape(rt, patched);
    expect(patched).toEqual({ ...created, ...change, updated_at: patched.updated_at });
    expect(Date.parse(patched.updated_at as string)).toBeGreaterThanOrEqual(
      Date.parse(created.updated_at as string),
    );
    expect((await api.get(`${base}/${created.id as string}`)).body.data).toEqual(patched);
  });

  it('PUT is a partial update too: unsent fields, including the patched one, are kept', async () => {
    const field = text[1] ?? text[0]!;
    const change = { [field]: `put ${tag()}` };
    const res = await api.put(`${base}/${created.id as string}`, change);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ ...patched, ...change, updated_at: res.body.data.updated_at });
    expect((await api.get(`${base}/${created.id as string}`)).body.data).toEqual(res.body.data);
  });

  it('DELETE answers 204, and the record is gone for every route', async () => {
    const id = created.id as string;
    const res = await api.delete(`${base}/${id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await api.get(`${base}/${id}`), 404, { code: 'NOT_FOUND' });
    expectError(await api.patch(`${base}/${id}`, { [text[0]!]: 'x' }), 404, { code: 'NOT_FOUND' });
    expectError(await api.delete(`${base}/${id}`), 404, { code: 'NOT_FOUND' });
    expect((await api.get(base, { id })).body.data).toEqual([]);
  });
});

describe('users', () => {
  it('take a password that is stored hashed and works for sign-in, and never show it', async () => {
    const email = `new.user.${tag()}@sample.example.com`;
    const res = await api.post('/api/v1/users', { email, password: 'a-fresh-password', role: 'support' });
    expect(res.status).toBe(201);
    expect(res.body.data).not.toHaveProperty('password');
    expect(res.body.data).not.toHaveProperty('password_hash');
    const stored = await t.c.models.get('User').findByPk(res.body.data.id as string, { raw: true });
    expect((stored as unknown as Values).password_hash).toEqual(expect.stringMatching(/^\$2[aby]\$/));
    const login = await t.http.post('/api/v1/auth/login').send({ email, password: 'a-fresh-password' });
    expect(login.status).toBe(200);
    expect(JSON.stringify(login.body)).not.toContain('password_hash');

    // A password change through PATCH is hashed as well.
    await api.patch(`/api/v1/users/${res.body.data.id as string}`, { password: 'another-password' });
    expect(
      (await t.http.post('/api/v1/auth/login').send({ email, password: 'a-fresh-password' })).status,
    ).toBe(401);
    expect(
      (await t.http.post('/api/v1/auth/login').send({ email, password: 'another-password' })).status,
    ).toBe(200);
  });

  it('never show password_hash, in lists, single reads or field selections', async () => {
    const list = await api.get('/api/v1/users', { limit: '100' });
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(list.body)).not.toMatch(/password/);
    const me = await api.get(`/api/v1/users/${org.rep.id}`);
    expect(me.body.data).toMatchObject({ id: org.rep.id, email: org.rep.email });
    expect(JSON.stringify(me.body)).not.toMatch(/password|\$2[aby]\$/);
    expectError(await api.get('/api/v1/users', { fields: 'email,password_hash' }), 400, {
      fields: ['password_hash'],
    });
    // Sign-in with the tenant's fixed password still works: the hash is there, just never shown.
    expect(
      (await t.http.post('/api/v1/auth/login').send({ email: org.rep.email, password: PASSWORD })).status,
    ).toBe(200);
  });
});

describe('documents', () => {
  it('never show storage_key, even when the server has set one', async () => {
    const doc = await samples.create('Document');
    const id = doc.id as string;
    await t.c.models.get('Document').update({ storage_key: 'org/secret-key-zz9' }, { where: { id } });
    const reads = [
      await api.get(`/api/v1/documents/${id}`),
      await api.get('/api/v1/documents', { id }),
      await api.get('/api/v1/documents', { search: 'secret-key-zz9' }),
      await api.patch(`/api/v1/documents/${id}`, { name: 'renamed' }),
    ];
    for (const res of reads) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/storage_key|secret-key-zz9/);
    }
    expect(reads[1]!.body.data).toHaveLength(1);
    expect(reads[2]!.body.data).toEqual([]);
    expectError(await api.patch(`/api/v1/documents/${id}`, { storage_key: 'x' }), 400, {
      fields: ['storage_key'],
    });
    const row = (await t.c.models.get('Document').findByPk(id, { raw: true })) as unknown as Values;
    expect(row.storage_key).toBe('org/secret-key-zz9');
  });
});
