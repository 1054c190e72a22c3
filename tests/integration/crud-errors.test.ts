import crypto from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  apiClient,
  expectError,
  hiddenFieldNames,
  type Client,
  type ErrorExpectation,
  type QueryPairs,
} from '../helpers/crud-api';
import { SampleMaker, tag, type Values } from '../helpers/crud-samples';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * Every way a request to the generic routes can be wrong, and what it gets back: the right 4xx, the one
 * error shape, the offending field named — and never a 5xx (the client fails any test that sees one).
 */
let t: TestApp;
let org: Tenant;
let api: Client;
let samples: SampleMaker;

beforeAll(async () => {
  t = await startTestApp();
  org = await createTenant(t.c, 'Errors Org');
  api = apiClient(t, org.admin.auth, hiddenFieldNames(t));
  samples = new SampleMaker(t.c.registry, api, org);
});
afterAll(() => t.close());

const q = (pairs: Record<string, string>): QueryPairs => Object.entries(pairs);
const json = (f: unknown): QueryPairs => [['filter', JSON.stringify(f)]];
const nested = (depth: number): unknown => (depth === 0 ? { status: 'new' } : { $and: [nested(depth - 1)] });
const count = async (path: string, query: QueryPairs): Promise<number> => {
  const res = await api.get(path, query);
  expect(res.status).toBe(200);
  return res.body.meta.total as number;
};

// ------------------------------------------------------------------ the query string

