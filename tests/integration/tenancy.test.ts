import crypto from 'node:crypto';
import { entities } from '../../src/entities';
import { startTestApp, type TestApp } from '../helpers/app';
import { apiClient, expectError, hiddenFieldNames, type Client, type QueryPairs } from '../helpers/crud-api';
import { editableTextFields, SampleMaker, tag, type Values } from '../helpers/crud-samples';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * Two organizations side by side. Whatever the second one sends — ids, filters on ids or on
 * organization_id, $or tricks, references in bodies, bulk requests — it never reads, changes or points at
 * a record of the first: those records behave exactly like records that do not exist.
 */
let t: TestApp;
let a: Tenant;
let b: Tenant;
let asA: Client;
let asB: Client;
let samplesA: SampleMaker;
let samplesB: SampleMaker;

beforeAll(async () => {
  t = await startTestApp();
  [a, b] = await Promise.all([createTenant(t.c, 'Tenant A'), createTenant(t.c, 'Tenant B')]);
  const hidden = hiddenFieldNames(t);
  asA = apiClient(t, a.admin.auth, hidden);
  asB = apiClient(t, b.admin.auth, hidden);
  samplesA = new SampleMaker(t.c.registry, asA, a);
  samplesB = new SampleMaker(t.c.registry, asB, b);
});
afterAll(() => t.close());

const json = (f: unknown): QueryPairs => [['filter', JSON.stringify(f)]];
const ids = (res: { body: { data: Values[] } }) => res.body.data.map((r) => r.id);

describe.each(entities.map((e) => [e.name, e.path] as const))('%s', (name, path) => {
  const base = `/api/v1/${path}`;
  let record: Values;
  let field: string;

  beforeAll(async () => {
    record = await samplesA.create(name);
    field = editableTextFields(t.c.registry.get(name))[0]!;
  });

  it('the other organization gets 404 for every route of a record, which stays unchanged', async () => {
    const one = `${base}/${record.id as string}`;
    expectError(await asB.get(one), 404, { code: 'NOT_FOUND' });
    expectError(await asB.patch(one, { [field]: 'taken over' }), 404, { code: 'NOT_FOUND' });
    expectError(await asB.put(one, { [field]: 'taken over' }), 404, { code: 'NOT_FOUND' });
    expectError(await asB.delete(one), 404, { code: 'NOT_FOUND' });
    // Same answer as for an id that exists nowhere.
    const none = await asB.get(`${base}/${crypto.randomUUID()}`);
    expect((await asB.get(one)).body.error.code).toBe(none.body.error.code);
    const still = await asA.get(one);
    expect(still.status).toBe(200);
    expect(still.body.data).toEqual(record);
  });

  it('lists and filters of the other organization never include it', async () => {
    const id = record.id as string;
    const attempts: QueryPairs[] = [
      [['limit', '100']],
      [['id', id]],
      [['id[in]', `${id},${crypto.randomUUID()}`]],
      [['organization_id', a.organizationId]],
      json({ id }),
      json({ organization_id: a.organizationId }),
      json({ $or: [{ id }, { organization_id: a.organizationId }, { id: { $ne: id } }] }),
      json({ $nor: [{ organization_id: b.organizationId }] }),
      json({ organization_id: { $in: [a.organizationId, b.organizationId] } }),
      [
        ['cursor', ''],
        ['id', id],
        ['count', 'true'],
      ],
    ];
    for (const query of attempts) {
      const res = await asB.get(base, query);
      expect(res.status).toBe(200);
      expect(ids(res)).not.toContain(id);
      for (const row of res.body.data as Values[]) expect(row.organization_id).toBe(b.organizationId);
      if (query.some(([k]) => k === 'id')) expect(res.body.meta.total).toBe(0);
    }
    // While its own organization finds it with the very same query.
    expect(ids(await asA.get(base, json({ $or: [{ id }, { organization_id: b.organizationId }] })))).toEqual([
      id,
    ]);
  });
});

