import { startTestApp, type TestApp } from '../helpers/app';
import { apiClient, expectError, hiddenFieldNames, type Client } from '../helpers/crud-api';
import { tag } from '../helpers/crud-samples';
import { createTenant, type Tenant } from '../helpers/tenant';

/**
 * `meta.total` of a list counts up to LIST_COUNT_LIMIT matches (5 here) and then says only "more than";
 * `count=exact` counts them all, `count=false` not at all. 12 leads in an organization of their own: 7
 * assigned to a sales rep, 3 of all 12 contacted.
 */
const LEADS = '/api/v1/leads';
const LIMIT = 5;
const N = 12;

let t: TestApp;
let org: Tenant;
let admin: Client;
let rep: Client;

beforeAll(async () => {
  t = await startTestApp({ LIST_COUNT_LIMIT: String(LIMIT) });
  org = await createTenant(t.c, 'Totals Org');
  const hidden = hiddenFieldNames(t);
  admin = apiClient(t, org.admin.auth, hidden);
  rep = apiClient(t, org.rep.auth, hidden);
  const run = tag();
  const res = await admin.post(
    `${LEADS}/bulk`,
    Array.from({ length: N }, (_, i) => ({
      email: `total${i}.${run}@totals.example.com`,
      status: i % 4 === 0 ? 'contacted' : 'new',
      assigned_to: i < 7 ? org.rep.id : null,
    })),
  );
  expect(res.status).toBe(201);
});
afterAll(() => t.close());

const meta = async (who: Client, query: Record<string, string>) => {
  const res = await who.get(LEADS, query);
  expect(res.status).toBe(200);
  return res.body.meta as Record<string, unknown>;
};

describe('page mode', () => {
  it('counts up to the limit by default and says the total is a lower bound beyond it', async () => {
    expect(await meta(admin, { limit: '3' })).toMatchObject({
      page: 1,
      limit: 3,
      total: LIMIT,
      total_exact: false,
      total_pages: 2,
    });
  });

  it('counts every match with count=exact', async () => {
    expect(await meta(admin, { limit: '3', count: 'exact' })).toMatchObject({
      total: N,
      total_exact: true,
      total_pages: 4,
    });
  });

  it('is exact when fewer than the limit match', async () => {
    expect(await meta(admin, { status: 'contacted' })).toMatchObject({ total: 3, total_exact: true });
  });

  it('takes the exact total from a page that ends the list', async () => {
    expect(await meta(admin, { limit: '4', page: '3' })).toMatchObject({ total: N, total_exact: true });
    expect(await meta(admin, { limit: '5', offset: '10' })).toMatchObject({ total: N, total_exact: true });
  });

  it('raises the lower bound on a page deeper than the count reached', async () => {
    expect(await meta(admin, { limit: '4', page: '2' })).toMatchObject({ total: 8, total_exact: false });
  });

  it('stays a lower bound past the end of the list', async () => {
    const res = await admin.get(LEADS, { limit: '5', page: '9' });
    expect(res.body.data).toEqual([]);
    expect(res.body.meta).toMatchObject({ total: LIMIT, total_exact: false });
  });

  it('says 0 for an empty first page, and counts past the end of a sales rep’s list', async () => {
    expect(await meta(admin, { status: 'lost' })).toMatchObject({ total: 0, total_exact: true });
    const res = await rep.get(LEADS, { limit: '5', page: '9' });
    expect(res.body.data).toEqual([]);
    expect(res.body.meta).toMatchObject({ total: LIMIT, total_exact: false });
    const past = await rep.get(LEADS, { limit: '5', page: '9', status: 'contacted' });
    expect(past.body.meta).toMatchObject({ total: 2, total_exact: true });
  });

  it("counts within the caller's scope", async () => {
    expect(await meta(rep, { limit: '2' })).toMatchObject({ total: LIMIT, total_exact: false });
    expect(await meta(rep, { limit: '2', count: 'exact' })).toMatchObject({ total: 7, total_exact: true });
    expect(await meta(rep, { status: 'contacted', count: 'exact' })).toMatchObject({
      total: 2,
      total_exact: true,
    });
  });

  it('skips counting with count=false', async () => {
    const m = await meta(admin, { limit: '3', count: 'false' });
    expect(m).not.toHaveProperty('total');
    expect(m).not.toHaveProperty('total_exact');
    expect(m).not.toHaveProperty('total_pages');
  });
});