describe('list queries', () => {
  const cases: [string, string, QueryPairs, ErrorExpectation][] = [
    ['an unknown parameter', 'leads', q({ bogus: '1' }), { fields: ['bogus'], message: /bogus/ }],
    ['a parameter that is not a field name', 'leads', q({ 'a b': '1' }), { fields: ['a b'] }],
    ['an unknown operator', 'leads', q({ 'status[foo]': 'x' }), { fields: ['status'], message: /foo/ }],
    ['an unknown filter operator', 'leads', json({ lead_score: { $foo: 1 } }), { message: /\$foo/ }],
    ['an unknown logical operator', 'leads', json({ $where: 'true' }), { message: /\$where/ }],
    [
      'an operator mixed with a plain key',
      'leads',
      json({ status: { $eq: 'new', x: 1 } }),
      { fields: ['status'] },
    ],
    ['filter= that is not JSON', 'leads', q({ filter: '{status:' }), { fields: ['filter'] }],
    ['filter= that is not an object', 'leads', q({ filter: '[1]' }), { message: /object/ }],
    ['an unknown field in filter=', 'leads', json({ bogus: 1 }), { fields: ['bogus'] }],
    [
      'an unknown field under $or',
      'leads',
      json({ $or: [{ status: 'new' }, { nope: 1 }] }),
      { fields: ['nope'] },
    ],
    ['a sub-field of a plain column', 'leads', json({ 'email.x': 1 }), { fields: ['email.x'] }],
    ['a malformed JSON path', 'leads', json({ 'custom_fields.a b': 1 }), { fields: ['custom_fields.a b'] }],
    ['a JSON column compared whole', 'leads', json({ custom_fields: 1 }), { fields: ['custom_fields'] }],
    ['an unknown sort field', 'leads', q({ sort: 'bogus' }), { fields: ['bogus'] }],
    ['an unsortable field', 'leads', q({ sort: 'custom_fields' }), { fields: ['custom_fields'] }],
    ['a list field as sort key', 'leads', q({ sort: '-tags' }), { fields: ['tags'] }],
    [
      'more than five sort keys',
      'leads',
      q({ sort: 'status,email,company,first_name,last_name,lead_score' }),
      {},
    ],
    ['an unknown field in fields=', 'leads', q({ fields: 'email,bogus' }), { fields: ['bogus'] }],
    [
      'a repeated reserved parameter',
      'leads',
      [
        ['limit', '1'],
        ['limit', '2'],
      ],
      { fields: ['limit'] },
    ],
    ['count that is not a boolean', 'leads', q({ count: 'yes' }), { fields: ['count'] }],
    ['an over-long search', 'leads', q({ search: 'x'.repeat(201) }), { message: /search/ }],
    ['an empty $or', 'leads', json({ $or: [] }), { message: /\$or/ }],
    ['filters nested too deep', 'leads', json(nested(9)), { message: /nest/ }],
    // hidden fields are unknown to everyone
    ['password_hash as a filter', 'users', q({ password_hash: 'x' }), { fields: ['password_hash'] }],
    [
      'password_hash with an operator',
      'users',
      q({ 'password_hash[exists]': 'true' }),
      { fields: ['password_hash'] },
    ],
    [
      'password_hash in filter=',
      'users',
      json({ password_hash: { $regex: '^\\$2' } }),
      { fields: ['password_hash'] },
    ],
    [
      'password_hash under $or',
      'users',
      json({ $or: [{ role: 'admin' }, { password_hash: null }] }),
      { fields: ['password_hash'] },
    ],
    ['password_hash as sort key', 'users', q({ sort: 'password_hash' }), { fields: ['password_hash'] }],
    [
      'password_hash in fields=',
      'users',
      q({ fields: 'email,password_hash' }),
      { fields: ['password_hash'] },
    ],
    ['storage_key as a filter', 'documents', q({ storage_key: 'x' }), { fields: ['storage_key'] }],
    [
      'storage_key in filter=',
      'documents',
      json({ storage_key: { $exists: true } }),
      { fields: ['storage_key'] },
    ],
    ['storage_key as sort key', 'documents', q({ sort: 'storage_key' }), { fields: ['storage_key'] }],
    ['storage_key in fields=', 'documents', q({ fields: 'storage_key' }), { fields: ['storage_key'] }],
    // values of the wrong type
    [
      'text for a number',
      'leads',
      q({ 'lead_score[gte]': 'abc' }),
      { fields: ['lead_score'], message: /number/ },
    ],
    ['a fraction for a whole number', 'leads', q({ lead_score: '1.5' }), { fields: ['lead_score'] }],
    [
      'a bad date',
      'leads',
      q({ 'converted_date[gt]': 'yesterday' }),
      { fields: ['converted_date'], message: /date/ },
    ],
    [
      'a bad date in filter=',
      'leads',
      json({ created_at: { $lt: '2026-13-45' } }),
      { fields: ['created_at'] },
    ],
    ['a bad uuid', 'leads', q({ assigned_to: 'not-a-uuid' }), { fields: ['assigned_to'], message: /id/ }],
    ['a bad id', 'leads', q({ 'id[in]': '1,2' }), { fields: ['id'] }],
    ['an enum value not allowed', 'leads', q({ status: 'bogus' }), { fields: ['status'], message: /new/ }],
    [
      'an enum value not allowed in $in',
      'leads',
      json({ status: { $in: ['new', 'old'] } }),
      { fields: ['status'] },
    ],
    ['a bad boolean', 'products', q({ is_active: 'maybe' }), { fields: ['is_active'] }],
    ['$exists without a boolean', 'leads', q({ 'email[exists]': 'maybe' }), { fields: ['email'] }],
    ['$in without a list', 'leads', json({ status: { $in: 'new' } }), { fields: ['status'] }],
    ['$gt with null', 'leads', json({ lead_score: { $gt: null } }), { fields: ['lead_score'] }],
    ['$gt with an object', 'leads', json({ 'custom_fields.a': { $gt: { b: 1 } } }), {}],
    ['$regex on a number', 'leads', q({ 'lead_score[regex]': '1' }), { fields: ['lead_score'] }],
    ['$regex that is not a string', 'leads', json({ email: { $regex: 5 } }), { fields: ['email'] }],
    [
      'an invalid regular expression',
      'leads',
      json({ company: { $regex: '(' } }),
      { message: /regular expression/ },
    ],
    [
      'an over-long pattern',
      'leads',
      json({ company: { $regex: 'a'.repeat(257) } }),
      { fields: ['company'] },
    ],
    [
      'unsupported $options',
      'leads',
      json({ company: { $regex: 'a', $options: 'g' } }),
      { fields: ['company'] },
    ],
    ['$options without $regex', 'leads', json({ company: { $options: 'i' } }), { fields: ['company'] }],
    ['$size on a scalar field', 'leads', q({ 'status[size]': '1' }), { fields: ['status'] }],
    ['a negative $size', 'leads', q({ 'tags[size]': '-1' }), { fields: ['tags'] }],
    ['$gt on a list', 'leads', json({ tags: { $gt: 'a' } }), { fields: ['tags'] }],
    ['$not without operators', 'leads', json({ status: { $not: 'new' } }), {}],
    [
      'a date before the year 1',
      'leads',
      q({ 'converted_date[gt]': '-000100-04-20T00:00:00Z' }),
      { fields: ['converted_date'] },
    ],
    [
      'a year 0 date in filter=',
      'leads',
      json({ created_at: { $gte: '0000-06-01T00:00:00Z' } }),
      { fields: ['created_at'] },
    ],
    ['a NUL character in a JSON value', 'leads', json({ 'custom_fields.a': 'x\u0000' }), { message: /NUL/ }],
    [
      'a NUL character in a JSON comparison',
      'leads',
      json({ 'custom_fields.a': { $gt: '\u0000' } }),
      { message: /NUL/ },
    ],
  ];

  it.each(cases)('%s → 400', async (_name, path, query, e) => {
    expectError(await api.get(`/api/v1/${path}`, query), 400, { code: 'INVALID_QUERY', ...e });
  });

  it('hidden fields are not searched either', async () => {
    // Every password hash starts with "$2": no user matches, though every user has one.
    const hashes = await api.get('/api/v1/users', q({ search: '$2' }));
    expect(hashes.body).toMatchObject({ data: [], meta: { total: 0 } });
    expect((await api.get('/api/v1/users', q({ search: 'admin' }))).body.meta.total).toBeGreaterThan(0);
  });

  it('single-record and write routes take no unknown parameters', async () => {
    const lead = await samples.create('Lead', 'required');
    const one = `/api/v1/leads/${lead.id as string}`;
    expectError(await api.get(`${one}?bogus=1`), 400, { fields: ['bogus'] });
    expectError(await api.get(`${one}?status=new`), 400, { fields: ['status'] });
    expectError(await api.post('/api/v1/leads?x=1', { email: 'x@example.com' }), 400, { fields: ['x'] });
    expectError(await api.post('/api/v1/leads/bulk?x=1', [{ email: 'x@example.com' }]), 400, {
      fields: ['x'],
    });
    expectError(await api.patch(`${one}?x=1`, { company: 'x' }), 400, { fields: ['x'] });
    expectError(await api.delete(`${one}?x=1`), 400, { fields: ['x'] });
    expect((await api.get(one)).status).toBe(200);
  });

  it('hostile but well-formed values are answered without a server error', async () => {
    const queries: QueryPairs[] = [
      q({ 'lead_score[gt]': '99999999999999999999' }),
      q({ 'annual_revenue[lt]': '-1e300' }),
      q({ 'created_at[gt]': '275760-09-13T00:00:00.000Z' }),
      q({ id: '00000000-0000-0000-0000-000000000000' }),
      q({ search: "'; drop table leads; --" }),
      q({ search: 'a\u0000b' }),
      q({ company: 'a\u0000b' }),
      q({ sort: '-' }),
      q({ fields: ',' }),
      json({ "custom_fields.x'y": 1 }),
      json({ 'custom_fields.x': { $regex: '\\' } }),
      json({ company: { $regex: '[[:bogus:]]' } }),
    ];
    for (const query of queries) {
      const res = await api.get('/api/v1/leads', query);
      expect([200, 400]).toContain(res.status);
    }
  });
});