describe('writes cannot cross organizations', () => {
  it('organization_id (and created_by) in a create body are ignored', async () => {
    const res = await asB.post('/api/v1/leads', {
      email: `b.${tag()}@example.com`,
      organization_id: a.organizationId,
      created_by: a.admin.id,
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ organization_id: b.organizationId, created_by: b.admin.id });
    expectError(await asA.get(`/api/v1/leads/${res.body.data.id as string}`), 404);
    const bulk = await asB.post('/api/v1/leads/bulk', [
      { email: `b.${tag()}@example.com`, organization_id: a.organizationId },
    ]);
    expect(bulk.body.data[0].organization_id).toBe(b.organizationId);
  });

  it('organization_id in an update body is ignored', async () => {
    const deal = await samplesB.create('Deal', 'required');
    const res = await asB.patch(`/api/v1/deals/${deal.id as string}`, {
      organization_id: a.organizationId,
      name: 'Still ours',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ organization_id: b.organizationId, name: 'Still ours' });
    expectError(await asA.get(`/api/v1/deals/${deal.id as string}`), 404);
    expect((await asB.get(`/api/v1/deals/${deal.id as string}`)).status).toBe(200);
  });

  it("a body pointing at the other organization's records → 404 naming the field, nothing stored", async () => {
    const [account, lead, product, customer, order, campaign] = await Promise.all(
      ['Account', 'Lead', 'Product', 'Customer', 'Order', 'Campaign'].map((e) => samplesA.ref(e)),
    );
    const ownCustomer = await samplesB.ref('Customer');
    const ownProduct = await samplesB.ref('Product');
    const marker = `cross ${tag()}`;
    const cases: [string, Values, string][] = [
      ['deals', { name: marker, account_id: account }, 'account_id'],
      ['contacts', { first_name: marker, account_id: account }, 'account_id'],
      ['leads', { email: `x.${tag()}@example.com`, company: marker, assigned_to: a.admin.id }, 'assigned_to'],
      ['tasks', { title: marker, related_type: 'lead', related_id: lead }, 'related_id'],
      ['activities', { type: 'note', subject: marker, related_type: 'lead', related_id: lead }, 'related_id'],
      [
        'orders',
        { notes: marker, customer_id: customer, items: [{ product_id: ownProduct, quantity: 1 }] },
        'customer_id',
      ],
      [
        'orders',
        { notes: marker, customer_id: ownCustomer, items: [{ product_id: product, quantity: 1 }] },
        'items[0].product_id',
      ],
      ['invoices', { notes: marker, due_date: '2026-07-01T00:00:00Z', order_id: order }, 'order_id'],
      ['link-analytics', { url: 'https://example.com', title: marker, campaign_id: campaign }, 'campaign_id'],
    ];
    for (const [path, body, field] of cases) {
      expectError(await asB.post(`/api/v1/${path}`, body), 404, { code: 'NOT_FOUND', fields: [field] });
    }
    for (const [path] of cases) {
      const res = await asB.get(`/api/v1/${path}`, [['search', marker]]);
      expect(res.body.data).toEqual([]);
    }
    const orders = await asB.get('/api/v1/orders', [['notes', marker]]);
    expect(orders.body.meta.total).toBe(0);
    const invoices = await asB.get('/api/v1/invoices', [['notes', marker]]);
    expect(invoices.body.meta.total).toBe(0);
  });

  it("an update pointing at the other organization's records → 404, record unchanged", async () => {
    const account = await samplesA.ref('Account');
    const lead = await samplesA.ref('Lead');
    const product = await samplesA.ref('Product');
    const deal = await samplesB.create('Deal', 'required');
    expectError(await asB.patch(`/api/v1/deals/${deal.id as string}`, { account_id: account }), 404, {
      fields: ['account_id'],
    });
    const task = await samplesB.create('Task');
    expectError(await asB.put(`/api/v1/tasks/${task.id as string}`, { related_id: lead }), 404, {
      fields: ['related_id'],
    });
    const order = await samplesB.create('Order');
    expectError(
      await asB.patch(`/api/v1/orders/${order.id as string}`, {
        items: [{ product_id: product, quantity: 9 }],
      }),
      404,
      { fields: ['items[0].product_id'] },
    );
    expect((await asB.get(`/api/v1/deals/${deal.id as string}`)).body.data).toEqual(deal);
    expect((await asB.get(`/api/v1/tasks/${task.id as string}`)).body.data).toEqual(task);
    expect((await asB.get(`/api/v1/orders/${order.id as string}`)).body.data).toEqual(order);
  });

  it('a bulk request with one such reference creates nothing', async () => {
    const account = await samplesA.ref('Account');
    const marker = `bulk cross ${tag()}`;
    const res = await asB.post('/api/v1/deals/bulk', [
      { name: marker },
      { name: marker, account_id: account },
      { name: marker },
    ]);
    expectError(res, 404, { fields: ['account_id'] });
    expect(res.body.error.details).toEqual([expect.objectContaining({ index: 1, field: 'account_id' })]);
    expect((await asB.get('/api/v1/deals', [['name', marker]])).body.meta.total).toBe(0);
    expect((await asA.get('/api/v1/deals', [['name', marker]])).body.meta.total).toBe(0);
  });

  it('an invoice raised for the other organization’s order does not copy its amounts', async () => {
    const order = await samplesA.create('Order');
    const res = await asB.post('/api/v1/invoices', { due_date: '2026-07-01T00:00:00Z', order_id: order.id });
    expectError(res, 404, { fields: ['order_id'] });
    expect(JSON.stringify(res.body)).not.toContain(String(order.subtotal));
  });
});