describe('cursor mode', () => {
  it('counts only when asked, bounded or exact', async () => {
    expect(await meta(admin, { cursor: '', limit: '3' })).not.toHaveProperty('total');
    expect(await meta(admin, { cursor: '', limit: '3', count: 'true' })).toMatchObject({
      total: LIMIT,
      total_exact: false,
      has_more: true,
    });
    expect(await meta(admin, { cursor: '', limit: '3', count: 'exact' })).toMatchObject({
      total: N,
      total_exact: true,
    });
  });

  it('counts the whole list on every page, not what is left after the cursor', async () => {
    const first = await meta(rep, { cursor: '', limit: '5', count: 'true' });
    expect(first).toMatchObject({ total: LIMIT, total_exact: false, has_more: true });
    const next = await rep.get(LEADS, { cursor: first.next_cursor as string, limit: '5', count: 'true' });
    expect(next.body.data).toHaveLength(2);
    expect(next.body.meta).toMatchObject({ total: LIMIT, total_exact: false, has_more: false });
  });
});

describe('the audit log', () => {
  // The 12 creates above are the organization's only audit entries.
  const audit = async (query: Record<string, string>) => {
    const res = await admin.get('/api/v1/audit', { entity: 'Lead', ...query });
    expect(res.status).toBe(200);
    return res.body.meta as Record<string, unknown>;
  };

  it('counts up to the limit too, and knows the total from its last page', async () => {
    expect(await audit({ limit: '3' })).toEqual({
      page: 1,
      limit: 3,
      total: LIMIT,
      total_exact: false,
      total_pages: 2,
    });
    expect(await audit({ limit: '3', page: '3' })).toMatchObject({ total: 9, total_exact: false });
    expect(await audit({ limit: '3', page: '4' })).toMatchObject({ total: N, total_exact: true });
    expect(await audit({ limit: '3', action: 'delete' })).toMatchObject({ total: 0, total_exact: true });
  });
});

describe('held spam', () => {
  it('counts up to the limit too, and knows the total from its last page', async () => {
    await t.c.models.get('LeadScreening').bulkCreate(
      Array.from({ length: 7 }, (_, i) => ({
        organization_id: org.organizationId,
        verdict: 'spam',
        channel: 'form',
        email: `spam${i}@totals.example.com`,
        payload: { values: { email: `spam${i}@totals.example.com` }, assign: {} },
      })),
    );
    const held = async (query: Record<string, string>) =>
      (await admin.get('/api/v1/spam/leads', query)).body.meta as Record<string, unknown>;
    expect(await held({ limit: '2' })).toEqual({
      page: 1,
      limit: 2,
      total: LIMIT,
      total_exact: false,
      total_pages: 3,
    });
    expect(await held({ limit: '2', page: '4' })).toMatchObject({ total: 7, total_exact: true });
  });
});

it('answers 400 naming `count` for any other value', async () => {
  expectError(await admin.get(LEADS, { count: 'all' }), 400, { fields: ['count'] });
});

it('counts every match when the limit is 0', async () => {
  const unlimited = await startTestApp({ LIST_COUNT_LIMIT: '0' });
  try {
    const res = await unlimited.http.get(`${LEADS}?limit=2`).set(org.admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ total: N, total_exact: true, total_pages: 6 });
    const audit = await unlimited.http.get('/api/v1/audit?entity=Lead&limit=2').set(org.admin.auth);
    expect(audit.body.meta).toMatchObject({ total: N, total_exact: true });
  } finally {
    await unlimited.close();
  }
});