// ------------------------------------------------------------------ bodies

describe('request bodies', () => {
  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    for (const method of ['post', 'patch', 'put'] as const) {
      const res = api.check(
        await api
          .raw(method, `/api/v1/leads${method === 'post' ? '' : `/${crypto.randomUUID()}`}`)
          .set('Content-Type', 'application/json')
          .send('{"email": "a@b.co",'),
      );
      expectError(res, 400, { code: 'MALFORMED_JSON' });
    }
  });

  it('a body that is not an object → 400', async () => {
    expectError(await api.post('/api/v1/leads', [{ email: 'a@example.com' }]), 400, {
      code: 'VALIDATION_FAILED',
    });
    expectError(await api.post('/api/v1/leads'), 400, { code: 'VALIDATION_FAILED' });
    const text = api.check(
      await api.raw('post', '/api/v1/leads').set('Content-Type', 'text/plain').send('email=a'),
    );
    expectError(text, 400);
  });

  it('an unknown field → 400 naming it, on create and on update', async () => {
    const res = await api.post('/api/v1/leads', {
      email: `u.${tag()}@example.com`,
      favourite_colour: 'blue',
    });
    expectError(res, 400, { code: 'VALIDATION_FAILED', fields: ['favourite_colour'], message: /Lead/ });
    expect(res.body.error.details[0].message).toMatch(/favourite_colour/);
    const lead = await samples.create('Lead', 'required');
    for (const send of [api.patch, api.put]) {
      expectError(await send(`/api/v1/leads/${lead.id as string}`, { company: 'x', nope: 1 }), 400, {
        fields: ['nope'],
      });
    }
    expect((await api.get(`/api/v1/leads/${lead.id as string}`)).body.data.company).toBeNull();
  });

  it('joi validation reports every bad field', async () => {
    const res = await api.post('/api/v1/leads', {
      email: 'not-an-email',
      lead_score: 500,
      status: 'zzz',
      website: 'javascript:alert(1)',
      tags: 'not-a-list',
      first_name: 'x'.repeat(101),
      annual_revenue: 1e20,
      phone: '<script>',
      converted_date: 'soon',
    });
    expectError(res, 400, {
      code: 'VALIDATION_FAILED',
      fields: [
        'email',
        'lead_score',
        'status',
        'website',
        'tags',
        'first_name',
        'annual_revenue',
        'phone',
        'converted_date',
      ],
    });
    expectError(await api.post('/api/v1/leads', {}), 400, { fields: ['email'], message: /not valid/ });
    expectError(await api.post('/api/v1/meetings', { title: 'x' }), 400, { fields: ['start_time'] });
    expectError(await api.post('/api/v1/leads', { email: 'a@example.com', tags: ['ok', ''] }), 400, {
      fields: ['tags[1]'],
    });
  });

  it('values PostgreSQL cannot store → 400 naming the field, on create, update and bulk', async () => {
    const email = `nul.${tag()}@example.com`;
    expectError(await api.post('/api/v1/leads', { email, custom_fields: { a: 'x\u0000y' } }), 400, {
      fields: ['custom_fields'],
    });
    expectError(await api.post('/api/v1/leads', { email, company: 'a\u0000b', tags: ['\u0000'] }), 400, {
      fields: ['company', 'tags'],
    });
    expectError(await api.post('/api/v1/leads', { email, converted_date: '-000100-04-20T00:00:00Z' }), 400, {
      code: 'VALIDATION_FAILED',
      fields: ['converted_date'],
    });
    expectError(await api.post('/api/v1/leads', { email, converted_date: '0000-12-31T23:59:59Z' }), 400, {
      code: 'VALIDATION_FAILED',
      fields: ['converted_date'],
    });
    const lead = await samples.create('Lead', 'required');
    expectError(
      await api.patch(`/api/v1/leads/${lead.id as string}`, { custom_fields: { 'k\u0000': 1 } }),
      400,
      {
        fields: ['custom_fields'],
      },
    );
    const bulk = await api.post('/api/v1/leads/bulk', [{ email }, { email, notes: '\u0000' }]);
    expectError(bulk, 400, { fields: ['notes'] });
    expect(bulk.body.error.details[0].index).toBe(1);
    expect(await count('/api/v1/leads', q({ email }))).toBe(0);
    const earliest = await api.post('/api/v1/leads', { email, converted_date: '0001-01-01T00:00:00Z' });
    expect(earliest.body.data.converted_date).toBe('0001-01-01T00:00:00.000Z');
  });

  it('an update with nothing to change leaves the record as it was; a required field cannot be cleared', async () => {
    const lead = await samples.create('Lead', 'required');
    const empty = await api.patch(`/api/v1/leads/${lead.id as string}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body.data).toEqual(lead);
    expectError(await api.patch(`/api/v1/leads/${lead.id as string}`, { email: null }), 400, {
      fields: ['email'],
    });
  });

  it('read-only fields in a body are silently ignored', async () => {
    const other = crypto.randomUUID();
    const old = '2001-01-01T00:00:00.000Z';
    const readOnly = {
      id: other,
      organization_id: other,
      created_by: other,
      created_at: old,
      updated_at: old,
    };
    const email = `ro.${tag()}@example.com`;
    const res = await api.post('/api/v1/leads', { email, converted_contact_id: other, ...readOnly });
    expect(res.status).toBe(201);
    const lead = res.body.data as Values;
    expect(lead.id).not.toBe(other);
    expect(lead).toMatchObject({ email, organization_id: org.organizationId, created_by: org.admin.id });
    expect(lead.converted_contact_id).toBeNull();
    expect(lead.created_at).not.toBe(old);
    expect(lead.updated_at).not.toBe(old);

    const patched = await api.patch(`/api/v1/leads/${lead.id as string}`, {
      company: 'Renamed',
      ...readOnly,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      id: lead.id,
      organization_id: org.organizationId,
      created_by: org.admin.id,
      created_at: lead.created_at,
      company: 'Renamed',
    });
    expect(patched.body.data.updated_at).not.toBe(old);
    expect((await api.get(`/api/v1/leads/${other}`)).status).toBe(404);
    // Only read-only fields: nothing left to change, and nothing changes.
    const unchanged = await api.patch(`/api/v1/leads/${lead.id as string}`, readOnly);
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.data).toEqual(patched.body.data);
  });

  it('computed fields in a body are ignored: orders.total_amount, workflows.run_count, users.last_login_at', async () => {
    const body = { ...(await samples.values('Order', 'required')), subtotal: 1, total_amount: 999_999 };
    const order = await api.post('/api/v1/orders', body);
    expect(order.status).toBe(201);
    expect(order.body.data.total_amount).not.toBe(999_999);
    expect(order.body.data.subtotal).not.toBe(1);
    const patched = await api.patch(`/api/v1/orders/${order.body.data.id as string}`, {
      notes: 'n',
      total_amount: 5,
    });
    expect(patched.body.data.total_amount).toBe(order.body.data.total_amount);
    // An order sent back as it was read: its lines' computed values are ignored and computed again.
    const items = (order.body.data.items as Values[]).map((item) => ({
      ...item,
      product_name: 'Renamed',
      line_total: 1,
    }));
    const sentBack = await api.put(`/api/v1/orders/${order.body.data.id as string}`, { items });
    expect(sentBack.status).toBe(200);
    expect(sentBack.body.data.items).toEqual(order.body.data.items);
    expect(sentBack.body.data.total_amount).toBe(order.body.data.total_amount);

    const workflow = await api.post('/api/v1/workflows', {
      name: 'wf',
      entity_type: 'lead',
      trigger: 'manual',
      run_count: 50,
      last_run_at: '2026-01-01T00:00:00Z',
    });
    expect(workflow.status).toBe(201);
    expect(workflow.body.data).toMatchObject({ run_count: 0, last_run_at: null });

    const user = await api.patch(`/api/v1/users/${org.rep.id}`, {
      title: 'Rep',
      last_login_at: '2026-01-01T00:00:00Z',
    });
    expect(user.body.data).toMatchObject({ title: 'Rep', last_login_at: null });
    const doc = await api.post('/api/v1/documents', { name: 'd', original_filename: 'x.exe', size_bytes: 5 });
    expect(doc.body.data).toMatchObject({ original_filename: null, size_bytes: null, uploaded_by: null });
  });
});

// ------------------------------------------------------------------ ids, uniqueness, references

describe('ids', () => {
  it.each(['not-a-uuid', '123', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', crypto.randomUUID(), "1' OR '1'='1"])(
    'id %s → 404 on every single-record route',
    async (id) => {
      const one = `/api/v1/leads/${encodeURIComponent(id)}`;
      expectError(await api.get(one), 404, { code: 'NOT_FOUND' });
      expectError(await api.patch(one, { company: 'x' }), 404, { code: 'NOT_FOUND' });
      expectError(await api.put(one, { company: 'x' }), 404, { code: 'NOT_FOUND' });
      expectError(await api.delete(one), 404, { code: 'NOT_FOUND' });
    },
  );

  it('an id in upper case finds the record', async () => {
    const lead = await samples.create('Lead', 'required');
    const res = await api.get(`/api/v1/leads/${(lead.id as string).toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(lead.id);
  });

  it('an unknown route → 404', async () => {
    expectError(await api.get('/api/v1/widgets'), 404, { code: 'NOT_FOUND' });
    expectError(await api.get('/api/v1/organizations'), 404, { code: 'NOT_FOUND' });
  });
});