describe('the same unique values may exist in both organizations', () => {
  it('sku, customer email, order number', async () => {
    const sku = `SHARED-${tag()}`;
    const email = `shared.${tag()}@example.com`;
    for (const as of [asA, asB]) {
      expect((await as.post('/api/v1/products', { name: 'P', price: 1, sku })).status).toBe(201);
      expect((await as.post('/api/v1/customers', { email })).status).toBe(201);
    }
    for (const [as, org] of [
      [asA, a],
      [asB, b],
    ] as const) {
      const res = await as.get('/api/v1/products', [['sku', sku]]);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].organization_id).toBe(org.organizationId);
    }
  });
});

describe('cursors and users', () => {
  it("a cursor issued to one organization's user does not work for the other's", async () => {
    await samplesA.create('Campaign');
    await samplesA.create('Campaign');
    const first = await asA.get('/api/v1/campaigns', [
      ['limit', '1'],
      ['cursor', ''],
    ]);
    const cursor = first.body.meta.next_cursor as string;
    expect(typeof cursor).toBe('string');
    expectError(
      await asB.get('/api/v1/campaigns', [
        ['limit', '1'],
        ['cursor', cursor],
      ]),
      400,
      { message: /cursor/ },
    );
  });

  it("the other organization's users are invisible to lists, search and references", async () => {
    const users = await asB.get('/api/v1/users', [['limit', '100']]);
    expect(users.body.data.map((u: Values) => u.email)).not.toContain(a.admin.email);
    expect((await asB.get('/api/v1/users', [['search', a.admin.email]])).body.data).toEqual([]);
    expect((await asB.get('/api/v1/users', [['email', a.admin.email]])).body.data).toEqual([]);
    expectError(await asB.get(`/api/v1/users/${a.admin.id}`), 404);
    expectError(await asB.patch(`/api/v1/users/${a.rep.id}`, { role: 'support' }), 404);
    expectError(await asB.delete(`/api/v1/users/${a.rep.id}`), 404);
    expectError(await asB.patch(`/api/v1/users/${b.rep.id}`, { manager_id: a.manager.id }), 404, {
      fields: ['manager_id'],
    });
    const rep = await asA.get(`/api/v1/users/${a.rep.id}`);
    expect(rep.body.data).toMatchObject({ role: 'sales_rep', organization_id: a.organizationId });
  });
});