describe('unique values → 409', () => {
  it('two products with the same sku', async () => {
    const sku = `SKU-${tag()}`;
    expect((await api.post('/api/v1/products', { name: 'A', price: 1, sku })).status).toBe(201);
    const dup = await api.post('/api/v1/products', { name: 'B', price: 2, sku });
    expectError(dup, 409, { code: 'CONFLICT', fields: ['sku'] });
    expect(JSON.stringify(dup.body)).not.toMatch(/organization_id|products_organization|duplicate key/);
    const other = await api.post('/api/v1/products', { name: 'C', price: 3, sku: `${sku}-2` });
    expectError(await api.patch(`/api/v1/products/${other.body.data.id as string}`, { sku }), 409, {
      fields: ['sku'],
    });
    expect(await count('/api/v1/products', q({ sku }))).toBe(1);
    expect((await api.get(`/api/v1/products/${other.body.data.id as string}`)).body.data.sku).toBe(
      `${sku}-2`,
    );
  });

  it('a user with an email already in use, in any case', async () => {
    for (const email of [org.rep.email, org.rep.email.toUpperCase()]) {
      expectError(await api.post('/api/v1/users', { email, password: 'long-enough-1' }), 409, {
        fields: ['email'],
      });
    }
    expectError(await api.patch(`/api/v1/users/${org.support.id}`, { email: org.rep.email }), 409, {
      fields: ['email'],
    });
  });

  it('customers with the same email, and a duplicate inside one bulk request', async () => {
    const email = `c.${tag()}@example.com`;
    expect((await api.post('/api/v1/customers', { email })).status).toBe(201);
    expectError(await api.post('/api/v1/customers', { email }), 409, { fields: ['email'] });
    const sku = `BULK-${tag()}`;
    expectError(
      await api.post('/api/v1/products/bulk', [
        { name: 'one', price: 1, sku },
        { name: 'two', price: 1, sku },
      ]),
      409,
      { fields: ['sku'] },
    );
    expect(await count('/api/v1/products', q({ sku }))).toBe(0);
  });
});

describe('references to missing records → 404 naming the field', () => {
  it.each([
    ['deals', { name: 'D', account_id: crypto.randomUUID() }, 'account_id'],
    ['leads', { email: 'ref@example.com', assigned_to: crypto.randomUUID() }, 'assigned_to'],
    ['tasks', { title: 'T', related_type: 'lead', related_id: crypto.randomUUID() }, 'related_id'],
    ['tasks', { title: 'T', related_type: 'deal', related_id: crypto.randomUUID() }, 'related_id'],
    ['invoices', { due_date: '2026-05-01T00:00:00Z', order_id: crypto.randomUUID() }, 'order_id'],
  ])('%s %j', async (path, body, field) => {
    const res = await api.post(`/api/v1/${path}`, body);
    expectError(res, 404, { code: 'NOT_FOUND', fields: [field], message: new RegExp(field) });
  });

  it('a reference in upper case names the same record, and is stored as PostgreSQL prints it', async () => {
    const account = await samples.create('Account');
    const id = account.id as string;
    const created = await api.post('/api/v1/deals', { name: 'Upper', account_id: id.toUpperCase() });
    expect(created.status).toBe(201);
    expect(created.body.data.account_id).toBe(id);
    const task = await api.post('/api/v1/tasks', {
      title: 'Upper',
      related_type: 'account',
      related_id: id.toUpperCase(),
    });
    expect(task.status).toBe(201);
    expect(task.body.data.related_id).toBe(id);
  });

  it('on update as well, leaving the record unchanged', async () => {
    const deal = await samples.create('Deal');
    const res = await api.patch(`/api/v1/deals/${deal.id as string}`, { account_id: crypto.randomUUID() });
    expectError(res, 404, { fields: ['account_id'] });
    expect((await api.get(`/api/v1/deals/${deal.id as string}`)).body.data).toEqual(deal);
  });

  it('related_type and related_id go together and must name an entity', async () => {
    expectError(await api.post('/api/v1/tasks', { title: 'T', related_type: 'lead' }), 400, {
      fields: ['related_id'],
    });
    expectError(await api.post('/api/v1/tasks', { title: 'T', related_id: crypto.randomUUID() }), 400, {
      fields: ['related_type'],
    });
    expectError(
      await api.post('/api/v1/tasks', {
        title: 'T',
        related_type: 'spaceship',
        related_id: crypto.randomUUID(),
      }),
      400,
      { fields: ['related_type'] },
    );
  });

  it('an update may change one half of a link; the pair is checked as it will be stored', async () => {
    const task = await samples.create('Task');
    const one = `/api/v1/tasks/${task.id as string}`;
    const lead = await samples.create('Lead', 'required');
    const moved = await api.patch(one, { related_id: lead.id });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ related_type: 'lead', related_id: lead.id });
    // The lead's id is no deal.
    expectError(await api.patch(one, { related_type: 'deal' }), 404, { fields: ['related_id'] });
    expectError(await api.patch(one, { related_id: crypto.randomUUID() }), 404, { fields: ['related_id'] });
    expectError(await api.patch(one, { related_type: null }), 400, { fields: ['related_type'] });
    expect((await api.get(one)).body.data).toEqual(moved.body.data);
    const cleared = await api.patch(one, { related_type: null, related_id: null });
    expect(cleared.body.data).toMatchObject({ related_type: null, related_id: null });
  });
});

// ------------------------------------------------------------------ bulk

describe('bulk create', () => {
  it('is all or nothing: invalid rows are reported by index and nothing is stored', async () => {
    const marker = `Bulk ${tag()}`;
    const row = (i: number) => ({ email: `b${i}.${tag()}@example.com`, company: marker });
    const res = await api.post('/api/v1/leads/bulk', [
      row(0),
      { ...row(1), email: 'broken' },
      row(2),
      { ...row(3), planet: 'Mars' },
      'not an object',
    ]);
    expectError(res, 400, { code: 'VALIDATION_FAILED', message: /3 of 5/ });
    const details = res.body.error.details as { index: number; field?: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, field: 'email' }),
        expect.objectContaining({ index: 3, field: 'planet' }),
        expect.objectContaining({ index: 4 }),
      ]),
    );
    expect(details.every((d) => [1, 3, 4].includes(d.index))).toBe(true);
    expect(await count('/api/v1/leads', q({ company: marker }))).toBe(0);

    const ok = await api.post('/api/v1/leads/bulk', [row(0), row(1)]);
    expect(ok.status).toBe(201);
    expect(ok.body.meta).toEqual({ created: 2 });
    expect(await count('/api/v1/leads', q({ company: marker }))).toBe(2);
  });

  it('a missing reference or a failing hook in one row stores nothing', async () => {
    const marker = `Bulk ${tag()}`;
    const missing = await api.post('/api/v1/deals/bulk', [
      { name: marker },
      { name: marker },
      { name: marker, account_id: crypto.randomUUID() },
    ]);
    expectError(missing, 404, { fields: ['account_id'] });
    expect(missing.body.error.details[0].index).toBe(2);
    expect(await count('/api/v1/deals', q({ name: marker }))).toBe(0);

    const hook = await api.post('/api/v1/meetings/bulk', [
      { title: marker, start_time: '2026-05-01T10:00:00Z' },
      { title: marker, start_time: '2026-05-01T10:00:00Z', end_time: '2026-05-01T09:00:00Z' },
    ]);
    expectError(hook, 400, { fields: ['end_time'] });
    expect(hook.body.error.details[0].index).toBe(1);
    expect(await count('/api/v1/meetings', q({ title: marker }))).toBe(0);
  });

  it('takes 1 to 1000 records in a JSON array', async () => {
    const marker = `Bulk ${tag()}`;
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `${marker} ${i}` }));
    expectError(await api.post('/api/v1/suppliers/bulk', many), 400, { message: /1000/ });
    expect(await count('/api/v1/suppliers', q({ 'name[like]': `${marker}%` }))).toBe(0);
    expectError(await api.post('/api/v1/suppliers/bulk', []), 400);
    expectError(await api.post('/api/v1/suppliers/bulk', { name: marker }), 400, { message: /array/ });
    const max = await api.post('/api/v1/suppliers/bulk', many.slice(0, 1000));
    expect(max.status).toBe(201);
    expect(max.body.meta).toEqual({ created: 1000 });
    expect(await count('/api/v1/suppliers', q({ 'name[like]': `${marker}%` }))).toBe(1000);
  });
});

// ------------------------------------------------------------------ roles

describe('users are managed by admins; everyone keeps their own profile', () => {
  it.each(['manager', 'rep', 'support'] as const)(
    'a %s may read users and edit their own profile, but not create, change others, delete, or set who they are',
    async (who) => {
      const user = org[who];
      const as = apiClient(t, user.auth, hiddenFieldNames(t));
      const list = await as.get('/api/v1/users');
      expect(list.status).toBe(200);
      expect(list.body.meta.total).toBeGreaterThanOrEqual(6);
      expect((await as.get(`/api/v1/users/${org.admin.id}`)).status).toBe(200);
      const email = `nope.${tag()}@example.com`;
      expectError(await as.post('/api/v1/users', { email, password: 'long-enough-1' }), 403, {
        code: 'FORBIDDEN',
      });
      expectError(await as.post('/api/v1/users/bulk', [{ email, password: 'long-enough-1' }]), 403, {
        code: 'FORBIDDEN',
      });
      // Someone else's account is outside their reach; their own is theirs to edit, within limits.
      expectError(await as.patch(`/api/v1/users/${org.admin.id}`, { title: 'Boss' }), 404);
      expectError(await as.delete(`/api/v1/users/${org.admin.id}`), 403, { code: 'FORBIDDEN' });
      for (const body of [
        { role: 'admin' },
        { is_active: false },
        { email: `x.${tag()}@example.com` },
        { manager_id: org.admin.id },
      ]) {
        expectError(await as.patch(`/api/v1/users/${user.id}`, body), 403, { code: 'FORBIDDEN' });
      }
      expectError(await as.delete(`/api/v1/users/${user.id}`), 403, { code: 'FORBIDDEN' });
      expect((await as.put(`/api/v1/users/${user.id}`, { title: 'Boss' })).status).toBe(200);
      const me = await as.get(`/api/v1/users/${user.id}`);
      expect(me.body.data).toMatchObject({ role: user.role, is_active: true, title: 'Boss' });
      expect(await count('/api/v1/users', q({ email }))).toBe(0);
    },
  );
});

// ------------------------------------------------------------------ entity hooks

describe('orders', () => {
  let product: Values;
  let customer: string;
  beforeAll(async () => {
    product = (await api.post('/api/v1/products', { name: 'Widget', price: 12.5 })).body.data;
    customer = await samples.ref('Customer');
  });

  it('compute line totals, subtotal and total from the items', async () => {
    const res = await api.post('/api/v1/orders', {
      customer_id: customer,
      items: [
        { product_id: product.id, quantity: 2 }, // the product's price: 25
        { product_id: product.id, quantity: 3, unit_price: 0.1, discount: 0.05 }, // 0.25
      ],
      discount_amount: 1.25,
      tax_amount: 2.1,
      shipping_amount: 0.2,
    });
    expect(res.status).toBe(201);
    const order = res.body.data as Values;
    expect(order).toMatchObject({
      subtotal: 25.25,
      total_amount: 26.3,
      items: [
        {
          product_id: product.id,
          product_name: 'Widget',
          quantity: 2,
          unit_price: 12.5,
          discount: 0,
          line_total: 25,
        },
        { quantity: 3, unit_price: 0.1, discount: 0.05, line_total: 0.25 },
      ],
    });
    expect(order.order_number).toEqual(expect.stringMatching(/^ORD-\d{8}-[0-9A-Z]{6}$/));

    const id = order.id as string;
    const taxed = await api.patch(`/api/v1/orders/${id}`, { tax_amount: 0 });
    expect(taxed.body.data).toMatchObject({ subtotal: 25.25, total_amount: 24.2 });
    const relined = await api.put(`/api/v1/orders/${id}`, {
      items: [{ product_id: product.id, quantity: 4 }],
    });
    expect(relined.body.data).toMatchObject({ subtotal: 50, total_amount: 48.95 });
    expect((await api.get(`/api/v1/orders/${id}`)).body.data).toEqual(relined.body.data);
  });

  it('reject unknown product ids (404), missing lines and discounts larger than the order', async () => {
    const marker = `no-such-product ${tag()}`;
    const unknown = await api.post('/api/v1/orders', {
      customer_id: customer,
      notes: marker,
      items: [
        { product_id: product.id, quantity: 1 },
        { product_id: crypto.randomUUID(), quantity: 1 },
      ],
    });
    expectError(unknown, 404, { code: 'NOT_FOUND', fields: ['items[1].product_id'] });
    expectError(
      await api.post('/api/v1/orders', { customer_id: customer, items: [{ product_id: 'x', quantity: 1 }] }),
      400,
      {
        fields: ['items[0].product_id'],
      },
    );
    expectError(await api.post('/api/v1/orders', { customer_id: customer, items: [] }), 400, {
      fields: ['items'],
    });
    expectError(
      await api.post('/api/v1/orders', {
        customer_id: customer,
        items: [{ product_id: product.id, quantity: 0 }],
      }),
      400,
      { fields: ['items[0].quantity'] },
    );
    expectError(
      await api.post('/api/v1/orders', {
        customer_id: customer,
        items: [{ product_id: product.id, quantity: 1, discount: 20 }],
      }),
      400,
      { fields: ['items[0].discount'] },
    );
    expectError(
      await api.post('/api/v1/orders', {
        customer_id: customer,
        items: [{ product_id: product.id, quantity: 1 }],
        discount_amount: 13,
      }),
      400,
      { fields: ['discount_amount'] },
    );
    expect(await count('/api/v1/orders', q({ notes: marker }))).toBe(0);
  });
});

describe('invoices', () => {
  it('compute total and balance, and keep them current', async () => {
    const res = await api.post('/api/v1/invoices', {
      due_date: '2026-06-01T00:00:00Z',
      subtotal: 100,
      tax_amount: 19.99,
      discount_amount: 10,
      amount_paid: 9.99,
      total_amount: 1,
      balance_due: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ total_amount: 109.99, balance_due: 100 });
    expect(res.body.data.invoice_number).toMatch(/^INV-/);
    const id = res.body.data.id as string;
    const paid = await api.patch(`/api/v1/invoices/${id}`, { amount_paid: 109.99, status: 'paid' });
    expect(paid.body.data).toMatchObject({ total_amount: 109.99, balance_due: 0, status: 'paid' });
    expectError(await api.patch(`/api/v1/invoices/${id}`, { amount_paid: 110 }), 400, {
      fields: ['amount_paid'],
    });
    expectError(await api.patch(`/api/v1/invoices/${id}`, { discount_amount: 500 }), 400, {
      fields: ['discount_amount'],
    });
    expect((await api.get(`/api/v1/invoices/${id}`)).body.data).toEqual(paid.body.data);
  });

  it('bill an order’s amounts when raised for it', async () => {
    const order = await samples.create('Order');
    const res = await api.post('/api/v1/invoices', { due_date: '2026-06-01T00:00:00Z', order_id: order.id });
    expect(res.status).toBe(201);
    const expected =
      (order.subtotal as number) + (order.tax_amount as number) - (order.discount_amount as number);
    expect(res.body.data).toMatchObject({
      order_id: order.id,
      subtotal: order.subtotal,
      tax_amount: order.tax_amount,
      discount_amount: order.discount_amount,
      amount_paid: 0,
    });
    expect(res.body.data.total_amount).toBeCloseTo(expected, 2);
    expect(res.body.data.balance_due).toBe(res.body.data.total_amount);
  });
});

describe('meetings', () => {
  it('cannot end before they start, on create or on update', async () => {
    expectError(
      await api.post('/api/v1/meetings', {
        title: 'Backwards',
        start_time: '2026-05-01T10:00:00Z',
        end_time: '2026-05-01T09:59:59Z',
      }),
      400,
      { code: 'VALIDATION_FAILED', fields: ['end_time'] },
    );
    const ok = await api.post('/api/v1/meetings', {
      title: 'Forwards',
      start_time: '2026-05-01T10:00:00Z',
      end_time: '2026-05-01T11:00:00Z',
    });
    expect(ok.status).toBe(201);
    const id = ok.body.data.id as string;
    expectError(await api.patch(`/api/v1/meetings/${id}`, { end_time: '2026-05-01T09:00:00Z' }), 400, {
      fields: ['end_time'],
    });
    expectError(await api.patch(`/api/v1/meetings/${id}`, { start_time: '2026-05-01T12:00:00Z' }), 400, {
      fields: ['end_time'],
    });
    expect((await api.get(`/api/v1/meetings/${id}`)).body.data).toEqual(ok.body.data);
    const moved = await api.patch(`/api/v1/meetings/${id}`, { start_time: '2026-05-01T10:30:00+02:00' });
    expect(moved.body.data.start_time).toBe('2026-05-01T08:30:00.000Z');
  });
});
